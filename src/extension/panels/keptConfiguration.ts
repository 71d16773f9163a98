/**
 * "Use this" in the Improve panel: writes the configuration step 4 kept into topdown.json, and only that one.
 * The change is shown as a diff first and applied as one WorkspaceEdit, so Ctrl+Z in the editor undoes it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ImproveResults, Trial } from '../../protocol/panels';
import { keptTrial, parameterChanges, smallestReplacement, textWithParameters } from './improveDecision';

/** The scheme of the read-only "proposed topdown.json" shown on the right of the diff. */
const proposalScheme = 'topdown-proposal';

/** What came of a request to use the kept configuration. */
export type UseOutcome = 'applied' | 'unchanged' | 'declined';

/** topdown.json's text as the editor has it (unsaved edits included), else from disk; undefined when unreadable. */
export function projectText(projectDir: string): string | undefined {
  const path = join(projectDir, 'topdown.json');
  const open = vscode.workspace.textDocuments.find((document) => document.uri.fsPath === path);
  if (open) return open.getText();
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** How the panel and the dialog name a trial: its candidate name (`mlp#2`), or "the untuned <candidate>". */
export function trialName(results: ImproveResults, trial: Trial): string {
  if (trial.untuned) return `the untuned ${results.candidate}`;
  return trial.name ?? `trial ${trial.index}`;
}

/** Writes the kept configuration into topdown.json after the person has seen the diff; owns the diff's content provider. */
export class KeptConfigurationWriter implements vscode.Disposable {
  private readonly proposals = new Map<string, string>();
  private readonly registration: vscode.Disposable;
  private pending = false;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(proposalScheme, {
      provideTextDocumentContent: (uri) => this.proposals.get(uri.toString()) ?? '',
    });
  }

  /**
   * Shows the change as a diff, asks, and applies it. `trialIndex` must be the kept trial: the panel offers
   * no other, and a request for another one (a stale panel) is refused with the reason.
   */
  async use(projectDir: string, results: ImproveResults, trialIndex: number): Promise<UseOutcome> {
    const kept = keptTrial(results);
    if (!kept) throw new Error('Step 4 has not decided which configuration to keep yet.');
    if (kept.index !== trialIndex) {
      throw new Error(
        `Step 4 kept ${trialName(results, kept)}, not this trial: only the kept one can be used.`,
      );
    }
    if (this.pending) throw new Error('A change to topdown.json is already waiting for your answer.');
    this.pending = true;
    try {
      return await this.propose(projectDir, results, kept);
    } finally {
      this.pending = false;
    }
  }

  private async propose(projectDir: string, results: ImproveResults, kept: Trial): Promise<UseOutcome> {
    const uri = vscode.Uri.file(join(projectDir, 'topdown.json'));
    const document = await vscode.workspace.openTextDocument(uri);
    const before = document.getText();
    const changes = parameterChanges(before, results) ?? [];
    if (changes.length === 0) return 'unchanged';
    const after = textWithParameters(before, results.candidate, kept.params);
    const proposal = vscode.Uri.from({ scheme: proposalScheme, path: uri.path, query: String(Date.now()) });
    this.proposals.set(proposal.toString(), after);
    try {
      const name = trialName(results, kept);
      await vscode.commands.executeCommand('vscode.diff', uri, proposal, `topdown.json ↔ ${name}`, {
        preview: true,
      });
      const list = changes.map((change) => change.parameter).join(', ');
      const answer = await vscode.window.showInformationMessage(
        `Write ${list} of ${name} into ${results.candidate} in topdown.json?`,
        { modal: true, detail: `${results.decision?.message ?? ''}\nCtrl+Z in topdown.json undoes it.` },
        'Apply',
      );
      await closeDiff(proposal);
      if (answer !== 'Apply') return 'declined';
      if (document.getText() !== before) {
        throw new Error('topdown.json changed while the diff was open; press "Use this" again.');
      }
      await applyReplacement(document, before, after);
      return 'applied';
    } finally {
      this.proposals.delete(proposal.toString());
    }
  }

  /** Unregisters the diff's content provider. */
  dispose(): void {
    this.registration.dispose();
    this.proposals.clear();
  }
}

/** One WorkspaceEdit (one undo step) covering only the changed text, saved, with the file shown. */
async function applyReplacement(document: vscode.TextDocument, before: string, after: string): Promise<void> {
  const replacement = smallestReplacement(before, after);
  const edit = new vscode.WorkspaceEdit();
  const range = new vscode.Range(
    document.positionAt(replacement.offset),
    document.positionAt(replacement.offset + replacement.length),
  );
  edit.replace(document.uri, range, replacement.text);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('VS Code refused the edit to topdown.json.');
  await document.save();
  const written = new vscode.Range(
    document.positionAt(replacement.offset),
    document.positionAt(replacement.offset + replacement.text.length),
  );
  await vscode.window.showTextDocument(document, { selection: written, preview: false });
}

/** Closes the diff editor of a proposal, if it is still open. */
async function closeDiff(proposal: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter(
      (tab) =>
        tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === proposal.toString(),
    );
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}
