/** The host side of the result panels: opens them, feeds them snapshots and live appends, acts on requests. */
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { JobEvent } from '../../protocol/host';
import type {
  FinalResults,
  FromPanel,
  ImproveResults,
  PanelContext,
  PanelKind,
  ToPanel,
} from '../../protocol/panels';
import { panelViewType } from '../../protocol/panels';
import type { DataProfile } from '../../protocol/profile';
import type { RunRecord } from '../../protocol/records';
import { assertNever } from '../../core/assert';
import { openRunStore, type RunStore } from '../runStore';
import { savePng } from './actions';
import { withChanges, withDecision } from './improveDecision';
import { KeptConfigurationWriter, projectText } from './keptConfiguration';
import { createNonce, panelHtml } from './html';
import {
  compareRun,
  configDifferences,
  evaluateCandidate,
  evaluateSnapshot,
  higherIsBetter,
  sessionBaseline,
  trainingPoint,
  trainingRun,
} from './snapshots';
import { finalResultsFromBundle } from './finalResults';
import { EpochBatcher } from './throttle';
import { checkFromPanel, projectFile } from './validate';

/** The view type of each panel kind (the serializer registers the same ids). */
export function viewType(kind: PanelKind): string {
  return panelViewType(kind);
}

const titles: Record<PanelKind, string> = {
  training: 'Training',
  evaluate: 'Evaluate',
  improve: 'Improve',
  profile: 'Data profile',
  compare: 'Compare runs',
  final: 'Final results',
};

interface OpenPanel {
  panel: vscode.WebviewPanel;
  context: PanelContext;
  ready: boolean;
  batcher: EpochBatcher;
  /** Improve: the results last sent, so "use this" takes parameters from the host's copy, not the webview's. */
  improve?: ImproveResults;
  disposables: vscode.Disposable[];
}

function key(context: PanelContext): string {
  return [context.kind, context.projectDir, context.session ?? '', ...context.runIds].join('\u0000');
}

/** Opens and feeds the six result panels. Exported through panels/index.ts. */
export class PanelManager implements vscode.Disposable {
  private readonly panels = new Map<string, OpenPanel>();
  private readonly keptWriter = new KeptConfigurationWriter();

  constructor(
    private readonly extension: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Opens the right panel for a run: profile for define, improve, final for present, curves otherwise. */
  showRun(projectDir: string, runId: string): void {
    const record = this.read(projectDir, (store) => store.get(runId));
    if (!record) return;
    if (record.step === 'define') this.showProfile(projectDir, runId);
    else if (record.step === 'improve') this.showImprove(projectDir, runId);
    else if (record.step === 'present') this.showFinal(projectDir, runId);
    else this.showTraining(projectDir, runId);
  }

  /** Box plots of a session (the latest evaluate session when none is given). */
  showEvaluate(projectDir: string, session?: string): void {
    const chosen = session ?? this.read(projectDir, (store) => store.list({ step: 'evaluate' })[0]?.session);
    if (!chosen) return void vscode.window.showInformationMessage('No evaluate run yet: run step 3 first.');
    this.open({ kind: 'evaluate', projectDir, runIds: [], session: chosen });
  }

  /** The data profile of a define run. */
  showProfile(projectDir: string, runId: string): void {
    this.open({ kind: 'profile', projectDir, runIds: [runId] });
  }

  /** Several runs side by side. */
  showCompare(projectDir: string, runIds: string[]): void {
    this.open({ kind: 'compare', projectDir, runIds: [...runIds] });
  }

  /** The curves of one run, or (no run) of every running run, following new ones as they start. */
  showTraining(projectDir: string, runId?: string): void {
    this.open({ kind: 'training', projectDir, runIds: runId ? [runId] : [] });
  }

  /** The trials of a tuning run. */
  showImprove(projectDir: string, runId: string): void {
    this.open({ kind: 'improve', projectDir, runIds: [runId] });
  }

  /** The final model's holdout results. */
  showFinal(projectDir: string, runId: string): void {
    this.open({ kind: 'final', projectDir, runIds: [runId] });
  }

  /** Live events of a job: epochs go to training panels (batched), run updates to every panel showing the run. */
  onJobEvent(projectDir: string, event: JobEvent): void {
    for (const open of this.panels.values()) {
      if (open.context.projectDir !== projectDir || !open.ready) continue;
      const { kind, runIds } = open.context;
      if (event.type === 'run/epoch' && kind === 'training' && runIds.includes(event.runId)) {
        open.batcher.add(trainingPoint(event));
      } else if (event.type === 'run/updated' && kind === 'training') {
        const run = event.run;
        if (runIds.includes(run.id)) {
          open.batcher.send();
          this.post(open, {
            type: 'training/status',
            runId: run.id,
            status: run.status,
            elapsedMs: trainingRun(run, []).elapsedMs,
          });
        } else if (open.context.session !== undefined || runIds.length === 0) {
          // A panel following the live job takes every run the job starts.
          if (run.status !== 'running' || run.model === 'baseline') continue;
          open.context.runIds.push(run.id);
          open.context.session ??= run.session;
          this.post(open, { type: 'training/runAdded', run: trainingRun(run, []) });
        }
      } else if (
        event.type === 'run/updated' &&
        kind === 'evaluate' &&
        event.run.session === open.context.session
      ) {
        const run = event.run;
        if (run.model === 'baseline') {
          const baseline = sessionBaseline([run]);
          if (baseline) this.sendSnapshot(open);
        } else {
          this.post(open, {
            type: 'evaluate/candidate',
            candidate: evaluateCandidate(run),
            baseline: run.baseline,
          });
        }
      }
    }
  }

  /** Reopens a panel VS Code restored after a reload (called by the serializer with a checked context). */
  revive(panel: vscode.WebviewPanel, context: PanelContext): void {
    this.attach(panel, context);
  }

  /** Closes every panel. */
  dispose(): void {
    for (const open of [...this.panels.values()]) open.panel.dispose();
    this.panels.clear();
    this.keptWriter.dispose();
  }

  /** The webview options every panel uses: scripts on, local files only from dist/webviews and media. */
  webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    const root = this.extension.extensionUri;
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(root, 'dist', 'webviews'), vscode.Uri.joinPath(root, 'media')],
    };
  }

  private open(context: PanelContext): void {
    const existing = this.panels.get(key(context));
    if (existing) return existing.panel.reveal();
    const panel = vscode.window.createWebviewPanel(
      viewType(context.kind),
      titles[context.kind],
      vscode.ViewColumn.Active,
      this.webviewOptions(),
    );
    this.attach(panel, context);
  }

  private attach(panel: vscode.WebviewPanel, context: PanelContext): void {
    const webview = panel.webview;
    webview.options = this.webviewOptions();
    const root = this.extension.extensionUri;
    webview.html = panelHtml({
      kind: context.kind,
      title: titles[context.kind],
      cspSource: webview.cspSource,
      scriptUri: webview
        .asWebviewUri(vscode.Uri.joinPath(root, 'dist', 'webviews', `${context.kind}.js`))
        .toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'media', 'panels', 'panels.css')).toString(),
      nonce: createNonce(),
    });
    const open: OpenPanel = {
      panel,
      context,
      ready: false,
      batcher: new EpochBatcher((points) => this.post(open, { type: 'training/append', points })),
      disposables: [],
    };
    this.panels.set(key(context), open);
    open.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => {
        const checked = checkFromPanel(message, context.kind);
        if (!checked.ok)
          return this.log.warn(`Refused a message from the ${context.kind} panel: ${checked.reason}.`);
        void this.handle(open, checked.value);
      }),
      panel.onDidDispose(() => {
        open.batcher.dispose();
        for (const disposable of open.disposables) disposable.dispose();
        if (this.panels.get(key(open.context)) === open) this.panels.delete(key(open.context));
      }),
    );
  }

  private async handle(open: OpenPanel, message: FromPanel): Promise<void> {
    const { projectDir } = open.context;
    try {
      switch (message.type) {
        case 'panel/ready':
          open.ready = true;
          this.sendSnapshot(open);
          return;
        case 'panel/savePng': {
          const written = savePng(projectDir, message.fileName, message.dataUrl);
          this.post(open, { type: 'panel/notice', level: 'info', message: `Saved ${written}` });
          return;
        }
        case 'panel/copyText':
          await vscode.env.clipboard.writeText(message.text);
          this.post(open, { type: 'panel/notice', level: 'info', message: `Copied ${message.what} as CSV.` });
          return;
        case 'panel/openRun':
          if (this.read(projectDir, (store) => store.get(message.runId)))
            this.showTraining(projectDir, message.runId);
          return;
        case 'panel/error':
          this.log.error(`The ${open.context.kind} panel failed: ${message.message}`);
          return;
        case 'improve/useTrial': {
          if (!open.improve) throw new Error('This panel has no tuning results.');
          const outcome = await this.keptWriter.use(projectDir, open.improve, message.trialIndex);
          if (outcome === 'applied') {
            this.post(open, {
              type: 'improve/applied',
              trialIndex: message.trialIndex,
              file: 'topdown.json',
            });
            this.log.info(
              `Wrote the configuration step 4 kept for ${open.improve.candidate} into topdown.json.`,
            );
          }
          this.sendSnapshot(open);
          return;
        }
        case 'final/open': {
          const record = this.read(projectDir, (store) => store.get(open.context.runIds[0]));
          const relativePath = record?.outputs?.[message.target];
          if (!relativePath) throw new Error(`This run has no ${message.target} to open.`);
          const path = projectFile(projectDir, relativePath);
          if (!path.ok) throw new Error(path.reason);
          const uri = vscode.Uri.file(path.value);
          if (message.target === 'model') await vscode.commands.executeCommand('revealFileInOS', uri);
          else await vscode.commands.executeCommand('vscode.open', uri);
          return;
        }
        default:
          assertNever(message);
      }
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.log.error(`${open.context.kind} panel: ${text}`);
      this.post(open, { type: 'panel/notice', level: 'error', message: text });
    }
  }

  private sendSnapshot(open: OpenPanel): void {
    const context = open.context;
    const snapshot = this.read(context.projectDir, (store) => this.snapshot(store, open));
    this.post(open, { type: 'panel/context', context, title: this.title(context) });
    if (snapshot) this.post(open, snapshot);
  }

  private title(context: PanelContext): string {
    const name =
      context.runIds.length === 1 ? `: ${context.runIds[0]}` : context.session ? `: ${context.session}` : '';
    return `${titles[context.kind]}${name}`;
  }

  private snapshot(store: RunStore, open: OpenPanel): ToPanel | undefined {
    const context = open.context;
    const records = (): RunRecord[] => context.runIds.map((runId) => store.get(runId));
    switch (context.kind) {
      case 'training': {
        if (context.runIds.length === 0) {
          context.runIds.push(
            ...store
              .list({ status: 'running' })
              .filter((entry) => entry.model !== 'baseline')
              .map((entry) => entry.id),
          );
        }
        open.batcher.send();
        const live = records().some((record) => record.status === 'running');
        return {
          type: 'training/snapshot',
          runs: records().map((record) => trainingRun(record, store.readEvents(record.id))),
          live,
        };
      }
      case 'evaluate': {
        const session = context.session ?? '';
        const runs = store.list({ session, step: 'evaluate' }).map((entry) => store.get(entry.id));
        return {
          type: 'evaluate/snapshot',
          snapshot: evaluateSnapshot(session, runs, (runId) => store.readEvents(runId)),
        };
      }
      case 'profile': {
        const record = store.get(context.runIds[0]);
        const profile = this.readOutput(context.projectDir, record, 'profile');
        return profile
          ? {
              type: 'profile/snapshot',
              runId: record.id,
              profile: profile as DataProfile,
              baseline: record.baseline && { ...record.baseline, metric: record.metric },
            }
          : this.missing(open, 'a data profile');
      }
      case 'compare': {
        const runs = records();
        const metric = runs[0]?.metric ?? 'score';
        return {
          type: 'compare/snapshot',
          runs: runs.map((record) => compareRun(record, store.readEvents(record.id))),
          higherIsBetter: higherIsBetter(metric),
          differences: configDifferences(runs),
        };
      }
      case 'improve': {
        const record = store.get(context.runIds[0]);
        const recorded = this.readOutput(context.projectDir, record, 'improve') as ImproveResults | undefined;
        const results =
          recorded && withChanges(withDecision(recorded, record.tuning), projectText(context.projectDir));
        open.improve = results;
        return results ? { type: 'improve/snapshot', results } : this.missing(open, 'tuning results');
      }
      case 'final': {
        const record = store.get(context.runIds[0]);
        const results =
          (this.readOutput(context.projectDir, record, 'final') as FinalResults | undefined) ??
          finalResultsFromBundle(context.projectDir, record);
        return results ? { type: 'final/snapshot', results } : this.missing(open, 'final results');
      }
      default:
        return assertNever(context.kind);
    }
  }

  private missing(open: OpenPanel, what: string): undefined {
    this.post(open, { type: 'panel/notice', level: 'warn', message: `This run has no ${what} yet.` });
    return undefined;
  }

  /** Reads a JSON output a run recorded (`outputs.profile`, `outputs.improve`, `outputs.final`), inside the project. */
  private readOutput(projectDir: string, record: RunRecord, name: string): unknown {
    const relativePath = record.outputs?.[name];
    if (!relativePath) return undefined;
    const path = projectFile(projectDir, relativePath);
    if (!path.ok || !existsSync(path.value)) return undefined;
    return JSON.parse(readFileSync(path.value, 'utf8'));
  }

  private read<T>(projectDir: string, use: (store: RunStore) => T): T | undefined {
    try {
      return use(openRunStore(projectDir));
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.log.error(`Result panels: ${text}`);
      void vscode.window.showErrorMessage(text);
      return undefined;
    }
  }

  private post(open: OpenPanel, message: ToPanel): void {
    void open.panel.webview.postMessage(message);
  }
}
