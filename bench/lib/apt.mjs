// Installing the Debian packages a suite needs (wrk; Django, Flask and gunicorn for tfb) with
// apt-get, as root, when they are missing.
import { spawnSync } from 'node:child_process';

function aptGet(args) {
  console.log(`$ apt-get ${args.join(' ')}`);
  const result = spawnSync('apt-get', args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

/**
 * Installs `packages`, updating the package lists once if the first try fails. Returns
 * undefined on success, else what went wrong and what to run by hand; `why` starts it.
 */
export function aptInstall(packages, why) {
  const command = `apt-get install -y ${packages.join(' ')}`;
  if (process.getuid?.() !== 0) return `${why}: run \`sudo ${command}\`, then rerun`;
  console.log(`${why}; installing ${packages.join(', ')} with apt-get`);
  if (aptGet(['install', '-y', ...packages])) return undefined;
  console.log('apt-get install failed; updating the package lists and retrying');
  if (aptGet(['update']) && aptGet(['install', '-y', ...packages])) return undefined;
  return `${why} and apt-get could not install it: run \`${command}\` by hand and rerun`;
}
