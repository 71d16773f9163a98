/** Where predictions go by default, the same for `topdown predict` and the editor's Predict command. */

/** The default output path: `<input without .csv>.predictions.csv` (beside an image folder, not in it). */
export function defaultPredictionsPath(input: string): string {
  return input.replace(/[\\/]+$/, '').replace(/\.csv$/i, '') + '.predictions.csv';
}
