/** The record layer of the CSV reader: chunks in, header and records out, with row numbers. */
import * as fs from 'node:fs';
import Papa from 'papaparse';
import { TopdownError } from '../errors';
import { MAX_FIELD_CHARS } from './columns';
import { encodingError, StrictUtf8 } from './encoding';

const CHUNK_BYTES = 1 << 20;
/** The most columns a CSV may have; a wider header is refused before any column is built (CSV_TOO_WIDE). */
export const MAX_COLUMNS = 20000;
/** A single record longer than this is taken as an unclosed quote (or not a CSV at all). */
const MAX_RECORD_CHARS = 8 << 20;

/** Options the scanner needs. */
export interface ScanOptions {
  delimiter?: string;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Hears every chunk of bytes as read, in order (the source hash is taken from exactly what was parsed). */
  onBytes?: (chunk: Uint8Array) => void;
}

/** CSV_EMPTY for a file with no header. */
export function emptyError(file: string): TopdownError {
  return new TopdownError('CSV_EMPTY', `${file} is empty.`, {
    file,
    hint: 'The file needs a header row of column names and at least one data row.',
  });
}

/** What the record scanner reports. */
export interface RecordSink {
  header(names: string[]): void;
  /** A data record whose field count matches the header; `row` is 1-based (header = row 1). */
  record(fields: string[], row: number): void;
  /**
   * The fast path for chunks without quotes: the field of `column` starts at `input[start]` and ends at the next
   * delimiter before `limit`, or at `limit`. Returns where it ends (the delimiter's index, or `limit`).
   */
  cell(column: number, input: string, start: number, limit: number, row: number): number;
  /** The end of a data record given through {@link RecordSink.cell}. */
  endRow(): void;
  /** A blank line at 0-based record index (header = 0). */
  blank(recordIndex: number): void;
}

/**
 * Turns text into records for a sink: papaparse's results for text that holds a quote (`handle`), its own
 * plain scan for the rest (`scanPlain`). Keeps the record count, so every error names its row.
 */
class RecordScanner {
  /** Records seen so far (the header and blank lines included). */
  recordIndex = 0;
  private headerLength = -1;
  private headerNames: string[] = [];
  /** The file's line ending, from its first chunk. */
  newline: '\n' | '\r\n' | '\r' = '\n';

  constructor(
    private readonly file: string,
    private readonly delimiter: string,
    private readonly sink: RecordSink,
  ) {}

  /** Whether a header was read. */
  get sawHeader(): boolean {
    return this.headerLength >= 0;
  }

  /** The name of the column an unfinished record ends in (undefined before the header). */
  openColumn(record: string): string | undefined {
    return this.headerNames[openField(record, this.delimiter)];
  }

  /** Whether `input` can go through the plain scan: one-character delimiter, no quote, no CR-only lines. */
  plain(input: string): boolean {
    return this.newline !== '\r' && this.delimiter.length === 1 && input.indexOf('"') < 0;
  }

  /** Hands papaparse's records to the sink; `final` when no chunk follows (an unfinished record is an error). */
  handle(records: string[][], errors: Papa.ParseError[], final: boolean): void {
    for (const error of errors) {
      // An error in the last, unfinished record of a chunk is re-examined with the next chunk.
      if (!final && error.row !== undefined && error.row >= records.length) continue;
      throw malformedError(this.file, this.recordIndex + (error.row ?? 0) + 1, error);
    }
    for (const fields of records) {
      const index = this.recordIndex++;
      if (fields.length === 1 && fields[0].trim() === '') {
        if (this.headerLength >= 0) this.sink.blank(index);
        continue;
      }
      if (this.headerLength < 0) {
        this.header(fields, index + 1);
        continue;
      }
      if (fields.length !== this.headerLength) throw this.raggedError(index + 1, fields.length);
      this.sink.record(fields, index + 1);
    }
  }

  /**
   * Papaparse's fast mode splits quote-free text on newlines and delimiters; this does the same without making
   * a string per cell, which doubles throughput on numeric files. Returns where the unfinished record starts.
   */
  scanPlain(input: string, final: boolean): number {
    const end = final ? input.length : input.lastIndexOf('\n') + 1;
    let position = 0;
    while (position < end) {
      let lineEnd = input.indexOf('\n', position);
      if (lineEnd < 0 || lineEnd >= end) lineEnd = end;
      const contentEnd =
        this.newline === '\r\n' && input.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
      const row = ++this.recordIndex;
      const firstCode = input.charCodeAt(position);
      if (
        contentEnd === position ||
        (firstCode <= 32 && input.substring(position, contentEnd).trim() === '')
      ) {
        if (this.headerLength >= 0) this.sink.blank(row - 1);
      } else if (this.headerLength < 0) {
        this.header(input.substring(position, contentEnd).split(this.delimiter), row);
      } else {
        this.plainRecord(input, position, contentEnd, row);
      }
      position = lineEnd + 1;
    }
    return position;
  }

  /** One quote-free data record, field by field through the sink's `cell`. */
  private plainRecord(input: string, position: number, contentEnd: number, row: number): void {
    let column = 0;
    let fieldStart = position;
    for (;;) {
      const fieldEnd = this.sink.cell(column++, input, fieldStart, contentEnd, row);
      if (fieldEnd >= contentEnd) break;
      if (column >= this.headerLength) {
        throw this.raggedError(row, input.substring(position, contentEnd).split(this.delimiter).length);
      }
      fieldStart = fieldEnd + 1;
    }
    if (column !== this.headerLength) throw this.raggedError(row, column);
    this.sink.endRow();
  }

  private header(names: string[], row: number): void {
    this.headerLength = names.length;
    this.headerNames = checkHeader(this.file, names, row);
    this.sink.header(this.headerNames);
  }

  private raggedError(row: number, fields: number): TopdownError {
    return new TopdownError(
      'CSV_RAGGED_ROW',
      `Row ${row} has ${fields} fields, but the header has ${this.headerLength}.`,
      { file: this.file, row, hint: raggedHint(this.headerNames, this.delimiter) },
    );
  }
}

/** A quoted field papaparse could not close, or a closing quote followed by something else. */
function malformedError(file: string, row: number, error: Papa.ParseError): TopdownError {
  const message =
    error.code === 'MissingQuotes'
      ? `A quoted field starting in row ${row} is never closed.`
      : `Row ${row} has a malformed quoted field: a closing quote must be followed by a delimiter or the end of the line.`;
  return new TopdownError('CSV_MALFORMED', message, {
    file,
    row,
    hint: 'Inside a quoted field, write a quote as two quotes (""); close every quoted field.',
  });
}

/** A record longer than MAX_RECORD_CHARS: an unclosed quote, or a file that is not a CSV. */
/** CSV_MALFORMED for a record longer than MAX_RECORD_CHARS; `column`: the field it is in, when known. */
function tooLongError(file: string, row: number, pending: string, column: string | undefined): TopdownError {
  const where = column === undefined ? '' : `, column "${column}",`;
  return new TopdownError(
    'CSV_MALFORMED',
    pending.includes('"')
      ? `A quoted field starting in row ${row}${where} is not closed within ${MAX_RECORD_CHARS >> 20} MB.`
      : `Row ${row} is longer than ${MAX_RECORD_CHARS >> 20} MB.`,
    {
      file,
      row,
      ...(column === undefined ? {} : { column }),
      hint: `Close every quoted field; write a quote inside a quoted field as two quotes (""). A cell holds at most ${MAX_FIELD_CHARS.toLocaleString('en')} characters.`,
    },
  );
}

/**
 * Streams the file record by record; checks the header, ragged rows and quoting. Chunks that hold a quote go
 * through papaparse's parser; quote-free chunks through a plain scanner that splits them exactly as
 * papaparse's fast mode would, but hands out fields as ranges of the chunk instead of strings.
 */
export async function scanRecords(
  file: string,
  totalBytes: number,
  options: ScanOptions,
  sink: RecordSink,
): Promise<void> {
  const stream = fs.createReadStream(file, { highWaterMark: CHUNK_BYTES });
  const decoder = new StrictUtf8();
  const delimiter = options.delimiter ?? ',';
  const scanner = new RecordScanner(file, delimiter, sink);
  let parser: Papa.Parser | undefined;
  let pending = '';
  // The row of a decoding problem: the records read so far, plus the lines waiting in `pending` and before it.
  const decode = (bytes: Buffer, final: boolean): string => {
    const decoded = decoder.decode(bytes, final);
    if (typeof decoded === 'string') return decoded;
    throw encodingError(
      file,
      scanner.recordIndex + 1 + countLines(pending) + countLines(decoded.before),
      decoded,
    );
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    options.onBytes?.(chunk);
    let text = decode(chunk, false);
    if (parser === undefined) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      scanner.newline = guessNewline(text);
      parser = new Papa.Parser({ delimiter, newline: scanner.newline });
    }
    const input = pending + text;
    if (scanner.plain(input)) {
      pending = input.substring(scanner.scanPlain(input, false));
    } else {
      const results = parser.parse(input, 0, true) as Papa.ParseResult<string[]>;
      pending = input.substring(results.meta.cursor);
      scanner.handle(results.data, results.errors, false);
    }
    if (pending.length > MAX_RECORD_CHARS)
      throw tooLongError(file, scanner.recordIndex + 1, pending, scanner.openColumn(pending));
    options.onProgress?.(stream.bytesRead, totalBytes);
  }
  pending += decode(Buffer.alloc(0), true);
  if (parser !== undefined && pending.length > 0) {
    if (scanner.plain(pending)) {
      scanner.scanPlain(pending, true);
    } else {
      const results = parser.parse(pending, 0, false) as Papa.ParseResult<string[]>;
      scanner.handle(results.data, results.errors, true);
    }
  }
  if (!scanner.sawHeader) throw emptyError(file);
}

/** What to do about a ragged row; a one-column header that holds `;` or a tab means another delimiter. */
function raggedHint(header: string[], delimiter: string): string {
  const other =
    header.length === 1 ? [';', '\t'].find((candidate) => header[0].includes(candidate)) : undefined;
  if (other !== undefined && other !== delimiter) {
    const name = other === ';' ? 'semicolon' : 'tab';
    return `The header reads as one column holding "${other === ';' ? ';' : '\\t'}": the file looks ${name}-separated (spreadsheets set to a language with decimal commas write ";" and "0,5"). Save it comma-separated, with decimal points.`;
  }
  return 'Quote text values that contain the delimiter, and make every row have one field per column.';
}

function countLines(text: string): number {
  let lines = 0;
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) lines++;
  return lines;
}

function guessNewline(text: string): '\n' | '\r\n' | '\r' {
  const newline = text.indexOf('\n');
  if (newline > 0 && text[newline - 1] === '\r') return '\r\n';
  if (newline < 0 && text.includes('\r')) return '\r';
  return '\n';
}

/** The 0-based column of the field an unfinished record ends in: delimiters outside quotes before its end. */
function openField(record: string, delimiter: string): number {
  let column = 0;
  let quoted = false;
  for (let index = 0; index < record.length; index++) {
    if (record[index] === '"') quoted = !quoted;
    else if (!quoted && record.startsWith(delimiter, index)) column++;
  }
  return column;
}

function checkHeader(file: string, fields: string[], row: number): string[] {
  if (fields.length > MAX_COLUMNS) {
    throw new TopdownError(
      'CSV_TOO_WIDE',
      `The header (row ${row}) has ${fields.length} columns; Topdown reads at most ${MAX_COLUMNS}.`,
      {
        file,
        row,
        hint: `Keep the columns you need (at most ${MAX_COLUMNS}), or check the delimiter: a file that is not a CSV can read as one very wide row.`,
      },
    );
  }
  const names = fields.map((field) => field.trim());
  const empty = names.flatMap((name, index) => (name === '' ? [index + 1] : []));
  if (empty.length > 0) {
    throw new TopdownError(
      'CSV_MALFORMED',
      `The header (row ${row}) has no name for column${empty.length > 1 ? 's' : ''} ${empty.join(', ')} (counting from 1).`,
      {
        file,
        row,
        hint: 'Give every column a name in the first row (pandas writes its index as an unnamed first column: save with index=False).',
      },
    );
  }
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) duplicates.add(name);
    seen.add(name);
  }
  if (duplicates.size > 0) {
    const list = [...duplicates].map((name) => `"${name}"`).join(', ');
    throw new TopdownError(
      'CSV_MALFORMED',
      `The header (row ${row}) repeats the column name${duplicates.size > 1 ? 's' : ''} ${list}.`,
      {
        file,
        row,
        column: [...duplicates][0],
        hint: 'Give every column a different name.',
      },
    );
  }
  return names;
}
