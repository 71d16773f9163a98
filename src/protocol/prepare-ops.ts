/**
 * The preparation ops of topdown.json (`prepare`, and a candidate's own `prepare`): here, not in core, so the
 * candidates the runner protocol names can carry their pipeline; `core/config.ts` re-exports them. Type aliases
 * (not interfaces), so an op is also plain JSON in a run record.
 */

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
export type TokenizeOptions = {
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
};

/** The vocabulary a text op learns from the training part. */
export type VocabularyOptions = {
  /** At most this many tokens, the most frequent. Default 20000. */
  maxTokens?: number;
  /** A token must be in at least this many training documents. Default 1. */
  minCount?: number;
};

/** The image op's augmentation of training images. */
export type ImageAugment = {
  /** Flip each copy left-right with probability 1/2. Default false. */
  flip?: boolean;
  /** Move each copy by a whole number of pixels from −shift to +shift along each axis. Default 0. */
  shift?: number;
  /** Augmented copies per training image. Default 1. */
  copies?: number;
};
