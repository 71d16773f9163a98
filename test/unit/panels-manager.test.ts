/**
 * The panel manager's bookkeeping of open panels: two panels of one kind and project that VS Code restores after
 * a window reload (a layout saved by an older version, or a split editor) both follow the live job.
 */
// The stand-in answers `require('vscode')`, so it is imported before any host module.
import { EventEmitter, Uri } from '../helpers/vscode';
import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { PanelManager } from '../../src/extension/panels/manager';
import type { ToPanel } from '../../src/protocol/panels';
import { record } from '../helpers/records';

const log = { error() {}, info() {}, warn() {}, debug() {} } as unknown as vscode.LogOutputChannel;

/** A webview panel that records what the host posts and lets the test speak for the page. */
function fakePanel() {
  const received = new EventEmitter<unknown>();
  const disposed = new EventEmitter<void>();
  const posted: ToPanel[] = [];
  const panel = {
    title: '',
    webview: {
      options: {},
      html: '',
      cspSource: 'https://webview.test',
      asWebviewUri: (uri: Uri) => uri,
      postMessage: async (message: ToPanel) => void posted.push(message),
      onDidReceiveMessage: received.event,
    },
    onDidDispose: disposed.event,
    reveal() {},
    dispose: () => disposed.fire(),
  };
  return {
    panel: panel as unknown as vscode.WebviewPanel,
    posted,
    say: (message: unknown) => received.fire(message),
  };
}

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'topdown-panels-manager-'));
  writeFileSync(join(dir, 'topdown.json'), '{ "name": "p" }\n');
  return dir;
}

describe('PanelManager', () => {
  it('sends live events to every restored panel of a kind, not only the last one restored', async () => {
    const projectDir = project();
    const extension = { extensionUri: Uri.file('/extension') } as unknown as vscode.ExtensionContext;
    const manager = new PanelManager(extension, log);
    const panels = [fakePanel(), fakePanel()];
    for (const { panel, say } of panels) {
      manager.revive(panel, { kind: 'training', projectDir, runIds: [] });
      say({ type: 'panel/ready', protocolVersion: 1 });
    }
    await new Promise((resolve) => setImmediate(resolve));
    const run = record({ id: 'r1', status: 'running', model: 'mlp', candidate: 'mlp' });
    manager.onJobEvent(projectDir, { type: 'run/updated', run });
    const added = panels.map(({ posted }) =>
      posted.filter((message) => message.type === 'training/runAdded'),
    );
    assert.deepEqual(
      added.map((messages) => messages.length),
      [1, 1],
    );
    // Closing one leaves the other following the job.
    panels[0].panel.dispose();
    manager.onJobEvent(projectDir, { type: 'run/updated', run: { ...run, id: 'r2' } });
    assert.equal(panels[1].posted.filter((message) => message.type === 'training/runAdded').length, 2);
    // Showing the live curves again reuses the panel still open (the stand-in cannot create one).
    const revealed = mock.method(panels[1].panel, 'reveal');
    manager.showTraining(projectDir);
    assert.equal(revealed.mock.callCount(), 1);
    manager.dispose();
  });
});
