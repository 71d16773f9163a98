/** Context actions on runs and steps: open, compare, rerun, cancel, rename, note, delete, reveal, copy. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunIndexEntry, StepName } from '../protocol/records';
import { COMMANDS } from './contributions';
import type { RunManager } from './jobs/runManager';
import { bundleFolderName } from './models/predictChoices';
import { finalOutputPath } from './panels/finalResults';
import { formatMeanStd } from './models/format';
import type { StepNode } from './models/projectSteps';
import type { RunNode, RunsTreeNode } from './models/runsTree';
import type { ProjectTracker } from './project';
import type { Results } from './results';
import { openRunStore } from './runStore';
import type { RunsView } from './views/runsView';

/** What a run command may receive: a Runs view node, a Project view node, or nothing (palette). */
export type RunTarget = RunsTreeNode | StepNode | undefined;

/** Implements the run actions against the open project. */
export class RunActions {
  constructor(
    private readonly project: ProjectTracker,
    private readonly runsView: RunsView,
    private readonly results: Results,
    private readonly runs: RunManager,
  ) {}

  private projectDir(): string | undefined {
    const projectDir = this.project.projectDir;
    if (!projectDir)
      void vscode.window.showInformationMessage('Open a Topdown project (a folder with topdown.json) first.');
    return projectDir;
  }

  /** The runs a command applies to: the multi-selection if the clicked run is in it, else the clicked run. */
  private targets(node: RunTarget, selected?: RunsTreeNode[]): RunIndexEntry[] {
    const chosen = (selected ?? [])
      .filter((item): item is RunNode => item.kind === 'run')
      .map((item) => item.entry);
    if (node && 'kind' in node && node.kind === 'run') {
      return chosen.some((entry) => entry.id === node.entry.id) ? chosen : [node.entry];
    }
    return chosen.length > 0 ? chosen : this.runsView.selectedRuns();
  }

  /** Opens the right panel for a run or a step. */
  openResults(node: RunTarget): void {
    if (node && !('kind' in node)) return this.openStep(node);
    const projectDir = this.projectDir();
    if (!projectDir || !node) return;
    if (node.kind === 'run') this.showStepRun(projectDir, node.entry.step, node.entry.id);
  }

  /**
   * Opens a Project view step's results: the step's newest run read from its own project's store now (the
   * node may predate the run it should open), or says there is none yet.
   */
  private openStep(node: StepNode): void {
    const projectDir = node.projectDir ?? this.projectDir();
    if (!projectDir) return;
    const latest = openRunStore(projectDir)
      .list({ step: node.step })
      .find((entry) => !entry.deleted);
    if (!latest) {
      void vscode.window.showInformationMessage(`${node.label}: no run yet. Run the step first.`);
      return;
    }
    // Step 4's newest run may be an ensemble's: showImprove opens its session's tuning trials.
    if (node.step === 'evaluate') this.results.get().showEvaluate(projectDir, latest.session);
    else this.showStepRun(projectDir, node.step, latest.id);
  }

  private showStepRun(projectDir: string, step: StepName, runId: string): void {
    const panels = this.results.get();
    if (step === 'define') panels.showProfile(projectDir, runId);
    else if (step === 'improve') panels.showImprove(projectDir, runId);
    else if (step === 'present') panels.showFinal(projectDir, runId);
    else panels.showRun(projectDir, runId);
  }

  /** Compares the selected runs, or asks which ones (palette). */
  async compare(node: RunTarget, selected?: RunsTreeNode[]): Promise<void> {
    const projectDir = this.projectDir();
    if (!projectDir) return;
    let ids = this.targets(node, selected).map((entry) => entry.id);
    if (ids.length < 2) {
      const scored = openRunStore(projectDir)
        .list()
        .filter((entry) => entry.summary && !entry.deleted)
        .sort((left, right) => right.createdAt.localeCompare(left.createdAt));
      const picked = await vscode.window.showQuickPick(
        scored.map((entry) => ({
          label: entry.label ?? entry.candidate ?? entry.step,
          description: `${entry.step} · ${formatMeanStd(entry.summary!.mean, entry.summary!.std)} ${entry.metric}`,
          detail: entry.id,
          picked: ids.includes(entry.id),
          id: entry.id,
        })),
        { title: 'Topdown: choose runs to compare', canPickMany: true },
      );
      if (!picked) return;
      ids = picked.map((item) => item.id);
    }
    if (ids.length < 2) {
      void vscode.window.showInformationMessage('Choose at least two runs to compare.');
      return;
    }
    this.results.get().showCompare(projectDir, ids);
  }

  /** Runs the run's step again (the same candidate for steps 3–5). */
  async rerun(node: RunTarget): Promise<void> {
    const projectDir = this.projectDir();
    const [entry] = this.targets(node);
    if (!projectDir || !entry) return;
    const candidates = entry.candidate && entry.step !== 'present' ? [entry.candidate] : undefined;
    await this.runs.run(projectDir, entry.step, { candidates });
  }

  /** Cancels the job that owns the run. */
  cancel(): void {
    const projectDir = this.projectDir();
    if (projectDir) this.runs.cancel(projectDir);
  }

  /** Renames a run (its label). */
  async rename(node: RunTarget): Promise<void> {
    const projectDir = this.projectDir();
    const [entry] = this.targets(node);
    if (!projectDir || !entry) return;
    const label = await vscode.window.showInputBox({
      title: 'Topdown: rename run',
      value: entry.label ?? entry.candidate ?? '',
      prompt: 'Empty to go back to the candidate name',
    });
    if (label === undefined) return;
    openRunStore(projectDir).setLabel(entry.id, label.trim() || undefined);
    this.runsView.refresh();
  }

  /** Adds or replaces a run's note. */
  async addNote(node: RunTarget): Promise<void> {
    const projectDir = this.projectDir();
    const [entry] = this.targets(node);
    if (!projectDir || !entry) return;
    const store = openRunStore(projectDir);
    const note = await vscode.window.showInputBox({
      title: 'Topdown: note on this run',
      value: store.get(entry.id).note ?? '',
    });
    if (note === undefined) return;
    store.setNote(entry.id, note.trim() || undefined);
    this.runsView.refresh();
  }

  /** Deletes runs after a modal confirmation. */
  async delete(node: RunTarget, selected?: RunsTreeNode[]): Promise<void> {
    const projectDir = this.projectDir();
    const entries = this.targets(node, selected).filter((entry) => entry.status !== 'running');
    if (!projectDir || entries.length === 0) return;
    const what =
      entries.length === 1
        ? `the run "${entries[0].label ?? entries[0].candidate ?? entries[0].id}"`
        : `${entries.length} runs`;
    const choice = await vscode.window.showWarningMessage(
      `Delete ${what}?`,
      {
        modal: true,
        detail: 'Its folder under runs/ (record, epoch logs, outputs) is removed. This cannot be undone.',
      },
      'Delete',
    );
    if (choice !== 'Delete') return;
    const store = openRunStore(projectDir);
    for (const entry of entries) store.delete(entry.id);
    this.runsView.refresh();
  }

  /**
   * Shows the run's folder in the Explorer, not the OS file manager: that also works in a browser-based editor
   * (code-server), where `revealFileInOS` has no file manager to open.
   */
  async reveal(node: RunTarget): Promise<void> {
    const projectDir = this.projectDir();
    const [entry] = this.targets(node);
    if (!projectDir || !entry) return;
    await vscode.commands.executeCommand(
      'revealInExplorer',
      vscode.Uri.file(join(projectDir, 'runs', entry.id)),
    );
  }

  /**
   * Predict with Model… on the bundle a Present Results run saved (the model question skipped, as the Final
   * panel's Predict… does), or says that its bundle is gone from models/.
   */
  async predict(node: RunTarget): Promise<void> {
    const projectDir = this.projectDir();
    const [entry] = this.targets(node);
    if (!projectDir || !entry) return;
    const record = openRunStore(projectDir).get(entry.id);
    const bundle = bundleFolderName(finalOutputPath(record, 'model'));
    if (!bundle || !existsSync(join(projectDir, 'models', bundle, 'bundle.json'))) {
      void vscode.window.showInformationMessage(
        `The run "${entry.label ?? entry.candidate ?? entry.id}" has no saved model in models/ any more: run Present Results again to save one.`,
      );
      return;
    }
    await vscode.commands.executeCommand(COMMANDS.predict, { projectDir, bundle });
  }

  /** Copies the run's resolved config as JSON. */
  async copyConfig(node: RunTarget): Promise<void> {
    const projectDir = this.projectDir();
    const [entry] = this.targets(node);
    if (!projectDir || !entry) return;
    await vscode.env.clipboard.writeText(
      JSON.stringify(openRunStore(projectDir).get(entry.id).config, null, 2),
    );
    void vscode.window.setStatusBarMessage('Topdown: run configuration copied', 3000);
  }
}
