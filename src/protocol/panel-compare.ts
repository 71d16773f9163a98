/** Host → Compare runs panel: several runs side by side. */
import type { RunStatus, ScoreSummary, StepName } from './records';

/** One run's facts and its mean curves. */
export interface CompareRun {
  runId: string;
  /** Candidate name or the run's label, as the Runs view shows it. */
  name: string;
  step: StepName;
  model?: string;
  status: RunStatus;
  metric: string;
  summary?: ScoreSummary;
  durationMs?: number;
  backend: string;
  createdAt: string;
  /** Mean over folds per epoch, per log key (`loss`, `val_loss`, ...). */
  meanCurves: Record<string, number[]>;
}

/** One configuration setting that is not the same in every run. */
export interface ConfigDifference {
  /** Dotted path, e.g. `config.layers` or `seed`. */
  path: string;
  /** The value per run, in run order, as JSON text; absent where the run has no such setting. */
  values: Array<string | undefined>;
}

/** The corrected resampled t-test of the second run against the first, when the two share their folds. */
export interface CompareTest {
  test: string;
  /** Folds the two runs share. */
  folds: number;
  /** Mean over folds of (second − first), in the metric's units. */
  meanDifference: number;
  pValue: number;
}

/** Host → compare panel. */
export type CompareMessage =
  /** The runs, and only the settings that differ among them. */
  {
    type: 'compare/snapshot';
    runs: CompareRun[];
    higherIsBetter: boolean;
    differences: ConfigDifference[];
    /** Two runs on the same folds: whether their difference is real. Absent otherwise. */
    test?: CompareTest;
  };
