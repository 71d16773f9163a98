/**
 * A time-series bundle of a network: `predictJob` forecasts the next `horizon` values from the last
 * `lookBack` rows of the input, and gives the same values the final model gave on the holdout.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject } from '../../src/core/project';
import { RunStore } from '../../src/core/runs/store';
import { finishRecord, newSessionId, startRecord } from '../../src/runner/jobs/common';
import { presentJob } from '../../src/runner/jobs/present';
import { predictJob } from '../../src/runner/jobs/predict';
import { memoryReporter } from '../../src/runner/reporter';
import { tempDir, writeProject } from '../helpers/cli';

describe('predictJob on a time-series bundle', () => {
  it('forecasts horizon steps from the last lookBack rows, as the final model did on the holdout', async () => {
    const dir = writeProject(tempDir('series'), {
      problem: { data: 'data/data.csv', target: 'value', task: 'time-series', holdout: 0.2, timeColumn: 't' },
      prepare: [{ op: 'window', lookBack: 3, horizon: 2 }, { op: 'standardize' }],
      evaluate: {
        validation: { scheme: 'walk-forward', folds: 2 },
        seed: 5,
        candidates: [{ name: 'net', model: 'mlp', layers: [4], epochs: 2 }],
      },
    });
    const lines = ['t,value'];
    for (let day = 0; day < 60; day++)
      lines.push(
        `2024-01-${String((day % 28) + 1).padStart(2, '0')}T00:00:00,${(10 + 5 * Math.sin(day / 4)).toFixed(3)}`,
      );
    // Distinct, increasing times: months roll over every 28 days.
    const rows = lines
      .slice(1)
      .map((line, day) =>
        line.replace(/^2024-01/, `2024-${String(1 + Math.floor(day / 28)).padStart(2, '0')}`),
      );
    writeFileSync(join(dir, 'data', 'data.csv'), `${[lines[0], ...rows].join('\n')}\n`);
    const project = await loadProject(dir);
    const store = new RunStore(dir);
    const record = startRecord(project, store, 'evaluate', newSessionId(), {
      candidate: 'net',
      model: 'mlp',
      config: { name: 'net', model: 'mlp', layers: [4], epochs: 2 },
    });
    record.folds = [0.5, 0.6].map((score, index) => ({
      index,
      score,
      metrics: { rmse: score },
      trainSize: 30,
      validationSize: 10,
      epochs: 2,
      durationMs: 1,
    }));
    finishRecord(record, 'completed');
    store.create(record);

    const presented = await presentJob(dir, { backend: 'cpu', reporter: memoryReporter() });
    const holdout = readFileSync(join(presented.bundle, 'holdout-predictions.csv'), 'utf8')
      .trim()
      .split('\n');
    // Each line forecasts `step` values ahead of its window, beside persistence (the window's last value), at the
    // time of the row it forecasts.
    assert.equal(holdout[0], 'row,step,value,prediction,persistence,time');
    const csvRows = [lines[0], ...rows];
    for (const line of holdout.slice(1)) {
      const [lineRow, step, , , persistence, time] = line.split(',');
      const forecastRow = Number(lineRow) + Number(step) - 1;
      assert.equal(time, csvRows[forecastRow].split(',')[0].slice(0, 10), line);
      const lastObserved = Number(csvRows[Number(lineRow) - 1].split(',')[1]);
      assert.ok(Math.abs(Number(persistence) - lastObserved) < 1e-3, `${line} vs ${lastObserved}`);
    }
    // The network forecasts the change over the last value (the time-series default); the bundle says so.
    const saved = JSON.parse(readFileSync(join(presented.bundle, 'estimator.json'), 'utf8')) as {
      params: { forecast?: string };
      network: { forecast?: string };
    };
    assert.equal(saved.params.forecast, 'change');
    assert.equal(saved.network.forecast, 'change');
    // The first holdout sample: its window is the 3 rows before its first target row.
    const [row, , , firstPrediction] = holdout[1].split(',').map(Number);
    const secondPrediction = Number(holdout[2].split(',')[3]);
    const input = join(tempDir('series-input'), 'history.csv');
    writeFileSync(input, `${[lines[0], ...rows.slice(0, row - 1)].join('\n')}\n`);

    const predicted = await predictJob(presented.bundle, input, {
      backend: 'cpu',
      reporter: memoryReporter(),
    });
    assert.equal(predicted.rows, 2);
    const output = readFileSync(predicted.output, 'utf8').trim().split('\n');
    assert.equal(output[0], 'step,prediction');
    assert.ok(
      Math.abs(Number(output[1].split(',')[1]) - firstPrediction) < 1e-4,
      `${output[1]} vs ${firstPrediction}`,
    );
    assert.ok(
      Math.abs(Number(output[2].split(',')[1]) - secondPrediction) < 1e-4,
      `${output[2]} vs ${secondPrediction}`,
    );
  });
});
