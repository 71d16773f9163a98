/**
 * Results that fit regression and forecasting: every metric's CV mean ± std per candidate and for the baseline,
 * the baseline named by task, numbers at the data's precision, and the plain warning when the presented model is
 * not reliably better than the baseline.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BundleManifest } from '../../src/core/present/bundle';
import { notReliablyBetter } from '../../src/core/present/reliable';
import { evaluatePanel } from '../../src/extension/panels/evaluate';
import { finalComparison } from '../../src/extension/panels/finalBaseline';
import { foldMetrics } from '../../src/extension/panels/metrics';
import { RunStore } from '../../src/core/runs/store';
import type { FoldRecord, RunRecord, RunVerdict } from '../../src/protocol/records';
import { baselineName, baselineRule } from '../../src/shared/baseline';
import { dataDecimals, decimalsOf } from '../../src/shared/precision';

function fold(index: number, rmse: number, extra: Record<string, number> = {}): FoldRecord {
  return {
    index,
    score: rmse,
    metrics: { rmse, ...extra },
    trainSize: 90,
    validationSize: 10,
    epochs: 1,
    durationMs: 1,
  };
}

function run(id: string, model: string, scores: number[], extra: Partial<RunRecord> = {}): RunRecord {
  const mean = scores.reduce((sum, score) => sum + score, 0) / scores.length;
  const std = Math.sqrt(scores.reduce((sum, score) => sum + (score - mean) ** 2, 0) / (scores.length - 1));
  return {
    schemaVersion: 1,
    id,
    step: 'evaluate',
    candidate: id,
    model,
    session: 's1',
    status: 'completed',
    createdAt: `2026-01-01T00:00:0${id.length % 10}.000Z`,
    config: {},
    seed: 7,
    metric: 'rmse',
    dataHash: 'd',
    backend: { name: 'cpu', reasons: [] },
    folds: scores.map((score, index) => fold(index, score, { mae: score * 0.8, r2: 1 - score / 100 })),
    summary: { mean, std, min: Math.min(...scores), max: Math.max(...scores) },
    topdownVersion: '0.1.0',
    ...extra,
  };
}

/** A project folder whose run store holds `records`, as the steps would have written them. */
function storeOf(records: RunRecord[]): RunStore {
  const store = new RunStore(mkdtempSync(join(tmpdir(), 'topdown-regression-runs-')));
  for (const record of records) store.create(record);
  return store;
}

describe('the baseline, named by task', () => {
  it('is the majority class for classification, the mean for regression, persistence for time series', () => {
    assert.equal(baselineName('binary'), 'majority class');
    assert.equal(baselineName('multiclass'), 'majority class');
    assert.equal(baselineName('regression'), 'mean');
    assert.equal(baselineName('time-series'), 'persistence');
    assert.match(baselineRule('time-series'), /last observed/);
    assert.doesNotMatch(baselineRule('time-series'), /mean/);
  });
});

describe('the data’s precision', () => {
  it('reads float32 noise as the decimals the data carries', () => {
    assert.equal(decimalsOf(Math.fround(36.2)), 1);
    assert.equal(decimalsOf(18), 0);
    assert.equal(decimalsOf(Math.fround(0.125)), 3);
    assert.equal(dataDecimals([18, 15.5, Math.fround(36.2), 9]), 1);
    assert.equal(dataDecimals([112, 118, 132]), 0);
  });
});

describe('foldMetrics', () => {
  it('gives every metric of the folds as mean ± sample std', () => {
    const metrics = foldMetrics([fold(0, 2, { r2: 0.8 }), fold(1, 4, { r2: 0.6 })]);
    assert.deepEqual(Object.keys(metrics).sort(), ['r2', 'rmse']);
    assert.equal(metrics.rmse.mean, 3);
    assert.ok(Math.abs(metrics.rmse.std - Math.SQRT2) < 1e-12);
    assert.ok(Math.abs(metrics.r2.mean - 0.7) < 1e-12);
  });
});

describe('the Evaluate panel for regression', () => {
  it('gives each candidate and the baseline every metric as CV mean ± std, and names the baseline', () => {
    const projectDir = mkdtempSync(join(tmpdir(), 'topdown-regression-'));
    writeFileSync(join(projectDir, 'topdown.json'), '{ "problem": { "task": "regression" } }');
    const store = storeOf([run('baseline', 'baseline', [7.8, 7.6, 7.9]), run('mlp', 'mlp', [3, 2.8, 3.2])]);
    const panel = {
      context: { kind: 'evaluate' as const, projectDir, runIds: [], session: 's1' },
    } as unknown as Parameters<typeof evaluatePanel.snapshot>[1];
    const message = evaluatePanel.snapshot(store, panel);
    assert.equal(message?.type, 'evaluate/snapshot');
    if (message?.type !== 'evaluate/snapshot') return;
    const snapshot = message.snapshot;
    assert.equal(snapshot.baselineName, 'mean');
    assert.deepEqual(Object.keys(snapshot.candidates[0].metrics ?? {}).sort(), ['mae', 'r2', 'rmse']);
    assert.ok(Math.abs((snapshot.candidates[0].metrics?.mae.mean ?? 0) - 2.4) < 1e-9);
    assert.ok(Math.abs((snapshot.baselineMetrics?.rmse.mean ?? 0) - 7.7666666) < 1e-6);
  });
});

describe('notReliablyBetter', () => {
  const baseline = run('baseline', 'baseline', [48, 50, 47, 52, 49]);

  it('warns, naming persistence, when the candidate is within the noise of the baseline', () => {
    const lstm = run('lstm', 'lstm', [47, 51, 48, 50, 49]);
    const warning = notReliablyBetter(lstm, [baseline, lstm], 'time-series');
    assert.match(warning ?? '', /^lstm is not reliably better than the baseline \(persistence\)/);
    assert.match(warning ?? '', /within the noise .* p = /);
  });

  it('says nothing for a candidate clearly better than the baseline', () => {
    const mlp = run('mlp', 'mlp', [20, 21, 19, 22, 20]);
    assert.equal(notReliablyBetter(mlp, [baseline, mlp], 'time-series'), undefined);
  });

  it('takes step 4’s verdict when the run has one', () => {
    const verdict = (outcome: RunVerdict['baseline']): RunVerdict => ({
      rank: 'best',
      baseline: outcome,
      pBest: null,
      pBaseline: 0.3,
      explanation: 'p = 0.30 against the baseline',
    });
    const tuned = run('tuned', 'mlp', [20, 21, 19, 22, 20], {
      step: 'improve',
      verdict: verdict('not better than baseline'),
    });
    assert.match(
      notReliablyBetter(tuned, [], 'regression') ?? '',
      /\(mean\): step 4's test says "not better than baseline"/,
    );
    const good = run('good', 'mlp', [47, 51, 48, 50, 49], {
      step: 'improve',
      verdict: verdict('better than baseline'),
    });
    assert.equal(notReliablyBetter(good, [], 'regression'), undefined);
  });
});

describe('finalComparison', () => {
  const manifest = (cvRunId: string) =>
    ({
      metric: 'rmse',
      task: 'time-series',
      cv: { runId: cvRunId, step: 'evaluate', mean: 49, std: 1.6, folds: 5 },
      holdout: {
        score: 45,
        metrics: { rmse: 45, mae: 38 },
        size: 40,
        baseline: { score: 48, metrics: { rmse: 48, mae: 40 } },
      },
    }) as unknown as BundleManifest;

  it('puts the named baseline’s CV and holdout scores beside the model’s, with every CV metric and the warning', () => {
    const baseline = run('baseline', 'baseline', [48, 50, 47, 52, 49]);
    const lstm = run('lstm', 'lstm', [47, 51, 48, 50, 49], { baseline: { mean: 49.2, std: 1.9 } });
    const present = run('present', 'lstm', [45], {
      step: 'present',
      session: 's2',
      baseline: { mean: 49.2, std: 1.9 },
    });
    const comparison = finalComparison(storeOf([baseline, lstm, present]), manifest('lstm'), present);
    assert.deepEqual(comparison.baseline, {
      name: 'persistence',
      crossValidation: { mean: 49.2, std: 1.9 },
      holdout: { rmse: 48, mae: 40 },
    });
    assert.deepEqual(comparison.crossValidation.rmse, { mean: 49, std: 1.6 });
    assert.ok(comparison.crossValidation.mae, 'the other metrics come from the CV run’s folds');
    assert.match(comparison.notReliablyBetter ?? '', /not reliably better than the baseline \(persistence\)/);
  });
});
