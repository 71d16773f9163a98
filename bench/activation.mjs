// How long the extension host spends loading Topdown and in activate(): the bundle (dist/extension.js) is
// required with a stand-in `vscode` module (a proxy that answers every property and call), the way VS Code
// loads it, and activate() is called with a stand-in context. Prints the median of N fresh processes.
// Usage: npm run build && node bench/activation.mjs [--runs 15]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 15;
const bundle = fileURLToPath(new URL('../dist/extension.js', import.meta.url));
if (!existsSync(bundle)) {
  console.error('dist/extension.js is missing: run `npm run build` first.');
  process.exit(2);
}

/** Runs in a fresh Node process: one load + activate, timings as JSON on stdout. */
const child = `
const Module = require('node:module');
const { performance } = require('node:perf_hooks');
const disposable = { dispose() {} };
const assigned = new WeakMap();
const handler = {
  set(target, key, value) {
    assigned.get(target).set(key, value);
    return true;
  },
  get(target, key) {
    if (assigned.get(target).has(key)) return assigned.get(target).get(key);
    if (key === 'then') return undefined;
    if (key === Symbol.toPrimitive) return () => '';
    if (key === 'dispose') return () => undefined;
    if (key === 'isTrusted') return true;
    if (key === 'workspaceFolders') return [];
    if (!(key in target)) target[key] = stand();
    return target[key];
  },
  apply() { return stand(); },
  construct() { return stand(); },
};
function stand() {
  const target = function () {};
  assigned.set(target, new Map());
  return new Proxy(target, handler);
}
// The names the bundle reads from \`vscode\`, each a stand-in (a namespace import copies own properties).
const source = require('node:fs').readFileSync(${JSON.stringify(bundle)}, 'utf8');
const vscode = {};
for (const [, name] of source.matchAll(/\\bvscode\\d*\\.([A-Za-z]+)/g)) vscode[name] ??= stand();
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? vscode : load.call(this, request, ...rest); };
const c0 = process.cpuUsage();
const t0 = performance.now();
const extension = require(${JSON.stringify(bundle)});
const t1 = performance.now();
const c1 = process.cpuUsage(c0);
const context = { subscriptions: [], extensionPath: ${JSON.stringify(fileURLToPath(new URL('..', import.meta.url)))},
  extension: { packageJSON: { version: 'bench' } }, globalState: stand(), workspaceState: stand(),
  extensionUri: stand(), globalStorageUri: stand(), storageUri: stand() };
extension.activate(context);
const t2 = performance.now();
const c2 = process.cpuUsage(c0);
const cpu = (usage) => (usage.user + usage.system) / 1000;
process.stdout.write(JSON.stringify({ loadMs: t1 - t0, activateMs: t2 - t1, loadCpuMs: cpu(c1), activateCpuMs: cpu(c2) - cpu(c1) }));
process.exit(0);
`;

const samples = [];
for (let i = 0; i < runs; i++) {
  const result = spawnSync(process.execPath, ['-e', child], { encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(result.stderr || result.stdout);
    process.exit(1);
  }
  samples.push(JSON.parse(result.stdout));
}
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const report = (label, wall, cpu) => {
  const ms = (key) => median(samples.map((sample) => sample[key])).toFixed(1);
  console.log(`${label}: ${ms(wall)} ms wall, ${ms(cpu)} ms CPU (median of ${runs})`);
};
report('dist/extension.js load (require)', 'loadMs', 'loadCpuMs');
report('activate()', 'activateMs', 'activateCpuMs');
console.log(
  'The target (#15 item 13) is load + activate under 50 ms. CPU time stays honest on a busy machine.',
);
