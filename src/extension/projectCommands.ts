/** Palette commands on the open project that are not steps: predict, open report, open project file. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { SETTINGS } from './contributions';
import { describeFailure } from './editor/errorLocation';
import { chooseNode, NodeNotFoundError } from './jobs/node';
import { describePrediction, runPredict } from './jobs/predict';
import type { ProjectTracker } from './project';

/** Asks which of the workspace's projects becomes active (the steps, views, status bar and panels follow it). */
export async function pickProject(tracker: ProjectTracker): Promise<void> {
  const items = tracker.projects.map((projectDir) => ({
    label: tracker.label(projectDir),
    description: projectDir === tracker.projectDir ? 'active' : undefined,
    detail: projectDir,
    projectDir,
  }));
  if (items.length === 0) {
    const choice = await vscode.window.showInformationMessage(
      'No Topdown project in this workspace (a folder with topdown.json).',
      'New Project…',
    );
    if (choice) await vscode.commands.executeCommand('topdown.newProject');
    return;
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Topdown: the project the steps, views and panels act on',
    matchOnDetail: true,
  });
  if (picked) await tracker.choose(picked.projectDir);
}

/** Picks a model bundle (models/<name>) and a CSV, then runs `topdown predict` as a child process (no shell). */
export async function predictWithModel(extensionPath: string, projectDir: string): Promise<void> {
  const modelsDir = join(projectDir, 'models');
  const bundles = existsSync(modelsDir)
    ? readdirSync(modelsDir, { withFileTypes: true }).filter((entry) => entry.isDirectory())
    : [];
  if (bundles.length === 0) {
    const choice = await vscode.window.showInformationMessage(
      'No saved model yet: Present Results fits the final model and saves it under models/.',
      'Present Results',
    );
    if (choice) await vscode.commands.executeCommand('topdown.present');
    return;
  }
  const bundle = await vscode.window.showQuickPick(
    bundles.map((entry) => ({ label: entry.name, detail: join('models', entry.name) })),
    { title: 'Topdown: predict with which model?' },
  );
  if (!bundle) return;
  const input = await vscode.window.showOpenDialog({
    title: 'Topdown: CSV with the rows to predict',
    defaultUri: vscode.Uri.file(projectDir),
    filters: { 'CSV files': ['csv'] },
  });
  if (!input?.[0]) return;
  let node;
  try {
    node = chooseNode({
      setting: vscode.workspace.getConfiguration().get<string>(SETTINGS.nodePath, ''),
      backend: vscode.workspace.getConfiguration().get<string>(SETTINGS.backend, 'auto'),
      pathVariable: process.env.PATH ?? '',
      editorExecPath: process.execPath,
      platform: process.platform,
    });
  } catch (error) {
    if (error instanceof NodeNotFoundError) void vscode.window.showErrorMessage(error.message);
    else throw error;
    return;
  }
  const request = {
    cliPath: join(extensionPath, 'dist', 'cli.js'),
    node,
    bundleDir: join(modelsDir, bundle.label),
    inputFile: input[0].fsPath,
    cwd: projectDir,
  };
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Topdown: predicting with ${bundle.label}…` },
    () => runPredict(request),
  );
  if (outcome.status === 'failed') {
    void vscode.window.showErrorMessage(describeFailure('Predict', outcome.error, projectDir));
    return;
  }
  // The predictions open at once; the message says where they are and, when the CSV held the target, their score.
  await vscode.window.showTextDocument(vscode.Uri.file(outcome.output), { preview: false });
  void vscode.window.showInformationMessage(describePrediction(outcome));
}

/** Opens report/REPORT.md (preview) or report/report.html, where Present Results writes them, or says how to make one. */
export async function openReport(projectDir: string): Promise<void> {
  // `topdown present` writes report/REPORT.md with its PNGs beside it; a REPORT.md at the top is older.
  const inFolder = (name: string) =>
    [join(projectDir, 'report', name), join(projectDir, name)].find((path) => existsSync(path));
  const markdown = inFolder('REPORT.md');
  const html = inFolder('report.html');
  if (markdown) {
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(markdown));
  } else if (html) {
    await vscode.env.openExternal(vscode.Uri.file(html));
  } else {
    const choice = await vscode.window.showInformationMessage(
      'No report yet: Present Results writes report/REPORT.md.',
      'Present Results',
    );
    if (choice) await vscode.commands.executeCommand('topdown.present');
  }
}
