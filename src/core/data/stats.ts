/** Column statistics for the data profile: summaries, histograms and correlations, NaN-aware. */
import { countDistinct } from './distinct';

/** Number of histogram bins. */
export const BINS = 10;

/** Summary of a numeric (or date) column; NaN values are missing. */
export interface NumericStats {
  count: number;
  missing: number;
  distinct: number;
  zeros: number;
  min: number;
  max: number;
  mean: number;
  std: number;
}

/** One pass's sums over the non-NaN values: count, zeros, min, max, mean and the squared deviations' sum. */
export interface Moments {
  count: number;
  zeros: number;
  min: number;
  max: number;
  /** NaN when there is no value. */
  mean: number;
  /** Σ (value − mean)²: divide by count for the population variance, by count − 1 for the sample one. */
  squares: number;
}

/** The moments of the non-NaN values (missing values are NaN). */
export function moments(values: ArrayLike<number>): Moments {
  let count = 0;
  let sum = 0;
  let zeros = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (Number.isNaN(value)) continue;
    count++;
    sum += value;
    if (value === 0) zeros++;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const mean = count > 0 ? sum / count : NaN;
  let squares = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (!Number.isNaN(value)) squares += (value - mean) ** 2;
  }
  return { count, zeros, min, max, mean, squares };
}

/** Count, missing, distinct, zeros, min, max, mean and sample standard deviation (n − 1). */
export function numericStats(values: Float32Array | Float64Array): NumericStats {
  const { count, zeros, min, max, mean, squares } = moments(values);
  const std = count > 1 ? Math.sqrt(squares / (count - 1)) : 0;
  return {
    count,
    missing: values.length - count,
    distinct: countDistinct(values),
    zeros,
    min,
    max,
    mean,
    std,
  };
}

/** Equal-width histogram from min to max in {@link BINS} bins; the last bin includes max. */
export function histogram(
  values: Float32Array,
  min: number,
  max: number,
): { edges: number[]; counts: number[] } {
  const width = max > min ? (max - min) / BINS : 1 / BINS;
  const low = max > min ? min : min - 0.5;
  const edges = Array.from({ length: BINS + 1 }, (_, index) => low + index * width);
  edges[BINS] = max > min ? max : min + 0.5;
  const counts = new Array<number>(BINS).fill(0);
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (Number.isNaN(value)) continue;
    counts[Math.min(BINS - 1, Math.floor((value - low) / width))]++;
  }
  return { edges, counts };
}

/** Pearson's r over rows where both are present; NaN when either side is constant. */
export function pearson(feature: Float32Array, target: Float64Array): number {
  let count = 0;
  let sumX = 0;
  let sumY = 0;
  for (let index = 0; index < feature.length; index++) {
    if (Number.isNaN(feature[index]) || Number.isNaN(target[index])) continue;
    count++;
    sumX += feature[index];
    sumY += target[index];
  }
  const meanX = sumX / count;
  const meanY = sumY / count;
  let covariance = 0;
  let varianceX = 0;
  let varianceY = 0;
  for (let index = 0; index < feature.length; index++) {
    if (Number.isNaN(feature[index]) || Number.isNaN(target[index])) continue;
    const dx = feature[index] - meanX;
    const dy = target[index] - meanY;
    covariance += dx * dy;
    varianceX += dx * dx;
    varianceY += dy * dy;
  }
  return varianceX > 0 && varianceY > 0 ? covariance / Math.sqrt(varianceX * varianceY) : NaN;
}

/** Correlation ratio η: sqrt(between-class sum of squares / total sum of squares); NaN for a constant feature. */
export function correlationRatio(feature: Float32Array, groups: Int32Array): number {
  const sums = new Map<number, { count: number; sum: number }>();
  let count = 0;
  let sum = 0;
  for (let index = 0; index < feature.length; index++) {
    const group = groups[index];
    if (Number.isNaN(feature[index]) || group < 0) continue;
    const entry = sums.get(group) ?? { count: 0, sum: 0 };
    entry.count++;
    entry.sum += feature[index];
    sums.set(group, entry);
    count++;
    sum += feature[index];
  }
  const mean = sum / count;
  let total = 0;
  for (let index = 0; index < feature.length; index++) {
    if (!Number.isNaN(feature[index]) && groups[index] >= 0) total += (feature[index] - mean) ** 2;
  }
  let between = 0;
  for (const entry of sums.values()) between += entry.count * (entry.sum / entry.count - mean) ** 2;
  return total > 0 ? Math.sqrt(between / total) : NaN;
}
