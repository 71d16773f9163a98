/** The Project view: the five steps with status, number to beat, best so far and an inline run button. */
import * as vscode from 'vscode';
import { COMMANDS } from '../contributions';
import { DataHashCache } from '../models/dataHash';
import { stepTooltip } from '../models/format';
import { readProjectSteps, type StepNode } from '../models/projectSteps';
import type { ProjectTracker } from '../project';
import { openRunStore } from '../runStore';

/** Tree data for the Project view. */
export class ProjectView implements vscode.TreeDataProvider<StepNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** The data file's hash by modification time and size, hashed on a worker thread; redraws when one is ready. */
  private readonly dataHashes = new DataHashCache(() => this.changed.fire());

  constructor(
    private readonly project: ProjectTracker,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(project.onDidChange(() => this.changed.fire()));
  }

  /** Redraws the view. */
  refresh(): void {
    this.changed.fire();
  }

  getChildren(node?: StepNode): StepNode[] {
    const projectDir = this.project.projectDir;
    if (node || !projectDir) return [];
    return readProjectSteps(
      openRunStore(projectDir),
      projectDir,
      (path) => this.dataHashes.current(path),
      (message) => this.log.error(message),
    );
  }

  getTreeItem(node: StepNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.description = node.description;
    item.contextValue = node.contextValue;
    item.iconPath = new vscode.ThemeIcon(node.icon);
    item.tooltip = stepTooltip(node);
    // Every row opens its step's newest run as the click finds it (or says there is none yet): the row may
    // have been drawn before a run it should open.
    item.command = { command: COMMANDS.openResults, title: 'Open Results', arguments: [node] };
    return item;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
