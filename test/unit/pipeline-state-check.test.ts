/**
 * A bundle's pipeline.json is checked to the last field applying it reads (src/core/prepare/state-check.ts):
 * every state Topdown fits passes, and a state damaged anywhere is named, so predict refuses it as
 * BUNDLE_INVALID instead of failing inside the transform.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Column } from '../../src/core/data/table';
import type { PrepareOp, ProblemConfig } from '../../src/core/config';
import { Pipeline, type PipelineState } from '../../src/core/prepare/pipeline';
import { pipelineStateProblem } from '../../src/core/prepare/state-check';
import { categorical, dates, numeric, table } from './prepare-helpers';

const problem: ProblemConfig = { data: 'data.csv', target: 'label', task: 'binary' };

const COLUMNS: Column[] = [
  numeric('x', [1, 2, 3, 4, 5, 6]),
  numeric('y', [10, 20, 30, 40, 50, 60]),
  categorical('colour', ['red', 'blue', 'red', 'green', 'blue', 'red']),
  dates('day', ['2024-01-01', '2024-02-03', '2024-03-05', '2024-04-07', '2024-05-09', '2024-06-11']),
  {
    name: 'doc',
    type: 'text',
    values: ['the cat sat', 'a dog ran', 'the cat ran', 'dogs sat', 'a cat', 'the end'],
  },
  categorical('label', ['a', 'b', 'a', 'b', 'a', 'b']),
];

/** The fitted state of `ops` on the table above, as pipeline.json holds it. */
function fittedState(ops: PrepareOp[]): PipelineState {
  // Each pipeline reads the columns its ops turn into numbers, and the target.
  const reads = ops.some((op) => op.op === 'date')
    ? ['x', 'day']
    : ['tokenize', 'tfidf', 'counts', 'sequences'].includes(ops[0].op)
      ? ['doc']
      : ['x', 'y', 'colour'];
  const columns = COLUMNS.filter((column) => [...reads, 'label'].includes(column.name));
  const state = new Pipeline(problem, ops).fit(table(columns)).getState();
  return JSON.parse(JSON.stringify(state)) as PipelineState;
}

const PIPELINES: PrepareOp[][] = [
  [{ op: 'impute', strategy: 'mean' }, { op: 'standardize' }, { op: 'onehot' }],
  [{ op: 'impute', strategy: 'median' }, { op: 'minmax' }, { op: 'ordinal' }],
  [
    { op: 'impute', strategy: 'mean' },
    { op: 'log', columns: ['y'] },
    { op: 'drop', columns: ['colour'] },
  ],
  [{ op: 'date', columns: ['day'] }],
  [{ op: 'tokenize' }, { op: 'tfidf' }],
  [{ op: 'counts' }],
  [{ op: 'sequences', length: 3 }],
];

/** A fitted state as plain JSON, to damage field by field. */
interface Damaged {
  classes?: unknown;
  featureNames?: unknown;
  ops: unknown[];
  steps: Array<Record<string, unknown> & { means?: unknown[] }>;
  problem: Record<string, unknown>;
  inputs: Array<Record<string, unknown>>;
}

describe('pipelineStateProblem', () => {
  it('accepts the state of every op Topdown fits', () => {
    for (const ops of PIPELINES) {
      const state = fittedState(ops);
      assert.equal(pipelineStateProblem(state), undefined, JSON.stringify(ops));
    }
  });

  it('names the field of a state damaged anywhere the transform reads', () => {
    const damages: Array<[string, (state: Damaged) => void, RegExp]> = [
      ['classes', (state) => (state.classes = 'custom'), /no valid classes/],
      [
        'a category list',
        (state) => (state.steps[2].categories = []),
        /steps\/2 \(onehot\) has no valid categories \(one per column\)/,
      ],
      ['a mean', (state) => (state.steps[1].means![0] = 'x'), /steps\/1 \(standardize\) has no valid means/],
      ['an op', (state) => (state.steps[0].op = 'shell'), /steps\/0 is not a known preparation op/],
      ['ops and steps', (state) => state.ops.pop(), /ops and steps differ/],
      ['the task', (state) => (state.problem.task = 'custom'), /no known task/],
      ['an input', (state) => (state.inputs[0].kind = 'code'), /inputs lists a column/],
      ['the feature names', (state) => (state.featureNames = null), /no valid featureNames/],
      [
        'the whole state',
        (state) =>
          Object.keys(state).forEach((key) => delete (state as unknown as Record<string, unknown>)[key]),
        /problem is not an object/,
      ],
    ];
    for (const [name, damage, message] of damages) {
      const state = fittedState(PIPELINES[0]) as unknown as Damaged;
      damage(state);
      assert.match(pipelineStateProblem(state) ?? 'accepted', message, name);
    }
    assert.equal(pipelineStateProblem('{}'), 'it is not an object');
  });
});
