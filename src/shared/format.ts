/**
 * How numbers and durations read, in one place for the report (Node) and the panels (browser): DOM-free and
 * Node-free, so both runtimes' compilers check it.
 */

/** A metric value: 3 decimals below 10, 2 below 1000, none above (0.846, 12.35, 1234). */
export function formatScore(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  return value.toFixed(magnitude < 10 ? 3 : magnitude < 1000 ? 2 : 0);
}

/** Formats a p-value: "p = 0.042", "p < 0.001", or "no test" when it is NaN. */
export function formatPValue(pValue: number): string {
  if (Number.isNaN(pValue)) return 'no test';
  return pValue < 0.001 ? 'p < 0.001' : `p = ${pValue.toFixed(3)}`;
}

/**
 * A cross-validation estimate as every view writes it: "0.846 ± 0.057" (each part as `formatScore`), the mean
 * alone when the spread is unknown, "—" when the mean is missing or not finite.
 */
export function formatMeanStd(mean: number | undefined, std: number | undefined): string {
  if (mean === undefined || !Number.isFinite(mean)) return '—';
  return std === undefined || !Number.isFinite(std)
    ? formatScore(mean)
    : `${formatScore(mean)} ± ${formatScore(std)}`;
}

/**
 * Any number in a table or tooltip: integers as they are, very small or large values in exponent notation,
 * others with `digits` decimals; "—" when missing or not finite.
 */
export function formatNumber(value: number | undefined, digits = 3): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  if (Number.isInteger(value) && Math.abs(value) < 1e6) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return value.toExponential(digits - 1);
  return value.toFixed(digits);
}

/** Milliseconds as "850 ms", "12.4 s", "3 min 05 s" or "1 h 02 min"; "—" when missing or not finite. */
export function formatDuration(milliseconds: number | undefined): string {
  if (milliseconds === undefined || !Number.isFinite(milliseconds)) return '—';
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  const seconds = milliseconds / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A moment in local time, in words: "6 Dec 04:09", with the year when it is not this year ("6 Dec 2025 04:09");
 * the text as given when it is not a date.
 */
export function formatWhen(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (!Number.isFinite(date.getTime())) return iso;
  const year = date.getFullYear() === now.getFullYear() ? '' : ` ${date.getFullYear()}`;
  const time = `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
  return `${date.getDate()} ${months[date.getMonth()]}${year} ${time}`;
}

/**
 * One notation for a column of scores: `digits` significant digits for its largest value, and the same number
 * of decimals for every value (0.846 and 0.012 in one column, never 0.846 beside 1.2e-2); exponent notation for
 * all of them when the largest is very large or small. Whole-number columns stay whole.
 */
export function columnFormat(
  values: readonly (number | undefined)[],
  digits = 3,
): (value: number | undefined) => string {
  const finite = values.filter((value): value is number => value !== undefined && Number.isFinite(value));
  if (finite.every((value) => Number.isInteger(value) && Math.abs(value) < 1e6))
    return (value) => (value === undefined || !Number.isFinite(value) ? '—' : String(value));
  const largest = Math.max(...finite.map((value) => Math.abs(value)));
  const missing = (value: number | undefined): value is undefined =>
    value === undefined || !Number.isFinite(value);
  if (largest >= 1e6 || largest < 1e-3)
    return (value) => (missing(value) ? '—' : value.toExponential(digits - 1));
  const decimals = Math.min(6, Math.max(0, digits - 1 - Math.floor(Math.log10(largest))));
  return (value) => (missing(value) ? '—' : value.toFixed(decimals));
}

const METRIC_WORDS: Record<string, string> = {
  accuracy: 'accuracy',
  logLoss: 'log loss',
  'log-loss': 'log loss',
  precision: 'precision',
  recall: 'recall',
  f1: 'F1',
  rocAuc: 'ROC AUC',
  mse: 'MSE',
  rmse: 'RMSE',
  mae: 'MAE',
  r2: 'R²',
};

/** A metric's name in words, as people write it: "ROC AUC", "log loss", "RMSE", "R²"; others split at capitals. */
export function metricLabel(name: string): string {
  return METRIC_WORDS[name] ?? name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * A histogram's bin labels ("0.25–0.50"): one notation for every edge (`columnFormat`), with as many significant
 * digits as it takes (3 at least, 8 at most) for neighbouring edges to read differently.
 */
export function binLabels(edges: readonly number[]): string[] {
  const distinct = new Set(edges).size;
  let format = columnFormat(edges);
  for (let digits = 4; digits <= 8 && new Set(edges.map(format)).size < distinct; digits++)
    format = columnFormat(edges, digits);
  return edges.slice(0, -1).map((edge, index) => `${format(edge)}–${format(edges[index + 1])}`);
}

/**
 * Dates of one column (epoch milliseconds, UTC) at the precision they carry: "1949-01" when every date is the
 * first of its month at midnight, "1949-01-15" when every one is at midnight, else "1949-01-15 06:30"; "—" for
 * a missing one. One precision for the whole column, so its labels line up.
 */
export function formatDates(values: ArrayLike<number>): string[] {
  const dates = Array.from(values, (value) => (Number.isFinite(value) ? new Date(value) : undefined));
  const present = dates.filter((date): date is Date => date !== undefined);
  const midnight = present.every((date) => date.getUTCHours() === 0 && date.getUTCMinutes() === 0);
  const length = midnight ? (present.every((date) => date.getUTCDate() === 1) ? 7 : 10) : 16;
  return dates.map((date) => (date ? date.toISOString().slice(0, length).replace('T', ' ') : '—'));
}
