// Prints how long the run store takes to list 10,000 runs from runs/index.jsonl, and, for comparison, to
// rebuild that index from 10,000 run folders (what listing would cost without an index).
// Run: node --import tsx bench/store.mjs
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RunStore } from '../src/core/runs/store.ts';
import { indexEntry } from '../src/core/runs/run-index.ts';

const RUNS = 10_000;
const projectDir = mkdtempSync(join(tmpdir(), 'topdown-bench-store-'));
const store = new RunStore(projectDir);
mkdirSync(store.dir, { recursive: true });

const steps = ['define', 'prepare', 'evaluate', 'improve', 'present'];
const start = Date.UTC(2025, 0, 1);
const lines = [];
for (let index = 0; index < RUNS; index++) {
  const id = `${String(index).padStart(5, '0')}-${steps[index % 5]}`;
  const record = {
    schemaVersion: 1,
    id,
    step: steps[index % 5],
    candidate: `candidate-${index % 12}`,
    model: 'mlp',
    session: `session-${Math.floor(index / 20)}`,
    status: 'completed',
    createdAt: new Date(start + index * 1000).toISOString(),
    durationMs: 1000 + index,
    config: { name: `candidate-${index % 12}`, model: 'mlp', layers: [60, 30], epochs: 100 },
    seed: 7,
    metric: 'accuracy',
    dataHash: 'a'.repeat(64),
    backend: { name: 'wasm', reasons: [] },
    folds: Array.from({ length: 10 }, (_, fold) => ({
      index: fold,
      score: 0.8,
      metrics: { accuracy: 0.8, logLoss: 0.4 },
      trainSize: 180,
      validationSize: 20,
      epochs: 100,
      durationMs: 100,
    })),
    summary: { mean: 0.8, std: 0.05, min: 0.7, max: 0.9 },
    topdownVersion: '0.1.0',
  };
  mkdirSync(join(store.dir, id));
  writeFileSync(join(store.dir, id, 'run.json'), JSON.stringify(record, null, 2));
  lines.push(JSON.stringify(indexEntry(record)));
}
writeFileSync(store.indexFile, lines.join('\n') + '\n');

function time(label, repeats, action) {
  action(); // warm up
  const started = performance.now();
  let result;
  for (let repeat = 0; repeat < repeats; repeat++) result = action();
  const milliseconds = (performance.now() - started) / repeats;
  console.log(`${label.padEnd(48)} ${milliseconds.toFixed(1).padStart(8)} ms  (${result} runs)`);
}

console.log(`node ${process.version}, ${RUNS} runs in ${store.dir}`);
time('list() from index.jsonl', 10, () => new RunStore(projectDir).list().length);
time(
  "list({ step: 'evaluate' }) from index.jsonl",
  10,
  () => new RunStore(projectDir).list({ step: 'evaluate' }).length,
);
time('rebuildIndex() from 10,000 run folders', 3, () => new RunStore(projectDir).rebuildIndex().length);
rmSync(projectDir, { recursive: true, force: true });
