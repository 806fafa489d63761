// `npm run bench:types`: how long `tsc --noEmit` takes on a generated project of 50 related
// models (five apps of ten) and 200 typed queries over them — the usual complaint about typed
// query builders is slow inference, and the model-layer goal is ≤ 10 s on this machine.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const APPS = 5;
const PER_APP = 10;
const QUERIES = 200;
const GOAL_SECONDS = 10;

const appName = (a) => `app${a}`;
const modelName = (a, m) => `Model${a}x${m}`;

// Each model: scalars of several kinds, a foreign key to the previous model (across apps at
// an app's first model), a nullable one-to-one every third model, a many-to-many every fifth.
function appSource(a) {
  const lines = [`import { f, model } from 'carafe/db';`];
  if (a > 0) lines.push(`import { ${modelName(a - 1, PER_APP - 1)} } from './${appName(a - 1)}.js';`);
  for (let m = 0; m < PER_APP; m++) {
    const name = modelName(a, m);
    const previous = m > 0 ? modelName(a, m - 1) : a > 0 ? modelName(a - 1, PER_APP - 1) : undefined;
    const fields = [
      `title: f.string({ max: 200 })`,
      `body: f.text({ nullable: true })`,
      `rank: f.integer({ default: 0 })`,
      `price: f.decimal({ maxDigits: 10, decimalPlaces: 2 })`,
      `active: f.boolean({ default: true })`,
      `createdAt: f.datetime({ default: () => new Date() })`,
      `status: f.choice(['draft', 'live', 'gone'])`,
    ];
    if (previous !== undefined) {
      fields.push(
        `parent: f.foreignKey(() => ${previous}, { onDelete: 'cascade', relatedName: 'children${name}' })`,
      );
    }
    if (m % 3 === 1 && previous !== undefined) {
      fields.push(
        `twin: f.oneToOne(() => ${previous}, { onDelete: 'setNull', nullable: true, relatedName: 'twin${name}' })`,
      );
    }
    if (m % 5 === 4 && previous !== undefined) {
      fields.push(`tags: f.manyToMany(() => ${previous}, { relatedName: 'tagged${name}' })`);
    }
    lines.push(
      `export const ${name} = model('${appName(a)}.${name}', {\n  ${fields.join(',\n  ')},\n}, { ordering: ['-createdAt'] });`,
    );
  }
  return `${lines.join('\n\n')}\n`;
}

function registrySource() {
  const entries = Array.from(
    { length: APPS },
    (_, a) => `    ${appName(a)}: typeof import('./${appName(a)}.js');`,
  );
  return `export {};\ndeclare module 'carafe/db' {\n  interface RegisteredModels {\n${entries.join('\n')}\n  }\n}\n`;
}

// Queries of the shapes apps write: filters across relations, ordering, values, aggregates,
// select/prefetch, get and create — each assigned so the inferred type is used.
function queriesSource() {
  const imports = [];
  for (let a = 0; a < APPS; a++) {
    const names = Array.from({ length: PER_APP }, (_, m) => modelName(a, m));
    imports.push(`import { ${names.join(', ')} } from './${appName(a)}.js';`);
  }
  const body = [];
  for (let q = 0; q < QUERIES; q++) {
    const a = q % APPS;
    const m = 1 + (q % (PER_APP - 1));
    const name = modelName(a, m);
    switch (q % 8) {
      case 0:
        body.push(`  const r${q} = await ${name}.objects.filter({ rank: { gte: ${q} }, parent: { title: { icontains: 'x' } } }).orderBy('-rank').limit(10);\n  sink(r${q}[0]?.title);`);
        break;
      case 1:
        body.push(`  const r${q} = await ${name}.objects.get({ id: ${q} });\n  sink(r${q}.price.length + r${q}.rank);`);
        break;
      case 2:
        body.push(`  const r${q} = await ${name}.objects.values('title', 'rank', 'parent.title');\n  sink(r${q}[0]?.['parent.title']);`);
        break;
      case 3:
        body.push(`  const r${q} = await ${name}.objects.filter(Q.or({ status: 'live' }, { rank: { lt: 3 } })).exclude({ body: { isNull: true } }).count();\n  sink(r${q} + 1);`);
        break;
      case 4:
        body.push(`  const r${q} = await ${name}.objects.aggregate({ total: Sum('rank'), n: Count('id') });\n  sink(r${q}.n);`);
        break;
      case 5:
        body.push(`  const r${q} = await ${name}.objects.select('parent').first();\n  sink(r${q}?.parent.title);`);
        break;
      case 6:
        body.push(`  const r${q} = await ${name}.objects.create({ title: 't', price: '1.00', status: 'draft', parent: 1 });\n  sink(r${q}.id);`);
        break;
      default:
        body.push(`  const r${q} = await ${name}.objects.filter({ createdAt: { lt: new Date() } }).update({ rank: F('rank').add(1) });\n  sink(r${q});`);
    }
  }
  return `${imports.join('\n')}\nimport { Count, F, Q, Sum } from 'carafe/db';\n\nfunction sink(_value: unknown): void {}\n\nexport async function queries(): Promise<void> {\n${body.join('\n')}\n}\n`;
}

function generate(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (let a = 0; a < APPS; a++) writeFileSync(join(dir, `${appName(a)}.ts`), appSource(a));
  writeFileSync(join(dir, 'registry.ts'), registrySource());
  writeFileSync(join(dir, 'queries.ts'), queriesSource());
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          customConditions: ['source'],
          strict: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
          typeRoots: [join(REPO, 'node_modules', '@types')],
        },
        include: ['./*.ts'],
      },
      null,
      2,
    ),
  );
}

function runTsc(dir) {
  const started = performance.now();
  let output;
  try {
    output = execFileSync(
      process.execPath,
      [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir, '--extendedDiagnostics'],
      { encoding: 'utf8' },
    );
  } catch (error) {
    throw new Error(`the generated project does not type-check:\n${error.stdout ?? error.message}`);
  }
  const seconds = (label) => Number(output.match(new RegExp(`${label}:\\s+([\\d.]+)s`))?.[1]);
  return {
    wallSeconds: (performance.now() - started) / 1000,
    checkSeconds: seconds('Check time'),
    totalSeconds: seconds('Total time'),
    memoryKb: Number(output.match(/Memory used:\s+(\d+)K/)?.[1]),
  };
}

const dir = join(REPO, '.tmp', 'types-bench');
generate(dir);
try {
  const result = runTsc(dir);
  const ok = result.wallSeconds <= GOAL_SECONDS;
  console.log(`Type checking ${APPS * PER_APP} related models and ${QUERIES} typed queries\n`);
  console.log('| tsc --noEmit | check | memory | goal |');
  console.log('|---|---|---|---|');
  console.log(
    `| ${result.wallSeconds.toFixed(1)} s | ${result.checkSeconds.toFixed(1)} s | ${Math.round(result.memoryKb / 1024)} MB | ≤ ${GOAL_SECONDS} s ${ok ? 'met' : 'NOT met'} |`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
