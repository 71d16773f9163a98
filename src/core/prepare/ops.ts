/**
 * The column ops of the preparation pipeline, each as a pair: fit (learn plain-JSON state from the training
 * frame) and apply (transform any frame with that state). Shaping ops (window, image) only record their
 * settings here; the pipeline applies them when it assembles the Dataset.
 */
import type { PrepareOp } from '../config';
import { TopdownError } from '../errors';
import { applyOnehot, applyOrdinal, fitCategories } from './categories';
import { applyDate, fitDate, type DateOpState } from './dates';
import { applyTextOp, fitTextOp, type TextOpState } from './text';
import {
  columnIndex,
  isValueColumn,
  opField,
  spreadsheetRow,
  targetInFrame,
  type CategoricalFrameColumn,
  type Frame,
  type FrameColumn,
  type NumericFrameColumn,
  type OpContext,
} from './frame';

/** The fitted state of one op, plain JSON. */
export type OpState =
  | { op: 'drop'; columns: string[] }
  | { op: 'impute'; strategy: string; columns: string[]; fills: Array<number | string> }
  | { op: 'standardize'; columns: string[]; means: number[]; scales: number[] }
  | { op: 'minmax'; columns: string[]; mins: number[]; scales: number[]; low: number }
  | { op: 'log'; columns: string[]; offset: number }
  | { op: 'onehot'; columns: string[]; categories: string[][]; unknown: 'error' | 'ignore' }
  | { op: 'ordinal'; columns: string[]; categories: string[][] }
  | { op: 'window'; lookBack: number; horizon: number }
  | { op: 'image'; rows: number; cols: number; channels: number; scale: number }
  | DateOpState
  | TextOpState;

type Wanted = 'numeric' | 'categorical' | 'any';

function invalid(context: OpContext, opIndex: number, message: string, hint: string, column?: string) {
  return new TopdownError('PREPARE_INVALID', message, {
    file: context.file,
    field: opField(opIndex),
    column,
    hint,
  });
}

/** Numbers or categories: what an op that takes "any" column takes by default (text goes to the text ops). */
function isTableKind(column: FrameColumn): boolean {
  return column.kind === 'numeric' || column.kind === 'categorical';
}

/** The columns an op works on: the ones it names (checked), or its defaults. */
function resolveColumns(
  op: PrepareOp & { columns?: string[] },
  opIndex: number,
  frame: Frame,
  context: OpContext,
  wanted: Wanted,
  includeTarget = false,
): string[] {
  if (op.columns === undefined) {
    return frame.columns
      .filter((column) => (wanted === 'any' ? isTableKind(column) : column.kind === wanted))
      .filter((column) => column.name !== context.target || includeTarget)
      .map((column) => column.name);
  }
  return op.columns.map((name) => {
    if (name === context.target && !targetInFrame(context.task)) {
      throw invalid(
        context,
        opIndex,
        `"${name}" is the target; ${op.op} cannot change it.`,
        'Classes are encoded automatically: remove the target from "columns".',
        name,
      );
    }
    const index = columnIndex(frame, name);
    if (index < 0) {
      const available = frame.columns.map((column) => column.name);
      throw invalid(
        context,
        opIndex,
        `${op.op}: column "${name}" is not a feature at this point of the pipeline.`,
        `Check the spelling, and that no earlier op dropped or expanded it. Features here: ${available.slice(0, 20).join(', ')}${available.length > 20 ? ', ...' : ''}.`,
        name,
      );
    }
    const column = frame.columns[index];
    if (wanted === 'any' && !isValueColumn(column)) {
      throw invalid(
        context,
        opIndex,
        `${op.op}: column "${name}" is ${column.kind === 'tokens' ? 'tokens' : 'text features'} at this point of the pipeline.`,
        'Put this op before the text ops, or leave the column out of "columns".',
        name,
      );
    }
    if (wanted !== 'any' && column.kind !== wanted) {
      throw invalid(
        context,
        opIndex,
        `${op.op} needs ${wanted} columns; "${name}" is ${frame.columns[index].kind}.`,
        wanted === 'numeric'
          ? 'Encode it first with {"op": "onehot"} or {"op": "ordinal"}, or leave it out of "columns".'
          : 'Leave it out of "columns".',
        name,
      );
    }
    return name;
  });
}

function numericColumn(frame: Frame, name: string): NumericFrameColumn {
  return frame.columns[columnIndex(frame, name)] as NumericFrameColumn;
}

/** The values that are not missing (a loop into a typed array: columns can hold millions of rows). */
function presentValues(values: Float64Array): Float64Array {
  const present = new Float64Array(values.length);
  let count = 0;
  for (let index = 0; index < values.length; index++)
    if (!Number.isNaN(values[index])) present[count++] = values[index];
  return present.subarray(0, count);
}

function median(sorted: Float64Array): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The most frequent value; ties go to the smallest (as scikit-learn's SimpleImputer). */
function mostFrequent<T extends string | number>(values: T[]): T {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best = values[0];
  for (const [value, count] of counts) {
    const bestCount = counts.get(best) ?? 0;
    if (count > bestCount || (count === bestCount && value < best)) best = value;
  }
  return best;
}

function fitImpute(
  op: Extract<PrepareOp, { op: 'impute' }>,
  opIndex: number,
  frame: Frame,
  context: OpContext,
) {
  const statistic = op.strategy === 'mean' || op.strategy === 'median';
  const columns = resolveColumns(op, opIndex, frame, context, statistic ? 'numeric' : 'any');
  const fills = columns.map((name): number | string => {
    const column = frame.columns[columnIndex(frame, name)];
    if (op.strategy === 'constant') {
      if (column.kind === 'categorical') return String(op.value ?? 'missing');
      const value = Number(op.value ?? 0);
      if (!Number.isFinite(value)) {
        throw invalid(
          context,
          opIndex,
          `impute: the constant ${JSON.stringify(op.value)} is not a number, and "${name}" is numeric.`,
          'Give a numeric "value", or list only categorical columns.',
          name,
        );
      }
      return value;
    }
    const numbers = column.kind === 'numeric' ? presentValues(column.values) : undefined;
    const texts = numbers ? [] : (column as CategoricalFrameColumn).values.filter((value) => value !== null);
    if ((numbers ?? texts).length === 0) {
      throw invalid(
        context,
        opIndex,
        `impute: column "${name}" has no values in the training part to compute a ${op.strategy} from.`,
        'Drop the column with {"op": "drop"}, or use strategy "constant".',
        name,
      );
    }
    if (!numbers) return mostFrequent(texts as string[]);
    if (op.strategy === 'most-frequent') return mostFrequent(Array.from(numbers));
    if (op.strategy === 'mean') return numbers.reduce((sum, value) => sum + value, 0) / numbers.length;
    // Typed-array sort is numeric and native, far faster than a comparator on a plain array.
    return median(Float64Array.from(numbers).sort());
  });
  return { op: 'impute' as const, strategy: op.strategy, columns, fills };
}

/** The columns to drop; never the target. */
function fitDrop(
  op: Extract<PrepareOp, { op: 'drop' }>,
  opIndex: number,
  frame: Frame,
  context: OpContext,
): OpState {
  if (op.columns.includes(context.target)) {
    throw invalid(
      context,
      opIndex,
      `drop: "${context.target}" is the target and cannot be dropped.`,
      'Remove it from "columns"; to change the target, edit "problem.target".',
      context.target,
    );
  }
  return { op: 'drop', columns: resolveColumns(op, opIndex, frame, context, 'any') };
}

/** Each column's mean and standard deviation on the training part (scale 1 for a constant column). */
function fitStandardize(
  op: Extract<PrepareOp, { op: 'standardize' }>,
  opIndex: number,
  frame: Frame,
  context: OpContext,
): OpState {
  const columns = resolveColumns(op, opIndex, frame, context, 'numeric', context.task === 'time-series');
  const means: number[] = [];
  const scales: number[] = [];
  for (const name of columns) {
    const values = presentValues(numericColumn(frame, name).values);
    const mean = values.length > 0 ? values.reduce((sum, value) => sum + value, 0) / values.length : 0;
    const variance =
      values.length > 0 ? values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length : 0;
    means.push(mean);
    // A constant column keeps scale 1 (as scikit-learn), so it becomes all zeros rather than NaN.
    scales.push(variance > 0 ? Math.sqrt(variance) : 1);
  }
  return { op: 'standardize', columns, means, scales };
}

/** Each column's minimum and the scale that maps its range onto the op's range. */
function fitMinmax(
  op: Extract<PrepareOp, { op: 'minmax' }>,
  opIndex: number,
  frame: Frame,
  context: OpContext,
): OpState {
  const [low, high] = op.range ?? [0, 1];
  if (!(low < high)) {
    throw new TopdownError('PREPARE_INVALID', `minmax: the range [${low}, ${high}] is empty.`, {
      file: context.file,
      field: `${opField(opIndex)}/range`,
      hint: 'Give [low, high] with low < high, e.g. [0, 1] or [-1, 1].',
    });
  }
  const columns = resolveColumns(op, opIndex, frame, context, 'numeric', context.task === 'time-series');
  const mins: number[] = [];
  const scales: number[] = [];
  for (const name of columns) {
    const values = presentValues(numericColumn(frame, name).values);
    let min = values.length > 0 ? Infinity : 0;
    let max = values.length > 0 ? -Infinity : 0;
    for (const value of values) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    mins.push(min);
    scales.push(max > min ? (high - low) / (max - min) : 1);
  }
  return { op: 'minmax', columns, mins, scales, low };
}

/** Learns an op's state from the frame it will first transform. */
export function fitOp(op: PrepareOp, opIndex: number, frame: Frame, context: OpContext): OpState {
  switch (op.op) {
    case 'drop':
      return fitDrop(op, opIndex, frame, context);
    case 'impute':
      return fitImpute(op, opIndex, frame, context);
    case 'standardize':
      return fitStandardize(op, opIndex, frame, context);
    case 'minmax':
      return fitMinmax(op, opIndex, frame, context);
    case 'log':
      return {
        op: 'log',
        columns: resolveColumns(op, opIndex, frame, context, 'numeric'),
        offset: op.offset ?? 1,
      };
    case 'onehot': {
      const columns = resolveColumns(op, opIndex, frame, context, op.columns ? 'any' : 'categorical');
      const categories = columns.map((name) => fitCategories(frame, name));
      return { op: 'onehot', columns, categories, unknown: op.unknown ?? 'error' };
    }
    case 'ordinal': {
      const columns = resolveColumns(op, opIndex, frame, context, op.columns ? 'any' : 'categorical');
      const categories = columns.map((name) => op.order?.[name] ?? fitCategories(frame, name));
      return { op: 'ordinal', columns, categories };
    }
    case 'window':
      return { op: 'window', lookBack: op.lookBack, horizon: op.horizon ?? 1 };
    case 'image':
      return { op: 'image', rows: op.rows, cols: op.cols, channels: op.channels ?? 1, scale: op.scale ?? 1 };
    case 'tokenize':
    case 'tfidf':
    case 'counts':
    case 'sequences':
      return fitTextOp(op, opIndex, frame, context);
    case 'date': {
      const columns = resolveColumns(op, opIndex, frame, context, 'numeric');
      const fitted = fitDate(
        columns.map((name) => numericColumn(frame, name)),
        op.parts,
      );
      return { op: 'date', columns, ...fitted };
    }
  }
}

function mapNumeric(
  frame: Frame,
  names: string[],
  transform: (value: number, position: number, name: string) => number,
) {
  const columns = frame.columns.map((column): FrameColumn => {
    const position = names.indexOf(column.name);
    if (position < 0 || column.kind !== 'numeric') return column;
    return { ...column, values: column.values.map((value) => transform(value, position, column.name)) };
  });
  return { ...frame, columns };
}

function applyImpute(state: Extract<OpState, { op: 'impute' }>, frame: Frame): Frame {
  const columns = frame.columns.map((column): FrameColumn => {
    const position = state.columns.indexOf(column.name);
    if (position < 0) return column;
    const fill = state.fills[position];
    if (column.kind === 'numeric') {
      const value = Number(fill);
      return { ...column, values: column.values.map((item) => (Number.isNaN(item) ? value : item)) };
    }
    if (!isValueColumn(column)) return column;
    return { ...column, values: column.values.map((item) => item ?? String(fill)) };
  });
  return { ...frame, columns };
}

/** Transforms a frame with a fitted op. */
export function applyOp(state: OpState, opIndex: number, frame: Frame, context: OpContext): Frame {
  switch (state.op) {
    case 'drop':
      return { ...frame, columns: frame.columns.filter((column) => !state.columns.includes(column.name)) };
    case 'impute':
      return applyImpute(state, frame);
    case 'standardize':
      return mapNumeric(
        frame,
        state.columns,
        (value, position) => (value - state.means[position]) / state.scales[position],
      );
    case 'minmax':
      return mapNumeric(
        frame,
        state.columns,
        (value, position) => (value - state.mins[position]) * state.scales[position] + state.low,
      );
    case 'log':
      return mapNumeric(frame, state.columns, (value, _position, name) => {
        if (value + state.offset > 0 || Number.isNaN(value)) return Math.log(value + state.offset);
        const frameRow = numericColumn(frame, name).values.findIndex((item) => item + state.offset <= 0);
        const row = spreadsheetRow(frame.rows[frameRow]);
        throw new TopdownError(
          'PREPARE_INVALID',
          `log: column "${name}" has ${value} in row ${row}; log(x + ${state.offset}) needs x > ${-state.offset}.`,
          {
            file: context.file,
            row,
            column: name,
            field: opField(opIndex),
            hint: `Raise "offset" above ${-value}, or leave "${name}" out of the log op.`,
          },
        );
      });
    case 'onehot':
      return applyOnehot(state, opIndex, frame, context);
    case 'ordinal':
      return applyOrdinal(state, opIndex, frame, context);
    case 'window':
    case 'image':
      return frame;
    case 'date':
      return applyDate(state, frame);
    case 'tokenize':
    case 'tfidf':
    case 'counts':
    case 'sequences':
      return applyTextOp(state, frame);
  }
}

/** Undoes, on target values, the ops of a state list that changed the target column (last op first). */
export function inverseTargetOps(states: OpState[], target: string, values: Float32Array): Float32Array {
  // Float64 while undoing several steps, so only the final value is rounded to float32.
  const result = Float64Array.from(values);
  for (let index = states.length - 1; index >= 0; index--) {
    const state = states[index];
    if (state.op !== 'standardize' && state.op !== 'minmax' && state.op !== 'log') continue;
    const position = state.columns.indexOf(target);
    if (position < 0) continue;
    for (let item = 0; item < result.length; item++) {
      if (state.op === 'standardize')
        result[item] = result[item] * state.scales[position] + state.means[position];
      else if (state.op === 'minmax')
        result[item] = (result[item] - state.low) / state.scales[position] + state.mins[position];
      else result[item] = Math.exp(result[item]) - state.offset;
    }
  }
  return Float32Array.from(result);
}
