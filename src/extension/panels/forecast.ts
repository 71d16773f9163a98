/**
 * A time series' holdout forecast for the Final results panel, from the lines of `holdout-predictions.csv`
 * (`row`, `step` when the horizon is > 1, the target, `prediction`, `persistence`, `time`): the one-step-ahead
 * forecast over time beside the actual values and persistence, and the error by horizon step.
 */
import type { ForecastPoint, ForecastView, HorizonError } from '../../protocol/panel-final';

/** One line of holdout-predictions.csv as Papa Parse reads it (dynamic typing). */
export type PredictionLine = Record<string, string | number | null>;

/** A line's horizon step (1 without a `step` column). */
function stepOf(line: PredictionLine): number {
  return line.step === undefined || line.step === null ? 1 : Number(line.step);
}

/** The time a line forecasts: its `time` cell, or "row N" without a time column. */
export function forecastTime(line: PredictionLine): string {
  return line.time !== undefined && line.time !== null && line.time !== ''
    ? String(line.time)
    : `row ${Number(line.row) + stepOf(line) - 1}`;
}

/** The key of a residual row: the time forecast, and its step when the horizon is > 1. */
export function residualKey(line: PredictionLine): string {
  return line.step === undefined ? forecastTime(line) : `${forecastTime(line)} · step ${stepOf(line)}`;
}

function errors(pairs: Array<[number, number]>): { rmse: number; mae: number } {
  let squared = 0;
  let absolute = 0;
  for (const [actual, predicted] of pairs) {
    squared += (predicted - actual) ** 2;
    absolute += Math.abs(predicted - actual);
  }
  return { rmse: Math.sqrt(squared / pairs.length), mae: absolute / pairs.length };
}

/** The model's and persistence's RMSE and MAE per horizon step, in step order. */
export function horizonErrors(lines: PredictionLine[], target: string): HorizonError[] {
  const steps = [...new Set(lines.map(stepOf))].sort((left, right) => left - right);
  return steps.map((step) => {
    const at = lines.filter((line) => stepOf(line) === step);
    const model = errors(at.map((line) => [Number(line[target]), Number(line.prediction)]));
    const persisted = at.filter((line) => typeof line.persistence === 'number');
    const entry: HorizonError = { step, ...model };
    if (persisted.length === at.length && at.length > 0) {
      entry.persistence = errors(persisted.map((line) => [Number(line[target]), Number(line.persistence)]));
    }
    return entry;
  });
}

/**
 * The forecast view of a time series' holdout lines; undefined when there are none. `time` names the time
 * column (the axis title), "row" without one.
 */
export function forecastView(
  lines: PredictionLine[],
  target: string,
  time: string | undefined,
): ForecastView | undefined {
  const usable = lines.filter(
    (line) => Number.isFinite(Number(line[target])) && Number.isFinite(Number(line.prediction)),
  );
  if (usable.length === 0) return undefined;
  const points = usable
    .filter((line) => stepOf(line) === 1)
    .sort((left, right) => Number(left.row) - Number(right.row))
    .map((line): ForecastPoint => {
      const point: ForecastPoint = {
        time: forecastTime(line),
        actual: Number(line[target]),
        predicted: Number(line.prediction),
      };
      if (typeof line.persistence === 'number') point.persistence = line.persistence;
      return point;
    });
  const horizon = Math.max(...usable.map(stepOf));
  const view: ForecastView = { time: time ?? 'row', horizon, points };
  if (horizon > 1) view.steps = horizonErrors(usable, target);
  return view;
}
