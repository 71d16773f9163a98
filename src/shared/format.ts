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
