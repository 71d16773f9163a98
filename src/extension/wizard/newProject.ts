/**
 * The New Project… wizard: a template, "From my own CSV…" (file → target column → task → folder) or "From a
 * folder of images…" (folder → folder), then `topdown new`, then the project folder opens with its README. Escape at any prompt ends it quietly.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Task } from '../../core/config';
import { runCli } from '../jobs/cli';
import { NodeNotFoundError } from '../jobs/node';
import {
  checkProjectFolder,
  defaultProjectName,
  guessTask,
  listTemplates,
  parseColumns,
  planNewProject,
  taskChoices,
  type ProjectSource,
} from './plan';

/** globalState key: README to open once the new project's folder is open (the window reloads). */
export const PENDING_README = 'topdown.pendingReadme';

const TASK_DESCRIPTIONS: Record<Task, string> = {
  binary: 'two classes (yes/no, M/R)',
  multiclass: 'three or more classes',
  regression: 'a number',
  'time-series': 'the next values of a series ordered by time',
  image: 'classes from pixel columns or images',
};

type SourceItem = vscode.QuickPickItem & { template?: string; own?: 'csv' | 'images' };

async function pickSource(
  extensionPath: string,
  templatesOnly: boolean,
): Promise<ProjectSource | 'csv' | 'images' | undefined> {
  const templates = listTemplates(join(extensionPath, 'templates'));
  const items: SourceItem[] = templates.map((template) => ({
    label: template.name,
    description: template.description,
    template: template.name,
  }));
  if (!templatesOnly) {
    items.push(
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: '$(file) From my own CSV…', description: 'pick a CSV and its target column', own: 'csv' },
      {
        label: '$(file-media) From a folder of images…',
        description: 'one subfolder of PNG or JPEG images per class',
        own: 'images',
      },
    );
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: templatesOnly ? 'Topdown: Open a Template' : 'Topdown: New Project',
    placeHolder: templatesOnly ? 'Choose a starter project' : 'Start from a template or from your own data',
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  return picked.template ? { kind: 'template', template: picked.template } : (picked.own ?? 'csv');
}

async function pickImageFolder(): Promise<ProjectSource | undefined> {
  const folders = await vscode.window.showOpenDialog({
    title: 'Topdown: the image folder (one subfolder per class)',
    canSelectFolders: true,
    canSelectFiles: false,
    openLabel: 'Use These Images',
  });
  return folders?.[0] ? { kind: 'images', folder: folders[0].fsPath } : undefined;
}

async function pickCsvSource(
  extensionPath: string,
  log: vscode.LogOutputChannel,
): Promise<{ source: ProjectSource; guess: Task } | undefined> {
  const files = await vscode.window.showOpenDialog({
    title: 'Topdown: the CSV to learn from',
    canSelectMany: false,
    filters: { 'CSV files': ['csv'], 'All files': ['*'] },
  });
  if (!files?.[0]) return undefined;
  const csvFile = files[0].fsPath;
  const result = await runCli(extensionPath, ['columns', csvFile, '--json'], log);
  if (result.exitCode !== 0) {
    void vscode.window.showErrorMessage(
      `Could not read the columns of ${csvFile}: ${result.stderr.trim() || `exit code ${result.exitCode}`}`,
    );
    return undefined;
  }
  const columns = parseColumns(result.stdout);
  const suggested = columns.at(-1)?.name;
  const columnItems = [...columns].reverse().map((column) => ({
    label: column.name,
    description: `${column.type}${column.name === suggested ? ' · suggested (last column)' : ''}`,
    detail: column.samples.length ? `e.g. ${column.samples.slice(0, 6).join(', ')}` : undefined,
    column,
  }));
  const target = await vscode.window.showQuickPick(columnItems, {
    title: 'Topdown: which column should the model predict?',
    matchOnDetail: true,
  });
  if (!target) return undefined;
  const guess = guessTask(target.column);
  const taskItems = taskChoices(guess).map((task) => ({
    label: task,
    description: `${TASK_DESCRIPTIONS[task]}${task === guess ? ' · guessed from the values' : ''}`,
    task,
  }));
  const task = await vscode.window.showQuickPick(taskItems, {
    title: `Topdown: predicting "${target.label}" is a…`,
  });
  if (!task) return undefined;
  return { source: { kind: 'csv', csvFile, target: target.label, task: task.task }, guess };
}

async function pickFolder(source: ProjectSource): Promise<{ parent: string; name: string } | undefined> {
  const defaultUri = vscode.workspace.workspaceFolders?.[0]?.uri;
  const parents = await vscode.window.showOpenDialog({
    title: 'Topdown: where to create the project folder',
    canSelectFolders: true,
    canSelectFiles: false,
    openLabel: 'Create Here',
    defaultUri,
  });
  if (!parents?.[0]) return undefined;
  const parent = parents[0].fsPath;
  const name = await vscode.window.showInputBox({
    title: 'Topdown: project folder name',
    value: defaultProjectName(source),
    validateInput: (value) => checkProjectFolder(parent, value),
  });
  return name === undefined ? undefined : { parent, name: name.trim() };
}

/**
 * Runs the wizard. `templatesOnly` is "Open a Template". `onCreated` runs with the new project's folder when it
 * was created inside the open workspace (no window reload), so the caller can make it active at once.
 */
export async function newProject(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  templatesOnly = false,
  onCreated?: (projectDir: string) => Promise<void>,
): Promise<void> {
  try {
    const first = await pickSource(context.extensionPath, templatesOnly);
    if (!first) return;
    let source: ProjectSource;
    let guess: Task | undefined;
    if (first === 'csv') {
      const fromCsv = await pickCsvSource(context.extensionPath, log);
      if (!fromCsv) return;
      ({ source, guess } = fromCsv);
    } else if (first === 'images') {
      const images = await pickImageFolder();
      if (!images) return;
      source = images;
    } else source = first;
    const folder = await pickFolder(source);
    if (!folder) return;
    const plan = planNewProject(source, folder.parent, folder.name, guess);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Topdown: creating the project…' },
      () => runCli(context.extensionPath, plan.args, log),
    );
    if (result.exitCode !== 0) {
      const choice = await vscode.window.showErrorMessage(
        `Could not create the project: ${result.stderr.trim().split('\n')[0] || `exit code ${result.exitCode}`}`,
        'Show Log',
      );
      if (choice) log.show();
      return;
    }
    await openProject(context, plan.projectDir, plan.open, onCreated);
  } catch (error) {
    if (error instanceof NodeNotFoundError) {
      void vscode.window.showErrorMessage(error.message);
      return;
    }
    throw error;
  }
}

async function openProject(
  context: vscode.ExtensionContext,
  projectDir: string,
  open: string[],
  onCreated?: (projectDir: string) => Promise<void>,
): Promise<void> {
  const readme = open[0] ? join(projectDir, open[0]) : undefined;
  const folderUri = vscode.Uri.file(projectDir);
  const inside = vscode.workspace.getWorkspaceFolder(folderUri);
  if (inside) {
    // File watchers may miss (or be slow to report) the new topdown.json, so the tracker looks again now,
    // and the new project becomes the active one.
    await onCreated?.(projectDir);
    await vscode.commands.executeCommand('topdown.project.focus');
    if (readme) await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(readme));
    return;
  }
  await context.globalState.update(PENDING_README, readme);
  const hasWorkspace = (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
  await vscode.commands.executeCommand('vscode.openFolder', folderUri, { forceNewWindow: hasWorkspace });
}

/** After the window opened the new project: shows its README and the Project view, once. */
export async function openPendingReadme(context: vscode.ExtensionContext): Promise<void> {
  const readme = context.globalState.get<string>(PENDING_README);
  if (!readme || !vscode.workspace.getWorkspaceFolder(vscode.Uri.file(readme))) return;
  await context.globalState.update(PENDING_README, undefined);
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(readme));
  await vscode.commands.executeCommand('topdown.project.focus');
}
