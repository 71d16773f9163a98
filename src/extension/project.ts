/**
 * Finds the open project (a topdown.json in a workspace folder or one level below), keeps the
 * `topdown.projectOpen` context key in step, and fires when the project file or its runs change.
 */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { CONTEXT_KEYS } from './contributions';

/** Tracks the open project. */
export class ProjectTracker implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the project, its topdown.json, its data or its runs change. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private current: string | undefined;
  private debounce: NodeJS.Timeout | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {
    const watcher = vscode.workspace.createFileSystemWatcher(
      '**/{topdown.json,runs/index.jsonl,runs/*/run.json}',
    );
    const onFile = () => this.scheduleRefresh();
    this.disposables.push(
      watcher,
      watcher.onDidCreate(onFile),
      watcher.onDidChange(onFile),
      watcher.onDidDelete(onFile),
      vscode.workspace.onDidChangeWorkspaceFolders(onFile),
    );
  }

  /** The project folder, or undefined when none is open. */
  get projectDir(): string | undefined {
    return this.current;
  }

  /** Looks for topdown.json again and fires onDidChange. */
  async refresh(): Promise<void> {
    const found = await vscode.workspace.findFiles('{topdown.json,*/topdown.json}', '**/node_modules/**', 10);
    const sorted = found.map((uri) => uri.fsPath).sort((left, right) => left.length - right.length);
    const projectDir = sorted.length > 0 ? dirname(sorted[0]) : undefined;
    if (projectDir !== this.current) {
      this.log.info(projectDir ? `Project: ${projectDir}` : 'No topdown.json in the workspace');
      if (sorted.length > 1) this.log.info(`Other projects found (not shown): ${sorted.slice(1).join(', ')}`);
    }
    this.current = projectDir;
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.projectOpen, projectDir !== undefined);
    this.changed.fire();
  }

  /** Coalesces bursts of file events (a run writes many files) into one refresh. */
  scheduleRefresh(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.refresh(), 300);
  }

  dispose(): void {
    clearTimeout(this.debounce);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
