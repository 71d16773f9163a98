/**
 * Finds every project of the workspace (each folder with a topdown.json, in every workspace folder), keeps one
 * active (the one the edited file belongs to, the one the user chose, a new one), keeps the context keys in
 * step, and fires when a project, its topdown.json or its runs change. The choices are models/projects.ts.
 */
import * as vscode from 'vscode';
import { CONTEXT_KEYS } from './contributions';
import {
  chooseActive,
  MAX_PROJECTS,
  PROJECT_SEARCH_EXCLUDE,
  projectDirs,
  projectLabel,
  projectOf,
} from './models/projects';

/** workspaceState key: the project the user chose last. */
export const ACTIVE_PROJECT_KEY = 'topdown.activeProject';

/** Tracks the workspace's projects and the active one. */
export class ProjectTracker implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the projects, the active one, a topdown.json, its data or its runs change. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private current: string | undefined;
  private found: string[] = [];
  private debounce: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly state: vscode.Memento,
  ) {
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
      vscode.window.onDidChangeActiveTextEditor((editor) => this.follow(editor)),
    );
  }

  /** The active project's folder, or undefined when the workspace has none. */
  get projectDir(): string | undefined {
    return this.current;
  }

  /** Every project folder of the workspace, sorted by path. */
  get projects(): readonly string[] {
    return this.found;
  }

  /** The short name of a project (its path inside its workspace folder). */
  label(projectDir: string): string {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
    return projectLabel(projectDir, folders);
  }

  /** The project a file belongs to, if any. */
  projectOf(path: string): string | undefined {
    return projectOf(path, this.found);
  }

  /** Makes a project active (a pick, a click in the Portfolio) and remembers the choice for this workspace. */
  async choose(projectDir: string): Promise<void> {
    if (!this.found.includes(projectDir)) await this.refresh(projectDir);
    else await this.activate(projectDir);
    await this.state.update(ACTIVE_PROJECT_KEY, this.current);
  }

  /** Looks for the projects again and fires onDidChange; `preferred` (a new project) becomes active. */
  async refresh(preferred?: string): Promise<void> {
    const files = await vscode.workspace.findFiles('**/topdown.json', PROJECT_SEARCH_EXCLUDE, MAX_PROJECTS);
    const projects = projectDirs(files.map((uri) => uri.fsPath));
    const added = projects.filter((projectDir) => !this.found.includes(projectDir));
    this.found = projects;
    if (added.length > 0) this.log.info(`Projects found: ${added.join(', ')}`);
    const active = chooseActive({
      projects,
      current: this.current,
      remembered: this.state.get<string>(ACTIVE_PROJECT_KEY),
      preferred,
      editorFile: this.editorFile(vscode.window.activeTextEditor),
    });
    await this.activate(active);
  }

  /** Coalesces bursts of file events (a run writes many files) into one refresh. */
  scheduleRefresh(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.refresh(), 300);
  }

  private editorFile(editor: vscode.TextEditor | undefined): string | undefined {
    const uri = editor?.document.uri;
    return uri?.scheme === 'file' ? uri.fsPath : undefined;
  }

  /** A file of another project opened in the editor makes that project active. */
  private follow(editor: vscode.TextEditor | undefined): void {
    const file = this.editorFile(editor);
    const owner = file ? projectOf(file, this.found) : undefined;
    if (owner && owner !== this.current) void this.activate(owner);
  }

  private async activate(projectDir: string | undefined): Promise<void> {
    if (projectDir !== this.current) {
      this.log.info(projectDir ? `Active project: ${projectDir}` : 'No topdown.json in the workspace');
    }
    this.current = projectDir;
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.projectOpen, projectDir !== undefined);
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.manyProjects, this.found.length > 1);
    this.changed.fire();
  }

  dispose(): void {
    clearTimeout(this.debounce);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
