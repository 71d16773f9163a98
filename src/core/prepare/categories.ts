/**
 * The category ops: onehot (one 0/1 column per category seen in training) and ordinal (categories as
 * 0, 1, 2, ... in a given or sorted order). Numeric columns named explicitly are treated as categories too.
 */
import { TopdownError } from '../errors';
import {
  columnIndex,
  formatNumber,
  isValueColumn,
  opField,
  spreadsheetRow,
  type Frame,
  type FrameColumn,
  type OpContext,
} from './frame';
import type { OpState } from './ops';

/** The categories of a column in the frame, sorted (numerically when all are numbers). */
export function fitCategories(frame: Frame, name: string): string[] {
  const values = asText(frame.columns[columnIndex(frame, name)]);
  const distinct = [...new Set(values.filter((value): value is string => value !== null))];
  const numeric = distinct.every((value) => Number.isFinite(Number(value)));
  return distinct.sort(
    numeric
      ? (left, right) => Number(left) - Number(right)
      : (left, right) => (left < right ? -1 : left > right ? 1 : 0),
  );
}

/** Column values as text (numbers formatted), for the category ops. */
function asText(column: FrameColumn): Array<string | null> {
  if (column.kind === 'numeric') return Array.from(column.values, formatNumber);
  // resolveColumns lets only value columns reach the category ops.
  return isValueColumn(column) ? column.values : [];
}

function unseen(
  context: OpContext,
  opIndex: number,
  frame: Frame,
  name: string,
  frameRow: number,
  value: string,
) {
  const row = spreadsheetRow(frame.rows[frameRow]);
  return new TopdownError(
    'UNSEEN_CATEGORY',
    `Column "${name}" has the value "${value}" in row ${row}, not seen when fitting.`,
    {
      file: context.file,
      row,
      column: name,
      field: opField(opIndex),
      hint: 'Set "unknown": "ignore" on the onehot op to encode it as all zeros, or fix the value in the file.',
    },
  );
}

/** Replaces each fitted column by its one-hot columns, named `column=category`. */
export function applyOnehot(
  state: Extract<OpState, { op: 'onehot' }>,
  opIndex: number,
  frame: Frame,
  context: OpContext,
) {
  const columns: FrameColumn[] = [];
  for (const column of frame.columns) {
    const position = state.columns.indexOf(column.name);
    if (position < 0) {
      columns.push(column);
      continue;
    }
    const categories = state.categories[position];
    const indexOf = new Map(categories.map((category, index) => [category, index]));
    const expanded = categories.map((category) => ({
      name: `${column.name}=${category}`,
      kind: 'numeric' as const,
      values: new Float64Array(frame.rows.length),
    }));
    asText(column).forEach((value, frameRow) => {
      if (value === null) {
        const row = spreadsheetRow(frame.rows[frameRow]);
        throw new TopdownError(
          'PREPARE_INVALID',
          `Column "${column.name}" is missing in row ${row}, so onehot cannot encode it.`,
          {
            file: context.file,
            row,
            column: column.name,
            field: opField(opIndex),
            hint: 'Add {"op": "impute", "strategy": "most-frequent"} before the onehot op.',
          },
        );
      }
      const index = indexOf.get(value);
      if (index !== undefined) expanded[index].values[frameRow] = 1;
      else if (state.unknown === 'error') throw unseen(context, opIndex, frame, column.name, frameRow, value);
    });
    columns.push(...expanded);
  }
  return { ...frame, columns };
}

/** Replaces each fitted column by category indices; missing stays NaN for a later impute. */
export function applyOrdinal(
  state: Extract<OpState, { op: 'ordinal' }>,
  opIndex: number,
  frame: Frame,
  context: OpContext,
) {
  const columns = frame.columns.map((column): FrameColumn => {
    const position = state.columns.indexOf(column.name);
    if (position < 0) return column;
    const indexOf = new Map(state.categories[position].map((category, index) => [category, index]));
    const values = new Float64Array(frame.rows.length);
    asText(column).forEach((value, frameRow) => {
      if (value === null) {
        values[frameRow] = NaN;
        return;
      }
      const index = indexOf.get(value);
      if (index === undefined) {
        const error = unseen(context, opIndex, frame, column.name, frameRow, value);
        throw new TopdownError(error.code, error.message, {
          ...error.toJSON(),
          hint: `Add "${value}" to the ordinal op's "order" for "${column.name}", or fix the value in the file.`,
        });
      }
      values[frameRow] = index;
    });
    return { name: column.name, kind: 'numeric', values };
  });
  return { ...frame, columns };
}
