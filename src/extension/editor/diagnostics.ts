/**
 * Problems in topdown.json shown in the Problems panel: the engine's validateProjectText as the file changes, and
 * the error of a failed run when it names a field of the file (a wrong target), until that field changes.
 */
import { basename, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import * as vscode from 'vscode';
import type { ErrorInfo } from '../../protocol/errors';
import { shortError } from './errorLocation';
import { findValue } from './jsonPositions';
import { editorText } from '../panels/proposedEdit';

/** A failed run's error on a field of topdown.json, with the field's value when the run read it. */
interface RunProblem {
  error: ErrorInfo & { field: string };
  projectDir: string;
  value: unknown;
}

/** Whether an error is about a setting in topdown.json (a field, and no CSV row). */
function namesProjectField(error: ErrorInfo | undefined): error is ErrorInfo & { field: string } {
  return error?.field !== undefined && error.field !== '' && error.row === undefined;
}

/** Validates every open topdown.json as it changes, and shows failed runs' errors on their fields. */
export class ProjectDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('topdown');
  private readonly runCollection = vscode.languages.createDiagnosticCollection('topdown-run');
  /** By the path of topdown.json. */
  private readonly runProblems = new Map<string, RunProblem>();
  /** The nearest valid value of a run problem's field, for its quick fix. */
  private readonly suggestions = new WeakMap<vscode.Diagnostic, string>();
  private readonly disposables: vscode.Disposable[] = [this.collection, this.runCollection];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.languages.registerCodeActionsProvider(
        { scheme: 'file', pattern: '**/topdown.json' },
        { provideCodeActions: (document, _range, context) => this.quickFixes(document, context) },
        { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
      ),
      vscode.workspace.onDidOpenTextDocument((document) => this.validate(document)),
      vscode.workspace.onDidChangeTextDocument((event) => this.validate(event.document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.collection.delete(document.uri)),
    );
    for (const document of vscode.workspace.textDocuments) this.validate(document);
  }

  /** Replaces the diagnostics of one document (ignored unless it is a topdown.json file). */
  validate(document: vscode.TextDocument): void {
    if (document.uri.scheme !== 'file' || basename(document.uri.fsPath) !== 'topdown.json') return;
    this.placeRunProblem(document.uri.fsPath, document.getText());
    void this.validateProjectFile(document);
  }

  /**
   * After a run: an error that names a field of topdown.json (a target that is not a column) becomes a
   * diagnostic on that field's value; any other outcome clears the last one of the project.
   */
  showRunOutcome(projectDir: string, error: ErrorInfo | undefined): void {
    const file = join(projectDir, 'topdown.json');
    this.runProblems.delete(file);
    this.runCollection.delete(vscode.Uri.file(file));
    if (!namesProjectField(error)) return;
    const text = editorText(file);
    const found = text !== undefined ? findValue(text, error.field) : undefined;
    if (text === undefined || !found) return;
    this.runProblems.set(file, { error, projectDir, value: found.value });
    this.placeRunProblem(file, text);
  }

  /** Puts a run's problem where its field now is; drops it once the field's value changed (or is gone). */
  private placeRunProblem(file: string, text: string): void {
    const problem = this.runProblems.get(file);
    if (!problem) return;
    const found = findValue(text, problem.error.field);
    const uri = vscode.Uri.file(file);
    if (!found || !isDeepStrictEqual(found.value, problem.value)) {
      this.runProblems.delete(file);
      this.runCollection.delete(uri);
      return;
    }
    const range = new vscode.Range(
      found.start.line,
      found.start.character,
      found.end.line,
      found.end.character,
    );
    const diagnostic = new vscode.Diagnostic(
      range,
      shortError(problem.error, problem.projectDir),
      vscode.DiagnosticSeverity.Error,
    );
    diagnostic.code = problem.error.code;
    diagnostic.source = 'topdown';
    if (problem.error.suggestion !== undefined) this.suggestions.set(diagnostic, problem.error.suggestion);
    this.runCollection.set(uri, [diagnostic]);
  }

  /** "Change to "Class"" for a run problem with a nearest name: replaces the field's value. */
  private quickFixes(document: vscode.TextDocument, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return context.diagnostics.flatMap((diagnostic) => {
      const suggestion = this.suggestions.get(diagnostic);
      if (suggestion === undefined) return [];
      const action = new vscode.CodeAction(`Change to "${suggestion}"`, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, diagnostic.range, JSON.stringify(suggestion));
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      return [action];
    });
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
