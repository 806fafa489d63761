// Django and Flask in the tfb suite: Debian's packages (installed with apt-get when missing),
// run by Debian's Python under gunicorn through bench/servers/tfb-python/serve.py.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { aptInstall } from './apt.mjs';
import { placed } from './processes.mjs';

/** Debian's interpreter, whatever python3 comes first on PATH (pyenv, a virtualenv). */
const PYTHON = '/usr/bin/python3';
const PACKAGES = {
  django: { module: 'django', debian: 'python3-django' },
  flask: { module: 'flask', debian: 'python3-flask' },
  gunicorn: { module: 'gunicorn', debian: 'gunicorn' },
  psycopg2: { module: 'psycopg2', debian: 'python3-psycopg2' },
};

function missingModules(names) {
  return names.filter((name) => {
    const probe = spawnSync(PYTHON, ['-c', `import ${PACKAGES[name].module}`], { stdio: 'ignore' });
    return probe.status !== 0;
  });
}

/**
 * Makes sure Debian's Python can run `frameworks` ('django', 'flask') on `databases`; returns
 * undefined, or why it cannot.
 */
export function ensurePython(frameworks, databases) {
  const wanted = [
    ...frameworks,
    'gunicorn',
    ...(databases.includes('postgres') ? ['psycopg2'] : []),
  ];
  const missing = missingModules(wanted);
  if (missing.length === 0) return undefined;
  const problem = aptInstall(
    missing.map((name) => PACKAGES[name].debian),
    `${missing.join(', ')} not importable by ${PYTHON}`,
  );
  if (problem) return problem;
  const still = missingModules(wanted);
  return still.length === 0
    ? undefined
    : `apt-get reported success but ${PYTHON} still cannot import ${still.join(', ')}`;
}

/** Django's or Flask's version as Debian packs it, for the machine description. */
export function pythonVersions(frameworks) {
  const script = [...frameworks, 'gunicorn']
    .map((name) => `print('${name}', __import__('importlib.metadata').metadata.version('${name}'))`)
    .join(';');
  const probe = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
  const python = spawnSync(PYTHON, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return probe.status === 0 ? `${python}, ${probe.stdout.trim().replaceAll('\n', ', ')}` : python;
}

/** `launch(where)` of a Python implementation, in the form the runtime's launch returns. */
export function pythonLaunch(framework, repoRoot) {
  const serve = join(repoRoot, 'bench', 'servers', 'tfb-python', 'serve.py');
  return (where) => ({ ...placed(PYTHON, ['-B', serve, framework], where), cwd: repoRoot });
}
