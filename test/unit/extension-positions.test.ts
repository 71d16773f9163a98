import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFailure, locateError } from '../../src/extension/editor/errorLocation';
import { findPointer, findStepKeys, positionAt } from '../../src/extension/editor/jsonPositions';

const PROJECT = `{
  "name": "demo",
  "problem": { "data": "data/x.csv", "target": "y", "task": "binary" },
  "evaluate": {
    "validation": { "scheme": "kfold" },
    "candidates": [
      { "name": "baseline", "model": "baseline" },
      { "name": "mlp", "model": "mlp", "layers": [8], "epochs": 5 }
    ]
  },
  "improve": {},
  "present": { "candidate": "mlp" }
}
`;

describe('findStepKeys', () => {
  it('finds the evaluate, improve and present keys at their line and column', () => {
    assert.deepEqual(findStepKeys(PROJECT), [
      { step: 'evaluate', line: 3, character: 2 },
      { step: 'improve', line: 10, character: 2 },
      { step: 'present', line: 11, character: 2 },
    ]);
  });

  it('ignores nested keys with the same names and tolerates a half-typed file', () => {
    const text = '{\n  "problem": { "evaluate": 1 },\n  "present": {\n';
    assert.deepEqual(findStepKeys(text), [{ step: 'present', line: 2, character: 2 }]);
    assert.deepEqual(findStepKeys('not json'), []);
  });
});

describe('findPointer', () => {
  it('points at the key of a field inside an array', () => {
    assert.deepEqual(findPointer(PROJECT, '/evaluate/candidates/1/epochs'), { line: 7, character: 54 });
  });

  it('falls back to the deepest field that exists', () => {
    assert.deepEqual(findPointer(PROJECT, '/evaluate/candidates/1/dropout'), { line: 7, character: 6 });
  });

  it('agrees with positionAt on the first line', () => {
    assert.deepEqual(positionAt('ab\ncd', 4), { line: 1, character: 1 });
  });
});

describe('locateError', () => {
  const folder = mkdtempSync(join(tmpdir(), 'topdown-locate-'));
  writeFileSync(join(folder, 'topdown.json'), PROJECT);
  writeFileSync(join(folder, 'data.csv'), 'a,bb,label\n1,2,x\n10,oops,y\n');

  it('opens a CSV at the row and the start of the named column', () => {
    const target = locateError(
      {
        code: 'NON_NUMERIC_VALUE',
        message: 'Text in a number column',
        file: 'data.csv',
        row: 3,
        column: 'bb',
      },
      folder,
    );
    assert.deepEqual(target, { file: join(folder, 'data.csv'), position: { line: 2, character: 3 } });
  });

  it('opens topdown.json at the field of a JSON pointer when the error has no line', () => {
    const target = locateError(
      { code: 'MODEL_INVALID', message: 'epochs must be positive', field: '/evaluate/candidates/1/epochs' },
      folder,
    );
    assert.deepEqual(target, { file: join(folder, 'topdown.json'), position: { line: 7, character: 54 } });
  });

  it('opens topdown.json at the field, not the CSV, when a setting names a column the CSV lacks', () => {
    const target = locateError(
      {
        code: 'TARGET_MISSING',
        message: `The target column "z" is not in ${join(folder, 'data.csv')}.`,
        file: join(folder, 'data.csv'),
        column: 'z',
        field: '/problem/target',
      },
      folder,
    );
    const character = PROJECT.split('\n')[2].indexOf('"target"');
    assert.deepEqual(target, { file: join(folder, 'topdown.json'), position: { line: 2, character } });
  });

  it('converts a 1-based line and character to 0-based', () => {
    const target = locateError(
      { code: 'PROJECT_INVALID', message: 'bad', file: join(folder, 'topdown.json'), line: 4, character: 3 },
      folder,
    );
    assert.deepEqual(target?.position, { line: 3, character: 2 });
  });

  it('offers no place when the error names no file or field', () => {
    assert.equal(locateError({ code: 'INTERNAL', message: 'oops' }, folder), undefined);
  });
});

describe('describeFailure', () => {
  it('says which step failed, what went wrong and what to do, in one sentence each', () => {
    assert.equal(
      describeFailure('Evaluate Algorithms', {
        code: 'LOSS_NAN',
        message: 'The loss became NaN',
        hint: 'Lower the learning rate.',
      }),
      'Evaluate Algorithms failed: The loss became NaN. Lower the learning rate.',
    );
  });

  it('says a misspelt name and its nearest match without the absolute path or the list of names', () => {
    const columns = Array.from({ length: 60 }, (_, index) => `V${index + 1}`).concat('Class');
    const text = describeFailure(
      'Define Problem',
      {
        code: 'TARGET_MISSING',
        message: 'The target column "Clas" is not in /home/ada/sonar/data/sonar.csv.',
        hint: `Did you mean "Class"? The columns are: ${columns.join(', ')}.`,
        file: '/home/ada/sonar/data/sonar.csv',
        field: '/problem/target',
        suggestion: 'Class',
      },
      '/home/ada/sonar',
    );
    assert.equal(
      text,
      'Define Problem failed: The target column "Clas" is not in data/sonar.csv; did you mean "Class"?',
    );
  });

  it('leaves a long hint to the log and names a file outside the project by its name', () => {
    const text = describeFailure(
      'Evaluate Algorithms',
      {
        code: 'COLUMN_NOT_FOUND',
        message: 'Column "x", named in the types option, is not in /elsewhere/table.csv.',
        hint: `The columns are: ${'abcdefgh, '.repeat(20)}z.`,
        file: '/elsewhere/table.csv',
      },
      '/home/ada/sonar',
    );
    assert.equal(
      text,
      'Evaluate Algorithms failed: Column "x", named in the types option, is not in table.csv.',
    );
  });
});
