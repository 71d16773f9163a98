/**
 * The New Project… wizard: a template, "From my own CSV…" (file → target column → task → folder → the plan, to
 * accept or change before anything is written) or "From a folder of images…" (folder → folder), then
 * `topdown new`, then the project folder opens with its README. Escape at any prompt ends it quietly.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { runCli } from '../jobs/cli';
import { NodeNotFoundError } from '../jobs/node';
import { csvSource, pickCsvSource, type CsvChoices } from './csvChoices';
import { reviewPlan } from './planReview';
import {
  checkProjectFolder,
  defaultProjectName,
  listTemplates,
  planNewProject,
  type ProjectSource,
} from './plan';

/** globalState key: README to open once the new project's folder is open (the window reloads). */
export const PENDING_README = 'topdown.pendingReadme';

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
    let csv: CsvChoices | undefined;
    if (first === 'csv') {
      csv = await pickCsvSource(context.extensionPath, log);
      if (!csv) return;
      source = csvSource(csv).source;
    } else if (first === 'images') {
      const images = await pickImageFolder();
      if (!images) return;
      source = images;
    } else source = first;
    const folder = await pickFolder(source);
    if (!folder) return;
    if (csv) {
      csv = await reviewPlan(context.extensionPath, log, csv, folder);
      if (!csv) return;
      source = csvSource(csv).source;
    }
    const plan = planNewProject(source, folder.parent, folder.name, csv && csvSource(csv).guess);
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
