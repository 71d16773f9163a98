/** The number to beat: the baseline model under the project's own folds, run in-process (no tfjs needed). */
import type { Project } from '../../core/project';
import type { ProjectData } from '../../core/steps/data';
import { projectSeed } from '../../core/steps/data';
import type { Fold } from '../../core/folds';
import { deriveSeed } from '../../core/random';
import { runFold } from '../../core/steps/fold';
import type { FoldRecord } from '../../protocol/records';

/** Scores the baseline (majority class, mean, or persistence) on every fold. */
export async function baselineFolds(
  project: Project,
  data: ProjectData,
  folds: Fold[],
): Promise<FoldRecord[]> {
  const records: FoldRecord[] = [];
  for (const fold of folds) {
    const result = await runFold(project, data.table, {
      taskId: `baseline-${fold.index}`,
      projectDir: project.dir,
      candidate: { name: 'baseline', model: 'baseline' },
      foldIndex: fold.index,
      trainRows: fold.train,
      validationRows: fold.validation,
      seed: deriveSeed(projectSeed(project), fold.index),
    });
    if (!result) continue;
    const record: FoldRecord = {
      index: fold.index,
      score: result.score,
      metrics: result.metrics,
      trainSize: result.trainSize,
      validationSize: result.validationSize,
      epochs: 0,
      durationMs: result.durationMs,
    };
    if (result.confusion) record.confusion = result.confusion;
    records.push(record);
  }
  return records;
}
