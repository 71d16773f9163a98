/** Which of the walkthrough's five steps have run: a plain function of the run store (no vscode), unit-tested. */
import type { RunStatus, StepName } from '../../protocol/records';
import type { RunStore } from '../runStore';
import { STEP_ORDER } from './runsTree';

/** The steps with at least one completed run in the store (a deleted one does not count), in step order. */
export function stepsRun(store: Pick<RunStore, 'list'>): StepName[] {
  const completed: RunStatus = 'completed';
  return STEP_ORDER.filter((step) => store.list({ step, status: completed }).some((entry) => !entry.deleted));
}
