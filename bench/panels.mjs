// Panel speed: 50 runs × 10 folds × 200 epochs in the Training panel (and 50 candidates in Evaluate), in
// headless Chromium. Prints time to first paint of the snapshot and the cost of one live epoch append.
// Usage: node bench/panels.mjs   (needs /usr/bin/chromium or CHROMIUM_PATH; SCREENSHOTS=<dir> saves the pages)
/* global window, requestAnimationFrame -- the page.evaluate callbacks run in the browser */
import * as esbuild from 'esbuild';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';

const RUNS = 50;
const FOLDS = 10;
const EPOCHS = 200;
const APPENDS = 60;
const origin = 'https://webview.test';
const outdir = mkdtempSync(join(tmpdir(), 'topdown-bench-'));

await esbuild.build({
  entryPoints: ['training', 'evaluate'].map((kind) => ({ in: `webviews/${kind}/main.ts`, out: kind })),
  outdir,
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  minify: true,
  logLevel: 'error',
});
const css = readFileSync('media/panels/panels.css', 'utf8');

let seed = 1;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;

function trainingRuns() {
  return Array.from({ length: RUNS }, (_unused, runIndex) => ({
    runId: `run-${runIndex}`,
    candidate: `candidate-${runIndex}`,
    status: 'running',
    metric: 'accuracy',
    epochs: EPOCHS,
    folds: FOLDS,
    createdAt: '2025-03-01T10:00:00.000Z',
    elapsedMs: 60_000,
    baseline: { key: 'acc', value: 0.65 },
    curves: Array.from({ length: FOLDS }, (_fold, fold) => {
      const logs = { loss: [], val_loss: [], acc: [], val_acc: [] };
      // The last epoch of every fold is left for the appends.
      for (let epoch = 0; epoch < EPOCHS - 1; epoch += 1) {
        const loss = 0.7 * Math.exp(-epoch / 40) + 0.3 + random() * 0.02;
        logs.loss.push(loss);
        logs.val_loss.push(loss + 0.05);
        logs.acc.push(1 - loss / 2);
        logs.val_acc.push(0.97 - loss / 2);
      }
      return { fold, logs };
    }),
  }));
}

function evaluateSnapshot() {
  return {
    session: 's',
    metric: 'accuracy',
    higherIsBetter: true,
    baseline: { mean: 0.65, std: 0.01 },
    candidates: Array.from({ length: RUNS }, (_unused, index) => ({
      runId: `run-${index}`,
      candidate: `candidate-${index}`,
      model: 'mlp',
      status: 'completed',
      scores: Array.from({ length: FOLDS }, () => 0.7 + random() * 0.1),
      durationMs: 1000,
      backend: 'wasm',
    })),
  };
}

const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });

async function open(kind, state) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const bundle = readFileSync(join(outdir, `${kind}.js`), 'utf8');
  const html = `<!DOCTYPE html><html style="--vscode-editor-foreground:#cccccc;--vscode-editor-background:#1e1e1e"><head><link rel="stylesheet" href="${origin}/p.css"></head><body class="vscode-dark"><div id="app"></div><script src="${origin}/${kind}.js"></script></body></html>`;
  await page.route(`${origin}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/index.html') return route.fulfill({ contentType: 'text/html', body: html });
    if (path === '/p.css') return route.fulfill({ contentType: 'text/css', body: css });
    return route.fulfill({ contentType: 'text/javascript', body: bundle });
  });
  await page.addInitScript((initial) => {
    window.posted = [];
    window.acquireVsCodeApi = () => ({
      postMessage: (message) => window.posted.push(message),
      getState: () => initial ?? undefined,
      setState: (state) => state,
    });
  }, state ?? null);
  await page.goto(`${origin}/index.html`);
  await page.waitForFunction(() => window.posted.length > 0);
  return page;
}

/** Sends a message synchronously and measures until the next frame is painted. */
async function firstPaint(page, message) {
  return page.evaluate(async (data) => {
    const start = performance.now();
    window.dispatchEvent(new MessageEvent('message', { data }));
    const handled = performance.now() - start;
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    return { handled, painted: performance.now() - start };
  }, message);
}

/**
 * Appends the last epoch, one fold at a time. `runs` runs take turns; with `vary`, each fold reports a different
 * loss, so a run's fold mean at that epoch changes with every append (as when folds train side by side).
 */
async function appends(page, runs = RUNS, vary = false) {
  return page.evaluate(
    ({ runs, folds, count, vary }) => {
      const times = [];
      for (let index = 0; index < count; index += 1) {
        const loss = vary ? 0.31 + (index % 7) * 0.002 : 0.31;
        const points = [
          {
            runId: `run-${index % runs}`,
            fold: index % folds,
            epoch: 199,
            logs: { loss, val_loss: loss + 0.05, acc: 1 - loss / 2, val_acc: 0.97 - loss / 2 },
          },
        ];
        const start = performance.now();
        window.dispatchEvent(new MessageEvent('message', { data: { type: 'training/append', points } }));
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      return {
        median: times[Math.floor(times.length / 2)],
        p95: times[Math.floor(times.length * 0.95)],
        max: times.at(-1),
      };
    },
    { runs, folds: FOLDS, count: APPENDS, vary },
  );
}

const format = (value) => `${value.toFixed(1)} ms`;
const lines = [
  `Panels bench: ${RUNS} runs × ${FOLDS} folds × ${EPOCHS} epochs (4 log keys), headless Chromium, no GPU`,
];
for (const [label, ui] of [
  ['training, mean + band per run (default for several runs)', undefined],
  [
    'training, one line per fold (500 folds × train/val)',
    { key: 'loss', smoothing: 0, logScale: false, showFolds: true },
  ],
]) {
  const page = await open('training', ui ? { ui } : undefined);
  const snapshot = { type: 'training/snapshot', runs: trainingRuns(), live: true };
  const paint = await firstPaint(page, snapshot);
  const append = await appends(page);
  lines.push(
    `${label}: first paint ${format(paint.painted)} (handler ${format(paint.handled)}); append one epoch: median ${format(append.median)}, p95 ${format(append.p95)}, max ${format(append.max)}`,
  );
  // Four runs training at once, folds reporting in turn: past points of their curves change.
  const busy = await appends(page, 4, true);
  lines.push(
    `  then 4 runs with folds side by side (values at reached epochs change): append median ${format(busy.median)}, p95 ${format(busy.p95)}, max ${format(busy.max)}`,
  );
  // A value below the axis: the chart takes new scales and every curve is drawn again (once).
  const rescale = await page.evaluate(() => {
    const points = [
      { runId: 'run-5', fold: 3, epoch: 199, logs: { loss: 0.05, val_loss: 0.1, acc: 0.97, val_acc: 0.95 } },
    ];
    const start = performance.now();
    window.dispatchEvent(new MessageEvent('message', { data: { type: 'training/append', points } }));
    return performance.now() - start;
  });
  lines.push(`  then one epoch below the value axis (new scales, full redraw): ${format(rescale)}`);
  if (process.env.SCREENSHOTS) {
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(process.env.SCREENSHOTS, `training-${ui ? 'folds' : 'mean'}.png`) });
  }
  await page.close();
}
{
  const page = await open('evaluate');
  const paint = await firstPaint(page, { type: 'evaluate/snapshot', snapshot: evaluateSnapshot() });
  lines.push(
    `evaluate, ${RUNS} candidates × ${FOLDS} fold scores: first paint ${format(paint.painted)} (handler ${format(paint.handled)})`,
  );
  await page.close();
}
await browser.close();
console.log(lines.join('\n'));
console.log('targets: first paint < 500 ms, append < 16 ms');
