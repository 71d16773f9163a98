/**
 * The data profile of step 1 (`topdown define`), stored as `runs/<run-id>/profile.json` and shown by the
 * Data profile panel.
 */

/** Per-column facts. */
export interface ColumnProfile {
  name: string;
  type: 'numeric' | 'categorical' | 'date' | 'identifier' | 'text';
  /** Role in the project (`time`: a time series' time column, which orders the rows and is not a feature). */
  role: 'feature' | 'target' | 'ignored' | 'time';
  missing: number;
  distinct: number;
  /** Numeric and date columns (dates as epoch ms). */
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  /** Numeric columns: equal-width histogram. */
  histogram?: { edges: number[]; counts: number[] };
  /** Categorical columns: most frequent values, at most 10. */
  top?: Array<{ value: string; count: number }>;
  /** Numeric features: Pearson correlation with the target (numeric target, or positive-class indicator). */
  targetCorrelation?: number;
  /** Count of exact zeros (numeric), to spot zeros that mean "missing". */
  zeros?: number;
  /** Free-text columns: document lengths, vocabulary, frequent and class-indicative words. */
  text?: TextProfile;
}

/** One word of a text profile's lists. */
export interface TextWord {
  word: string;
  /** Documents (of the class, for indicative words) that hold it. */
  documents: number;
  /** What the list is sorted by: documents (frequent), log-odds of the class against the rest (indicative). */
  score: number;
}

/** The profile of a free-text column. */
export interface TextProfile {
  /** Words per document (missing documents left out). */
  words: { min: number; median: number; max: number; histogram: { edges: number[]; counts: number[] } };
  /** Documents without a single word. */
  empty: number;
  /** Distinct words (lower case) over all documents. */
  vocabulary: number;
  /** The words in the most documents. */
  frequent: TextWord[];
  /** Classification: per class (in class order), the words most typical of it against the other classes. */
  indicative?: Array<{ value: string; words: TextWord[] }>;
}

/** Something a person should look at, e.g. zeros that look like missing values. */
export interface ProfileWarning {
  code:
    | 'ZEROS_LOOK_MISSING'
    | 'IDENTIFIER'
    | 'CONSTANT'
    | 'HIGH_MISSING'
    | 'IMBALANCED'
    | 'HIGH_CARDINALITY'
    | 'FEW_ROWS'
    | 'ROUNDED_VALUES'
    | 'DECIMAL_COMMA';
  column?: string;
  message: string;
}

/** The whole profile. */
export interface DataProfile {
  file: string;
  rows: number;
  columns: ColumnProfile[];
  target: {
    name: string;
    task: string;
    /** Classification: count per class, in class order. */
    classes?: Array<{ value: string; count: number }>;
    /** Regression / time series: distribution. */
    distribution?: {
      min: number;
      max: number;
      mean: number;
      std: number;
      histogram: { edges: number[]; counts: number[] };
    };
  };
  warnings: ProfileWarning[];
  /** Image sources (an image folder, IDX files): the image size and sample images per class. */
  images?: ImageSamples;
  /** Time series: the target over time, with the walk-forward folds' ranges. */
  series?: SeriesProfile;
}

/** A time series as the Data profile draws it: the profiled rows (the holdout's are left out), in time order. */
export interface SeriesProfile {
  /** The time column. */
  time: string;
  /** Each row's time as text (dates at the precision they carry: "1949-01"). */
  times: string[];
  /** The target per row; null where missing. */
  values: Array<number | null>;
  /** Per fold: the first and last row (indices into `times`) its training and validation samples forecast. */
  folds: Array<{ index: number; train: [number, number]; validation: [number, number] }>;
}

/** One image as sent to a panel: its name and its bytes. */
export interface ImageSample {
  /** Where it came from: a path relative to the image folder, or `#n` in an IDX file. */
  file: string;
  /** Base64 of rows × cols × channels bytes, row-major. */
  pixels: string;
}

/** A few images per class, for the sample grid of the Data profile panel and the report. */
export interface ImageSamples {
  rows: number;
  cols: number;
  /** 1 (grey) or 3 (RGB). */
  channels: number;
  /** In class order: the class and its first images. */
  classes: Array<{ value: string; images: ImageSample[] }>;
}

/** One often-confused pair of classes on the holdout: how often, and the most confident of those mistakes. */
export interface ConfusedPair {
  /** The true class. */
  actual: string;
  /** The class the model predicted instead. */
  predicted: string;
  /** Holdout samples of `actual` predicted as `predicted`. */
  count: number;
  /** `count` over the holdout samples of `actual`. */
  share: number;
  /** Example images, the most confident mistakes first, each with the predicted class's probability. */
  examples: Array<ImageSample & { probability: number }>;
}

/** The most confused class pairs of an image classifier on the holdout, most frequent first. */
export interface ConfusedPairs {
  rows: number;
  cols: number;
  /** 1 (grey) or 3 (RGB). */
  channels: number;
  pairs: ConfusedPair[];
}

/** A holdout document the final model classified wrong, with a readable snippet of its text. */
export interface MisclassifiedDocument {
  /** 1-based data row in the CSV, as a spreadsheet shows it. */
  row: number;
  actual: string;
  predicted: string;
  /** The model's probability of the class it predicted. */
  probability: number;
  /** The document's start, whitespace collapsed and control characters dropped, cut at a word with "…". */
  snippet: string;
}

/** One word of a linear model's class words: its feature weight towards the class. */
export interface ClassWord {
  word: string;
  /** The coefficient pushing towards the class (positive; larger pushes harder). */
  weight: number;
}

/** What a text classifier got wrong on the holdout and, for linear models, the words that push towards each class. */
export interface TextResults {
  /** The text column the snippets come from. */
  column: string;
  /**
   * Which predictions these are: the final model's on the holdout (step 5, the default), or a step 3 candidate's
   * on its folds' validation parts (then `holdout` counts the validated documents).
   */
  scope?: 'holdout' | 'cross-validation';
  /** Holdout documents, and how many of them were misclassified. */
  holdout: number;
  misclassified: number;
  /** The most confident mistakes first, at most 20 of them. */
  documents: MisclassifiedDocument[];
  /** Linear models (logistic): per class, in class order, the words with the largest weights towards it. */
  classWords?: Array<{ value: string; words: ClassWord[] }>;
}
