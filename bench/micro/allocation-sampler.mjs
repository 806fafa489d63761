// Preloaded into a benchmark server by allocations.mjs (`node --import`): on the parent's
// 'start' message it samples every allocation, those the GC has already collected included; on
// 'stop' it sends back the bytes allocated per function.
import { Session } from 'node:inspector';

const session = new Session();
session.connect();
const post = (method, params) =>
  new Promise((resolve, reject) => {
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result)));
  });

/** Sums the profile's self sizes by function and place: `name file:line` → bytes. */
function bytesByFunction(node, totals = {}) {
  const frame = node.callFrame;
  const file = frame.url.split('/').slice(-2).join('/') || '(native)';
  const key = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
  totals[key] = (totals[key] ?? 0) + node.selfSize;
  for (const child of node.children) bytesByFunction(child, totals);
  return totals;
}

process.on('message', async (message) => {
  if (message === 'start') {
    await post('HeapProfiler.startSampling', {
      samplingInterval: 64,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    process.send('started');
  } else if (message === 'stop') {
    const { profile } = await post('HeapProfiler.stopSampling');
    process.send({ bytes: bytesByFunction(profile.head) });
  }
});
