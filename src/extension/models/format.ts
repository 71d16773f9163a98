/** Number and duration formatting shared by the views, the status bar and notifications. */
import { formatMeanStd, formatScore } from '../../shared/format';
import type { RunIndexEntry } from '../../protocol/records';
import type { StepNode } from './projectSteps';

/** Metrics where a smaller value is better. */
const LOWER_IS_BETTER = new Set(['rmse', 'mse', 'mae', 'log-loss', 'logLoss']);

/** Whether a larger value of this metric is better. */
export function higherIsBetter(metric: string): boolean {
  return !LOWER_IS_BETTER.has(metric);
}

/** Three decimals for scores below 10, fewer above: 0.846, 12.35, 1234 (as the report and the panels). */
export { formatScore };

/** "0.846 ± 0.057", as the report and the panels write it. */
export { formatMeanStd };

/** "850 ms", "12 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  const seconds = Math.round(milliseconds / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** A run's one-line description in the Runs view: "0.846 ± 0.057 · 12 s · wasm". */
export function describeRun(entry: RunIndexEntry): string {
  const parts: string[] = [];
  if (entry.summary) parts.push(formatMeanStd(entry.summary.mean, entry.summary.std));
  else if (entry.status !== 'completed') parts.push(entry.status);
  if (entry.durationMs !== undefined) parts.push(formatDuration(entry.durationMs));
  if (entry.backend !== 'none') parts.push(entry.backend);
  return parts.join(' · ');
}

/** A step's tooltip in the Project view: its status, why it is stale, the number to beat, the latest session's best. */
export function stepTooltip(
  node: Pick<StepNode, 'label' | 'status' | 'staleReason' | 'numberToBeat' | 'best'>,
): string {
  const tooltip = [`${node.label}: ${node.status === 'not-started' ? 'not started' : node.status}`];
  if (node.staleReason) tooltip.push(`Stale: ${node.staleReason}. Run it again to bring it up to date.`);
  if (node.numberToBeat !== undefined)
    tooltip.push(`Number to beat (baseline): ${formatScore(node.numberToBeat)}`);
  if (node.best) {
    const when = node.best.outdated ? ` (outdated: ${node.best.outdated})` : '';
    const score = formatMeanStd(node.best.mean, node.best.std);
    tooltip.push(`Best of the latest session: ${node.best.name}, ${score}${when}`);
  }
  return tooltip.join('\n');
}
