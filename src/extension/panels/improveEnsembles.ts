/**
 * The ensembles of an improve session for the Improve panel, read from their runs as step 4 recorded them: the
 * score, the verdict against the best and the baseline, and against the best single model (the same numbers
 * and words as `topdown improve` and REPORT.md). Plain functions of the run store, unit-tested.
 */
import { ensembleMemberNames, ENSEMBLE_MODEL } from '../../core/present/ensemble-record';
import type { ImproveEnsemble, ImproveResults } from '../../protocol/panels';
import type { RunRecord } from '../../protocol/records';
import type { RunStore } from '../runStore';
import { higherIsBetter } from './snapshots';

/** One ensemble's run as the panel lists it. */
export function improveEnsemble(record: RunRecord): ImproveEnsemble {
  const method = record.config.method;
  const ensemble: ImproveEnsemble = {
    name: record.candidate ?? record.id,
    runId: record.id,
    method: typeof method === 'string' ? method : 'average',
    members: ensembleMemberNames(record),
    status: record.status,
  };
  if (record.status === 'completed' && record.summary) {
    ensemble.mean = record.summary.mean;
    ensemble.std = record.summary.std;
  }
  if (record.verdict) ensemble.verdict = record.verdict;
  if (record.error) ensemble.error = record.error.message;
  return ensemble;
}

/** The ensembles step 4 built in `session`, oldest first (runs that cannot be read are left out). */
export function sessionEnsembles(store: Pick<RunStore, 'list' | 'get'>, session: string): ImproveEnsemble[] {
  const records: RunRecord[] = [];
  for (const entry of store.list({ step: 'improve', session })) {
    if (entry.deleted || (entry.model !== undefined && entry.model !== ENSEMBLE_MODEL)) continue;
    try {
      const record = store.get(entry.id);
      if (record.model === ENSEMBLE_MODEL) records.push(record);
    } catch {
      // Deleted or unreadable since the listing: not shown.
    }
  }
  return records
    .sort((left, right) => left.createdAt.localeCompare(right.createdAt))
    .map((record) => improveEnsemble(record));
}

/** The results with the session's ensembles (unchanged when there are none). */
export function withEnsembles(results: ImproveResults, ensembles: ImproveEnsemble[]): ImproveResults {
  return ensembles.length > 0 ? { ...results, ensembles } : results;
}

/** Step 4 of a session that built ensembles and tuned nothing: no trials and no decision, the ensembles only. */
export function ensemblesOnly(record: RunRecord, ensembles: ImproveEnsemble[]): ImproveResults {
  return {
    runId: record.id,
    candidate: '',
    metric: record.metric,
    higherIsBetter: higherIsBetter(record.metric),
    tuned: [],
    trials: [],
    ensembles,
  };
}
