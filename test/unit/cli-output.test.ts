/** The CLI's human output (stdout without --json). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PrepareResult } from '../../src/runner/jobs/prepare';
import type { ImproveResult } from '../../src/runner/jobs/improve';
import { printImprove, printPrepare } from '../../src/runner/output';

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
