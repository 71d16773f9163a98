/**
 * Step 5 for an ensemble of step 4: its members' final fits, each scored alone on the holdout, combined into
 * the ensemble's holdout predictions and scored once, with the same combination step 4 used on the folds.
 */
import { resolveMetric, type ProblemConfig } from '../config';
import { TopdownError } from '../errors';
import { combinePredictions } from '../improve/ensemble';
import type { EnsembleMethod } from '../improve/types';
import { computeMetrics, metricKey } from '../metrics';
import type { FinalTaskResult } from '../../protocol/runner';

/** A final fit's holdout evaluation. */
export type FinalHoldout = NonNullable<FinalTaskResult['holdout']>;

/**
 * The ensemble's holdout evaluation from its members' (same rows, same truth): predictions combined by
 * `method`, then every metric computed on them. Undefined when the members had no holdout; INTERNAL when
 * they scored different rows (they are refitted on the same rows with the same preparation, so they never do).
 */
export function combineHoldouts(
  method: EnsembleMethod,
  members: ReadonlyArray<{ name: string; result: FinalTaskResult }>,
  problem: ProblemConfig,
): FinalHoldout | undefined {
  const holdouts = members.map((member) => member.result.holdout);
  if (holdouts.every((holdout) => holdout === undefined)) return undefined;
  const first = holdouts[0];
  const outputs = members[0].result.outputUnits;
  members.forEach((member, index) => {
    const holdout = holdouts[index];
    const same =
      first !== undefined &&
      holdout !== undefined &&
      member.result.outputUnits === outputs &&
      holdout.rows.length === first.rows.length &&
      holdout.rows.every((row, at) => row === first.rows[at]);
    if (!same) {
      throw new TopdownError(
        'INTERNAL',
        `The ensemble members "${members[0].name}" and "${member.name}" were scored on different holdout rows.`,
      );
    }
  });
  const combined = combinePredictions(
    method,
    holdouts.map((holdout) => Float32Array.from(holdout!.predictions)),
    outputs,
    problem.task,
  );
  const truth = Float32Array.from(first!.truth);
  const classes = members[0].result.classes;
  const { metrics, confusion } = computeMetrics(problem.task, truth, combined, {
    classCount: classes?.length ?? 0,
    positiveIndex: 1,
    outputs,
  });
  const holdout: FinalHoldout = {
    score: metrics[metricKey(resolveMetric(problem))],
    metrics,
    size: first!.size,
    rows: [...first!.rows],
    predictions: Array.from(combined),
    truth: [...first!.truth],
  };
  if (confusion) holdout.confusion = confusion;
  return holdout;
}
