/**
 * Which run opens step 4's results: the run of the improve session that carries the Improve panel's file
 * (`outputs.improve`, written beside the best trial and linked from every trial), not the session's newest run,
 * which may be an ensemble's.
 */
import type { RunRecord } from '../../protocol/records';
import type { RunStore } from '../runStore';

/**
 * The run of `session` (else of the newest improve session) that links improve.json, the one that recorded the
 * decision first, else the newest; the session's newest
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
  const linked = ofSession
    .map((entry) => getRecord(entry.id))
    .filter((record): record is RunRecord => record?.outputs?.improve !== undefined);
  // Every trial links the same file; the best trial, which recorded the decision, names the panel.
  const decided = linked.find((record) => record.tuning?.keep !== undefined);
  return (decided ?? linked[0] ?? ofSession[0])?.id;
}
