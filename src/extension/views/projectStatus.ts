/**
 * Names the active project where it matters: the Project and Runs views' descriptions, and a status-bar item
 * (shown when the workspace holds several projects) whose click picks another one.
 */
import * as vscode from 'vscode';
import { COMMANDS } from '../contributions';
import type { ProjectTracker } from '../project';

/** Keeps the views' descriptions and the status-bar item on the active project. */
export class ActiveProjectLabels implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'topdown.project',
    vscode.StatusBarAlignment.Left,
    11,
  );
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(
    private readonly project: ProjectTracker,
    private readonly views: ReadonlyArray<vscode.TreeView<unknown>>,
  ) {
    this.item.name = 'Topdown Project';
    this.item.command = COMMANDS.chooseProject;
    this.disposables.push(project.onDidChange(() => this.update()));
    this.update();
  }

  private update(): void {
    const projectDir = this.project.projectDir;
    const name = projectDir ? this.project.label(projectDir) : undefined;
    for (const view of this.views) view.description = name;
    const many = this.project.projects.length > 1;
    if (!name || !many) return this.item.hide();
    this.item.text = `$(folder-library) ${name}`;
    this.item.tooltip = `Topdown: the steps, views and panels act on ${projectDir}. Click to choose another of the ${this.project.projects.length} projects.`;
    this.item.show();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
