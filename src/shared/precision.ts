/**
 * The precision numbers are shown at: the decimals a column's values carry in the data, read through float32
 * noise (a stored 36.2 reads back as 36.2000008, which has one decimal, not seven).
 */

/** The most decimals looked for; values with more are shown at this many. */
export const MAX_DECIMALS = 6;

/** The fewest decimals that give `value` back to within float32 rounding. */
export function decimalsOf(value: number): number {
  if (!Number.isFinite(value)) return 0;
  // float32 keeps about 7 significant digits: an error below 1e-6 of the value is storage noise.
  const tolerance = Math.max(Math.abs(value), 1) * 1e-6;
  for (let decimals = 0; decimals < MAX_DECIMALS; decimals++) {
    if (Math.abs(Number(value.toFixed(decimals)) - value) <= tolerance) return decimals;
  }
  return MAX_DECIMALS;
}

/** The decimals a column's values carry: the most any of them needs. */
export function dataDecimals(values: readonly number[]): number {
  return values.reduce((most, value) => Math.max(most, decimalsOf(value)), 0);
}
