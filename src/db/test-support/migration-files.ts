// Hand-written migration files for the migration command tests, in the format makemigrations writes.

const imports =
  "import { f } from 'carafe/db';\nimport { migration, op } from 'carafe/db/migrations';\n";

/** A migration file's source: `dependencies` as [app, name] pairs, `operations` as source text. */
export function migrationFile(
  dependencies: readonly (readonly [string, string])[],
  operations: readonly string[],
  extra = '',
): string {
  const deps = dependencies.map(([app, name]) => `['${app}', '${name}']`).join(', ');
  const ops = operations.map((operation) => `    ${operation},\n`).join('');
  return `${imports}\nexport default migration({\n  ${extra}dependencies: [${deps}],\n  operations: [\n${ops}  ],\n});\n`;
}
