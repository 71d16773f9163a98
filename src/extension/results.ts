/**
 * The seam between the host and the result panels (src/extension/panels, built separately). Panels load on
 * first use; until that module exists, "open results" shows the run's run.json and the rest is a no-op.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { JobEvent } from '../protocol/host';

/** What the host asks of the panels (the contract of panels/index.ts `PanelManager`). */
export interface ResultPanels extends vscode.Disposable {
  showRun(projectDir: string, runId: string): void;
  showEvaluate(projectDir: string, session?: string): void;
  showProfile(projectDir: string, runId: string): void;
  showCompare(projectDir: string, runIds: string[]): void;
  showTraining(projectDir: string, runId?: string): void;
  /** Step 4 results; panels that lack it show the run instead. */
  showImprove?(projectDir: string, runId: string): void;
  /** Step 5 results (final model); panels that lack it show the run instead. */
  showFinal?(projectDir: string, runId: string): void;
  onJobEvent(projectDir: string, event: JobEvent): void;
}

/** The shape of panels/index.ts. */
interface PanelsModule {
  PanelManager: new (context: vscode.ExtensionContext, log: vscode.LogOutputChannel) => ResultPanels;
  registerPanelSerializers(context: vscode.ExtensionContext, manager: ResultPanels): void;
}

function loadPanelsModule(log: vscode.LogOutputChannel): PanelsModule | undefined {
  try {
    // A plain require inside try/catch: esbuild bundles the panels when they exist and leaves a failing
    // require (caught here) when they do not, and the module is evaluated only on first use.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('./panels/index') as PanelsModule;
  } catch (error) {
    log.info(
      `Result panels are not available (${error instanceof Error ? error.message : String(error)}); showing run.json instead.`,
    );
    return undefined;
  }
}

/** Shows run.json files in an editor; used until the panels exist. */
class JsonResults implements ResultPanels {
  private showJson(projectDir: string, runId: string): void {
    void vscode.window.showTextDocument(vscode.Uri.file(join(projectDir, 'runs', runId, 'run.json')), {
      preview: true,
    });
  }
  showRun(projectDir: string, runId: string): void {
    this.showJson(projectDir, runId);
  }
  showEvaluate(): void {}
  showProfile(projectDir: string, runId: string): void {
    this.showJson(projectDir, runId);
  }
  showCompare(projectDir: string, runIds: string[]): void {
    for (const runId of runIds) {
      void vscode.window.showTextDocument(vscode.Uri.file(join(projectDir, 'runs', runId, 'run.json')), {
        preview: false,
        viewColumn: vscode.ViewColumn.Beside,
      });
    }
  }
  showTraining(): void {}
  onJobEvent(): void {}
  dispose(): void {}
}

/** Creates the panels on first use (never at activation). */
export class Results implements vscode.Disposable {
  private panels: ResultPanels | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The panels, loading them the first time. */
  get(): ResultPanels {
    if (!this.panels) {
      const module = loadPanelsModule(this.log);
      if (module) {
        this.panels = new module.PanelManager(this.context, this.log);
        module.registerPanelSerializers(this.context, this.panels);
      } else {
        this.panels = new JsonResults();
      }
    }
    return this.panels;
  }

  /** Forwards a job event only when panels were already opened (events alone never load them). */
  forward(projectDir: string, event: JobEvent): void {
    this.panels?.onJobEvent(projectDir, event);
  }

  dispose(): void {
    this.panels?.dispose();
  }
}
