/**
 * A loaded CSV in column-major form: each column is typed once, at load time. Numeric columns hold
 * Float32Array (NaN = missing), dates hold Float64Array of epoch milliseconds (NaN = missing), categorical
 * and identifier columns hold strings (null = missing).
 */
import { selectImages, type ImageBlock } from './images/block';

/** How a column was inferred (or declared). */
export type ColumnType = 'numeric' | 'categorical' | 'date' | 'identifier' | 'text';

/** A number float32 cannot hold exactly, as the first one found in a column. */
export interface RoundedValue {
  /** 1-based spreadsheet row (header = row 1). */
  row: number;
  /** The cell's text. */
  text: string;
  /** The float32 value stored for it. */
  stored: number;
}

/** A numeric column: values as float32, NaN for missing. */
export interface NumericColumn {
  name: string;
  type: 'numeric';
  values: Float32Array;
  /** The first integer float32 rounds to another integer (beyond 2^24), when there is one: a profile warning. */
  rounded?: RoundedValue;
}

/** A date column: epoch milliseconds, NaN for missing. */
export interface DateColumn {
  name: string;
  type: 'date';
  values: Float64Array;
}

/** A column of strings: categories, identifiers or free text (documents), null for missing. */
export interface TextColumn {
  name: string;
  type: 'categorical' | 'identifier' | 'text';
  values: Array<string | null>;
  /**
   * The first cell, when most of the column reads as numbers written with a decimal comma (`0,123`): the
   * column is text to Topdown, and the profile says how to make it numeric.
   */
  decimalComma?: { row: number; text: string };
}

/** One column of a Table. */
export type Column = NumericColumn | DateColumn | TextColumn;

/** A whole data source, column-major: a CSV's columns, or an image source's file and label columns. */
export interface Table {
  /** Path of the CSV, image folder or IDX file it came from (for error messages). */
  file: string;
  columns: Column[];
  rowCount: number;
  /** Image sources: one image per row, as bytes (the features; `columns` hold the file names and labels). */
  images?: ImageBlock;
}

/** Finds a column by name, or undefined. */
export function findColumn(table: Table, name: string): Column | undefined {
  return table.columns.find((column) => column.name === name);
}

/** A new Table with only the given rows (indices into table), in that order. */
export function selectRows(table: Table, rows: ArrayLike<number>): Table {
  const columns = table.columns.map((column): Column => {
    switch (column.type) {
      case 'numeric': {
        const values = new Float32Array(rows.length);
        for (let i = 0; i < rows.length; i++) values[i] = column.values[rows[i]];
        return { ...column, values };
      }
      case 'date': {
        const values = new Float64Array(rows.length);
        for (let i = 0; i < rows.length; i++) values[i] = column.values[rows[i]];
        return { ...column, values };
      }
      default: {
        const values = new Array<string | null>(rows.length);
        for (let i = 0; i < rows.length; i++) values[i] = column.values[rows[i]];
        return { ...column, values };
      }
    }
  });
  const selected: Table = { file: table.file, columns, rowCount: rows.length };
  if (table.images) selected.images = selectImages(table.images, rows);
  return selected;
}
