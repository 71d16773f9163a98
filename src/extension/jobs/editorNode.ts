/** The Node.js that runs the CLI, chosen from the editor's settings (`topdown.nodePath`, `topdown.backend`). */
import * as vscode from 'vscode';
import { SETTINGS } from '../contributions';
import { chooseNode, NodeNotFoundError, type NodeChoice } from './node';

/** The Node.js the settings choose for `backend` (default: the `topdown.backend` setting); throws NodeNotFoundError. */
export function nodeFromSettings(backend?: string): NodeChoice {
  const settings = vscode.workspace.getConfiguration();
  return chooseNode({
    setting: settings.get<string>(SETTINGS.nodePath, ''),
    backend: backend ?? settings.get<string>(SETTINGS.backend, 'auto'),
    pathVariable: process.env.PATH ?? '',
    editorExecPath: process.execPath,
    platform: process.platform,
  });
}

/** The Node.js that runs the CLI; without one, an error (logged) that opens the setting, and undefined. */
export function nodeOrSayWhy(log: Pick<vscode.LogOutputChannel, 'error'>): NodeChoice | undefined {
  try {
    return nodeFromSettings();
  } catch (error) {
    if (!(error instanceof NodeNotFoundError)) throw error;
    log.error(error.message);
    void vscode.window.showErrorMessage(error.message, 'Open Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', SETTINGS.nodePath);
    });
    return undefined;
  }
}
