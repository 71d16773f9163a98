/** The Runs view: history grouped by step and session, newest first, multi-select for compare. */
import * as vscode from 'vscode';
import type { RunIndexEntry } from '../../protocol/records';
import { COMMANDS, VIEWS } from '../contributions';
import {
  buildRunsTree,
  childrenOf,
  describeFilter,
  filterChoices,
  filterRuns,
  NO_FILTER,
  newestSession,
  runTooltip,
  type RunNode,
  type RunsFilter,
  type RunsTreeNode,
  type SessionNode,
  type StepGroupNode,
} from '../models/runsTree';
import type { ProjectTracker } from '../project';
import { openRunStore } from '../runStore';

/** Tree data and the tree view for the Runs view. */
export class RunsView implements vscode.TreeDataProvider<RunsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private roots: StepGroupNode[] = [];
  /** The runs shown (all by default); `chooseFilter` sets it. */
  private filter: RunsFilter = NO_FILTER;
  /** The session that started last (any step): the one shown expanded. */
  private newest: SessionNode | undefined;
  /** The tree view (for the selection). */
  readonly view: vscode.TreeView<RunsTreeNode>;

  constructor(
    private readonly project: ProjectTracker,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.view = vscode.window.createTreeView(VIEWS.runs, {
      treeDataProvider: this,
      canSelectMany: true,
      showCollapseAll: true,
    });
    this.disposables.push(
      this.view,
      project.onDidChange(() => this.refresh()),
    );
  }

  /** Asks which steps, statuses and runs to show (none picked: all), and shows the choice beside the title. */
  async chooseFilter(): Promise<void> {
    const projectDir = this.project.projectDir;
    if (!projectDir) return;
    const choices = filterChoices(openRunStore(projectDir).list());
    type Item = vscode.QuickPickItem & { group?: keyof RunsFilter; value?: string };
    const section = (label: string, group: keyof RunsFilter, values: readonly string[]): Item[] => [
      { label, kind: vscode.QuickPickItemKind.Separator },
      ...values.map((value) => ({
        label: value,
        group,
        value,
        picked: (this.filter[group] as string[]).includes(value),
      })),
    ];
    const picked = await vscode.window.showQuickPick<Item>(
      [
        ...section('Step', 'steps', choices.steps),
        ...section('Status', 'statuses', choices.statuses),
        ...section('Run', 'candidates', choices.candidates),
      ],
      { canPickMany: true, title: 'Show runs of… (pick none to show all)' },
    );
    if (!picked) return;
    const chosen = (group: keyof RunsFilter) =>
      picked.filter((item) => item.group === group).map((item) => item.value as string);
    this.filter = {
      steps: chosen('steps') as RunsFilter['steps'],
      statuses: chosen('statuses') as RunsFilter['statuses'],
      candidates: chosen('candidates'),
    };
    this.view.description = describeFilter(this.filter) || undefined;
    this.refresh();
  }

  /** Re-reads the run index and redraws. */
  refresh(): void {
    this.changed.fire();
  }

  /** Runs currently selected (for compare). */
  selectedRuns(): RunIndexEntry[] {
    return this.view.selection
      .filter((node): node is RunNode => node.kind === 'run')
      .map((node) => node.entry);
  }

  getChildren(node?: RunsTreeNode): RunsTreeNode[] {
    if (!node) {
      this.roots = this.readRoots();
      this.newest = newestSession(this.roots);
    }
    return childrenOf(this.roots, node);
  }

  private readRoots(): StepGroupNode[] {
    const projectDir = this.project.projectDir;
    if (!projectDir) return [];
    try {
      return buildRunsTree(filterRuns(openRunStore(projectDir).list(), this.filter));
    } catch (error) {
      this.log.error(
        `Could not list the runs of ${projectDir}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return [];
    }
  }

  getTreeItem(node: RunsTreeNode): vscode.TreeItem {
    if (node.kind !== 'run') {
      const expanded = node.kind === 'step' || node === this.newest;
      const item = new vscode.TreeItem(
        node.label,
        expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
      );
      item.description = node.description;
      item.contextValue = node.kind;
      item.id = node.kind === 'step' ? `step:${node.step}` : `session:${node.step}:${node.session}`;
      return item;
    }
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = `run:${node.entry.id}`;
    item.description = node.description;
    item.contextValue = node.contextValue;
    item.iconPath = new vscode.ThemeIcon(node.icon);
    item.command = { command: COMMANDS.openResults, title: 'Open Results', arguments: [node] };
    return item;
  }

  /** Loads the run's config for the tooltip only when it is hovered. */
  resolveTreeItem(item: vscode.TreeItem, node: RunsTreeNode): vscode.TreeItem {
    const projectDir = this.project.projectDir;
    if (node.kind === 'run' && projectDir) {
      try {
        item.tooltip = new vscode.MarkdownString(runTooltip(openRunStore(projectDir).get(node.entry.id)));
      } catch (error) {
        item.tooltip = `Could not read run ${node.entry.id}: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    return item;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
