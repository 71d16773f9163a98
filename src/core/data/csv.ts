/**
 * Step 1: loads a CSV file into a column-major {@link Table}, streaming it through papaparse's parser one
 * megabyte at a time so a large file never sits in memory as text.
 *
 * The format: a header row, then data rows; fields separated by commas (or `delimiter`); fields may be quoted
 * with `"` (quotes inside doubled), and quoted fields may hold delimiters and newlines. A UTF-8 byte order mark
 * is dropped; line endings are CRLF or LF (taken from the first line); blank lines are skipped but still count
 * in row numbers, as a spreadsheet shows them (header = row 1, first data row = row 2). Header names are
 * trimmed; text values are trimmed. Missing values: see `infer.ts`.
 *
 * Layers: `records.ts` turns chunks into records (papaparse for chunks with quotes, a plain scanner for the
 * rest); `columns.ts` parses numbers as they stream and keeps text only for non-numeric cells; `infer.ts`
 * decides types at the end. A mixed column that started numeric is re-read for its text (see `columns.ts`).
 */
import * as fs from 'node:fs';
import { TopdownError } from '../errors';
import { ColumnBuilder, fieldEnd, type RowOf } from './columns';
import { closestName, missingRule } from './infer';
import { emptyError, scanRecords } from './records';
import type { Column, ColumnType, Table } from './table';

/** Options of {@link readCsv}. */
export interface ReadCsvOptions {
  /** Extra missing-value markers per column name; `*` applies to every column (as `problem.missing`). */
  missing?: Record<string, Array<string | number>>;
  /** Use {@link DEFAULT_MISSING_MARKERS} (NA, N/A, NaN, null, ?, ...). Default true. */
  defaultMissing?: boolean;
  /** Force the type of some columns instead of inferring it. */
  types?: Record<string, ColumnType>;
  /** Refuse files larger than this many bytes (CSV_TOO_LARGE), checked before reading. */
  maxBytes?: number;
  /** Called after each chunk with the bytes read so far and the file size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Hears every chunk of the file's bytes as read, in order (for a hash of exactly what was parsed). */
  onBytes?: (chunk: Uint8Array) => void;
  /** Field delimiter. Default `,`. */
  delimiter?: string;
}

export { DEFAULT_MISSING_MARKERS } from './infer';

/** Reads a CSV file into a Table, inferring column types. Throws TopdownError with file/row/column. */
export async function readCsv(file: string, options: ReadCsvOptions = {}): Promise<Table> {
  const delimiter = options.delimiter ?? ',';
  const totalBytes = statCsv(file, options.maxBytes);
  let builders: ColumnBuilder[] = [];
  const skipped: number[] = [];
  let rowCount = 0;
  await scanRecords(file, totalBytes, options, {
    header(names) {
      checkOptionColumns(file, names, options);
      builders = names.map(
        (name) =>
          new ColumnBuilder(
            name,
            missingRule(name, options.missing, options.defaultMissing !== false),
            file,
            options.types?.[name],
          ),
      );
    },
    record(fields, row) {
      for (let index = 0; index < builders.length; index++) builders[index].add(fields[index], row);
      rowCount++;
    },
    cell(column, input, start, limit, row) {
      return builders[column].addField(input, start, limit, delimiter, row);
    },
    endRow() {
      rowCount++;
    },
    blank(recordIndex) {
      skipped.push(recordIndex);
    },
  });
  if (rowCount === 0) {
    throw new TopdownError('CSV_HEADER_ONLY', `${file} has a header row but no data rows.`, {
      file,
      hint: 'Add data rows below the header, or point problem.data at the right file.',
    });
  }
  const rowOf = rowOfSkipping(skipped);
  const columns: Array<Column | undefined> = builders.map((builder) => {
    const finished = builder.finish(rowOf);
    return finished === 'needs-text-pass' ? undefined : finished;
  });
  await rereadAsText(file, totalBytes, options, builders, columns, rowOf);
  return { file, columns: columns as Column[], rowCount };
}

/** The file's row number (header = 1) of a data row, counting the blank lines skipped before it. */
function rowOfSkipping(skipped: number[]): RowOf {
  return (dataIndex) => {
    let record = dataIndex + 1;
    for (const skip of skipped) {
      if (skip <= record) record++;
      else break;
    }
    return record + 1;
  };
}

/**
 * The second pass for mixed columns that started numeric (the `undefined` entries of `columns`): reads their
 * original text again (see columns.ts) and fills them in.
 */
async function rereadAsText(
  file: string,
  totalBytes: number,
  options: ReadCsvOptions,
  builders: ColumnBuilder[],
  columns: Array<Column | undefined>,
  rowOf: RowOf,
): Promise<void> {
  const delimiter = options.delimiter ?? ',';
  const rebuild = builders.filter((_, index) => columns[index] === undefined);
  if (rebuild.length === 0) return;
  const positions = builders.flatMap((builder, index) => (columns[index] === undefined ? [index] : []));
  const rebuilding = builders.map((_, index) => columns[index] === undefined);
  for (const builder of rebuild) builder.restartAsText();
  await scanRecords(
    file,
    totalBytes,
    { ...options, onProgress: undefined },
    {
      header() {},
      record(fields, row) {
        for (const position of positions) builders[position].add(fields[position], row);
      },
      cell(column, input, start, limit, row) {
        const end = fieldEnd(input, start, limit, delimiter);
        if (rebuilding[column]) builders[column].add(input.substring(start, end), row);
        return end;
      },
      endRow() {},
      blank() {},
    },
  );
  for (const position of positions) {
    const finished = builders[position].finish(rowOf);
    if (finished === 'needs-text-pass')
      throw new Error(`Column "${builders[position].name}" did not settle.`);
    columns[position] = finished;
  }
}

function statCsv(file: string, maxBytes: number | undefined): number {
  let stats: fs.Stats;
  try {
    stats = fs.statSync(file);
  } catch {
    throw new TopdownError('CSV_NOT_FOUND', `Data file not found: ${file}`, {
      file,
      hint: 'Check problem.data in topdown.json; paths are relative to the project folder.',
    });
  }
  if (!stats.isFile()) {
    throw new TopdownError('CSV_NOT_FOUND', `${file} is not a file.`, {
      file,
      hint: 'Point problem.data at a .csv file.',
    });
  }
  if (stats.size === 0) throw emptyError(file);
  if (maxBytes !== undefined && stats.size > maxBytes) {
    throw new TopdownError(
      'CSV_TOO_LARGE',
      `${file} is ${formatBytes(stats.size)}, more than the limit of ${formatBytes(maxBytes)}.`,
      { file, hint: 'Use a sample of the data, or raise the size limit.' },
    );
  }
  return stats.size;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

function checkOptionColumns(file: string, names: string[], options: ReadCsvOptions): void {
  const listed = [
    ...Object.keys(options.missing ?? {})
      .filter((name) => name !== '*')
      .map((name) => ({
        name,
        where: 'problem.missing',
        field: `/problem/missing/${name}` as string | undefined,
      })),
    ...Object.keys(options.types ?? {}).map((name) => ({
      name,
      where: 'the types option',
      field: undefined,
    })),
  ];
  for (const { name, where, field } of listed) {
    if (names.includes(name)) continue;
    const closest = closestName(name, names);
    throw new TopdownError('COLUMN_NOT_FOUND', `Column "${name}", named in ${where}, is not in ${file}.`, {
      file,
      column: name,
      field,
      suggestion: closest,
      hint: `${closest ? `Did you mean "${closest}"? ` : ''}The columns are: ${names.join(', ')}.`,
    });
  }
}
