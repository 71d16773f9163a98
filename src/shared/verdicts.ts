/**
 * Verdict words every view shares (the CLI, REPORT.md and the panels), so a candidate reads the same everywhere.
 */

/**
 * Below this many folds the corrected t-test can hardly separate two candidates (2 degrees of freedom at the 3
 * folds of `--quick`), so "indistinguishable" would claim more than the test showed.
 */
export const FEW_FOLDS = 5;

/**
 * A gap to the best that the test did not find: `words` ("indistinguishable from the best", "as good as the
 * best"), except over fewer than FEW_FOLDS folds, where it reads "3 folds cannot separate it from the best".
 */
export function untestedGapWords(folds: number, words: string): string {
  return folds < FEW_FOLDS ? `${folds} folds cannot separate it from the best` : words;
}

/**
 * A candidate against the baseline in words: `verdict` ("better than baseline", "not better than baseline"),
 * except that a gap the test did not find over fewer than FEW_FOLDS folds reads "3 folds cannot separate it from
 * the baseline": at the 3 folds of `--quick` a model at 0.82 against a baseline at 0.54 can miss p < 0.05.
 */
export function baselineWords(folds: number, verdict: string): string {
  return verdict === 'not better than baseline' && folds < FEW_FOLDS
    ? `${folds} folds cannot separate it from the baseline`
    : verdict;
}
