/** Run records written as the steps would write them, for tests of what reads them (step 5, reports). */
import { loadProject } from '../../src/core/project';
import { RunStore } from '../../src/core/runs/store';
import { finishRecord, newSessionId, startRecord } from '../../src/runner/jobs/common';

/**
 * Records a completed evaluate or improve run of the candidate `config` with one fold per score (accuracy;
 * 50 rows trained, 25 validated) and a 0.5 baseline; returns its id.
 */
export async function recordCompletedRun(
  dir: string,
  step: 'evaluate' | 'improve',
  config: Record<string, unknown> & { name: string; model: string },
  scores: number[],
  session = newSessionId(),
): Promise<string> {
  const project = await loadProject(dir);
  const store = new RunStore(dir);
  const record = startRecord(project, store, step, session, {
    candidate: config.name,
    model: config.model,
    config,
  });
  record.folds = scores.map((score, index) => ({
    index,
    score,
    metrics: { accuracy: score },
    trainSize: 50,
    validationSize: 25,
    epochs: 0,
    durationMs: 1,
  }));
  record.baseline = { mean: 0.5, std: 0.01 };
  finishRecord(record, 'completed');
  store.create(record);
  return record.id;
}
