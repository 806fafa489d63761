// The `tfb` suite: every TechEmpower test type — plaintext (pipelined), JSON, single query,
// multiple queries, fortunes, updates, cached queries — served by the raw limit (node:http and
// the driver), Carafe, Fastify, Hono, Express, Django and Flask, per database. Each is
// validated against the rules before it is timed; all are timed in interleaved rounds.

import { TFB_TESTS } from './options.mjs';
import { ensurePython, pythonLaunch, pythonVersions } from './python.mjs';
import { measureOnDatabases } from './side-by-side.mjs';
import { countTfbQueries, validateTfb } from './tfb-validate.mjs';

/** The wrk endpoints of the chosen test types; plaintext through the pipelining script. */
function endpointsOf(options, pipelineScript) {
  return Object.fromEntries(
    options.tfbTests.map((test) => {
      const { path, pipeline, prime, needsDatabase = true } = TFB_TESTS[test];
      const wrk = pipeline ? { script: pipelineScript, scriptArgs: [String(pipeline)] } : {};
      return [test, { path, needsDatabase, ...(prime ? { prime } : {}), ...wrk }];
    }),
  );
}

/**
 * Runs the suite. `repoRoot` locates the Python apps; `pipelineScript` is wrk's pipelining
 * script. Resolves to the samples, the databases measured and skipped, the failures (an
 * implementation that broke a rule is among them, not timed) and the Python versions.
 */
export async function runTfb(options, runtime, { repoRoot, pipelineScript }, log) {
  const failures = [];
  let servers = options.tfbServers;
  const frameworks = servers.flatMap((server) => (server.python ? [server.python] : []));
  let python;
  if (frameworks.length > 0) {
    const problem = ensurePython(frameworks, options.databases);
    if (problem) {
      for (const server of servers.filter((s) => s.python)) {
        failures.push({ server: server.name, stage: 'tfb', problems: [problem] });
      }
      servers = servers.filter((server) => !server.python);
    } else {
      python = pythonVersions(frameworks);
      log(`  Python implementations: ${python}; gunicorn, 1 sync worker each`);
    }
  }
  const comparison = {
    stage: 'tfb',
    servers: servers.map((server) =>
      server.python ? { ...server, launch: pythonLaunch(server.python, repoRoot) } : server,
    ),
    basePort: options.tfbBasePort,
    endpoints: endpointsOf(options, pipelineScript),
    verify: validateTfb,
    countQueries: countTfbQueries,
  };
  const result = await measureOnDatabases(options, runtime, comparison, log);
  return {
    ...result,
    tests: comparison.endpoints,
    servers,
    python,
    failures: [...failures, ...result.failures],
  };
}
