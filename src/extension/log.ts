/** The one "Topdown" output channel. Everything the host logs goes through here. */
import * as vscode from 'vscode';

/** Creates the channel; the caller owns it (it is a Disposable). */
export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('Topdown', { log: true });
}
