/**
 * Which results "Open Results" shows when a job finishes: the step's own, and for Run All Steps the last step
 * that ran (the Final panel after step 5, the improve session after step 4, the evaluate session after step 3).
 */
import type { StepName } from '../../protocol/records';
import type { JobStep } from './job';

/** The step whose results to show, and what its `--json` output said (its run id or session). */
export interface ResultsTarget {
  step: StepName;
  result: Record<string, unknown>;
}

const STEPS_LAST_FIRST: StepName[] = ['present', 'improve', 'evaluate', 'prepare', 'define'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The results to open after `step` finished with `result`; undefined when `all` reports no step. */
export function resultsTarget(step: JobStep, result: Record<string, unknown>): ResultsTarget | undefined {
  if (step !== 'all') return { step, result };
  const steps = isRecord(result.steps) ? result.steps : {};
  const last = STEPS_LAST_FIRST.find((name) => isRecord(steps[name]));
  return last ? { step: last, result: steps[last] as Record<string, unknown> } : undefined;
}
