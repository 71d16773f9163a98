/**
 * How far a run's training is, in the one unit the status bar and the Training panel both use: epochs per fold
 * while a single fold trains ("fold 3/5 · epoch 12/100"), epochs of all folds together while several train at
 * once or none does ("epochs 48/500 (3 folds at once)"). DOM-free and Node-free: the host and the panels import it.
 */
import type { TrainingRun } from '../protocol/panel-training';

/** What is known of a run's training. */
export interface TrainingProgress {
  /** Epochs planned per fold (0 when unknown). */
  epochs: number;
  /** Folds planned, or known so far (0 when unknown). */
  folds: number;
  /** Epochs finished so far, by fold index. */
  epochsDone: ReadonlyMap<number, number>;
  /** Folds that ended (finished, stopped early or failed): they train no more. */
  foldsEnded: ReadonlySet<number>;
  /** The run still trains. */
  running: boolean;
  /** Step 5's single fit on all the data: "final fit", never "fold 1". */
  finalFit?: boolean;
}

/** The folds training now, in index order: those with epochs that have not ended, while the run runs. */
export function foldsTraining(progress: TrainingProgress): number[] {
  if (!progress.running) return [];
  return [...progress.epochsDone.keys()]
    .filter((fold) => !progress.foldsEnded.has(fold))
    .filter((fold) => progress.epochs === 0 || (progress.epochsDone.get(fold) ?? 0) < progress.epochs)
    .sort((a, b) => a - b);
}

/** Epochs finished so far, all folds together. */
export function epochsSoFar(progress: TrainingProgress): number {
  return [...progress.epochsDone.values()].reduce((sum, value) => sum + value, 0);
}

function outOf(done: number, planned: number): string {
  return planned > 0 ? `${done}/${planned}` : String(done);
}

/**
 * "fold 3/5 · epoch 12/100" while one fold trains, "epochs 48/500 (3 folds at once)" while several do,
 * "epochs 60/60" otherwise, "final fit · epoch 4/40" for step 5; "" before any epoch is known.
 */
export function formatTrainingProgress(progress: TrainingProgress): string {
  const { epochs, folds } = progress;
  const training = foldsTraining(progress);
  if (progress.finalFit) {
    const done = Math.max(0, ...progress.epochsDone.values());
    return `final fit · epoch ${outOf(done, epochs)}`;
  }
  if (training.length === 1) {
    const fold = training[0];
    return `fold ${outOf(fold + 1, folds > fold ? folds : 0)} · epoch ${outOf(progress.epochsDone.get(fold) ?? 0, epochs)}`;
  }
  const done = epochsSoFar(progress);
  if (done === 0 && training.length === 0) return '';
  const planned = epochs > 0 && folds > 0 ? epochs * Math.max(folds, progress.epochsDone.size) : 0;
  const together = training.length > 1 ? ` (${training.length} folds at once)` : '';
  return `epochs ${outOf(done, planned)}${together}`;
}

/** A Training panel run's progress, from its curves (each fold's epochs are its longest log). */
export function runProgress(run: TrainingRun): TrainingProgress {
  const epochsDone = new Map<number, number>();
  for (const curve of run.curves) {
    const done = Math.max(0, ...Object.values(curve.logs).map((values) => values.length));
    if (done > 0) epochsDone.set(curve.fold, done);
  }
  return {
    epochs: run.epochs,
    folds: run.folds,
    epochsDone,
    foldsEnded: new Set(run.foldsEnded ?? []),
    running: run.status === 'running',
    finalFit: run.finalFit,
  };
}
