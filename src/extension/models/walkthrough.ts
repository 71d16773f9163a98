/** Which of the walkthrough's five steps have run: a plain function of the run store (no vscode), unit-tested. */
import type { RunStatus, StepName } from '../../protocol/records';
import type { RunStore } from '../runStore';
import { STEP_ORDER } from './runsTree';

/** The steps with at least one completed run in the store (a deleted one does not count), in step order: one read of the index. */
export function stepsRun(store: Pick<RunStore, 'list'>): StepName[] {
  const completed: RunStatus = 'completed';
  const ran = new Set(
    store
      .list({ status: completed })
      .filter((entry) => !entry.deleted)
      .map((entry) => entry.step),
  );
  return STEP_ORDER.filter((step) => ran.has(step));
}
