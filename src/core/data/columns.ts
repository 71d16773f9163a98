/**
 * Builds one column while a CSV streams past. A column starts numeric when its first non-missing cell reads as
 * a number: values go into Float32Array blocks (the first one small, each next one twice as large up to 64K
 * values, joined once at the end, so a wide file of few rows costs little per column) and only
 * the cells that are not numbers are kept as text, with their rows. A column whose first non-missing cell is
 * text keeps every cell as text. A numeric-start column that ends up mostly text cannot rebuild the original
 * text of its numbers from float32 values (`0.1`, `007`, big integers), so the loader reads the file a second
 * time for that column alone (see `needsTextPass`); this only happens for mixed columns, never for clean ones.
 */
import { TopdownError } from '../errors';
import type { Column, ColumnType, NumericColumn, RoundedValue, TextColumn } from './table';
import {
  decimalCommaIndex,
  inferTextColumn,
  isRowIdentifier,
  NUMERIC_FRACTION,
  parseNumber,
  toDates,
  type MissingRule,
} from './infer';

/** A numeric column's first block holds this many values; each next block doubles, up to {@link MAX_BLOCK_SIZE}. */
const FIRST_BLOCK_SIZE = 64;
const MAX_BLOCK_SIZE = 65536;
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, power) => 10 ** power);
/** Integers beyond this size are not all float32 values: 16777217 is stored as 16777216. */
const FLOAT32_EXACT_INTEGERS = 2 ** 24;
/** Strings this long or longer may be V8 slices that pin a whole chunk of the file; copy them. */
const SLICE_MIN_LENGTH = 13;
/** Stop interning text values once a column has this many distinct ones (identifiers, free text). */
const INTERN_LIMIT = 100000;

/** A character that does not fit in one byte (beyond Latin-1). */
const WIDE_CHARACTER = /[\u0100-\uffff]/;

/**
 * A fresh copy of a cell's text, dropping the chunk of the file it may be a slice of, and one byte per character
 * whenever every character fits in one: a slice of a chunk that holds a single wider character (one e-mail's
 * curly quote) is two bytes wide, as is a plain copy of it, which doubled the memory of a table of English text.
 */
export function ownText(text: string): string {
  if (!WIDE_CHARACTER.test(text)) return Buffer.from(text, 'latin1').toString('latin1');
  // Concatenating then slicing flattens the string into a fresh copy.
  return (' ' + text).slice(1);
}

/** Turns a 0-based data index into the 1-based spreadsheet row (header = row 1). */
export type RowOf = (dataIndex: number) => number;

/** The result of finishing a column: the column, or a request to re-read its text. */
export type FinishedColumn = Column | 'needs-text-pass';

/** Where a field that starts at `start` ends: at the next delimiter before `limit`, or at `limit`. */
export function fieldEnd(input: string, start: number, limit: number, delimiter: string): number {
  const next = input.indexOf(delimiter, start);
  return next < 0 || next > limit ? limit : next;
}

/** The most characters one cell may hold (a document of about 150,000 words); longer is CSV_FIELD_TOO_LONG. */
export const MAX_FIELD_CHARS = 1 << 20;

/** CSV_FIELD_TOO_LONG for the cell of `column` in `row` (1-based spreadsheet row). */
export function fieldTooLong(file: string, row: number, column: string, length: number): TopdownError {
  return new TopdownError(
    'CSV_FIELD_TOO_LONG',
    `Row ${row}, column "${column}" holds ${length.toLocaleString('en')} characters; Topdown reads at most ${MAX_FIELD_CHARS.toLocaleString('en')} in a cell.`,
    {
      file,
      row,
      column,
      hint: 'Check for a quote that is never closed (a field then runs into the next rows); otherwise cut the long texts (the tokenize op reads only the first maxWords words of a document anyway).',
    },
  );
}

/** Accumulates the cells of one CSV column. */
export class ColumnBuilder {
  private mode: 'numeric' | 'text';
  private blocks: Float32Array[] = [];
  private current = new Float32Array(FIRST_BLOCK_SIZE);
  private offset = 0;
  private count = 0;
  private numbers = 0;
  private texts: string[] = [];
  private textRows: number[] = [];
  private nonFinite: { row: number; text: string } | undefined;
  private rounded: RoundedValue | undefined;
  private strings: Array<string | null> = [];
  private intern = new Map<string, string>();
  private sawValue = false;

  /**
   * @param name column name from the header
   * @param rule which cells are missing
   * @param file the CSV path, for error messages
   * @param forced a type from `types` in the options, if any
   */
  constructor(
    readonly name: string,
    private readonly rule: MissingRule,
    private readonly file: string,
    private readonly forced?: ColumnType,
  ) {
    this.mode = forced === undefined || forced === 'numeric' ? 'numeric' : 'text';
  }

  /** Adds the next cell; `row` is its 1-based spreadsheet row. */
  add(text: string, row: number): void {
    if (text.length > MAX_FIELD_CHARS) throw fieldTooLong(this.file, row, this.name, text.length);
    this.count++;
    let value = NaN;
    let kind: 0 | 1 | 2 | 3 = 0; // 0 missing, 1 number, 2 non-finite number, 3 text
    if (text.length > 0) {
      value = parseNumber(text);
      if (value === value) {
        if (this.rule.values.size > 0 && this.rule.values.has(value)) kind = 0;
        else if (value === Infinity || value === -Infinity) kind = this.rule.texts.has(text.trim()) ? 0 : 2;
        else kind = 1;
      } else {
        const trimmed = text.trim();
        kind = trimmed.length === 0 || this.rule.texts.has(trimmed) ? 0 : 3;
      }
    }
    if (this.mode === 'numeric' && kind === 3 && !this.sawValue && this.forced === undefined) {
      this.switchToText();
    }
    if (kind !== 0) this.sawValue = true;
    if (this.mode === 'text') {
      this.strings.push(kind === 0 ? null : this.keep(text.trim()));
      return;
    }
    if (this.offset === this.current.length) this.nextBlock();
    if (kind === 1) {
      this.current[this.offset] = value;
      if (!Number.isFinite(this.current[this.offset]) && this.nonFinite === undefined) {
        this.nonFinite = { row, text }; // fits float64 but not float32
      }
      this.checkRounding(value, row, text);
      this.numbers++;
    } else {
      this.current[this.offset] = NaN;
      if (kind === 2) {
        this.numbers++;
        if (this.nonFinite === undefined) this.nonFinite = { row, text };
      } else if (kind === 3) {
        this.texts.push(this.keep(text));
        this.textRows.push(row);
      }
    }
    this.offset++;
  }

  /**
   * Adds the next cell from `input[start]` up to the next `delimiter` before `limit` (or `limit`), and returns
   * where it ends. Plain decimals such as `-12.375` are parsed straight from the characters, without making a
   * string; other texts take the general path of {@link add}. The value equals Number(text): a mantissa of at
   * most 15 digits divided by an exact power of ten is correctly rounded, as Number() is.
   */
  addField(input: string, start: number, limit: number, delimiter: string, row: number): number {
    if (this.mode === 'numeric') {
      let position = start;
      const negative = input.charCodeAt(position) === 45;
      if (negative) position++;
      let mantissa = 0;
      let digits = 0;
      let scale = -1;
      for (; position < limit; position++) {
        const code = input.charCodeAt(position);
        if (code >= 48 && code <= 57) {
          mantissa = mantissa * 10 + (code - 48);
          digits++;
          if (scale >= 0) scale++;
        } else if (code === 46 && scale < 0) {
          scale = 0;
        } else {
          break;
        }
      }
      if (
        digits > 0 &&
        digits <= 15 &&
        (position === limit || input.charCodeAt(position) === delimiter.charCodeAt(0))
      ) {
        let value = scale > 0 ? mantissa / POWERS_OF_TEN[scale] : mantissa;
        if (negative) value = -value;
        if (this.rule.values.size === 0 || !this.rule.values.has(value)) {
          this.addNumber(value, row);
          return position;
        }
      }
    }
    const end = fieldEnd(input, start, limit, delimiter);
    this.add(input.substring(start, end), row);
    return end;
  }

  private addNumber(value: number, row: number): void {
    this.count++;
    this.sawValue = true;
    if (this.offset === this.current.length) this.nextBlock();
    this.current[this.offset] = value;
    if (this.current[this.offset] === Infinity || this.current[this.offset] === -Infinity) {
      this.nonFinite ??= { row, text: String(value) };
    }
    if (value > FLOAT32_EXACT_INTEGERS || value < -FLOAT32_EXACT_INTEGERS) {
      this.checkRounding(value, row, String(value));
    }
    this.numbers++;
    this.offset++;
  }

  /** Notes the first integer that float32 stores as another integer (1e15 + 1 as 999999986991104). */
  private checkRounding(value: number, row: number, text: string): void {
    if (this.rounded !== undefined || !(value > FLOAT32_EXACT_INTEGERS || value < -FLOAT32_EXACT_INTEGERS)) {
      return;
    }
    const stored = Math.fround(value);
    if (stored !== value && Number.isInteger(value) && Number.isFinite(stored)) {
      this.rounded = { row, text: text.trim(), stored };
    }
  }

  private nextBlock(): void {
    this.blocks.push(this.current);
    this.current = new Float32Array(
      Math.min(Math.max(this.current.length * 2, FIRST_BLOCK_SIZE), MAX_BLOCK_SIZE),
    );
    this.offset = 0;
  }

  /** Starts over as a text column, for the second pass over the file. */
  restartAsText(): void {
    this.mode = 'text';
    this.strings = [];
    this.count = 0;
    this.blocks = [];
    this.current = new Float32Array(0);
  }

  /** Finishes the column: infers its type, raises NON_NUMERIC_VALUE / NON_FINITE_VALUE, frees the blocks. */
  finish(rowOf: RowOf): FinishedColumn {
    if (this.mode === 'text') return this.finishText(rowOf);
    const present = this.numbers + this.texts.length;
    if (this.texts.length > 0) {
      if (this.forced === 'numeric' || this.numbers / present >= NUMERIC_FRACTION) {
        throw this.nonNumeric(this.textRows[0], this.texts[0]);
      }
      return 'needs-text-pass';
    }
    if (this.nonFinite !== undefined) throw this.nonFiniteError(this.nonFinite.row, this.nonFinite.text);
    const values = this.joinBlocks();
    if (this.forced === undefined && isRowIdentifier(values)) {
      return { name: this.name, type: 'identifier', values: Array.from(values, (value) => String(value)) };
    }
    const column: NumericColumn = { name: this.name, type: 'numeric', values };
    if (this.rounded !== undefined) column.rounded = this.rounded;
    return column;
  }

  private finishText(rowOf: RowOf): Column {
    const values = this.strings;
    this.intern.clear();
    if (this.forced === 'categorical' || this.forced === 'identifier' || this.forced === 'text') {
      return { name: this.name, type: this.forced, values };
    }
    if (this.forced === 'date') {
      const dates = toDates(values);
      for (let index = 0; index < values.length; index++) {
        if (values[index] !== null && Number.isNaN(dates[index])) {
          throw new TopdownError(
            'NON_NUMERIC_VALUE',
            `Column "${this.name}" is declared a date, but row ${rowOf(index)} holds "${values[index]}".`,
            {
              file: this.file,
              row: rowOf(index),
              column: this.name,
              hint: 'Dates must look like YYYY-MM-DD, YYYY-MM, YYYY-MM-DD hh:mm[:ss] or YYYY/MM/DD; fix the cell or add it to problem.missing.',
            },
          );
        }
      }
      return { name: this.name, type: 'date', values: dates };
    }
    const verdict = inferTextColumn(values);
    switch (verdict.type) {
      case 'numeric-error':
        throw this.nonNumeric(rowOf(verdict.index), verdict.text);
      case 'date':
        return { name: this.name, type: 'date', values: verdict.values };
      default: {
        const column: TextColumn = { name: this.name, type: verdict.type, values };
        const comma = decimalCommaIndex(values);
        if (comma >= 0) column.decimalComma = { row: rowOf(comma), text: values[comma] as string };
        return column;
      }
    }
  }

  private switchToText(): void {
    this.mode = 'text';
    this.strings = new Array<string | null>(this.count - 1).fill(null);
    this.blocks = [];
    this.current = new Float32Array(0);
  }

  private keep(text: string): string {
    let stored = this.intern.get(text);
    if (stored === undefined) {
      stored = text.length >= SLICE_MIN_LENGTH ? ownText(text) : text;
      if (this.intern.size < INTERN_LIMIT) this.intern.set(stored, stored);
    }
    return stored;
  }

  private joinBlocks(): Float32Array {
    const values = new Float32Array(this.count);
    let position = 0;
    for (const block of this.blocks) {
      values.set(block, position);
      position += block.length;
    }
    values.set(this.current.subarray(0, this.offset), position);
    this.blocks = [];
    this.current = new Float32Array(0);
    return values;
  }

  private nonNumeric(row: number, text: string): TopdownError {
    return new TopdownError(
      'NON_NUMERIC_VALUE',
      `Column "${this.name}" holds numbers, but row ${row} holds the text "${text}".`,
      {
        file: this.file,
        row,
        column: this.name,
        hint: `If "${text}" means a missing value, add it to problem.missing for "${this.name}" (e.g. "missing": { "${this.name}": ["${text}"] }); otherwise fix the file.`,
      },
    );
  }

  private nonFiniteError(row: number, text: string): TopdownError {
    return new TopdownError(
      'NON_FINITE_VALUE',
      `Column "${this.name}" holds a value that is not a finite 32-bit number in row ${row}: "${text}".`,
      {
        file: this.file,
        row,
        column: this.name,
        hint: `Replace it with a finite number, or add "${text.trim()}" to problem.missing for "${this.name}" if it means missing.`,
      },
    );
  }
}
