/**
 * The shape of `topdown.json`, as TypeScript types. `schemas/topdown.schema.json` is the source of truth for
 * validation and editor IntelliSense; these types mirror it (a unit test checks that the template projects
 * validate). Every section is plain JSON so a run record can store the resolved config as is.
 */
import type { CandidateConfig } from '../protocol/candidates';
import type { PrepareOp } from '../protocol/prepare-ops';
import type { ImproveConfig } from './improve/types';

export type {
  CandidateConfig,
  CandidateModel,
  EmbeddingEncoder,
  ModelKind,
  TrainingParams,
} from '../protocol/candidates';
export type {
  DatePart,
  ImageAugment,
  PrepareOp,
  TokenizeOptions,
  VocabularyOptions,
} from '../protocol/prepare-ops';

/** The kind of problem. `image` is classification on pixel columns; `time-series` forecasts the target. */
export type Task = 'binary' | 'multiclass' | 'regression' | 'time-series' | 'image';

/** Metrics for classification tasks (binary, multiclass, image). */
export type ClassificationMetric = 'accuracy' | 'log-loss' | 'f1' | 'precision' | 'recall' | 'roc-auc';
/** Metrics for regression and time-series tasks. */
export type RegressionMetric = 'rmse' | 'mse' | 'mae' | 'r2';
/** Any metric name accepted in `problem.metric`. */
export type MetricName = ClassificationMetric | RegressionMetric;

/** Step 1: the data, the target, the task and the metric. */
export interface ProblemConfig {
  /**
   * The data, relative to the project folder: a CSV file, a folder of class subfolders of images, or an IDX
   * images file (`*-images-idx3-ubyte[.gz]`, its labels file beside it). Image sources give the columns
   * `file` and `label`.
   */
  data: string;
  /** Target column name. For time series: the series column. */
  target: string;
  task: Task;
  /** The metric that ranks candidates. Defaults: accuracy (classification), rmse (regression). */
  metric?: MetricName;
  /** Binary tasks: the class that counts as positive (for precision, recall, F1, ROC AUC). */
  positiveClass?: string;
  /** Columns that are not features (identifiers, leaks). */
  ignore?: string[];
  /**
   * Values that mean "missing", per column name; the key `*` applies to every column. Compared with the
   * raw CSV text and, for numeric columns, by value (so `0` matches `0.0`). Empty cells are always missing.
   */
  missing?: Record<string, Array<string | number>>;
  /** Fraction of rows (0 < f < 0.5) reserved for the final evaluation in step 5; never seen by steps 1–4. */
  holdout?: number;
  /** Time series: the column that orders the rows (a date); rows are sorted by it. */
  timeColumn?: string;
  /** IDX files: the class name of each label number (index 0 names label 0); default the numbers themselves. */
  classNames?: string[];
}

/** Validation scheme shared by every candidate of a project (steps 3 and 4). */
export interface ValidationConfig {
  scheme: 'kfold' | 'stratified-kfold' | 'repeated-kfold' | 'split' | 'walk-forward';
  /** Number of folds (kfold schemes) or of walk-forward steps. Default 10 (kfold), 5 (walk-forward). */
  folds?: number;
  /** repeated-kfold: how many times. Default 3. */
  repeats?: number;
  /** split: fraction held out for validation. Default 0.2. walk-forward: size of each validation step as a fraction of the rows (default: split the tail evenly). */
  testFraction?: number;
  /** walk-forward: fraction of rows in the first training window. Default 0.5. */
  minTrainFraction?: number;
  /** kfold / split: shuffle before splitting. Default true (never for walk-forward). */
  shuffle?: boolean;
}

/** Step 3: validation scheme, seed and the candidates to spot-check. */
export interface EvaluateConfig {
  validation: ValidationConfig;
  /** Seed for folds, initial weights, shuffling. Default 7. */
  seed?: number;
  candidates: CandidateConfig[];
}

/** Step 5: which candidate becomes the final model, and what to write. */
export interface PresentConfig {
  /**
   * Candidate, improve trial or ensemble (`improve.ensembles`) to present; default: the best completed
   * evaluate/improve run by the metric, ensembles included.
   */
  candidate?: string;
  /** Write the final model's holdout predictions to `models/<name>/holdout-predictions.csv`. Default true. */
  predictions?: boolean;
  /** Render REPORT.md and report.html. Default true. */
  report?: boolean;
  /** Folder name of the model bundle under `models/`. Default: the candidate's name. */
  name?: string;
}

/** The whole project file. `improve` is step 4 (its own issue); kept open here. */
export interface ProjectConfig {
  $schema?: string;
  name?: string;
  description?: string;
  problem: ProblemConfig;
  prepare?: PrepareOp[];
  evaluate: EvaluateConfig;
  /** Step 4: search spaces, search method, ensembles (see src/core/improve/types.ts). */
  improve?: ImproveConfig;
  present?: PresentConfig;
}

/**
 * The preparation pipeline a candidate's data goes through: its own `prepare` when it has one (an empty list
 * included), else the project's.
 */
export function candidatePrepare(
  config: Pick<ProjectConfig, 'prepare'>,
  candidate: Pick<CandidateConfig, 'prepare'>,
): PrepareOp[] {
  return candidate.prepare ?? config.prepare ?? [];
}

/** Whether a task predicts classes. */
export function isClassification(task: Task): boolean {
  return task === 'binary' || task === 'multiclass' || task === 'image';
}

/** The metric a project ranks by, with the task's default filled in. */
export function resolveMetric(problem: ProblemConfig): MetricName {
  return problem.metric ?? (isClassification(problem.task) ? 'accuracy' : 'rmse');
}
