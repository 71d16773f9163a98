/** A tiny daily time-series project for the tests that run step 3 on a series (a sine over 30 days). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, writeProject } from './cli';

/** The project's folder, its values and their days (`2024-01-01`…), in row order. */
export interface SeriesProject {
  dir: string;
  values: number[];
  days: string[];
}

/** Writes the project: a window of 3 rows forecasting `horizon` values, 2 walk-forward folds, seed 5. */
export function seriesProject(
  prefix: string,
  horizon: number,
  candidates: Array<Record<string, unknown>>,
): SeriesProject {
  const dir = writeProject(tempDir(prefix), {
    problem: { data: 'data/data.csv', target: 'value', task: 'time-series', timeColumn: 't' },
    prepare: [{ op: 'window', lookBack: 3, horizon }],
    evaluate: { validation: { scheme: 'walk-forward', folds: 2 }, seed: 5, candidates },
  });
  const values = Array.from({ length: 30 }, (_, day) => Number((10 + 5 * Math.sin(day / 4)).toFixed(3)));
  const days = values.map((_, day) => `2024-01-${String(day + 1).padStart(2, '0')}`);
  const lines = values.map((value, day) => `${days[day]},${value}`);
  writeFileSync(join(dir, 'data', 'data.csv'), `t,value\n${lines.join('\n')}\n`);
  return { dir, values, days };
}
