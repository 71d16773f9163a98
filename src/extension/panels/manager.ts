/** The host side of the result panels: opens them, feeds them snapshots and live appends, acts on requests. */
import * as vscode from 'vscode';
import type { JobEvent } from '../../protocol/host';
import type { FromPanel, PanelContext, PanelKind, ToPanel } from '../../protocol/panels';
import { panelViewType } from '../../protocol/panels';
import { assertNever } from '../../core/assert';
import { openRunStore, type RunStore } from '../runStore';
import { savePng } from './actions';
import { createNonce, panelHtml } from './html';
import {
  isCommonRequest,
  openFileCommand,
  panelTitle,
  type CommonRequest,
  type ProviderPanel,
} from './provider';
import { tuningRunOf } from './improve';
import { providerOf } from './providers';
import { editorText, ProposedEdits } from './proposedEdit';
import { checkFromPanel } from './validate';
import { COMMANDS } from '../contributions';

/** The view type of each panel kind (the serializer registers the same ids). */
export function viewType(kind: PanelKind): string {
  return panelViewType(kind);
}

interface OpenPanel {
  panel: vscode.WebviewPanel;
  /** The key the panel is filed under, from its context when it opened (a live panel's run ids grow). */
  key: string;
  ready: boolean;
  /** What the kind's provider sees and keeps. */
  view: ProviderPanel<unknown>;
  disposables: vscode.Disposable[];
}

/** One panel per kind and project: showing another run or session of a kind reuses its panel. */
function key(context: PanelContext): string {
  return [context.kind, context.projectDir].join('\u0000');
}

function sameContext(a: PanelContext, b: PanelContext): boolean {
  return a.session === b.session && a.runIds.join('\u0000') === b.runIds.join('\u0000');
}

/** Opens and feeds the six result panels. Exported through panels/index.ts. */
export class PanelManager implements vscode.Disposable {
  private readonly panels = new Map<string, OpenPanel>();
  /** Panels filed beside another of their kind and project (restored after a reload); numbers their keys. */
  private extraPanels = 0;
  private proposedEdits: ProposedEdits | undefined;

  constructor(
    private readonly extension: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Opens the right panel for a run: profile for define, the preview for prepare, improve, final for present, curves otherwise. */
  showRun(projectDir: string, runId: string): void {
    const record = this.read(projectDir, (store) => store.get(runId));
    if (!record) return;
    if (record.step === 'define') this.showProfile(projectDir, runId);
    else if (record.step === 'prepare') this.showPrepare(projectDir, runId);
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

  /** The preparation preview of a prepare run (step 2). */
  showPrepare(projectDir: string, runId: string): void {
    this.open({ kind: 'prepare', projectDir, runIds: [runId] });
  }

  /** Several runs side by side. */
  showCompare(projectDir: string, runIds: string[]): void {
    this.open({ kind: 'compare', projectDir, runIds: [...runIds] });
  }

  /** The curves of one run, or (no run) of every running run, following new ones as they start. */
  showTraining(projectDir: string, runId?: string): void {
    this.open({ kind: 'training', projectDir, runIds: runId ? [runId] : [] });
  }

  /**
   * The trials of a tuning run. A step-4 run without tuning results (an ensemble, a repeat of a classic
   * model) opens the trials of its session's tuning, the decision first; with none in the session, its own
   * fold scores.
   */
  showImprove(projectDir: string, runId: string): void {
    const tuning = this.read(projectDir, (store) => tuningRunOf(store, runId));
    if (tuning === null) return this.showTraining(projectDir, runId);
    if (tuning) this.open({ kind: 'improve', projectDir, runIds: [tuning] });
  }

  /** The final model's holdout results. */
  showFinal(projectDir: string, runId: string): void {
    this.open({ kind: 'final', projectDir, runIds: [runId] });
  }

  /** Live events of a job: each ready panel of the project gets them through its kind's provider. */
  onJobEvent(projectDir: string, event: JobEvent): void {
    for (const open of this.panels.values()) {
      if (open.view.context.projectDir !== projectDir || !open.ready) continue;
      providerOf(open.view.context.kind).onJobEvent?.(event, open.view);
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
    this.proposedEdits?.dispose();
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
    const existing = this.panels.get(key(context)) ?? this.restoredBeside(key(context));
    if (existing && !sameContext(existing.view.context, context)) this.retarget(existing, context);
    if (existing) return existing.panel.reveal();
    const panel = vscode.window.createWebviewPanel(
      viewType(context.kind),
      providerOf(context.kind).title,
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
      title: providerOf(context.kind).title,
      cspSource: webview.cspSource,
      scriptUri: webview
        .asWebviewUri(vscode.Uri.joinPath(root, 'dist', 'webviews', `${context.kind}.js`))
        .toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'media', 'panels', 'panels.css')).toString(),
      nonce: createNonce(),
    });
    const open = this.openPanel(panel, context);
    // VS Code can restore two panels of one kind and project (a layout saved by an older version, a split
    // editor): each is filed under its own key, so both follow the live job; showing a run reuses the first.
    if (this.panels.has(open.key)) open.key = `${open.key}\u0000${++this.extraPanels}`;
    this.panels.set(open.key, open);
    open.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => {
        const checked = checkFromPanel(message, context.kind);
        if (!checked.ok)
          return this.log.warn(`Refused a message from the ${context.kind} panel: ${checked.reason}.`);
        void this.handle(open, checked.value);
      }),
      panel.onDidDispose(() => {
        providerOf(context.kind).disposeState?.(open.view.state);
        for (const disposable of open.disposables) disposable.dispose();
        if (this.panels.get(open.key) === open) this.panels.delete(open.key);
      }),
    );
  }

  /** A panel filed beside `primary` (see attach) that is still open, once the first of its kind was closed. */
  private restoredBeside(primary: string): OpenPanel | undefined {
    return [...this.panels.values()].find((open) => open.key.startsWith(`${primary}\u0000`));
  }

  /** Shows another run or session in an open panel of the same kind: a fresh provider state, then a snapshot. */
  private retarget(open: OpenPanel, context: PanelContext): void {
    providerOf(context.kind).disposeState?.(open.view.state);
    open.view = this.providerView(open, context);
    if (open.ready) this.sendSnapshot(open);
  }

  /** The panel's record, with the view its provider gets. */
  private openPanel(panel: vscode.WebviewPanel, context: PanelContext): OpenPanel {
    const open = { panel, key: key(context), ready: false, disposables: [] } as Omit<
      OpenPanel,
      'view'
    > as OpenPanel;
    open.view = this.providerView(open, context);
    return open;
  }

  /** What a provider gets for one panel and context: posting, refreshing, the store and the editor. */
  private providerView(open: OpenPanel, context: PanelContext): ProviderPanel<unknown> {
    const provider = providerOf(context.kind);
    const post = (message: ToPanel): void => void open.panel.webview.postMessage(message);
    return {
      context,
      state: provider.createState(post),
      post,
      refresh: () => this.sendSnapshot(open),
      read: (use) => this.read(context.projectDir, use),
      log: this.log,
      openFile: async (path, how) => {
        const uri = vscode.Uri.file(path);
        // The Explorer, not the OS file manager: that also works in a browser-based editor (code-server).
        await vscode.commands.executeCommand(openFileCommand(path, how), uri);
      },
      readText: editorText,
      runStep: async (step, question) => {
        const answer = await vscode.window.showInformationMessage(question, { modal: true }, 'Run');
        if (answer !== 'Run') return false;
        await vscode.commands.executeCommand(COMMANDS[step], { projectDir: context.projectDir });
        return true;
      },
      predict: async (bundle) => {
        await vscode.commands.executeCommand(COMMANDS.predict, { projectDir: context.projectDir, bundle });
      },
      proposeEdit: (proposal) => (this.proposedEdits ??= new ProposedEdits()).propose(proposal),
    };
  }

  private async handle(open: OpenPanel, message: FromPanel): Promise<void> {
    try {
      if (isCommonRequest(message)) await this.handleCommon(open, message);
      // checkFromPanel refused another kind's requests, so this one is the panel's own kind's.
      else await providerOf(open.view.context.kind).handle?.(message, open.view);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.log.error(`${open.view.context.kind} panel: ${text}`);
      open.view.post({ type: 'panel/notice', level: 'error', message: text });
    }
  }

  private async handleCommon(open: OpenPanel, message: CommonRequest): Promise<void> {
    const { projectDir, kind } = open.view.context;
    switch (message.type) {
      case 'panel/ready':
        open.ready = true;
        this.sendSnapshot(open);
        return;
      case 'panel/savePng': {
        const written = savePng(projectDir, message.fileName, message.dataUrl);
        open.view.post({ type: 'panel/notice', level: 'info', message: `Saved ${written}` });
        return;
      }
      case 'panel/copyText':
        await vscode.env.clipboard.writeText(message.text);
        open.view.post({ type: 'panel/notice', level: 'info', message: `Copied ${message.what} as CSV.` });
        return;
      case 'panel/openRun':
        if (this.read(projectDir, (store) => store.get(message.runId)))
          this.showTraining(projectDir, message.runId);
        return;
      case 'panel/error':
        this.log.error(`The ${kind} panel failed: ${message.message}`);
        return;
      default:
        assertNever(message);
    }
  }

  private sendSnapshot(open: OpenPanel): void {
    const view = open.view;
    const provider = providerOf(view.context.kind);
    const shown = this.read(view.context.projectDir, (store) => ({
      snapshot: provider.snapshot(store, view),
      title: panelTitle(provider, store, view.context),
    }));
    const title = shown?.title ?? provider.title;
    open.panel.title = title;
    view.post({ type: 'panel/context', context: view.context, title });
    if (shown?.snapshot) view.post(shown.snapshot);
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
}
