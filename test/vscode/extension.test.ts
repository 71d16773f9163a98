/// <reference types="mocha" />
// Runs inside a real VS Code (npm run test:vscode) on test/fixtures/extension/workspace.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'topdown.topdown';

interface Manifest {
  contributes: { commands: Array<{ command: string }> };
}

suite('Topdown extension', () => {
  suiteSetup(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  });

  test('activates on a workspace with topdown.json', () => {
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
  });

  test('registers every command the manifest contributes', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const manifest = JSON.parse(
      readFileSync(join(extension.extensionPath, 'package.json'), 'utf8'),
    ) as Manifest;
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest.contributes.commands
      .map((entry) => entry.command)
      .filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
  });

  test('shows CodeLens to run evaluate over the evaluate key of topdown.json', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'topdown.json'));
    await vscode.window.showTextDocument(document);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      document.uri,
    );
    const evaluate = lenses.find((lens) => lens.command?.arguments?.[0] === 'evaluate');
    assert.ok(evaluate, 'no evaluate lens');
    assert.equal(document.lineAt(evaluate.range.start.line).text.trim().startsWith('"evaluate"'), true);
  });

  test('puts a topdown.json problem in the Problems panel at its line', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'json', content: '' });
    assert.equal(vscode.languages.getDiagnostics(document.uri).length, 0);
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const projectFile = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'topdown.json'));
    const editor = await vscode.window.showTextDocument(projectFile);
    const line = projectFile
      .getText()
      .split('\n')
      .findIndex((text) => text.includes('"task"'));
    await editor.edit((edit) => {
      const text = projectFile.lineAt(line).text;
      const start = text.indexOf('"binary"');
      edit.replace(new vscode.Range(line, start, line, start + '"binary"'.length), '"binery"');
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const problems = vscode.languages.getDiagnostics(projectFile.uri);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.ok(
      problems.some((problem) => problem.range.start.line === line),
      JSON.stringify(problems),
    );
  });
});
