/**
 * The target: class list and class indices for classification, numeric values for regression and time
 * series. The class list comes from the whole table (knowing which labels exist is not leakage), so every
 * fold encodes classes the same way.
 */
import { isClassification, type ProblemConfig } from '../config';
import type { Table } from '../data/table';
import { TopdownError } from '../errors';
import { formatNumber, requireColumn, spreadsheetRow } from './frame';

function missingTarget(table: Table, target: string, tableRow: number): TopdownError {
  const row = spreadsheetRow(tableRow);
  return new TopdownError('PREPARE_INVALID', `The target "${target}" is missing in row ${row}.`, {
    file: table.file,
    row,
    column: target,
    hint: 'Rows without a target cannot be learned from or scored: remove them from the file.',
  });
}

/** The target of each row as text (classification), or null where missing. */
function targetLabels(table: Table, problem: ProblemConfig): Array<string | null> {
  const column = requireColumn(table, problem.target, '/problem/target');
  if (column.type === 'numeric') return Array.from(column.values, formatNumber);
  if (column.type === 'date') {
    throw new TopdownError('PREPARE_INVALID', `The target "${problem.target}" is a date column.`, {
      file: table.file,
      column: problem.target,
      field: '/problem/target',
      hint: 'Choose another target column.',
    });
  }
  return column.values;
}

/**
 * The class labels of a classification target, from every row of the table: sorted (numerically when all
 * labels are numbers). Binary: the positive class (`problem.positiveClass`, else the second label in sorted
 * order) is index 1.
 */
export function targetClasses(table: Table, problem: ProblemConfig): string[] {
  const labels = targetLabels(table, problem);
  const distinct = new Set<string>();
  labels.forEach((label, tableRow) => {
    if (label === null) throw missingTarget(table, problem.target, tableRow);
    distinct.add(label);
  });
  const classes = [...distinct];
  const numeric = classes.every((label) => label.trim() !== '' && Number.isFinite(Number(label)));
  classes.sort(numeric ? (left, right) => Number(left) - Number(right) : compareText);
  if (classes.length < 2) {
    throw new TopdownError('TARGET_SINGLE_CLASS', `The target "${problem.target}" has only one class.`, {
      file: table.file,
      column: problem.target,
      hint: 'A classifier needs at least two classes: check the target column and the data file.',
    });
  }
  if (problem.task !== 'binary') return classes;
  if (classes.length !== 2) {
    throw new TopdownError(
      'PREPARE_INVALID',
      `A binary task needs exactly 2 classes in "${problem.target}"; found ${classes.length} (${classes.slice(0, 5).join(', ')}).`,
      {
        file: table.file,
        column: problem.target,
        field: '/problem/task',
        hint: classes.length > 2 ? 'Set "task" to "multiclass".' : 'Check the target column.',
      },
    );
  }
  const positive = problem.positiveClass ?? classes[1];
  if (!classes.includes(positive)) {
    throw new TopdownError(
      'PREPARE_INVALID',
      `The positive class "${positive}" is not a value of "${problem.target}" (${classes.join(', ')}).`,
      { file: table.file, field: '/problem/positiveClass', hint: `Use one of: ${classes.join(', ')}.` },
    );
  }
  return [classes.find((label) => label !== positive) as string, positive];
}

function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Class indices of the given rows, or PREPARE_INVALID for a missing or unknown label. */
export function encodeClasses(
  table: Table,
  problem: ProblemConfig,
  classes: string[],
  rows: ArrayLike<number>,
): Int32Array {
  const labels = targetLabels(table, problem);
  const indexOf = new Map(classes.map((label, index) => [label, index]));
  const encoded = new Int32Array(rows.length);
  for (let position = 0; position < rows.length; position++) {
    const tableRow = rows[position];
    const label = labels[tableRow];
    if (label === null) throw missingTarget(table, problem.target, tableRow);
    const index = indexOf.get(label);
    if (index === undefined) {
      const row = spreadsheetRow(tableRow);
      throw new TopdownError(
        'UNSEEN_CATEGORY',
        `Row ${row} has the class "${label}", unknown to the pipeline.`,
        {
          file: table.file,
          row,
          column: problem.target,
          hint: `Known classes: ${classes.join(', ')}.`,
        },
      );
    }
    encoded[position] = index;
  }
  return encoded;
}

/** Checks that a regression or time-series target is numeric and present in the given rows. */
export function checkNumericTarget(table: Table, problem: ProblemConfig, rows: ArrayLike<number>): void {
  const column = requireColumn(table, problem.target, '/problem/target');
  if (column.type !== 'numeric') {
    throw new TopdownError('TARGET_NOT_NUMERIC', `The target "${problem.target}" is not numeric.`, {
      file: table.file,
      column: problem.target,
      field: '/problem/task',
      hint: 'A regression or time-series target must hold numbers; for labels use a classification task.',
    });
  }
  for (let position = 0; position < rows.length; position++) {
    if (Number.isNaN(column.values[rows[position]]))
      throw missingTarget(table, problem.target, rows[position]);
  }
}

/** Class index per row for stratified folds (classification), else undefined. */
export function stratifyLabels(table: Table, problem: ProblemConfig): Int32Array | undefined {
  if (!isClassification(problem.task)) return undefined;
  const classes = targetClasses(table, problem);
  return encodeClasses(
    table,
    problem,
    classes,
    Array.from({ length: table.rowCount }, (_, row) => row),
  );
}
