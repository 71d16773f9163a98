/** Palette commands on the open project that are not steps: choose the project, open its report. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
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
