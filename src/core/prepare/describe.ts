/** Plain-words description of a preparation pipeline, for `topdown prepare` and the Prepare panel. */
import type { PrepareOp, ProblemConfig } from '../config';
import type { OpState } from './ops';
import { describeTextStep } from './text-describe';

/** The parts of a fitted pipeline state that describe() reads. */
export interface DescribedState {
  notes: string[];
  classes?: string[];
  steps: OpState[];
  featureNames: string[];
}

function list(names: string[], limit = 6): string {
  const shown = names.slice(0, limit).join(', ');
  return names.length > limit ? `${shown} and ${names.length - limit} more` : shown;
}

function round(value: number): string {
  return String(Number(value.toPrecision(4)));
}

function describeTarget(problem: ProblemConfig, state?: DescribedState): string {
  const target = `Target "${problem.target}"`;
  switch (problem.task) {
    case 'binary': {
      const classes = state?.classes;
      return classes
        ? `${target}: binary classification, classes ${classes[0]} (0) and ${classes[1]} (1, the positive class).`
        : `${target}: binary classification.`;
    }
    case 'multiclass':
    case 'image':
      return state?.classes
        ? `${target}: ${state.classes.length} classes (${list(state.classes, 10)}), encoded as indices in sorted order.`
        : `${target}: ${problem.task === 'image' ? 'image ' : ''}classification.`;
    case 'regression':
      return `${target}: regression, one value per row.`;
    case 'time-series':
      return `${target}: time-series forecast; its past values are features.`;
  }
}

function describeStep(step: OpState, target: string): string {
  const withTarget = (columns: string[]): string =>
    columns.includes(target) ? ` (the target included: predictions are scaled back before scoring)` : '';
  switch (step.op) {
    case 'drop':
      return `drop: removed ${list(step.columns)}.`;
    case 'impute': {
      const fills = step.columns.map((name, index) => {
        const fill = step.fills[index];
        return `${name} = ${typeof fill === 'number' ? round(fill) : JSON.stringify(fill)}`;
      });
      return step.columns.length === 0
        ? `impute (${step.strategy}): no columns to fill.`
        : `impute (${step.strategy}): fills missing values with ${list(fills, 4)}.`;
    }
    case 'standardize':
      return `standardize: ${step.columns.length} column(s) to mean 0 and standard deviation 1, using the training part's statistics${withTarget(step.columns)}.`;
    case 'minmax':
      return `minmax: ${step.columns.length} column(s) scaled to a fixed range by the training part's minimum and maximum${withTarget(step.columns)}.`;
    case 'log':
      return `log: log(x + ${step.offset}) of ${list(step.columns)}${withTarget(step.columns)}.`;
    case 'onehot': {
      const parts = step.columns.map((name, index) => `${name} → ${step.categories[index].length} columns`);
      const unknown = step.unknown === 'ignore' ? 'all zeros' : 'an error';
      return step.columns.length === 0
        ? 'onehot: no categorical columns to encode.'
        : `onehot: ${list(parts, 4)}; a category unseen in training gives ${unknown}.`;
    }
    case 'ordinal': {
      const parts = step.columns.map(
        (name, index) => `${name} (${list(step.categories[index], 5).replace(/, /g, ' < ')})`,
      );
      return `ordinal: ${list(parts, 4)} as 0, 1, 2, ...`;
    }
    case 'window':
      return `window: each sample reads ${step.lookBack} row(s) of history and predicts the next ${step.horizon} value(s).`;
    case 'date':
      return `date: ${list(step.columns)} → ${list(step.parts.map((part) => (part === 'year' ? 'year (from the first training year)' : `${part} as sine and cosine`)))}.`;
    case 'image':
      return `image: pixel columns reshaped to ${step.rows} × ${step.cols} × ${step.channels}, divided by ${step.scale}.`;
    case 'tokenize':
    case 'tfidf':
    case 'counts':
    case 'sequences':
      return describeTextStep(step);
  }
}

function describeOp(op: PrepareOp): string {
  const columns = 'columns' in op && op.columns ? ` of ${list(op.columns)}` : '';
  return `${op.op}${columns} (not fitted yet).`;
}

/** One line per fact: target, columns left out, each op (with fitted values once fitted), the features. */
export function describeStates(problem: ProblemConfig, ops: PrepareOp[], state?: DescribedState): string[] {
  const lines = [describeTarget(problem, state)];
  if (!state) return [...lines, ...ops.map(describeOp)];
  lines.push(...state.notes);
  lines.push(...state.steps.map((step) => describeStep(step, problem.target)));
  if (problem.task === 'time-series' && !ops.some((op) => op.op === 'window')) {
    lines.push('No window op: each sample reads 1 row of history and predicts the next value.');
  }
  const image = state.steps.some((step) => step.op === 'image');
  if (!image) lines.push(`Features (${state.featureNames.length}): ${list(state.featureNames, 12)}.`);
  return lines;
}
