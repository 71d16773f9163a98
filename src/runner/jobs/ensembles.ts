/**
 * Step 4 ensembles: average the predicted probabilities / values, or take the majority vote, of chosen
 * candidates — fold by fold, on the same folds, from the members' validation predictions.
 */
import { isClassification, resolveMetric, type ProblemConfig } from '../../core/config';
import { combinePredictions, type EnsembleConfig } from '../../core/improve';
import { computeMetrics, metricKey } from '../../core/metrics';
import type { Project } from '../../core/project';
import type { RunStore } from '../../core/runs/store';
import type { ProjectData } from '../../core/steps/data';
import type { FoldRecord } from '../../protocol/records';
import type { CandidateRun } from './candidates';
import { begin, finishRecord, publish, startRecord, type JobOptions } from './common';

/** Scores an ensemble from its members' runs (each run with validation predictions kept). */
export function evaluateEnsemble(
  ensemble: EnsembleConfig,
  members: CandidateRun[],
  context: { project: Project; data: ProjectData; store: RunStore; session: string; foldHash: string },
  options: JobOptions,
): CandidateRun['record'] {
  const { project, store } = context;
  const problem: ProblemConfig = project.config.problem;
  const method = ensemble.method ?? 'average';
  const record = startRecord(project, store, 'improve', context.session, {
    candidate: ensemble.name,
    model: 'ensemble',
    config: { name: ensemble.name, model: 'ensemble', members: ensemble.members, method },
    data: context.data,
    foldHash: context.foldHash,
  });
  begin(store, record, options.reporter);
  const failed = members.find((member) => member.record.status !== 'completed');
  if (failed) {
    finishRecord(record, 'failed', {
      code: 'MODEL_INVALID',
      message: `Ensemble "${ensemble.name}" cannot be scored: its member "${failed.candidate.name}" ${failed.record.status === 'failed' ? `failed (${failed.record.error?.message ?? 'see its run'})` : `was ${failed.record.status}`}.`,
      hint: 'Fix or remove that member, then run `topdown improve` again.',
    });
    publish(store, record, options.reporter);
    return record;
  }
  const classification = isClassification(problem.task);
  const classCount = context.data.classes?.length ?? 0;
  const foldIndices = members[0].record.folds.map((fold) => fold.index);
  const metric = resolveMetric(problem);
  // Classification: one probability per class. Regression: one value; time series: one per horizon step.
  const window = (project.config.prepare ?? []).find((op) => op.op === 'window');
  const outputs = classification ? classCount : window?.op === 'window' ? (window.horizon ?? 1) : 1;
  for (const foldIndex of foldIndices) {
    const memberPredictions = members.map((member) => Float32Array.from(member.predictions!.get(foldIndex)!));
    const truth = Float32Array.from(members[0].truth!.get(foldIndex)!);
    const combined = combinePredictions(method, memberPredictions, outputs, problem.task);
    const { metrics, confusion } = computeMetrics(problem.task, truth, combined, {
      classCount,
      positiveIndex: 1,
      outputs,
    });
    const memberFold = members[0].record.folds.find((fold) => fold.index === foldIndex)!;
    const fold: FoldRecord = {
      index: foldIndex,
      score: metrics[metricKey(metric)],
      metrics,
      trainSize: memberFold.trainSize,
      validationSize: memberFold.validationSize,
      epochs: 0,
      durationMs: members.reduce(
        (sum, member) => sum + (member.record.folds.find((f) => f.index === foldIndex)?.durationMs ?? 0),
        0,
      ),
    };
    if (confusion) fold.confusion = confusion;
    record.folds.push(fold);
  }
  record.backend = members[0].record.backend;
  finishRecord(record, 'completed');
  publish(store, record, options.reporter);
  return record;
}
