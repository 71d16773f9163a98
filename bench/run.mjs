// `npm run bench`: every engine benchmark in turn (numbers only; never part of `npm test`).
// Each prints its own table; run one alone with `node --import tsx bench/<name>.mjs`.
import { spawnSync } from 'node:child_process';

const benches = [
  ['Runner overhead and pool speed-up', 'bench/runner.mjs'],
  ['Training throughput per backend', 'bench/backends.mjs'],
  ['CSV ingest', 'bench/ingest.mjs'],
  ['Run store listing', 'bench/store.mjs'],
];
let failed = 0;
for (const [title, script] of benches) {
  console.log(`\n## ${title} (${script})\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
console.log(
  '\nPanels (needs Chromium): npm run bench:panels · Peers (PyTorch, scikit-learn): npm run bench:peers',
);
process.exit(failed > 0 ? 1 : 0);
