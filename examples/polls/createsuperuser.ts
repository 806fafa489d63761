// `npm run createsuperuser`: asks for a name, an email and a password, and makes a user who may
// log in to the demo's admin. Without a terminal it reads CARAFE_SUPERUSER_USERNAME,
// CARAFE_SUPERUSER_EMAIL and CARAFE_SUPERUSER_PASSWORD instead.
import { Carafe, CarafeError } from 'carafe';
import { createsuperuserCommand } from 'carafe/auth';
import { closeDatabases, configureDatabases } from 'carafe/db';
import { migrate } from 'carafe/db/migrations';
import config from './carafe.config.js';

const app = new Carafe(config);
if (app.config.database !== undefined) configureDatabases(app.config.database);
try {
  // The user table must exist, even before the first `npm start`.
  const { exitCode } = await migrate({ apps: app.apps });
  if (exitCode === 0) {
    await createsuperuserCommand({ apps: app.apps, interactive: process.stdin.isTTY === true });
  }
  process.exitCode = exitCode;
} catch (error) {
  if (!(error instanceof CarafeError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await closeDatabases();
}
