/**
 * The watcher of a NeuralEstimator fit, shared by tfjs' model.fit (as a tf.Callback) and the typed-array loop:
 * Keras-style epoch logs, stop requests at batch boundaries, the NaN guard, early stopping with best weights.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { ResolvedTraining } from './resolve';
import type { EpochLogs, FitOptions, TF } from './types';

/** How often training gives the event loop a turn, so a stop request sent to the process can arrive. */
const YIELD_EVERY_MS = 50;
/** Rows per evaluate() batch when checking early stopping. */
const EVALUATE_BATCH = 1024;

/**
 * What early stopping watches: the loss on the held-out rows after an epoch, and a copy of the weights of the
 * best epoch, put back when training ends. tfjs' fit and the typed-array loop each supply one.
 */
export interface EarlyStoppingWatch {
  /** The held-out loss (without regularization, as tfjs' evaluate) of the current weights. */
  loss(): Promise<number>;
  /** Keeps a copy of the current weights as the best so far. */
  keepBest(): void;
  /** Puts the kept weights back, if any. */
  restoreBest(): void;
  /** Frees the kept weights. Safe to call twice. */
  release(): void;
}

/** Rows held out for early stopping, as tfjs tensors of the model's inputs and targets. */
export function tensorWatch(
  tf: TF,
  model: tfTypes.LayersModel,
  x: tfTypes.Tensor,
  y: tfTypes.Tensor,
): EarlyStoppingWatch {
  let best: tfTypes.Tensor[] | undefined;
  const release = (): void => {
    tf.dispose(best ?? []);
    best = undefined;
  };
  return {
    async loss() {
      const evaluated = model.evaluate(x, y, { batchSize: EVALUATE_BATCH });
      const scalars = Array.isArray(evaluated) ? evaluated : [evaluated];
      const loss = (await scalars[0].data())[0];
      tf.dispose(scalars);
      return loss;
    },
    keepBest() {
      release();
      best = model.getWeights().map((weight) => weight.clone());
    },
    restoreBest() {
      if (best) model.setWeights(best);
      release();
    },
    release,
  };
}

/** Watches a fit: logs, stop requests, NaN, early stopping with best weights kept. */
export class TrainingMonitor {
  readonly history: EpochLogs[] = [];
  stopped = false;
  nanEpoch?: number;
  nanLoss?: number;
  private bestLoss = Infinity;
  private epochsWithoutGain = 0;
  private lastYield = Date.now();

  constructor(
    private readonly tf: TF,
    private readonly model: tfTypes.LayersModel,
    private readonly training: ResolvedTraining,
    private readonly options: FitOptions,
    private readonly watch: EarlyStoppingWatch | undefined,
  ) {}

  /**
   * A tf.Callback subclass, not a plain callback object: tfjs wraps plain objects in a CustomCallback that
   * downloads every batch's logs from the backend (a sync per batch); a subclass sees the logs as they are.
   */
  callback(): tfTypes.CustomCallbackArgs {
    const onBatchEnd = (): Promise<void> => this.batchEnd();
    const onEpochEnd = (epoch: number, logs: tfTypes.Logs): Promise<void> => this.epochEnd(epoch, logs);
    class Hooks extends this.tf.Callback {
      override async onBatchEnd(): Promise<void> {
        await onBatchEnd();
      }
      override async onEpochEnd(epoch: number, logs?: tfTypes.Logs): Promise<void> {
        await onEpochEnd(epoch, logs ?? {});
      }
    }
    // model.fit accepts BaseCallback instances in its callbacks list; its declared type names only the plain form.
    return new Hooks() as unknown as tfTypes.CustomCallbackArgs;
  }

  /** After each batch: a stop request ends training; the event loop gets a turn every YIELD_EVERY_MS. */
  async batchEnd(): Promise<void> {
    if (this.options.shouldStop?.()) {
      this.stopped = true;
      this.model.stopTraining = true;
      return;
    }
    if (Date.now() - this.lastYield >= YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.lastYield = Date.now();
    }
  }

  /** After each epoch: logs as numbers, the NaN guard, early stopping, then the caller's callback. */
  async epochEnd(epoch: number, raw: tfTypes.Logs): Promise<void> {
    if (this.stopped) return;
    const logs: EpochLogs = {};
    for (const [key, value] of Object.entries(raw as Record<string, number | tfTypes.Scalar>)) {
      logs[key] = typeof value === 'number' ? value : (await value.data())[0];
    }
    const loss = logs.loss;
    if (loss === undefined || !Number.isFinite(loss)) {
      this.nanEpoch = epoch;
      this.nanLoss = loss;
      this.model.stopTraining = true;
      return;
    }
    if (this.watch) await this.checkEarlyStopping();
    this.history.push(logs);
    await this.options.callbacks?.onEpochEnd?.(epoch, logs);
  }

  private async checkEarlyStopping(): Promise<void> {
    const early = this.training.earlyStopping;
    if (!early || !this.watch) return;
    const loss = await this.watch.loss();
    if (loss < this.bestLoss - (early.minDelta ?? 0)) {
      this.bestLoss = loss;
      this.epochsWithoutGain = 0;
      this.watch.keepBest();
    } else {
      this.epochsWithoutGain++;
      if (this.epochsWithoutGain >= early.patience) this.model.stopTraining = true;
    }
  }

  /** Puts back the weights of the best epoch seen by early stopping, if any. */
  restoreBestWeights(): void {
    this.watch?.restoreBest();
  }

  /** Frees the kept best weights. Safe to call twice. */
  release(): void {
    this.watch?.release();
  }
}
