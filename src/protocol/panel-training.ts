/** Host → Training panel: learning curves per run and fold, live while a job runs. */
import type { AdviceSummary, RunStatus } from './records';

/** Keras-shaped logs of one fold, column by column: `logs.loss[epoch]`, `logs.val_loss[epoch]`. */
export interface TrainingCurve {
  fold: number;
  logs: Record<string, number[]>;
}

/** One run's curves and progress. */
export interface TrainingRun {
  runId: string;
  candidate: string;
  label?: string;
  status: RunStatus;
  /** The project metric (e.g. accuracy). */
  metric: string;
  /** Epochs planned per fold (0 when unknown, e.g. a model without epochs). */
  epochs: number;
  /** Folds planned (or known so far, when the run does not say). */
  folds: number;
  /** Folds that ended (finished, stopped early or failed), by index: the others with epochs still train. */
  foldsEnded?: number[];
  /** Step 5's fit of the final model on all the data: one curve, named "final fit", not "fold 1". */
  finalFit?: boolean;
  createdAt: string;
  /** Time spent so far (running) or in total (ended). */
  elapsedMs: number;
  /** The baseline's score drawn as a reference line on the curve of log key `key`. */
  baseline?: { key: string; value: number };
  curves: TrainingCurve[];
  /** The learning-curve advisor's words, once the run has ended (networks only). */
  advice?: AdviceSummary;
  /**
   * The project metric on each finished fold, in fold order: set for a run that recorded no epochs (k-NN, a
   * random forest, a step without training), whose panel shows these instead of an empty curve.
   */
  foldScores?: number[];
}

/** One epoch of one fold, as appended live. `epoch` is 0-based, as Keras' onEpochEnd passes it. */
export interface TrainingPoint {
  runId: string;
  fold: number;
  epoch: number;
  /** Folds the run trains, when the job said. */
  folds?: number;
  logs: Record<string, number>;
}

/** Host → training panel. */
export type TrainingMessage =
  /** The full state of the shown runs; replaces whatever the panel showed. */
  | { type: 'training/snapshot'; runs: TrainingRun[]; live: boolean }
  /** Epochs that arrived since the last append (batched, at most about 10 messages a second). */
  | { type: 'training/append'; points: TrainingPoint[] }
  /** A run started while the panel follows a session. */
  | { type: 'training/runAdded'; run: TrainingRun }
  /** A run's status or elapsed time changed. */
  | {
      type: 'training/status';
      runId: string;
      status: RunStatus;
      elapsedMs: number;
      /** Folds that ended so far, by index. */
      foldsEnded?: number[];
      /** The learning-curve advisor's words, when the run ended with them. */
      advice?: AdviceSummary;
    };
