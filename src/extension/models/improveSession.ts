/**
 * Which run opens step 4's results: the run of the improve session that carries the Improve panel's file
 * (`outputs.improve`, written beside the best trial and linked from every trial), not the session's newest run,
 * which may be an ensemble's.
 */
import type { RunRecord } from '../../protocol/records';
import type { RunStore } from '../runStore';

/**
 * The newest run of `session` (else of the newest improve session) that links improve.json; the session's newest
 * run when none does (a session of ensembles only, or one still running); undefined without an improve run.
 */
export function improveResultsRun(
  store: Pick<RunStore, 'list' | 'get'>,
  session?: string,
): string | undefined {
  const getRecord = (runId: string): RunRecord | undefined => {
    try {
      return store.get(runId);
    } catch {
      return undefined; // a run deleted or unreadable since the listing: not the one to open
    }
  };
  const improve = store
    .list({ step: 'improve' })
    .filter((entry) => !entry.deleted)
    .sort((left, right) => right.createdAt.localeCompare(left.createdAt));
  const chosen = session ?? improve[0]?.session;
  const ofSession = improve.filter((entry) => entry.session === chosen);
  const tuned = ofSession.find((entry) => getRecord(entry.id)?.outputs?.improve !== undefined);
  return (tuned ?? ofSession[0])?.id;
}
