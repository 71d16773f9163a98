/**
 * The number to beat: class frequencies of the training part (classification: accuracy equals the majority
 * share), the training mean (regression), or the last observed value (time series: persistence).
 */
import { isClassification, type CandidateConfig } from '../config';
import type { Dataset } from '../dataset';
import { TopdownError } from '../errors';
import type { Estimator, FitOptions, FitResult, JsonObject, ModelContext } from './types';

/** Predicts the same thing for every row, learned from the training targets only. */
export class BaselineEstimator implements Estimator {
  readonly kind = 'baseline' as const;
  /** Class frequencies (classification) or mean per output column. */
  private constant?: Float32Array;

  constructor(
    private readonly candidate: Extract<CandidateConfig, { model: 'baseline' }>,
    private readonly context: ModelContext,
  ) {}

  /** The resolved candidate, plus which rule it applies. */
  getParams(): JsonObject {
    return { ...this.candidate, strategy: this.strategy() };
  }

  /** Learns class frequencies or target means from the training part. */
  async fit(train: Dataset, _options?: FitOptions): Promise<FitResult> {
    const width = this.width();
    const constant = new Float32Array(width);
    const rows = train.xShape[0];
    if (isClassification(this.context.task)) {
      for (let row = 0; row < rows; row++) constant[train.y[row]] += 1;
    } else {
      for (let row = 0; row < rows; row++)
        for (let column = 0; column < width; column++) constant[column] += train.y[row * width + column];
    }
    for (let column = 0; column < width; column++) constant[column] = rows > 0 ? constant[column] / rows : 0;
    this.constant = constant;
    return { history: [], stopped: false };
  }

  /** The frequency vector or mean for every row; the persistence forecast for time series. */
  async predict(data: Dataset): Promise<Float32Array> {
    if (!this.constant)
      throw new TopdownError(
        'INTERNAL',
        `Candidate "${this.candidate.name}" was asked to predict before fit.`,
      );
    if (this.context.task === 'time-series' && data.persistence) return Float32Array.from(data.persistence);
    const width = this.constant.length;
    const rows = data.xShape[0];
    const output = new Float32Array(rows * width);
    for (let row = 0; row < rows; row++) output.set(this.constant, row * width);
    return output;
  }

  /** Nothing to free. */
  dispose(): void {
    this.constant = undefined;
  }

  /** The fitted constant as plain JSON, for a model bundle (src/core/models/persist.ts). */
  exportState(): JsonObject {
    if (!this.constant) throw this.notFitted();
    return { constant: Array.from(this.constant) };
  }

  /** Restores what exportState() gave; the estimator then predicts as the saved one did. */
  importState(state: JsonObject): void {
    this.constant = Float32Array.from(state.constant as number[]);
  }

  private notFitted(): TopdownError {
    return new TopdownError(
      'INTERNAL',
      `Candidate "${this.candidate.name}" was asked to predict before fit.`,
    );
  }

  private width(): number {
    return this.context.outputUnits;
  }

  private strategy(): string {
    if (isClassification(this.context.task)) return 'class-frequencies';
    return this.context.task === 'time-series' ? 'persistence' : 'mean';
  }
}
