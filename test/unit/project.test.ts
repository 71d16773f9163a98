import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TopdownError } from '../../src/core/errors';
import {
  findProjectFile,
  loadProject,
  ProjectInvalidError,
  validateProjectText,
  type ProjectProblem,
} from '../../src/core/project';

const SONAR_DIR = join(__dirname, '..', 'fixtures', 'project', 'sonar');
const SONAR_TEXT = readFileSync(join(SONAR_DIR, 'topdown.json'), 'utf8');
const FILE = '/projects/demo/topdown.json';

/** A project file as lines, so tests can say on which line a problem must be reported. */
/** The problem section's lines for a `task` with d.csv and target y, ending with one more `"field": value`. */
function problemWith(task: string, last: string): string[] {
  return ['    "data": "d.csv",', '    "target": "y",', `    "task": "${task}",`, `    ${last}`];
}

function projectLines(
  overrides: { problem?: string[]; prepare?: string[]; candidates?: string[]; validation?: string } = {},
): string[] {
  return [
    '{',
    '  "problem": {',
    ...(overrides.problem ?? [
      '    "data": "data/sonar.csv",',
      '    "target": "Class",',
      '    "task": "binary"',
    ]),
    '  },',
    '  "prepare": [',
    ...(overrides.prepare ?? ['    { "op": "standardize" }']),
    '  ],',
    '  "evaluate": {',
    `    "validation": ${overrides.validation ?? '{ "scheme": "kfold", "folds": 5 }'},`,
    '    "candidates": [',
    ...(overrides.candidates ?? [
      '      { "name": "baseline", "model": "baseline" },',
      '      { "name": "mlp", "model": "mlp", "layers": [8], "epochs": 5 }',
    ]),
    '    ]',
    '  }',
    '}',
  ];
}

/** 1-based line of the first line containing `marker`. */
function lineOf(lines: string[], marker: string): number {
  const index = lines.findIndex((line) => line.includes(marker));
  assert.ok(index >= 0, `marker ${marker} not in the text`);
  return index + 1;
}

function errorsOf(lines: string[]): ProjectProblem[] {
  return validateProjectText(lines.join('\n'), FILE).filter((problem) => problem.severity === 'error');
}

function writeProject(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'topdown-project-'));
  writeFileSync(join(dir, 'topdown.json'), text);
  return dir;
}

describe('loadProject', () => {
  it('loads the Sonar example with its config, folder and the SHA-256 of its text', async () => {
    const project = await loadProject(SONAR_DIR);
    assert.equal(project.dir, SONAR_DIR);
    assert.equal(project.file, join(SONAR_DIR, 'topdown.json'));
    assert.equal(project.config.problem.target, 'Class');
    assert.equal(project.config.evaluate.candidates.length, 5);
    assert.equal(project.text, SONAR_TEXT);
    assert.equal(project.hash, createHash('sha256').update(SONAR_TEXT).digest('hex'));
    assert.deepEqual(project.warnings, []);
  });

  it('skips validation only for the exact text an orchestrator already validated (by its SHA-256)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'topdown-validated-'));
    const text = SONAR_TEXT.replace('"folds": 10', '"fold": 10');
    writeFileSync(join(dir, 'topdown.json'), text);
    const hash = createHash('sha256').update(text).digest('hex');
    const project = await loadProject(dir, { validatedHash: hash });
    assert.equal(project.hash, hash);
    await assert.rejects(loadProject(dir, { validatedHash: 'another text' }), (error: TopdownError) => {
      assert.equal(error.code, 'PROJECT_INVALID');
      return true;
    });
  });

  it('accepts the path of the file itself', async () => {
    const project = await loadProject(join(SONAR_DIR, 'topdown.json'));
    assert.equal(project.dir, SONAR_DIR);
  });

  it('raises PROJECT_NOT_FOUND with a hint to create a project', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'topdown-empty-'));
    await assert.rejects(loadProject(dir), (error: unknown) => {
      assert.ok(error instanceof TopdownError);
      assert.equal(error.code, 'PROJECT_NOT_FOUND');
      assert.equal(error.file, join(dir, 'topdown.json'));
      assert.match(error.hint ?? '', /topdown new sonar/);
      return true;
    });
  });

  it('raises PROJECT_INVALID at the line and character of a syntax error', async () => {
    const lines = projectLines({
      problem: ['    "data": "data/sonar.csv"', '    "target": "Class",', '    "task": "binary"'],
    });
    const dir = writeProject(lines.join('\n'));
    await assert.rejects(loadProject(dir), (error: unknown) => {
      assert.ok(error instanceof ProjectInvalidError);
      assert.equal(error.code, 'PROJECT_INVALID');
      assert.equal(error.file, join(dir, 'topdown.json'));
      assert.equal(error.line, lineOf(lines, '"target"'));
      assert.equal(error.character, 5);
      assert.match(error.message, /expected a comma/);
      return true;
    });
  });

  it('raises PROJECT_INVALID for the first schema error and attaches every problem', async () => {
    const lines = projectLines({
      problem: ['    "data": "data/sonar.csv",', '    "target": "Class",', '    "task": "binari"'],
      candidates: ['      { "name": "mlp", "model": "mlp", "layers": [8], "epoch": 5 }'],
    });
    const dir = writeProject(lines.join('\n'));
    await assert.rejects(loadProject(dir), (error: unknown) => {
      assert.ok(error instanceof ProjectInvalidError);
      assert.equal(error.field, '/problem/task');
      assert.equal(error.line, lineOf(lines, '"binari"'));
      assert.match(error.message, /`task` in \/problem must be one of: .*\(and 1 more error\)/);
      assert.deepEqual(
        error.problems.map((problem) => problem.field),
        ['/problem/task', '/evaluate/candidates/0/epoch'],
      );
      return true;
    });
  });

  it('loads a project that has only warnings and returns them', async () => {
    const lines = projectLines({
      problem: ['    "data": "series.csv",', '    "target": "sales",', '    "task": "time-series"'],
      prepare: ['    { "op": "window", "lookBack": 4 }'],
      candidates: ['      { "name": "lstm", "model": "lstm", "units": [8] }'],
    });
    const project = await loadProject(writeProject(lines.join('\n')));
    assert.deepEqual(
      project.warnings.map((problem) => [problem.severity, problem.field]),
      [['warning', '/evaluate/validation/scheme']],
    );
  });
});

describe('findProjectFile', () => {
  it('walks up from a nested folder to the nearest topdown.json', () => {
    const dir = writeProject(SONAR_TEXT);
    const nested = join(dir, 'models', 'deep');
    mkdirSync(nested, { recursive: true });
    assert.equal(findProjectFile(nested), join(dir, 'topdown.json'));
  });

  it('returns undefined when no folder up to the root has one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'topdown-none-'));
    assert.equal(findProjectFile(dir), undefined);
  });
});

describe('validateProjectText', () => {
  it('finds no problem in the Sonar example', () => {
    assert.deepEqual(validateProjectText(SONAR_TEXT, FILE), []);
  });

  it('rejects comments: topdown.json is plain JSON', () => {
    const lines = projectLines({ prepare: ['    // scale first', '    { "op": "standardize" }'] });
    const [problem] = errorsOf(lines);
    assert.match(problem.message, /comments are not allowed/);
    assert.equal(problem.line, lineOf(lines, '// scale'));
    assert.equal(problem.character, 5);
  });

  it('points at a trailing comma itself', () => {
    const lines = projectLines({ prepare: ['    { "op": "standardize" },'] });
    const problems = errorsOf(lines);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /trailing comma/);
    assert.equal(problems[0].line, lineOf(lines, '"standardize" },'));
    assert.equal(problems[0].character, '    { "op": "standardize" }'.length + 1);
    assert.equal(problems[0].field, '/prepare');
  });

  it('lists the allowed values of an enum and suggests the closest one', () => {
    const lines = projectLines({
      problem: ['    "data": "d.csv",', '    "target": "y",', '    "task": "regresion"'],
    });
    const [problem] = errorsOf(lines);
    assert.equal(problem.field, '/problem/task');
    assert.equal(
      problem.message,
      '`task` in /problem must be one of: binary, multiclass, regression, time-series, image (got "regresion"); did you mean `regression`?',
    );
    assert.equal(problem.line, lineOf(lines, 'regresion'));
    assert.equal(problem.character, '    "task": '.length + 1);
    assert.equal(problem.endCharacter, '    "task": "regresion"'.length + 1);
  });

  it('names an unknown field and suggests the allowed one it resembles', () => {
    const lines = projectLines({
      candidates: [
        '      { "name": "baseline", "model": "baseline" },',
        '      { "name": "linear", "model": "linear" },',
        '      { "name": "mlp", "model": "mlp", "layers": [8], "epoch": 5 }',
      ],
    });
    const [problem] = errorsOf(lines);
    assert.equal(problem.message, 'unknown field `epoch` in /evaluate/candidates/2; did you mean `epochs`?');
    assert.equal(problem.field, '/evaluate/candidates/2/epoch');
    assert.equal(problem.line, lineOf(lines, '"epoch"'));
    assert.equal(problem.character, lines[problem.line - 1].indexOf('"epoch"') + 1);
  });

  it('lists the allowed fields when an unknown field resembles none', () => {
    const lines = projectLines({
      candidates: ['      { "name": "knn", "model": "knn", "neighbourhood": 3 }'],
    });
    const [problem] = errorsOf(lines);
    assert.equal(
      problem.message,
      'unknown field `neighbourhood` in /evaluate/candidates/0; allowed fields: name, model, k, prepare',
    );
  });

  it('names the existing ops when an op is unknown', () => {
    const lines = projectLines({ prepare: ['    { "op": "standardise" }'] });
    const [problem] = errorsOf(lines);
    assert.equal(problem.field, '/prepare/0/op');
    assert.match(
      problem.message,
      /^unknown op `standardise` in \/prepare\/0; did you mean `standardize`\? allowed ops: drop, impute, standardize, minmax, log, onehot, ordinal, window, image, date, tokenize, tfidf, counts, sequences$/,
    );
  });

  it('accepts a candidate with its own prepare pipeline', () => {
    const lines = projectLines({
      candidates: [
        '      { "name": "baseline", "model": "baseline" },',
        '      { "name": "scaled", "model": "mlp", "layers": [8], "prepare": [{ "op": "minmax" }] },',
        '      { "name": "raw", "model": "knn", "prepare": [] }',
      ],
    });
    assert.deepEqual(errorsOf(lines), []);
  });

  it('locates an unknown op of a candidate prepare at evaluate.candidates[i].prepare[j]', () => {
    const lines = projectLines({
      candidates: [
        '      { "name": "baseline", "model": "baseline" },',
        '      { "name": "mlp", "model": "mlp", "layers": [8],',
        '        "prepare": [{ "op": "standardize" }, { "op": "tfidff" }] }',
      ],
    });
    const [problem, ...others] = errorsOf(lines);
    assert.deepEqual(others, []);
    assert.equal(problem.field, '/evaluate/candidates/1/prepare/1/op');
    assert.match(
      problem.message,
      /^unknown op `tfidff` in \/evaluate\/candidates\/1\/prepare\/1; did you mean `tfidf`\?/,
    );
    assert.equal(problem.line, lineOf(lines, '"tfidff"'));
  });

  it('refuses a candidate prepare whose window differs from the project one, at its op', () => {
    const lines = projectLines({
      problem: problemWith('time-series', '"timeColumn": "t"'),
      prepare: ['    { "op": "window", "lookBack": 4 }'],
      validation: '{ "scheme": "walk-forward", "folds": 3 }',
      candidates: [
        '      { "name": "baseline", "model": "baseline" },',
        '      { "name": "mlp", "model": "mlp", "layers": [8],',
        '        "prepare": [{ "op": "standardize" }, { "op": "window", "lookBack": 8 }] },',
        '      { "name": "same", "model": "mlp", "layers": [8],',
        '        "prepare": [{ "op": "minmax" }, { "op": "window", "lookBack": 4 }] },',
        '      { "name": "none", "model": "mlp", "layers": [8], "prepare": [{ "op": "minmax" }] }',
      ],
    });
    const problems = errorsOf(lines);
    assert.deepEqual(
      problems.map((problem) => problem.field),
      ['/evaluate/candidates/1/prepare/1', '/evaluate/candidates/3/prepare'],
    );
    assert.match(
      problems[0].message,
      /keeps the project's `window` op.*repeat the project's \{"op":"window","lookBack":4\}/,
    );
  });

  it('names the existing models when a model is unknown, with one message for the whole candidate', () => {
    const lines = projectLines({ candidates: ['      { "name": "svm", "model": "svm", "kernel": "rbf" }'] });
    const problems = errorsOf(lines);
    assert.equal(problems.length, 1);
    assert.match(
      problems[0].message,
      /^unknown model `svm` in \/evaluate\/candidates\/0; allowed models: baseline, linear, mlp, cnn/,
    );
  });

  it('says which type a field must have and which it has', () => {
    const lines = projectLines({
      candidates: ['      { "name": "mlp", "model": "mlp", "layers": [8], "epochs": "10" }'],
    });
    const [problem] = errorsOf(lines);
    assert.equal(problem.field, '/evaluate/candidates/0/epochs');
    assert.equal(
      problem.message,
      '`epochs` in /evaluate/candidates/0 must be an integer, not the string "10"',
    );
  });

  it('reports a missing required field at its parent, with the op or model it belongs to', () => {
    const lines = projectLines({
      problem: ['    "data": "d.csv",', '    "task": "binary"'],
      candidates: ['      { "name": "mlp", "model": "mlp" }'],
    });
    const problems = errorsOf(lines);
    assert.deepEqual(
      problems.map((problem) => [problem.field, problem.line, problem.message]),
      [
        ['/problem/target', lineOf(lines, '"problem"'), 'missing required field `target` in /problem'],
        [
          '/evaluate/candidates/0/layers',
          lineOf(lines, '"mlp"'),
          'missing required field `layers` in /evaluate/candidates/0 (model `mlp`)',
        ],
      ],
    );
  });

  it('requires a value for the constant impute strategy', () => {
    const lines = projectLines({ prepare: ['    { "op": "impute", "strategy": "constant" }'] });
    const [problem] = errorsOf(lines);
    assert.equal(problem.field, '/prepare/0/value');
    assert.equal(problem.message, 'missing required field `value` in /prepare/0 (op `impute`)');
  });

  it('keeps the holdout strictly between 0 and 0.5', () => {
    const lines = projectLines({
      problem: problemWith('binary', '"holdout": 0.5'),
    });
    const [problem] = errorsOf(lines);
    assert.equal(problem.field, '/problem/holdout');
    assert.equal(problem.message, '`holdout` in /problem must be greater than 0 and less than 0.5 (got 0.5)');
  });

  it('reports a duplicate key, which JSON.parse would silently drop', () => {
    const lines = projectLines({
      problem: problemWith('binary', '"target": "z"'),
    });
    const [problem] = errorsOf(lines);
    assert.equal(problem.field, '/problem/target');
    assert.equal(problem.line, lineOf(lines, '"z"'));
    assert.match(problem.message, /duplicate field `target`/);
  });

  it('returns every schema problem, in text order', () => {
    const lines = projectLines({
      problem: problemWith('binary', '"metric": "auc"'),
      prepare: ['    { "op": "log" }'],
      candidates: ['      { "name": "knn", "model": "knn", "k": 0 }'],
    });
    assert.deepEqual(
      errorsOf(lines).map((problem) => problem.field),
      ['/problem/metric', '/prepare/0/columns', '/evaluate/candidates/0/k'],
    );
  });
});

describe('validateProjectText semantic checks', () => {
  it('rejects a candidate name used twice, at the second one', () => {
    const lines = projectLines({
      candidates: [
        '      { "name": "net", "model": "linear" },',
        '      { "name": "net", "model": "mlp", "layers": [4] }',
      ],
    });
    const [problem] = errorsOf(lines);
    assert.equal(problem.field, '/evaluate/candidates/1/name');
    assert.equal(problem.line, lineOf(lines, '"mlp"'));
    assert.match(problem.message, /duplicate candidate name `net` \(also \/evaluate\/candidates\/0\/name\)/);
  });

  it('rejects a regression metric for a classification task', () => {
    const lines = projectLines({
      problem: problemWith('multiclass', '"metric": "rmse"'),
    });
    const [problem] = errorsOf(lines);
    assert.equal(problem.field, '/problem/metric');
    assert.equal(problem.line, lineOf(lines, '"rmse"'));
    assert.match(
      problem.message,
      /metric `rmse` does not fit task `multiclass`; use one of: accuracy, log-loss/,
    );
  });

  it('rejects a classification metric for a regression task', () => {
    const lines = projectLines({
      problem: problemWith('regression', '"metric": "accuracy"'),
    });
    assert.match(errorsOf(lines)[0].message, /use one of: rmse, mse, mae, r2/);
  });

  it('allows roc-auc for binary tasks only', () => {
    const binary = projectLines({
      problem: problemWith('binary', '"metric": "roc-auc"'),
    });
    assert.deepEqual(errorsOf(binary), []);
    const multiclass = projectLines({
      problem: problemWith('multiclass', '"metric": "roc-auc"'),
    });
    const [problem] = errorsOf(multiclass);
    assert.equal(problem.field, '/problem/metric');
    assert.match(problem.message, /`roc-auc` needs task `binary`/);
  });

  it('allows positiveClass for binary tasks only', () => {
    const lines = projectLines({
      problem: problemWith('multiclass', '"positiveClass": "M"'),
    });
    const [problem] = errorsOf(lines);
    assert.equal(problem.field, '/problem/positiveClass');
    assert.equal(problem.line, lineOf(lines, '"positiveClass"'));
  });

  it('allows cnn for image tasks only', () => {
    const lines = projectLines({ candidates: ['      { "name": "conv", "model": "cnn", "filters": [8] }'] });
    const [problem] = errorsOf(lines);
    assert.equal(problem.field, '/evaluate/candidates/0/model');
    assert.match(problem.message, /model `cnn` needs task `image`/);
  });

  it('requires a window op for lstm and gru', () => {
    const lines = projectLines({
      problem: ['    "data": "d.csv",', '    "target": "y",', '    "task": "time-series"'],
      validation: '{ "scheme": "walk-forward" }',
      candidates: ['      { "name": "gru", "model": "gru", "units": [8] }'],
    });
    const errors = errorsOf(lines);
    assert.deepEqual(
      errors.map((problem) => problem.field),
      ['/evaluate/candidates/0/model'],
    );
    assert.match(errors[0].message, /model `gru` needs a `window` op/);
  });

  it('warns when a time series is not validated walk-forward', () => {
    const lines = projectLines({
      problem: ['    "data": "d.csv",', '    "target": "y",', '    "task": "time-series"'],
      prepare: ['    { "op": "window", "lookBack": 3 }'],
    });
    const problems = validateProjectText(lines.join('\n'), FILE);
    assert.deepEqual(
      problems.map((problem) => [problem.severity, problem.field]),
      [['warning', '/evaluate/validation/scheme']],
    );
    assert.match(problems[0].message, /walk-forward/);
  });

  it('runs only once the schema passes, so a broken file is not buried in follow-up problems', () => {
    const lines = projectLines({
      problem: problemWith('multiclass', '"metric": "rmse"'),
      candidates: ['      { "name": "knn", "model": "knn", "k": "3" }'],
    });
    assert.deepEqual(
      errorsOf(lines).map((problem) => problem.field),
      ['/evaluate/candidates/0/k'],
    );
  });
});
