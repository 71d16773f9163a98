/** Error codes and the plain-JSON error shape shared by core, runner, host and webviews. */

/** Every error code Topdown raises on purpose. */
export type ErrorCode =
  | 'CSV_NOT_FOUND'
  | 'CSV_EMPTY'
  | 'CSV_HEADER_ONLY'
  | 'CSV_MALFORMED'
  | 'CSV_RAGGED_ROW'
  | 'CSV_TOO_LARGE'
  | 'CSV_TOO_WIDE'
  /** One cell holds more text than Topdown reads in a cell (the file, row and column are named). */
  | 'CSV_FIELD_TOO_LONG'
  | 'CSV_ENCODING'
  | 'COLUMN_NOT_FOUND'
  | 'TARGET_MISSING'
  | 'TARGET_SINGLE_CLASS'
  | 'TARGET_NOT_NUMERIC'
  | 'NON_NUMERIC_VALUE'
  | 'NON_FINITE_VALUE'
  | 'CLASS_TOO_SMALL'
  | 'PROJECT_NOT_FOUND'
  | 'PROJECT_INVALID'
  | 'PREPARE_INVALID'
  | 'UNSEEN_CATEGORY'
  | 'FOLDS_INVALID'
  | 'MODEL_INVALID'
  | 'CUSTOM_MODEL_FAILED'
  | 'CUSTOM_MODEL_SHAPE'
  | 'LOSS_NAN'
  | 'BACKEND_UNAVAILABLE'
  | 'RUN_NOT_FOUND'
  | 'RUN_CANCELLED'
  | 'RUNNER_CRASHED'
  | 'PROTOCOL_MISMATCH'
  | 'SCHEMA_TOO_NEW'
  | 'BUNDLE_INVALID'
  /** An image file is not a whole PNG or JPEG (the file is named). */
  | 'IMAGE_UNREADABLE'
  /** An image has another size than the first, and no image op declares the size to resize to. */
  | 'IMAGE_SIZE_MISMATCH'
  /** An image folder is not one subfolder of images per class (an empty class, a single class, loose images). */
  | 'IMAGE_FOLDER_INVALID'
  /** An IDX file is damaged, truncated, or does not match its labels file. */
  | 'IDX_INVALID'
  /** A write failed because the disk (or the user's quota on it) is full; the old file is unchanged. */
  | 'DISK_FULL'
  /** A write failed for another reason (a read-only folder, an I/O error); the message names the system's code. */
  | 'WRITE_FAILED'
  /** The data file changed while a job ran: its hash differs from the one the job recorded when it started. */
  | 'DATA_CHANGED'
  /** Training produced non-finite weights, outputs or losses (the learning rate is usually too high). */
  | 'DIVERGED'
  /** A file Topdown would load or write (a custom model module, a report file) leads, by `..` or a link, outside the project. */
  | 'PATH_OUTSIDE_PROJECT'
  | 'USAGE'
  | 'QUEUE_UNREACHABLE'
  | 'QUEUE_LOST'
  | 'QUEUE_CONTENT'
  | 'QUEUE_CLIENT_MISSING'
  | 'INTERNAL';

/** Where in a file or document an error points. Rows and lines are 1-based, as an editor shows them. */
export interface ErrorLocation {
  /** Absolute or project-relative path of the file at fault. */
  file?: string;
  /** 1-based data row in a CSV (the header is row 1, the first data row is row 2), as a spreadsheet shows it. */
  row?: number;
  /** Column name in a CSV. */
  column?: string;
  /** JSON pointer of a field in topdown.json, e.g. `/evaluate/candidates/2/epochs`. */
  field?: string;
  /** 1-based line and column in a text file (topdown.json). */
  line?: number;
  character?: number;
}

/** Plain-JSON form of a TopdownError, stored in run records and sent over the protocol. */
export interface ErrorInfo extends ErrorLocation {
  code: ErrorCode;
  message: string;
  /** What to do next, one sentence. */
  hint?: string;
  /**
   * The known name nearest to a misspelt one (the hint's "did you mean"), for editors: a short notification and a
   * quick fix. Absent when nothing is near.
   */
  suggestion?: string;
}
