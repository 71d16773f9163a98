/**
 * The shape of `topdown.json`, as TypeScript types. `schemas/topdown.schema.json` is the source of truth for
 * validation and editor IntelliSense; these types mirror it (a unit test checks that the template projects
 * validate). Every section is plain JSON so a run record can store the resolved config as is.
 */
import type { CandidateConfig } from '../protocol/candidates';
import type { ImproveConfig } from './improve/types';

export type { CandidateConfig, EmbeddingEncoder, ModelKind, TrainingParams } from '../protocol/candidates';

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

/** A part of a date the `date` op derives. */
export type DatePart = 'year' | 'month' | 'dayOfYear' | 'weekday' | 'hour';

/** One operation of the preparation pipeline (step 2), applied in order. */
export type PrepareOp =
  | { op: 'drop'; columns: string[] }
  | {
      op: 'impute';
      columns?: string[];
      strategy: 'mean' | 'median' | 'most-frequent' | 'constant';
      /** For strategy `constant`. */
      value?: number | string;
    }
  | { op: 'standardize'; columns?: string[] }
  | { op: 'minmax'; columns?: string[]; range?: [number, number] }
  | { op: 'log'; columns: string[]; /** Added before the log, default 1 (log1p). */ offset?: number }
  | {
      op: 'onehot';
      columns?: string[];
      /** What to do with a category not seen in fitting. */ unknown?: 'error' | 'ignore';
    }
  | {
      op: 'ordinal';
      columns?: string[];
      /** Explicit order per column; default: sorted order. */ order?: Record<string, string[]>;
    }
  | { op: 'window'; lookBack: number; horizon?: number }
  | {
      op: 'date';
      columns: string[];
      /** Which parts to derive; default: chosen from the training dates. */ parts?: DatePart[];
    }
  | {
      op: 'image';
      rows: number;
      cols: number;
      channels?: number;
      /** Pixel values are divided by this. */ scale?: number;
      /** Extra flipped or shifted copies of each training image, per fold (src/core/prepare/augment.ts). */
      augment?: ImageAugment;
    }
  | ({ op: 'tokenize'; columns?: string[] } & TokenizeOptions)
  | ({
      op: 'tfidf';
      columns?: string[];
      /** Term frequency as 1 + log(tf). Default false. */ sublinear?: boolean;
    } & VocabularyOptions)
  | ({
      op: 'counts';
      columns?: string[];
      /** Presence (1) instead of counts. Default false. */ binary?: boolean;
    } & VocabularyOptions)
  | ({
      op: 'sequences';
      columns?: string[];
      /** Token ids per document, padded with 0 or cut. */ length: number;
    } & VocabularyOptions);

/** How the text ops split documents into tokens (the `tokenize` op; tfidf, counts and sequences use its defaults). */
export interface TokenizeOptions {
  /** Lower-case first. Default true. */
  lowercase?: boolean;
  /** Word n-gram sizes [smallest, largest]. Default [1, 1]. */
  ngrams?: [number, number];
  /** Character n-gram sizes inside words, e.g. [3, 5]. Default none. */
  charNgrams?: [number, number];
  /** A stop-word list of the `stopword` package by ISO 639-3 code (`eng`, `fra`, ...), or false. Default false. */
  stopWords?: string | false;
  /** Words kept per document; longer documents are cut. Default 2000. */
  maxWords?: number;
}

/** The vocabulary a text op learns from the training part. */
export interface VocabularyOptions {
  /** At most this many tokens, the most frequent. Default 20000. */
  maxTokens?: number;
  /** A token must be in at least this many training documents. Default 1. */
  minCount?: number;
}

/** The image op's augmentation of training images. */
export interface ImageAugment {
  /** Flip each copy left-right with probability 1/2. Default false. */
  flip?: boolean;
  /** Move each copy by a whole number of pixels from −shift to +shift along each axis. Default 0. */
  shift?: number;
  /** Augmented copies per training image. Default 1. */
  copies?: number;
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

/** Whether a task predicts classes. */
export function isClassification(task: Task): boolean {
  return task === 'binary' || task === 'multiclass' || task === 'image';
}

/** The metric a project ranks by, with the task's default filled in. */
export function resolveMetric(problem: ProblemConfig): MetricName {
  return problem.metric ?? (isClassification(problem.task) ? 'accuracy' : 'rmse');
}
