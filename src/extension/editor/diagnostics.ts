/** Problems in topdown.json (from the engine's validateProjectText) shown in the Problems panel. */
import { basename } from 'node:path';
import * as vscode from 'vscode';

/** Validates every open topdown.json as it changes. */
export class ProjectDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('topdown');
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((document) => this.validate(document)),
      vscode.workspace.onDidChangeTextDocument((event) => this.validate(event.document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.collection.delete(document.uri)),
    );
    for (const document of vscode.workspace.textDocuments) this.validate(document);
  }

  /** Replaces the diagnostics of one document (ignored unless it is a topdown.json file). */
  validate(document: vscode.TextDocument): void {
    if (document.uri.scheme !== 'file' || basename(document.uri.fsPath) !== 'topdown.json') return;
    void this.validateProjectFile(document);
  }

  private async validateProjectFile(document: vscode.TextDocument): Promise<void> {
    try {
      // Loaded on the first topdown.json, not at activation: the validator brings the JSON schema and ajv.
      const { validateProjectText } = await import('../../core/project.js');
      const problems = validateProjectText(document.getText(), document.uri.fsPath);
      this.collection.set(
        document.uri,
        problems.map((problem) => {
          // Problems are 1-based with an exclusive end (as an editor shows them); VS Code positions are 0-based.
          const range = new vscode.Range(
            Math.max(0, problem.line - 1),
            Math.max(0, problem.character - 1),
            Math.max(0, problem.endLine - 1),
            Math.max(0, problem.endCharacter - 1),
          );
          const severity =
            problem.severity === 'warning'
              ? vscode.DiagnosticSeverity.Warning
              : vscode.DiagnosticSeverity.Error;
          const diagnostic = new vscode.Diagnostic(range, problem.message, severity);
          diagnostic.code = problem.field || undefined;
          diagnostic.source = 'topdown';
          return diagnostic;
        }),
      );
    } catch (error) {
      this.log.error(
        `Could not validate ${document.uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
