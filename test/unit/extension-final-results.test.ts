import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { finalOutputPath, finalResultsFromBundle } from '../../src/extension/panels/finalResults';
import type { RunRecord } from '../../src/protocol/records';

function project(manifest: Record<string, unknown>, predictions: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'topdown-final-'));
  mkdirSync(join(dir, 'models', 'knn'), { recursive: true });
  writeFileSync(join(dir, 'models', 'knn', 'bundle.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, 'models', 'knn', 'holdout-predictions.csv'), predictions);
  return dir;
}

const record = (bundle: string | undefined) =>
  ({ id: 'run-present', bundle, outputs: { report: 'report/REPORT.md' } }) as unknown as RunRecord;

describe('finalResultsFromBundle', () => {
  it('reads holdout and cross-validation scores, classes, confusion and a predictions sample from the bundle', () => {
    const dir = project(
      {
        candidate: { name: 'knn', model: 'knn', config: {} },
        task: 'binary',
        target: 'Class',
        classes: ['M', 'R'],
        metric: 'accuracy',
        higherIsBetter: true,
        cv: { runId: 'run-eval', step: 'evaluate', mean: 0.84, std: 0.02, folds: 3 },
        holdout: {
          score: 0.81,
          metrics: { f1: 0.8 },
          size: 2,
          confusion: [
            [1, 0],
            [1, 0],
          ],
        },
      },
      'row,Class,prediction,p_M,p_R\n12,M,M,0.9,0.1\n40,"R",M,0.6,0.4\n',
    );
    const results = finalResultsFromBundle(dir, record('models/knn'));
    assert.deepEqual(results?.holdout, { f1: 0.8, accuracy: 0.81 });
    assert.deepEqual(results?.crossValidation, { accuracy: { mean: 0.84, std: 0.02 } });
    assert.deepEqual(results?.confusion, [
      [1, 0],
      [1, 0],
    ]);
    assert.deepEqual(results?.predictions, [
      { row: 12, actual: 'M', predicted: 'M', probability: 0.9 },
      { row: 40, actual: 'R', predicted: 'M', probability: 0.6 },
    ]);
    assert.equal(results?.positiveClass, 'R', 'without problem.positiveClass, the second class is positive');
    assert.equal(results?.candidate, 'knn');
    assert.equal(results?.hasReport, true);
    assert.equal(results?.residuals, undefined);
  });

  it('gives regression runs residuals instead of classes', () => {
    const dir = project(
      {
        candidate: { name: 'knn', model: 'knn', config: {} },
        task: 'regression',
        target: 'mpg',
        metric: 'rmse',
        higherIsBetter: false,
        cv: null,
        holdout: { score: 2.5, metrics: { mae: 2 }, size: 2 },
      },
      'row,mpg,prediction\n3,21.5,20\n9,30,33.5\n',
    );
    const results = finalResultsFromBundle(dir, record('models/knn'));
    assert.deepEqual(results?.residuals, [
      { actual: 21.5, predicted: 20, row: 3 },
      { actual: 30, predicted: 33.5, row: 9 },
    ]);
    assert.equal(results?.decimals, 1, 'the actual values carry one decimal');
    assert.equal(results?.classes, undefined);
    assert.equal(results?.positiveClass, undefined);
    assert.deepEqual(results?.crossValidation, {});
    assert.deepEqual(results?.baseline, { name: 'mean' });
  });

  it('gives nothing for a run without a bundle or with a bundle outside the project', () => {
    const dir = mkdtempSync(join(tmpdir(), 'topdown-final-'));
    assert.equal(finalResultsFromBundle(dir, record(undefined)), undefined);
    assert.equal(finalResultsFromBundle(dir, record('../elsewhere')), undefined);
    assert.equal(finalResultsFromBundle(dir, record('models/missing')), undefined);
  });
});

describe('the Final results of a time series', () => {
  const manifest = {
    candidate: { name: 'lstm', model: 'lstm', config: {} },
    task: 'time-series',
    target: 'Passengers',
    timeColumn: 'Month',
    metric: 'rmse',
    higherIsBetter: false,
    cv: null,
    holdout: { score: 10, metrics: {}, size: 3 },
  };

  it('keys the rows by the time they forecast and draws the forecast beside persistence', () => {
    const dir = project(
      manifest,
      'row,Passengers,prediction,persistence,time\n' +
        '101,355,360,348,1957-05\n102,422,400,355,1957-06\n103,465,450,422,1957-07\n',
    );
    const results = finalResultsFromBundle(dir, record('models/knn'));
    assert.deepEqual(
      results?.residuals?.map((point) => point.time),
      ['1957-05', '1957-06', '1957-07'],
    );
    assert.deepEqual(
      results?.predictions.map((sample) => sample.time),
      ['1957-05', '1957-06', '1957-07'],
    );
    assert.deepEqual(results?.forecast, {
      time: 'Month',
      horizon: 1,
      points: [
        { time: '1957-05', actual: 355, predicted: 360, persistence: 348 },
        { time: '1957-06', actual: 422, predicted: 400, persistence: 355 },
        { time: '1957-07', actual: 465, predicted: 450, persistence: 422 },
      ],
    });
  });

  it('gives the error by horizon step, the model beside persistence, when the horizon is > 1', () => {
    const lines = [
      'row,step,Passengers,prediction,persistence,time',
      '101,1,10,11,8,1957-05',
      '101,2,20,17,8,1957-06',
      '102,1,20,20,10,1957-06',
      '102,2,30,34,10,1957-07',
    ];
    const results = finalResultsFromBundle(project(manifest, `${lines.join('\n')}\n`), record('models/knn'));
    const forecast = results?.forecast;
    assert.equal(forecast?.horizon, 2);
    assert.deepEqual(
      forecast?.points.map((point) => [point.time, point.predicted]),
      [
        ['1957-05', 11],
        ['1957-06', 20],
      ],
      'one step ahead, in time order',
    );
    // Step 1: errors 1 and 0; step 2: errors -3 and 4. Persistence: 2, 10; 12, 20.
    assert.deepEqual(forecast?.steps, [
      { step: 1, rmse: Math.sqrt(0.5), mae: 0.5, persistence: { rmse: Math.sqrt(52), mae: 6 } },
      { step: 2, rmse: Math.sqrt(12.5), mae: 3.5, persistence: { rmse: Math.sqrt(272), mae: 16 } },
    ]);
    assert.equal(results?.residuals?.[1].time, '1957-06 · step 2');
  });

  it('keys rows by their forecast row without a time column, and a regression has no forecast', () => {
    const dir = project({ ...manifest, timeColumn: undefined }, 'row,Passengers,prediction\n7,1,2\n8,2,2\n');
    const results = finalResultsFromBundle(dir, record('models/knn'));
    assert.deepEqual(
      results?.forecast?.points.map((point) => [point.time, point.persistence]),
      [
        ['row 7', undefined],
        ['row 8', undefined],
      ],
    );
    assert.equal(results?.forecast?.time, 'row');
    const regression = finalResultsFromBundle(
      project({ ...manifest, task: 'regression' }, 'row,Passengers,prediction\n7,1,2\n'),
      record('models/knn'),
    );
    assert.equal(regression?.forecast, undefined);
    assert.equal(regression?.residuals?.[0].time, undefined);
  });
});

describe('finalOutputPath', () => {
  it('opens the model folder a present run records as outputs.bundle (there is no outputs.model)', () => {
    const present = {
      id: 'run-present',
      bundle: 'models/mlp-small',
      outputs: {
        bundle: 'models/mlp-small',
        predictions: 'models/mlp-small/holdout-predictions.csv',
        report: 'report/REPORT.md',
      },
    } as unknown as RunRecord;
    assert.equal(finalOutputPath(present, 'model'), 'models/mlp-small');
    assert.equal(finalOutputPath(present, 'report'), 'report/REPORT.md');
  });

  it('falls back to the record’s bundle field, and gives nothing for a run without a model or report', () => {
    assert.equal(finalOutputPath({ bundle: 'models/knn' } as unknown as RunRecord, 'model'), 'models/knn');
    assert.equal(finalOutputPath({} as unknown as RunRecord, 'model'), undefined);
    assert.equal(finalOutputPath({ outputs: {} } as unknown as RunRecord, 'report'), undefined);
  });
});
