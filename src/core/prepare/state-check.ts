/**
 * The shape of a fitted pipeline state read from a file (a model bundle's `pipeline.json`): every field that
 * applying the pipeline reads, with its type, and the per-column lists as long as the op's columns. A bundle is
 * data from anywhere, so its state is checked before use; a state that passes cannot make the transform fail
 * on its types, and an error after the check is Topdown's own.
 */
import type { Task } from '../config';

/** How a field must look: a JSON type, a list of one, or a per-column list of lists. */
type Shape =
  | 'string'
  | 'number'
  | 'boolean'
  | 'object'
  | 'strings'
  | 'numbers'
  | 'values'
  | 'stringLists'
  | 'numberLists'
  | 'objectsOrNull';

/** A field's shape; `?` after the name: the field may be absent. */
type Fields = Record<string, Shape>;

/** The fields of each op's fitted state (see OpState), as the transform reads them. */
const OP_FIELDS: Record<string, Fields> = {
  drop: { columns: 'strings' },
  impute: { strategy: 'string', columns: 'strings', fills: 'values' },
  standardize: { columns: 'strings', means: 'numbers', scales: 'numbers' },
  minmax: { columns: 'strings', mins: 'numbers', scales: 'numbers', low: 'number' },
  log: { columns: 'strings', offset: 'number' },
  onehot: { columns: 'strings', categories: 'stringLists', unknown: 'string' },
  ordinal: { columns: 'strings', categories: 'stringLists' },
  window: { lookBack: 'number', horizon: 'number' },
  image: { rows: 'number', cols: 'number', channels: 'number', scale: 'number' },
  date: { columns: 'strings', parts: 'strings', origins: 'numbers' },
  tokenize: { columns: 'strings', settings: 'object' },
  tfidf: {
    columns: 'strings',
    tokenizers: 'objectsOrNull',
    vocabularies: 'stringLists',
    'idf?': 'numberLists',
    'sublinear?': 'boolean',
    'binary?': 'boolean',
    reports: 'objectsOrNull',
  },
  sequences: {
    columns: 'strings',
    tokenizers: 'objectsOrNull',
    vocabularies: 'stringLists',
    length: 'number',
    reports: 'objectsOrNull',
  },
};
OP_FIELDS.counts = OP_FIELDS.tfidf;

/** Lists with one entry per column of their op. */
const PER_COLUMN = new Set([
  'means',
  'scales',
  'mins',
  'fills',
  'categories',
  'origins',
  'tokenizers',
  'vocabularies',
  'idf',
  'reports',
]);

const TASKS: readonly Task[] = ['binary', 'multiclass', 'regression', 'time-series', 'image'];
const INPUT_KINDS = ['numeric', 'categorical', 'date', 'text'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const listOf = (value: unknown, item: (entry: unknown) => boolean): boolean =>
  Array.isArray(value) && value.every(item);
const isString = (value: unknown): boolean => typeof value === 'string';
const isNumber = (value: unknown): boolean => typeof value === 'number';

const SHAPES: Record<Shape, (value: unknown) => boolean> = {
  string: isString,
  number: isNumber,
  boolean: (value) => typeof value === 'boolean',
  object: isObject,
  strings: (value) => listOf(value, isString),
  numbers: (value) => listOf(value, isNumber),
  values: (value) => listOf(value, (entry) => isString(entry) || isNumber(entry)),
  stringLists: (value) => listOf(value, (entry) => listOf(entry, isString)),
  numberLists: (value) => listOf(value, (entry) => listOf(entry, isNumber)),
  objectsOrNull: (value) => listOf(value, (entry) => entry === null || isObject(entry)),
};

/** The first field of `object` that does not have its shape, as `name` (or `name: per column`), or undefined. */
function badField(object: Record<string, unknown>, fields: Fields): string | undefined {
  for (const [key, shape] of Object.entries(fields)) {
    const name = key.replace(/\?$/, '');
    const value = object[name];
    if (value === undefined && key.endsWith('?')) continue;
    if (!SHAPES[shape](value)) return name;
    const columns = object.columns;
    if (PER_COLUMN.has(name) && Array.isArray(columns) && (value as unknown[]).length !== columns.length)
      return `${name} (one per column)`;
  }
  return undefined;
}

/** What is wrong with the fitted op state at `index` (with its configured op), or undefined. */
function opStateProblem(step: unknown, op: unknown, index: number): string | undefined {
  if (!isObject(step) || typeof step.op !== 'string' || !Object.hasOwn(OP_FIELDS, step.op))
    return `steps/${index} is not a known preparation op`;
  if (!isObject(op) || op.op !== step.op) return `ops/${index} is not the "${step.op}" op its state is`;
  const field = badField(step, OP_FIELDS[step.op]);
  return field === undefined ? undefined : `steps/${index} (${step.op}) has no valid ${field}`;
}

/** What is wrong with the problem a state was fitted for, or undefined. */
function problemProblem(problem: unknown): string | undefined {
  if (!isObject(problem)) return 'problem is not an object';
  if (typeof problem.target !== 'string') return 'problem has no target column';
  if (!TASKS.includes(problem.task as Task)) return 'problem has no known task';
  const optional: Fields = {
    'positiveClass?': 'string',
    'timeColumn?': 'string',
    'ignore?': 'strings',
    'classNames?': 'strings',
  };
  const field = badField(problem, optional);
  return field === undefined ? undefined : `problem has no valid ${field}`;
}

/**
 * What is wrong with a fitted pipeline state read from a file, in words (`steps/1 (onehot) has no valid
 * categories`), or undefined when it has the shape applying it needs.
 */
export function pipelineStateProblem(state: unknown): string | undefined {
  if (!isObject(state)) return 'it is not an object';
  const problem = problemProblem(state.problem);
  if (problem) return problem;
  const top = badField(state, {
    version: 'number',
    ops: 'objectsOrNull',
    inputs: 'objectsOrNull',
    notes: 'strings',
    'classes?': 'strings',
    steps: 'objectsOrNull',
    featureNames: 'strings',
    'images?': 'object',
  });
  if (top) return `it has no valid ${top}`;
  const inputs = state.inputs as unknown[];
  if (
    !inputs.every(
      (input) => isObject(input) && isString(input.name) && INPUT_KINDS.includes(String(input.kind)),
    )
  )
    return 'inputs lists a column without a name and a known kind';
  const images = state.images;
  if (isObject(images) && badField(images, OP_FIELDS.image)) return 'images has no valid size and scale';
  const steps = state.steps as unknown[];
  const ops = state.ops as unknown[];
  if (steps.length !== ops.length) return 'ops and steps differ in length';
  for (let index = 0; index < steps.length; index++) {
    const found = opStateProblem(steps[index], ops[index], index);
    if (found) return found;
  }
  return undefined;
}
