/** Host → Prepare panel: the preview that `topdown prepare` wrote (`preview.json`). */

/** Raw statistics of one input column over the rows the pipeline was fitted on (fold 1's training part). */
export interface PreviewFeatureBefore {
  name: string;
  /** `numeric`, `categorical`, `date` or `text`. */
  type: string;
  /** `target` when the target is also an input (time series) or may be scaled (regression). */
  role: 'feature' | 'target';
  missing: number;
  mean?: number;
  std?: number;
  min?: number;
  max?: number;
  /** Categorical columns: distinct values. */
  distinct?: number;
}

/** Statistics of one model-ready feature over the training part. */
export interface PreviewFeatureAfter {
  name: string;
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** The preview of step 2 as the panel reads it (a subset of `preview.json`; the fitted pipeline's state is left out). */
export interface PreparationPreview {
  task: string;
  target: string;
  /** The fold the pipeline was fitted on (0-based). */
  fold: number;
  shapes: { train: { x: number[]; y: number[] }; validation: { x: number[]; y: number[] } };
  classes?: string[];
  before: PreviewFeatureBefore[];
  after: PreviewFeatureAfter[];
  /** The fitted pipeline's steps in words. */
  describe: string[];
  /**
   * The candidates' own pipelines (a candidate's `prepare`), each fitted on the same fold: the preview above is
   * the project's `prepare`, which these candidates do not use. Absent when no candidate has its own.
   */
  candidatePipelines?: CandidatePipelinePreview[];
}

/** A pipeline of one or more candidates' own (their `prepare`), fitted on the same fold as the project's. */
export interface CandidatePipelinePreview {
  /** The candidates that declare this pipeline, in topdown.json's order. */
  candidates: string[];
  shapes: PreparationPreview['shapes'];
  /** The fitted pipeline's steps in words. */
  describe: string[];
}

/** Host → prepare panel. */
export type PrepareMessage =
  /** The preview of one prepare run. */
  { type: 'prepare/snapshot'; runId: string; preview: PreparationPreview };
