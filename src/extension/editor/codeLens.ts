/** CodeLens over `evaluate`, `improve` and `present` in topdown.json: run that step on that file's project. */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../contributions';
import { findStepKeys, type LensStep } from './jsonPositions';

const TITLES: Record<LensStep, string> = {
  evaluate: '$(play) Evaluate Algorithms',
  improve: '$(play) Improve Results',
  present: '$(play) Present Results',
};

/** Provides the lenses; registered for `**\/topdown.json` files only. */
export class StepCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when trust is granted, so the lenses appear without editing the file. */
  readonly onDidChangeCodeLenses = this.changed.event;

  /** Asks VS Code to ask for lenses again. */
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted) return [];
    const where = { projectDir: dirname(document.uri.fsPath) };
    return findStepKeys(document.getText()).map(({ step, line, character }) => {
      const position = new vscode.Position(line, character);
      return new vscode.CodeLens(new vscode.Range(position, position), {
        title: TITLES[step],
        command: COMMANDS.runStep,
        arguments: [step, where],
      });
    });
  }
}

/** Registers the provider (and refreshes it when the workspace becomes trusted). */
export function registerStepCodeLens(): vscode.Disposable {
  const provider = new StepCodeLens();
  const registration = vscode.languages.registerCodeLensProvider(
    [
      { scheme: 'file', language: 'json', pattern: '**/topdown.json' },
      { scheme: 'file', language: 'jsonc', pattern: '**/topdown.json' },
    ],
    provider,
  );
  return vscode.Disposable.from(
    registration,
    vscode.workspace.onDidGrantWorkspaceTrust(() => provider.refresh()),
  );
}
