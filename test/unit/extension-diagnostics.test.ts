/**
 * A failed run's located error in the Problems panel: a target that is not a column becomes an error on
 * `problem.target` in topdown.json with the "did you mean", follows the field as the text moves, and goes away
 * once the target is changed or a run succeeds.
 */
// The stand-in answers `require('vscode')`, so it is imported before any host module.
import { fake } from '../helpers/vscode';
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import type { ErrorInfo } from '../../src/protocol/errors';
import { ProjectDiagnostics } from '../../src/extension/editor/diagnostics';

const log = { error() {}, info() {}, warn() {}, debug() {} } as unknown as vscode.LogOutputChannel;

const PROJECT = `{
  "name": "sonar",
  "problem": { "data": "data/sonar.csv", "target": "Clas", "task": "binary" }
}
`;

function wrongTarget(projectDir: string): ErrorInfo {
  const csv = join(projectDir, 'data', 'sonar.csv');
  return {
    code: 'TARGET_MISSING',
    message: `The target column "Clas" is not in ${csv}.`,
    hint: 'Did you mean "Class"? The columns are: V1, V2, V3, Class.',
    file: csv,
    column: 'Clas',
    field: '/problem/target',
    suggestion: 'Class',
  };
}

function runProblems(file: string) {
  return fake.diagnostics.get('topdown-run')?.get(file) ?? [];
}

describe('ProjectDiagnostics: a failed run on a field of topdown.json', () => {
  let projectDir: string;
  let file: string;
  beforeEach(() => {
    fake.reset();
    projectDir = mkdtempSync(join(tmpdir(), 'topdown-diagnostics-'));
    file = join(projectDir, 'topdown.json');
    writeFileSync(file, PROJECT);
  });

  it('marks the target value with one sentence and the nearest column', () => {
    const diagnostics = new ProjectDiagnostics(log);
    diagnostics.showRunOutcome(projectDir, wrongTarget(projectDir));
    const [problem, ...rest] = runProblems(file);
    assert.equal(rest.length, 0);
    assert.equal(problem.message, 'The target column "Clas" is not in data/sonar.csv; did you mean "Class"?');
    assert.equal(problem.code, 'TARGET_MISSING');
    assert.equal(problem.source, 'topdown');
    // The squiggle covers `"Clas"` on line 3 (0-based 2).
    const line = PROJECT.split('\n')[2];
    assert.deepEqual(
      [problem.range.start.line, problem.range.start.character, problem.range.end.character],
      [2, line.indexOf('"Clas"'), line.indexOf('"Clas"') + '"Clas"'.length],
    );
    diagnostics.dispose();
  });

  it('offers the nearest column as a quick fix that replaces the value', () => {
    const diagnostics = new ProjectDiagnostics(log);
    diagnostics.showRunOutcome(projectDir, wrongTarget(projectDir));
    const problems = runProblems(file);
    const [fix, ...others] = fake.codeActions(file, problems);
    assert.equal(others.length, 0);
    assert.equal(fix.title, 'Change to "Class"');
    assert.deepEqual(
      fix.edit?.replacements.map((edit) => [edit.uri.fsPath, edit.range, edit.text]),
      [[file, problems[0].range, '"Class"']],
    );
    diagnostics.dispose();
    assert.equal(fake.codeActionProviders.length, 0);
  });

  it('follows the field while other lines change, and clears once the target is changed', () => {
    const diagnostics = new ProjectDiagnostics(log);
    fake.editDocument(file, PROJECT);
    diagnostics.showRunOutcome(projectDir, wrongTarget(projectDir));
    fake.editDocument(file, `\n\n${PROJECT}`);
    assert.equal(runProblems(file)[0]?.range.start.line, 4);
    fake.editDocument(file, PROJECT.replace('"Clas"', '"Class"'));
    assert.deepEqual(runProblems(file), []);
    // Changing it back does not bring the old run's error back: only a new run would say so.
    fake.editDocument(file, PROJECT);
    assert.deepEqual(runProblems(file), []);
    diagnostics.dispose();
  });

  it('clears on a run that succeeds, and shows nothing for errors that are not about a field', () => {
    const diagnostics = new ProjectDiagnostics(log);
    diagnostics.showRunOutcome(projectDir, wrongTarget(projectDir));
    assert.equal(runProblems(file).length, 1);
    diagnostics.showRunOutcome(projectDir, undefined);
    assert.deepEqual(runProblems(file), []);
    diagnostics.showRunOutcome(projectDir, {
      code: 'NON_NUMERIC_VALUE',
      message: 'Text in a number column',
      file: join(projectDir, 'data', 'sonar.csv'),
      row: 3,
      column: 'V1',
    });
    assert.deepEqual(runProblems(file), []);
    diagnostics.dispose();
  });
});
