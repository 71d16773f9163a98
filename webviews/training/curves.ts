/** Pure curve maths for the training panel: smoothing, fold means and bands. */

/** A point on a learning curve (x is the 1-based epoch). */
export interface Point {
  x: number;
  y: number;
}

/** Exponential moving average with TensorBoard's debiasing; `weight` 0 returns the values unchanged. */
export function smooth(values: number[], weight: number): number[] {
  if (weight <= 0) return values;
  const result: number[] = [];
  let last = 0;
  let steps = 0;
  for (const value of values) {
    if (!Number.isFinite(value)) {
      result.push(value);
      continue;
    }
    last = last * weight + (1 - weight) * value;
    steps += 1;
    result.push(last / (1 - weight ** steps));
  }
  return result;
}

/** Values as chart points, skipping gaps. */
export function toPoints(values: number[]): Point[] {
  const points: Point[] = [];
  values.forEach((value, index) => {
    if (Number.isFinite(value)) points.push({ x: index + 1, y: value });
  });
  return points;
}

/** Per epoch: mean, min and max over the folds that reached it. */
export function foldStatistics(series: number[][]): { mean: number[]; low: number[]; high: number[] } {
  const length = Math.max(0, ...series.map((values) => values.length));
  const mean: number[] = [];
  const low: number[] = [];
  const high: number[] = [];
  for (let epoch = 0; epoch < length; epoch += 1) {
    let sum = 0;
    let count = 0;
    let minimum = Infinity;
    let maximum = -Infinity;
    for (const values of series) {
      const value = values[epoch];
      if (value === undefined || !Number.isFinite(value)) continue;
      sum += value;
      count += 1;
      if (value < minimum) minimum = value;
      if (value > maximum) maximum = value;
    }
    mean.push(count > 0 ? sum / count : NaN);
    low.push(count > 0 ? minimum : NaN);
    high.push(count > 0 ? maximum : NaN);
  }
  return { mean, low, high };
}

/** Time left, from the time spent and the share of epochs done (undefined until something is done). */
export function timeLeft(elapsedMs: number, done: number, total: number): number | undefined {
  if (done <= 0 || total <= 0 || done >= total) return undefined;
  return (elapsedMs * (total - done)) / done;
}
