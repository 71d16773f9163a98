/** Number and value formatting shared by the report's sections. */
import { formatScore } from '../../shared/format';

/** A metric value: 3 decimals below 10 (as the verdicts write them); "—" when missing or not finite. */
export function formatValue(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '—' : formatScore(value);
}

/** Estimates read the same in the report, the panels and the views. */
export { formatMeanStd } from '../../shared/format';

/** A difference with its sign: "+0.312", "−0.020" (a true minus sign reads better in tables). */
export function formatDifference(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  const text = formatScore(Math.abs(value));
  return value >= 0 ? `+${text}` : `−${text}`;
}

/** A parameter value as compact JSON (`[60,30]`, `0.001`, `"relu"` without quotes). */
export function formatParameter(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)));
  return JSON.stringify(value) ?? '—';
}

/** Durations read the same in the report and the panels. */
export { formatDuration } from '../../shared/format';

/** "1 fold", "10 folds". */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}
