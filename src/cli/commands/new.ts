// carafe new <name>: a runnable project in ./<name> (Django's startproject).
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { CarafeError } from '../../index.js';
import { type Arguments, UsageError } from '../args.js';
import type { CommandContext } from '../context.js';
import { renderTemplate, writeFiles } from '../scaffold.js';

interface CarafePackage {
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

function carafePackage(): CarafePackage {
  const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
  return JSON.parse(text) as CarafePackage;
}

/** npm's rules for a package name, which is also the folder's name. */
export function checkProjectName(name: string): void {
  const problem =
    name.length > 214
      ? 'is longer than 214 characters'
      : !/^[a-z0-9][a-z0-9._-]*$/.test(name)
        ? 'must start with a lower-case letter or digit and hold only a-z, 0-9, ".", "_" and "-"'
        : name === 'node_modules' || name === 'favicon.ico' || name === 'carafe'
          ? 'is reserved'
          : undefined;
  if (problem !== undefined) {
    throw new UsageError(
      `The project name "${name}" ${problem} (it becomes the folder and the npm package name), e.g. carafe new mysite.`,
    );
  }
}

/** npm reads a relative `file:` path from the project folder; the user meant from here. */
function dependencySpec(spec: string | undefined): string | undefined {
  if (spec === undefined || !spec.startsWith('file:')) return spec;
  const path = spec.slice('file:'.length);
  return isAbsolute(path) ? spec : `file:${resolve(path)}`;
}

export async function runNew(args: Arguments, context: CommandContext): Promise<number> {
  const name = args.positionals[0]!;
  checkProjectName(name);
  const target = resolve(name);
  if (existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length > 0)) {
    throw new CarafeError(
      'CARAFE_CLI_SCAFFOLD_EXISTS',
      `${target} exists and is not an empty folder; nothing was written. Choose another name or remove it.`,
    );
  }
  const carafe = carafePackage();
  const files = renderTemplate('project', {
    name,
    carafe: dependencySpec(args.value('carafe')) ?? `^${carafe.version}`,
    secretKey: randomBytes(48).toString('base64url'),
    tsx: carafe.dependencies.tsx ?? 'latest',
    typescript: carafe.devDependencies.typescript ?? 'latest',
    typesNode: carafe.devDependencies['@types/node'] ?? 'latest',
  });
  writeFiles(target, files);
  const { out } = context.terminal;
  context.terminal.print(`Created the project ${out.bold(name)} in ${target}. Next:

  cd ${name}
  npm install
  cp .env.example .env      ${out.dim('# development settings (not committed)')}
  npx carafe migrate
  npx carafe dev            ${out.dim('# http://127.0.0.1:8000/')}
`);
  return 0;
}
