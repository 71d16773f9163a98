/** The CLI's human output (stdout without --json). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PrepareResult } from '../../src/runner/jobs/prepare';
import type { ImproveResult } from '../../src/runner/jobs/improve';
import type { DefineResult } from '../../src/runner/jobs/define';
import type { EvaluateResult } from '../../src/runner/jobs/evaluate';
import type { PresentResult } from '../../src/runner/jobs/present';
import {
  printDefine,
  printEvaluate,
  printImprove,
  printPrepare,
  printPresent,
} from '../../src/runner/output';

/** What `print` wrote to stdout. */
function captured(print: () => void): string {
  const original = process.stdout.write.bind(process.stdout);
  let text = '';
  process.stdout.write = ((chunk: string) => {
    text += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    print();
  } finally {
    process.stdout.write = original;
  }
  return text;
}

describe('printPrepare', () => {
  it("prints the pipeline and the shapes of fold 1's parts, read from the preview as it is typed", () => {
    const result = {
      step: 'prepare',
      runId: 'r1',
      status: 'completed',
      fold: 0,
      file: 'runs/r1/preview.json',
      preview: {
        describe: ['standardize: x1, x2'],
        shapes: { train: { x: [120, 2], y: [120, 1] }, validation: { x: [30, 2], y: [30, 1] } },
      },
    } as unknown as PrepareResult;
    assert.equal(
      captured(() => printPrepare(result)),
      [
        "Preparation fitted on fold 1's training part:",
        '  standardize: x1, x2',
        'Train x: [120, 2]',
        'Validation x: [30, 2]',
        'Preview: runs/r1/preview.json',
        '',
      ].join('\n'),
    );
  });
});

describe('printImprove', () => {
  it("prints each ensemble's score and step 4's sentence against the best single model", () => {
    const explanation =
      'blend (0.861 ± 0.040) is not better than the best single model, mlp (0.849 ± 0.061) (p = 0.412, corrected t-test over 10 folds): the single model is as good and simpler.';
    const result = {
      step: 'improve',
      metric: 'accuracy',
      higherIsBetter: true,
      baseline: { mean: 0.534, std: 0.02 },
      candidates: [],
      tuning: [],
      ensembles: [
        {
          name: 'blend',
          runId: 'r2',
          members: ['mlp', 'knn'],
          method: 'average',
          mean: 0.861,
          std: 0.04,
          status: 'completed',
          versusBestSingle: {
            name: 'mlp',
            mean: 0.849,
            std: 0.061,
            meanDifference: 0.012,
            pValue: 0.412,
            verdict: 'not better than the best single model',
            explanation,
          },
        },
      ],
      repeats: [],
      best: 'blend',
      session: 's',
      foldHash: 'f',
      folds: 10,
      quick: false,
    } as ImproveResult;
    const lines = captured(() => printImprove(result)).split('\n');
    const at = lines.indexOf('Ensemble blend (average of mlp, knn): 0.861 ± 0.040');
    assert.ok(at >= 0, lines.join('\n'));
    assert.equal(lines[at + 1], `  ${explanation}`);
  });
});

describe('metric names in words', () => {
  it('prints the baseline, the table header and the best line with RMSE, not the identifier rmse', () => {
    const result = {
      step: 'evaluate',
      metric: 'rmse',
      higherIsBetter: false,
      baseline: { mean: 2.5, std: 0.1 },
      candidates: [
        {
          name: 'mlp',
          model: 'mlp',
          status: 'completed',
          mean: 1.25,
          std: 0.05,
          folds: [1, 1],
          durationMs: 1000,
        },
      ],
      folds: 2,
      backend: 'cpu',
      quick: false,
    } as unknown as EvaluateResult;
    const text = captured(() => printEvaluate(result));
    assert.match(text, /^candidate +model +RMSE \(mean ± std\)/m);
    assert.match(text, /^Baseline RMSE: 2\.500 ± 0\.100/m);
    assert.match(text, /^Best: mlp, RMSE 1\.250 ± 0\.050, 1\.250 better than the baseline/m);
    assert.doesNotMatch(text, /rmse/);
  });

  it('prints step 1 and step 5 scores as log loss and ROC AUC', () => {
    const define = {
      rows: 10,
      columns: 3,
      target: 'y',
      task: 'binary',
      holdoutRows: 0,
      metric: 'logLoss',
      baseline: { mean: 0.693, std: 0.01 },
      warnings: [],
      profile: 'runs/r1/profile.json',
    } as unknown as DefineResult;
    assert.match(
      captured(() => printDefine(define)),
      /^Baseline log loss: 0\.693 ± 0\.010/m,
    );
    const present = {
      candidate: 'mlp',
      model: 'mlp',
      metric: 'rocAuc',
      cv: { mean: 0.9, std: 0.02 },
      holdout: { score: 0.91, size: 20 },
      message: '',
      bundle: 'runs/final',
    } as unknown as PresentResult;
    const text = captured(() => printPresent(present));
    assert.match(text, /^CV estimate ROC AUC: 0\.900 ± 0\.020$/m);
    assert.match(text, /^Holdout ROC AUC: 0\.910 on 20 samples$/m);
  });
});
