import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CandidateConfig, PrepareOp, ProblemConfig } from '../../src/core/config';
import type { Column, Table } from '../../src/core/data/table';
import { prepareFold, prepareTargets } from '../../src/core/prepare/pipeline';
import type { Project } from '../../src/core/project';
import { runFold } from '../../src/core/steps/fold';
import { categorical, numeric, table, throwsCode } from './prepare-helpers';

const LABELS = ['ham', 'spam', 'ham', 'ham', 'spam', 'ham', 'ham', 'spam', 'ham', 'ham'];
const DOCS = LABELS.map((label, row) => `${label === 'spam' ? 'free money' : 'team meeting'} number ${row}`);
const TRAIN = [0, 1, 2, 3, 4, 5, 6];
const VALIDATION = [7, 8, 9];

function project(problem: ProblemConfig, prepare: PrepareOp[]): Project {
  return {
    dir: '/nowhere',
    file: '/nowhere/topdown.json',
    config: {
      problem,
      prepare,
      evaluate: {
        validation: { scheme: 'kfold', folds: 3 },
        candidates: [{ name: 'baseline', model: 'baseline' }],
      },
    },
    text: '',
    hash: '',
    warnings: [],
  };
}

function fold(data: Table, setup: Project, candidate: CandidateConfig) {
  return runFold(setup, data, {
    taskId: 't',
    projectDir: setup.dir,
    candidate,
    foldIndex: 0,
    trainRows: TRAIN,
    validationRows: VALIDATION,
    seed: 1,
    returnPredictions: true,
  });
}

const BASELINE: CandidateConfig = { name: 'baseline', model: 'baseline' };
const textTable = (): Table =>
  table([{ name: 'text', type: 'text', values: DOCS } as Column, categorical('label', LABELS)]);
const binary: ProblemConfig = { data: 'data.csv', target: 'label', task: 'binary' };

describe('the baseline reads only the targets', () => {
  it('gives a classification fold its classes and targets, and no features, without running the ops', () => {
    const prepared = prepareTargets(textTable(), binary, { train: TRAIN, validation: VALIDATION });
    assert.ok(prepared);
    assert.deepEqual(prepared.train.classes, ['ham', 'spam']);
    assert.deepEqual(Array.from(prepared.train.y), [0, 1, 0, 0, 1, 0, 0]);
    assert.deepEqual(Array.from(prepared.validation.y), [1, 0, 0]);
    assert.deepEqual(prepared.train.xShape, [7, 0]);
    assert.deepEqual(Array.from(prepared.validation.rowIndex), VALIDATION);
    assert.deepEqual(prepared.pipeline.getState().classes, ['ham', 'spam']);
  });

  it('scores a text-only project whose ops leave no features, where a model fold is refused', async () => {
    // No tfidf op: the text column is dropped with a note, so no feature is left for a model.
    const setup = project(binary, []);
    const result = await fold(textTable(), setup, BASELINE);
    // Training part: 5 ham, 2 spam; the baseline predicts ham; validation holds spam, ham, ham.
    assert.equal(result?.score, 2 / 3);
    assert.deepEqual(
      result?.predictions,
      Array.from(Float32Array.of(5 / 7, 2 / 7, 5 / 7, 2 / 7, 5 / 7, 2 / 7)),
    );
    assert.deepEqual(result?.confusion, [
      [2, 0],
      [1, 0],
    ]);
    await assert.rejects(fold(textTable(), setup, { name: 'logistic', model: 'logistic' }), {
      code: 'PREPARE_INVALID',
    });
    throwsCode(
      () => prepareFold(textTable(), binary, [], { train: TRAIN, validation: VALIDATION }),
      'PREPARE_INVALID',
    );
  });

  it('scores as the whole pipeline did on a text project', async () => {
    const ops: PrepareOp[] = [{ op: 'tfidf', columns: ['text'], maxTokens: 100, minCount: 1 }];
    const result = await fold(textTable(), project(binary, ops), BASELINE);
    const full = prepareFold(textTable(), binary, ops, { train: TRAIN, validation: VALIDATION });
    const prepared = prepareTargets(textTable(), binary, { train: TRAIN, validation: VALIDATION });
    assert.deepEqual(prepared?.train.y, full.train.y);
    assert.deepEqual(prepared?.validation.y, full.validation.y);
    assert.equal(result?.score, 2 / 3);
  });

  it('leaves regression to the pipeline, whose ops may change the target', async () => {
    const regression: ProblemConfig = { data: 'data.csv', target: 'y', task: 'regression' };
    const data = table([
      numeric('x', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
      numeric('y', [1, 2, 4, 8, 16, 32, 64, 1, 2, 4]),
    ]);
    assert.equal(prepareTargets(data, regression, { train: TRAIN, validation: VALIDATION }), undefined);
    // The mean is taken after the log (offset 1): exp(mean(ln(y + 1))) - 1 over the training part's y = 2^row.
    const result = await fold(data, project(regression, [{ op: 'log', columns: ['y'] }]), BASELINE);
    const logMean = TRAIN.reduce((sum, row) => sum + Math.log(2 ** row + 1), 0) / TRAIN.length;
    assert.ok(Math.abs((result?.predictions?.[0] ?? NaN) - (Math.exp(logMean) - 1)) < 1e-3);
    // The plain mean would be 127 / 7 ≈ 18.1; the geometric one is about 10.
    assert.ok((result?.predictions?.[0] ?? NaN) < 12);
  });
});
