/**
 * The working form of the data inside the preparation pipeline: named columns, numeric (float64, NaN for
 * missing) or categorical (null for missing), over a list of source rows. Ops turn one frame into another.
 */
import type { PrepareOp, ProblemConfig, Task } from '../config';
import type { Table } from '../data/table';
import { TopdownError } from '../errors';
import type { CsrMatrix } from '../sparse';

/** A numeric working column. */
export interface NumericFrameColumn {
  name: string;
  kind: 'numeric';
  values: Float64Array;
}

/** A categorical working column. */
export interface CategoricalFrameColumn {
  name: string;
  kind: 'categorical';
  values: Array<string | null>;
}

/** A free-text working column (documents), before the text ops turn it into numbers. */
export interface TextFrameColumn {
  name: string;
  kind: 'text';
  values: Array<string | null>;
  /**
   * The table column's values these documents were read from: the key under which their tokens are cached, so
   * that the folds of a job tokenize each document once (src/core/text/token-ids.ts).
   */
  source?: object;
}

/** A tokenized text column: the tokens of each document (the `tokenize` op's output). */
export interface TokensFrameColumn {
  name: string;
  kind: 'tokens';
  values: string[][];
}

/** A block of sparse features made from one text column (`tfidf`, `counts`). */
export interface SparseFrameColumn {
  name: string;
  kind: 'sparse';
  matrix: CsrMatrix;
  featureNames: string[];
}

/** A dense block of features made from one text column: padded token ids (`sequences`). */
export interface BlockFrameColumn {
  name: string;
  kind: 'block';
  /** Row-major, frame rows × width. */
  values: Float32Array;
  width: number;
  /** The ids the values may hold, 0 to tokenIds - 1 (padding, unknown, then the vocabulary). */
  tokenIds: number;
  featureNames: string[];
}

/** One working column. */
export type FrameColumn =
  | NumericFrameColumn
  | CategoricalFrameColumn
  | TextFrameColumn
  | TokensFrameColumn
  | SparseFrameColumn
  | BlockFrameColumn;

/** The column kinds the text ops make or read. */
export type TextFrameKind = 'text' | 'tokens' | 'sparse' | 'block';

/** The ops that read free text. */
export const TEXT_OPS: ReadonlySet<PrepareOp['op']> = new Set<PrepareOp['op']>([
  'tokenize',
  'tfidf',
  'counts',
  'sequences',
]);

/** A column of values one per row (numbers or strings), as the table ops read them. */
export type ValueFrameColumn = NumericFrameColumn | CategoricalFrameColumn | TextFrameColumn;

/** Whether a column holds one value per row (not tokens or a block of features made by a text op). */
export function isValueColumn(column: FrameColumn): column is ValueFrameColumn {
  return column.kind === 'numeric' || column.kind === 'categorical' || column.kind === 'text';
}

/** Columns over a set of source rows. */
export interface Frame {
  columns: FrameColumn[];
  /** Source row index (0-based, into the Table) of each frame row. */
  rows: Int32Array;
}

/** What every op needs to know besides the data. */
export interface OpContext {
  task: Task;
  /** Target column name. */
  target: string;
  /** CSV path, for error messages. */
  file: string;
}

/**
 * A table column the pipeline reads, and how: a date as epoch milliseconds (for the date op), free text as
 * documents (for the text ops).
 */
export interface InputColumn {
  name: string;
  kind: 'numeric' | 'categorical' | 'date' | 'text';
}

/** The 1-based spreadsheet row of a 0-based table row (the header is row 1). */
export function spreadsheetRow(tableRow: number): number {
  return tableRow + 2;
}

/** The JSON pointer of an op in topdown.json. */
export function opField(opIndex: number): string {
  return `/prepare/${opIndex}`;
}

/** Whether the target is part of the working frame: regression and time series keep it (it may be scaled). */
export function targetInFrame(task: Task): boolean {
  return task === 'regression' || task === 'time-series';
}

/** The target column of a table, or COLUMN_NOT_FOUND naming it. */
export function requireColumn(table: Table, name: string, field: string) {
  const column = table.columns.find((candidate) => candidate.name === name);
  if (!column) {
    throw new TopdownError('COLUMN_NOT_FOUND', `Column "${name}" is not in ${table.file}.`, {
      file: table.file,
      column: name,
      field,
      hint: `Columns are: ${table.columns.map((candidate) => candidate.name).join(', ')}.`,
    });
  }
  return column;
}

/** Builds a frame over the given rows of a table, reading the input columns in order. */
export function buildFrame(table: Table, inputs: InputColumn[], rows: ArrayLike<number>): Frame {
  const columns = inputs.map((input): FrameColumn => {
    const column = requireColumn(table, input.name, '/prepare');
    if (input.kind === 'numeric' || input.kind === 'date') {
      if (column.type !== input.kind) {
        throw new TopdownError(
          'PREPARE_INVALID',
          `Column "${input.name}" was ${input.kind === 'date' ? 'a date column' : 'numeric'} when the pipeline was fitted but is ${column.type} in ${table.file}.`,
          {
            file: table.file,
            column: input.name,
            hint:
              input.kind === 'date'
                ? 'Write every cell as a date (YYYY-MM-DD, optionally with hh:mm) or leave it empty.'
                : 'Check the column for text values.',
          },
        );
      }
      const values = new Float64Array(rows.length);
      for (let index = 0; index < rows.length; index++) values[index] = column.values[rows[index]];
      return { name: input.name, kind: 'numeric', values };
    }
    const values = new Array<string | null>(rows.length);
    for (let index = 0; index < rows.length; index++) {
      const value = column.values[rows[index]];
      values[index] = value === null ? null : typeof value === 'string' ? value : formatNumber(value);
    }
    return input.kind === 'text'
      ? { name: input.name, kind: 'text', values, source: column.values }
      : { name: input.name, kind: input.kind, values };
  });
  return { columns, rows: Int32Array.from(rows) };
}

/** A float32 value as short text (0.1, not 0.10000000149011612); NaN is missing. */
export function formatNumber(value: number): string | null {
  if (Number.isNaN(value)) return null;
  return String(Number(value.toPrecision(7)));
}

/** The inputs of a pipeline: features by role, plus the target where it stays in the frame. */
export function resolveInputs(
  table: Table,
  problem: ProblemConfig,
  ops: PrepareOp[] = [],
): { inputs: InputColumn[]; notes: string[] } {
  const dated = new Set(ops.flatMap((op) => (op.op === 'date' ? op.columns : [])));
  const texts = textOpColumns(ops);
  requireColumn(table, problem.target, '/problem/target');
  const ignored = new Set(problem.ignore ?? []);
  (problem.ignore ?? []).forEach((name, index) => requireColumn(table, name, `/problem/ignore/${index}`));
  const inputs: InputColumn[] = [];
  const notes: string[] = [];
  for (const column of table.columns) {
    if (column.name === problem.target) {
      if (targetInFrame(problem.task)) inputs.push({ name: column.name, kind: 'numeric' });
      continue;
    }
    if (ignored.has(column.name)) {
      notes.push(`Ignored column "${column.name}" (problem.ignore).`);
    } else if (table.images && column.type === 'identifier') {
      const { rows, cols, channels } = table.images;
      notes.push(
        `The features are the images (${rows} × ${cols} × ${channels}); "${column.name}" names them.`,
      );
    } else if (texts.named.has(column.name) || (column.type === 'text' && texts.all)) {
      inputs.push({ name: column.name, kind: 'text' });
    } else if (column.type === 'text') {
      notes.push(
        `Dropped text column "${column.name}" (free text is not a feature as it is: add {"op": "tfidf", "columns": ["${column.name}"]} to use its words).`,
      );
    } else if (column.type === 'identifier') {
      notes.push(`Dropped identifier column "${column.name}" (a unique value per row predicts nothing).`);
    } else if (column.name === problem.timeColumn) {
      notes.push(`Dropped time column "${column.name}" (it orders the rows).`);
    } else if (column.type === 'date' && dated.has(column.name)) {
      inputs.push({ name: column.name, kind: 'date' });
    } else if (column.type === 'date') {
      notes.push(
        `Dropped date column "${column.name}" (dates are not features as they are: add {"op": "date", "columns": ["${column.name}"]} to use its year, season, weekday or hour).`,
      );
    } else {
      inputs.push({ name: column.name, kind: column.type === 'numeric' ? 'numeric' : 'categorical' });
    }
  }
  return { inputs, notes };
}

/** The columns the text ops name, and whether one of them takes every text column (no `columns`). */
function textOpColumns(ops: PrepareOp[]): { named: Set<string>; all: boolean } {
  const named = new Set<string>();
  let all = false;
  for (const op of ops) {
    if (!TEXT_OPS.has(op.op)) continue;
    const columns = (op as { columns?: string[] }).columns;
    if (columns) columns.forEach((name) => named.add(name));
    else all = true;
  }
  return { named, all };
}

/** Index of a frame column by name, or -1. */
export function columnIndex(frame: Frame, name: string): number {
  return frame.columns.findIndex((column) => column.name === name);
}

/** The first frame row with a missing value in a column, or -1. */
export function firstMissing(column: FrameColumn): number {
  if (column.kind === 'numeric') return column.values.findIndex((value) => Number.isNaN(value));
  if (column.kind === 'categorical' || column.kind === 'text')
    return column.values.findIndex((value) => value === null);
  return -1;
}
