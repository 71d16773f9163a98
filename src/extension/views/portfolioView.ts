/**
 * The Portfolio view: every project of the workspace with its task, best model against its baseline, final
 * holdout score and published reference; the active one is marked, a click makes a project active, and its
 * report opens from the row. The rows are models/portfolio.ts.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, VIEWS } from '../contributions';
import {
  beatsBaseline,
  describePortfolioRow,
  portfolioDetails,
  portfolioRow,
  type PortfolioDetail,
  type PortfolioRow,
} from '../models/portfolio';
import { readProjectSteps } from '../models/projectSteps';
import type { ProjectTracker } from '../project';
import { openRunStore } from '../runStore';

/** A project row, or one of its detail lines. */
export type PortfolioNode =
  | { kind: 'project'; projectDir: string; row: PortfolioRow }
  | { kind: 'detail'; projectDir: string; detail: PortfolioDetail };

/** Tree data and the tree view for the Portfolio view. */
export class PortfolioView implements vscode.TreeDataProvider<PortfolioNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** The tree view (its description counts the projects). */
  readonly view: vscode.TreeView<PortfolioNode>;

  constructor(
    private readonly project: ProjectTracker,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.view = vscode.window.createTreeView(VIEWS.portfolio, { treeDataProvider: this });
    this.disposables.push(
      this.view,
      project.onDidChange(() => this.refresh()),
    );
  }

  /** Re-reads every project and redraws. */
  refresh(): void {
    const count = this.project.projects.length;
    this.view.description = count > 0 ? `${count} project${count === 1 ? '' : 's'}` : undefined;
    this.changed.fire();
  }

  /** The row of one project, as the view shows it. */
  row(projectDir: string): PortfolioRow {
    const store = openRunStore(projectDir);
    // Staleness by data is not shown here, so no data file is hashed for the portfolio.
    const steps = readProjectSteps(
      store,
      projectDir,
      () => undefined,
      (message) => this.log.error(message),
    );
    return portfolioRow(projectDir, this.project.label(projectDir), store, steps);
  }

  getChildren(node?: PortfolioNode): PortfolioNode[] {
    if (!node) {
      return this.project.projects.map((projectDir) => ({
        kind: 'project',
        projectDir,
        row: this.row(projectDir),
      }));
    }
    if (node.kind === 'detail') return [];
    return portfolioDetails(node.row).map((detail) => ({
      kind: 'detail',
      projectDir: node.projectDir,
      detail,
    }));
  }

  getTreeItem(node: PortfolioNode): vscode.TreeItem {
    if (node.kind === 'detail') return this.detailItem(node.projectDir, node.detail);
    const row = node.row;
    const active = node.projectDir === this.project.projectDir;
    const item = new vscode.TreeItem(
      row.name,
      active ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = `project:${node.projectDir}`;
    item.description = `${active ? 'active · ' : ''}${describePortfolioRow(row)}`;
    const verdict = beatsBaseline(row);
    item.iconPath = new vscode.ThemeIcon(
      row.problem
        ? 'error'
        : verdict === undefined
          ? 'circle-large-outline'
          : verdict
            ? 'pass-filled'
            : 'warning',
    );
    item.contextValue = `portfolio.project${row.report ? '.report' : ''}`;
    item.tooltip = new vscode.MarkdownString(
      [
        `**${row.name}**${active ? ' (active)' : ''}`,
        row.description ?? '',
        describePortfolioRow(row),
        ...row.reference.map((line) => `Published: ${line}`),
        `\`${node.projectDir}\``,
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
    item.command = { command: COMMANDS.activateProject, title: 'Make Active Project', arguments: [node] };
    return item;
  }

  private detailItem(projectDir: string, detail: PortfolioDetail): vscode.TreeItem {
    const item = new vscode.TreeItem(detail.label, vscode.TreeItemCollapsibleState.None);
    item.description = detail.description;
    item.tooltip = detail.description ? `${detail.label}: ${detail.description}` : detail.label;
    item.iconPath = new vscode.ThemeIcon(detail.icon);
    if (detail.opens === 'report') {
      item.command = { command: COMMANDS.openReport, title: 'Open Report', arguments: [{ projectDir }] };
    } else if (detail.opens === 'readme') {
      item.command = {
        command: 'markdown.showPreview',
        title: 'Open README',
        arguments: [vscode.Uri.file(join(projectDir, 'README.md'))],
      };
    }
    return item;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
