/**
 * A change to a project file that a person sees before it is made: the proposed text beside the file as a
 * diff, a question, and on "Apply" one WorkspaceEdit over only the changed text, so Ctrl+Z undoes it.
 */
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { EditProposal } from './provider';
import { smallestReplacement } from './replacement';

/** The scheme of the read-only proposed text shown on the right of the diff. */
const proposalScheme = 'topdown-proposal';

/** A file's text as the editor has it (unsaved edits included), else from disk; undefined when unreadable. */
export function editorText(path: string): string | undefined {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.fsPath === path);
  if (open) return open.getText();
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Shows proposals as diffs and applies the accepted ones; owns the diff's content provider. */
export class ProposedEdits implements vscode.Disposable {
  private readonly proposals = new Map<string, string>();
  private readonly registration: vscode.Disposable;
  private pending = false;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(proposalScheme, {
      provideTextDocumentContent: (uri) => this.proposals.get(uri.toString()) ?? '',
    });
  }

  /** Shows the diff, asks, and applies on "Apply"; whether it was applied. One proposal at a time. */
  async propose(proposal: EditProposal): Promise<boolean> {
    if (this.pending) throw new Error('A change to a project file is already waiting for your answer.');
    this.pending = true;
    try {
      return await this.show(proposal);
    } finally {
      this.pending = false;
    }
  }

  private async show(proposal: EditProposal): Promise<boolean> {
    const uri = vscode.Uri.file(proposal.path);
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.getText() !== proposal.before) throw changedMeanwhile(proposal.path);
    const right = vscode.Uri.from({ scheme: proposalScheme, path: uri.path, query: String(Date.now()) });
    this.proposals.set(right.toString(), proposal.after);
    try {
      await vscode.commands.executeCommand('vscode.diff', uri, right, proposal.title, { preview: true });
      const answer = await vscode.window.showInformationMessage(
        proposal.question,
        { modal: true, detail: proposal.detail },
        'Apply',
      );
      await closeDiff(right);
      if (answer !== 'Apply') return false;
      if (document.getText() !== proposal.before) throw changedMeanwhile(proposal.path);
      await applyReplacement(document, proposal);
      return true;
    } finally {
      this.proposals.delete(right.toString());
    }
  }

  /** Unregisters the diff's content provider. */
  dispose(): void {
    this.registration.dispose();
    this.proposals.clear();
  }
}

function changedMeanwhile(path: string): Error {
  return new Error(`${vscode.workspace.asRelativePath(path)} changed meanwhile; try again.`);
}

/** One WorkspaceEdit covering only the changed text, saved, with the file shown and the change selected. */
async function applyReplacement(document: vscode.TextDocument, proposal: EditProposal): Promise<void> {
  const replacement = smallestReplacement(proposal.before, proposal.after);
  const edit = new vscode.WorkspaceEdit();
  const range = new vscode.Range(
    document.positionAt(replacement.offset),
    document.positionAt(replacement.offset + replacement.length),
  );
  edit.replace(document.uri, range, replacement.text);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('VS Code refused the edit.');
  await document.save();
  const written = new vscode.Range(
    document.positionAt(replacement.offset),
    document.positionAt(replacement.offset + replacement.text.length),
  );
  await vscode.window.showTextDocument(document, { selection: written, preview: false });
}

/** Closes the diff editor of a proposal, if it is still open. */
async function closeDiff(right: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter(
      (tab) =>
        tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === right.toString(),
    );
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}
