// How long a `topdown` process takes to start: `node dist/cli.js --help` (the launcher, the 8 MB bundle's compile
// or its code cache, its top-level code) and `node dist/worker.js` up to its hello, with the code cache
// (src/runner/code-cache.ts) and without it (TOPDOWN_CODE_CACHE=0). Prints the median wall time and CPU time (user +
// system, from /usr/bin/time where present) of N fresh processes each.
// Usage: npm run build && node bench/cli-start.mjs [--runs 15]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 15;
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
if (!existsSync(`${dist}cli.main.js`)) {
  console.error('dist/cli.main.js is missing: run `npm run build` first.');
  process.exit(2);
}

/** Runs `node <args>` once: wall time, and CPU time of it and its children from /usr/bin/time where present. */
function once(args, env) {
  const started = process.hrtime.bigint();
  const timed = existsSync('/usr/bin/time');
  const result = timed
    ? spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...args], { env, encoding: 'utf8' })
    : spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed:\n${result.stderr}`);
  const [user, system] = timed ? result.stderr.trim().split('\n').at(-1).split(' ').map(Number) : [NaN, NaN];
  return { wall, cpu: (user + system) * 1000 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const workerHello = `
const { fork } = require('node:child_process');
const child = fork(${JSON.stringify(`${dist}worker.js`)}, [JSON.stringify({ backend: 'cpu' })]);
child.on('message', (message) => { if (message.type === 'hello') child.send({ type: 'shutdown' }); });
`;
const cases = [
  ['cli --help', [`${dist}cli.js`, '--help']],
  ['worker to hello (+ a parent)', ['-e', workerHello]],
];
for (const [name, args] of cases) {
  for (const cache of ['on', 'off']) {
    const env = { ...process.env, TOPDOWN_CODE_CACHE: cache === 'on' ? '1' : '0' };
    once(args, env); // the first start saves the cache
    const samples = Array.from({ length: runs }, () => once(args, env));
    const wall = median(samples.map((sample) => sample.wall)).toFixed(0);
    const cpu = median(samples.map((sample) => sample.cpu)).toFixed(0);
    console.log(`${name}, code cache ${cache}: median ${wall} ms wall, ${cpu} ms CPU (${runs} runs)`);
  }
}
