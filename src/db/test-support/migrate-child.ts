// `migrate` in a process of its own, for the tests of concurrent runs.
// Arguments: the database URL, the migrations folder, the app name. With CARAFE_TEST_READY set,
// the file it names is created just before the run starts.
import { writeFileSync } from 'node:fs';
import { defineApp } from '../../index.js';
import { closeDatabases, configureDatabases } from '../index.js';
import { migrate } from '../migrations/index.js';

const [url, folder, name] = process.argv.slice(2);
if (url === undefined || folder === undefined || name === undefined) {
  throw new Error('usage: migrate-child.ts <database url> <migrations folder> <app name>');
}
configureDatabases(url);
// Tells a waiting test that this process got as far as starting the run.
const ready = process.env.CARAFE_TEST_READY;
if (ready !== undefined) writeFileSync(ready, '');
try {
  const result = await migrate({ apps: [defineApp({ name, migrations: folder })] });
  process.exitCode = result.exitCode;
} finally {
  await closeDatabases();
}
