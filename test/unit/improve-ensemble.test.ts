import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TopdownError } from '../../src/core/errors';
import { combinePredictions, validateEnsembles } from '../../src/core/improve/ensemble';

function rows(values: number[]): Float32Array {
  return Float32Array.from(values);
}

function assertAllClose(actual: Float32Array, expected: number[]): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((value, index) =>
    assert.ok(Math.abs(actual[index] - value) < 1e-6, `index ${index}: ${actual[index]} vs ${value}`),
  );
}

describe('combinePredictions', () => {
  it('averages class probabilities row by row', () => {
    const first = rows([0.9, 0.1, 0.2, 0.8]);
    const second = rows([0.5, 0.5, 0.6, 0.4]);
    assertAllClose(combinePredictions('average', [first, second], 2, 'binary'), [0.7, 0.3, 0.4, 0.6]);
  });

  it('averages regression values', () => {
    assertAllClose(
      combinePredictions('average', [rows([1, 10]), rows([3, 20]), rows([5, 60])], 1, 'regression'),
      [3, 30],
    );
  });

  it('votes for the majority class as a one-hot row', () => {
    const members = [rows([0.6, 0.3, 0.1]), rows([0.1, 0.2, 0.7]), rows([0.5, 0.4, 0.1])];
    assert.deepEqual([...combinePredictions('vote', members, 3, 'multiclass')], [1, 0, 0]);
  });

  it('breaks a tied vote by the summed probability', () => {
    // Class 0 and class 2 get one vote each (class 1 one too); class 2 has the largest summed probability.
    const members = [rows([0.4, 0.35, 0.25]), rows([0.3, 0.4, 0.3]), rows([0.05, 0.05, 0.9])];
    assert.deepEqual([...combinePredictions('vote', members, 3, 'multiclass')], [0, 0, 1]);
  });

  it('refuses a vote on a regression task', () => {
    assert.throws(
      () => combinePredictions('vote', [rows([1]), rows([2])], 1, 'regression'),
      (error: unknown) =>
        error instanceof TopdownError && error.code === 'PROJECT_INVALID' && /regression/.test(error.message),
    );
  });

  it('refuses members with different numbers of predictions', () => {
    assert.throws(
      () => combinePredictions('average', [rows([0.5, 0.5]), rows([0.5, 0.5, 0.2, 0.8])], 2, 'binary'),
      (error: unknown) =>
        error instanceof TopdownError && error.code === 'INTERNAL' && /member 1 has 4/.test(error.message),
    );
  });
});

describe('validateEnsembles', () => {
  const candidates = ['baseline', 'mlp-small', 'forest', 'knn'];

  function expectInvalid(
    ensembles: unknown,
    field: string,
    messagePattern: RegExp,
    task?: 'regression',
  ): TopdownError {
    try {
      validateEnsembles(ensembles, candidates, { task });
    } catch (error) {
      assert.ok(error instanceof TopdownError);
      assert.equal(error.code, 'PROJECT_INVALID');
      assert.equal(error.field, field);
      assert.match(error.message, messagePattern);
      return error;
    }
    assert.fail('expected validateEnsembles to throw');
  }

  it('accepts ensembles of known candidates', () => {
    assert.doesNotThrow(() =>
      validateEnsembles(
        [
          { name: 'avg', members: ['mlp-small', 'forest'], method: 'average' },
          { name: 'vote', members: ['mlp-small', 'forest', 'knn'], method: 'vote' },
        ],
        candidates,
        { task: 'binary' },
      ),
    );
  });

  it('names an unknown member by its field and suggests the closest candidate', () => {
    const error = expectInvalid(
      [{ name: 'avg', members: ['mlp-small', 'forrest'] }],
      '/improve/ensembles/0/members/1',
      /unknown candidate "forrest"/,
    );
    assert.equal(error.hint, 'Did you mean "forest"?');
  });

  it('lists the candidates when no name is close', () => {
    const error = expectInvalid(
      [{ name: 'avg', members: ['mlp-small', 'xgboost'] }],
      '/improve/ensembles/0/members/1',
      /"xgboost"/,
    );
    assert.match(error.hint ?? '', /"baseline", "mlp-small", "forest", "knn"/);
  });

  it('needs at least two members', () => {
    expectInvalid(
      [{ name: 'solo', members: ['forest'] }],
      '/improve/ensembles/0/members',
      /at least two members/,
    );
  });

  it('rejects a member listed twice', () => {
    expectInvalid(
      [{ name: 'twice', members: ['forest', 'forest'] }],
      '/improve/ensembles/0/members/1',
      /lists "forest" twice/,
    );
  });

  it('rejects duplicate ensemble names and names taken by candidates', () => {
    const pair = { members: ['forest', 'knn'] };
    expectInvalid(
      [
        { name: 'e', ...pair },
        { name: 'e', ...pair },
      ],
      '/improve/ensembles/1/name',
      /Two ensembles are named "e"/,
    );
    expectInvalid([{ name: 'forest', ...pair }], '/improve/ensembles/0/name', /already a candidate/);
  });

  it('rejects a vote for a regression task', () => {
    expectInvalid(
      [{ name: 'v', members: ['forest', 'knn'], method: 'vote' }],
      '/improve/ensembles/0/method',
      /regression task has no classes/,
      'regression',
    );
  });
});
