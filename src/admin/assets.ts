// Templates and static files are not compiled, so they stay in src/admin/ (which the package
// ships); from the compiled dist/admin/ the same folders are found under ../../src/admin/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function assetFolder(name: 'templates' | 'static'): string {
  const beside = fileURLToPath(new URL(`./${name}`, import.meta.url));
  if (existsSync(beside)) return beside;
  return fileURLToPath(new URL(`../../src/admin/${name}`, import.meta.url));
}
