/**
 * The host's handle on the result panels (src/extension/panels). The panel manager is created on first use;
 * the serializers are registered at activation so panels left open come back after a window reload.
 */
import * as vscode from 'vscode';
import type { JobEvent } from '../protocol/host';
import { PanelManager, registerPanelSerializers } from './panels/index';

/** Creates the panels on first use. */
export class Results implements vscode.Disposable {
  private panels: PanelManager | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    registerPanelSerializers(context, () => this.get());
  }

  /** The panels, created the first time. */
  get(): PanelManager {
    this.panels ??= new PanelManager(this.context, this.log);
    return this.panels;
  }

  /** Forwards a job event only when panels were already opened (events alone never create them). */
  forward(projectDir: string, event: JobEvent): void {
    this.panels?.onJobEvent(projectDir, event);
  }

  dispose(): void {
    this.panels?.dispose();
  }
}
