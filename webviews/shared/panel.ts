/**
 * The frame every panel shares: the VS Code API, the `panel/ready` handshake, common host messages, the
 * panel's state (kept here, changed only by the panel's `reduce`, persisted so a panel survives a window
 * reload) and the theme. A panel is `definePanel({ reduce, render, ... })`: no module-level mutable state.
 */
import type { CommonPanelMessage, FromPanel, PanelContext, PanelKind } from '../../src/protocol/panels';
import { PANEL_PROTOCOL_VERSION } from '../../src/protocol/panels';
import { assertNever, h, replaceChildren } from './dom';
import type { WebviewApi } from 'vscode-webview';
import { onThemeChange, readTheme, type Theme } from './theme';

/** What a panel keeps across reloads (`snapshot`: the panel's state). */
export interface PanelState<Snapshot, Ui> {
  context?: PanelContext;
  title?: string;
  snapshot?: Snapshot;
  ui: Ui;
}

/** What a panel's code gets from the frame. */
export interface PanelShell<Ui> {
  readonly kind: PanelKind;
  /** Where the panel draws its content. */
  readonly content: HTMLElement;
  /** Per-panel view settings (sort, toggles); call `saveState()` after changing them. */
  ui: Ui;
  theme: Theme;
  context?: PanelContext;
  post(message: FromPanel): void;
  /** Persists the snapshot and ui soon (coalesced, so appends do not serialise the state every epoch). */
  saveState(): void;
  notice(level: 'info' | 'warn' | 'error', message: string): void;
}

/** A panel as its code sees it: the frame, the state the host's messages made, and the panel's view objects. */
export interface Panel<State, Ui, View> extends PanelShell<Ui> {
  /** The state after the last host message (what `reduce` returned); kept across reloads. */
  readonly state: State;
  /** What `render` keeps between draws (charts, tables), made once by the definition's `view`. */
  readonly view: View;
}

/** A panel's behaviour, given to `definePanel`. */
export interface PanelDefinition<Message, State, Ui, View> {
  kind: PanelKind;
  defaultUi: Ui;
  /** The state before the host's first snapshot. */
  initial: State;
  /**
   * The state after one of the panel's own messages (an exhaustive switch ending in assertNever). Appends
   * may change the state in place and return it, so a live panel does not copy its curves every epoch.
   */
  reduce(state: State, message: Message): State;
  /** Makes the panel's view objects, once, before anything is drawn (`panel.view` is not there yet). */
  view(panel: Panel<State, Ui, View>): View;
  /**
   * Draws `panel.state`. `change` is the message that made it; undefined after a reload, so a panel can
   * patch what is on screen for small changes (an epoch, a fold) and draw everything for the rest.
   */
  render(panel: Panel<State, Ui, View>, change?: Message): void;
  /** Redraws with the new theme's colours. */
  themeChanged(panel: Panel<State, Ui, View>): void;
}

/** The raw ids of what the panel shows (session, runs), kept out of the heading: a folded "Details" line. */
function showIds(details: HTMLElement, context: PanelContext | undefined): void {
  const ids = [
    context?.session ? `Session ${context.session}` : '',
    context && context.runIds.length > 0
      ? `${context.runIds.length === 1 ? 'Run' : 'Runs'} ${context.runIds.join(', ')}`
      : '',
  ].filter(Boolean);
  details.hidden = ids.length === 0;
  replaceChildren(
    details,
    h('summary', {}, 'Details'),
    ...ids.map((text) => h('p', { class: 'facts' }, text)),
  );
}

function isCommon(message: { type: string }): message is CommonPanelMessage {
  return message.type === 'panel/context' || message.type === 'panel/notice';
}

/** The elements every panel has: heading, folded ids, a status line and the panel's content. */
interface Frame {
  heading: HTMLElement;
  details: HTMLElement;
  status: HTMLElement;
  content: HTMLElement;
}

/** What the frame keeps for a panel besides the `Panel` object: the title and the reduced state. */
interface Store<State> {
  title?: string;
  state: State;
}

function buildFrame(kind: PanelKind, saved: PanelState<unknown, unknown> | undefined): Frame {
  const heading = h('h1', {}, saved?.title ?? '');
  const details = h('details', { class: 'ids' });
  showIds(details, saved?.context);
  const status = h('div', { class: 'notice', role: 'status', 'aria-live': 'polite' });
  const content = h('main', { class: `panel panel-${kind}` });
  replaceChildren(document.body.querySelector('#app') ?? document.body, heading, details, status, content);
  return { heading, details, status, content };
}

/** The `Panel` object over the frame and the store, with its view objects made by the definition. */
function createPanel<Message, State, Ui, View>(
  definition: PanelDefinition<Message, State, Ui, View>,
  vscode: WebviewApi<PanelState<State, Ui>>,
  saved: PanelState<State, Ui> | undefined,
  frame: Frame,
  store: Store<State>,
): Panel<State, Ui, View> {
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const panel: Panel<State, Ui, View> = {
    kind: definition.kind,
    content: frame.content,
    ui: { ...definition.defaultUi, ...(saved?.ui ?? {}) },
    theme: readTheme(),
    context: saved?.context,
    get state() {
      return store.state;
    },
    // Read before `definition.view` returned, this throws (the constant below is not yet initialised).
    get view() {
      return view;
    },
    post: (message) => vscode.postMessage(message),
    saveState() {
      if (saveTimer !== undefined) return;
      saveTimer = setTimeout(() => {
        saveTimer = undefined;
        vscode.setState({ context: panel.context, title: store.title, snapshot: store.state, ui: panel.ui });
      }, 250);
    },
    notice(level, message) {
      frame.status.className = `notice notice-${level}`;
      frame.status.textContent = message;
    },
  };
  const view = definition.view(panel);
  return panel;
}

/** The host messages every panel handles the same way: its context and title, and notices. */
function handleCommon<State>(
  panel: PanelShell<unknown>,
  frame: Frame,
  store: Store<State>,
  message: CommonPanelMessage,
): void {
  switch (message.type) {
    case 'panel/context':
      panel.context = message.context;
      store.title = message.title;
      frame.heading.textContent = message.title;
      showIds(frame.details, message.context);
      document.title = message.title;
      panel.saveState();
      return;
    case 'panel/notice':
      panel.notice(message.level, message.message);
      return;
    default:
      assertNever(message);
  }
}

/** Sends an error of the panel's code to the host (which logs it) and shows it in the status line. */
function reportError(panel: PanelShell<unknown>, error: unknown): void {
  panel.post({
    type: 'panel/error',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  panel.notice(
    'error',
    `Could not show the update: ${error instanceof Error ? error.message : String(error)}`,
  );
}

/** Routes host messages (common ones to the frame, the panel's to `reduce` then `render`), errors and themes. */
function listen<Message extends { type: string }, State, Ui, View>(
  definition: PanelDefinition<Message, State, Ui, View>,
  panel: Panel<State, Ui, View>,
  frame: Frame,
  store: Store<State>,
): void {
  window.addEventListener('message', (event: MessageEvent<Message | CommonPanelMessage>) => {
    const message = event.data;
    if (typeof message !== 'object' || message === null || typeof message.type !== 'string') return;
    try {
      if (isCommon(message)) return handleCommon(panel, frame, store, message);
      store.state = definition.reduce(store.state, message as Message);
      definition.render(panel, message as Message);
      panel.saveState();
    } catch (error) {
      reportError(panel, error);
    }
  });
  window.addEventListener('error', (event) =>
    panel.post({ type: 'panel/error', message: String(event.message) }),
  );
  onThemeChange((theme) => {
    panel.theme = theme;
    definition.themeChanged(panel);
  });
}

/**
 * Builds the frame, restores the state kept across a reload and draws it, then tells the host the panel is
 * ready. From then on each host message goes through `reduce`, then `render`, and the state is saved.
 */
export function definePanel<Message extends { type: string }, State, Ui, View>(
  definition: PanelDefinition<Message, State, Ui, View>,
): Panel<State, Ui, View> {
  const vscode = acquireVsCodeApi<PanelState<State, Ui>>();
  const saved = vscode.getState();
  const frame = buildFrame(definition.kind, saved);
  const store: Store<State> = {
    title: saved?.title,
    state: saved?.snapshot !== undefined ? saved.snapshot : definition.initial,
  };
  const panel = createPanel(definition, vscode, saved, frame, store);
  listen(definition, panel, frame, store);
  if (saved?.snapshot !== undefined) definition.render(panel);
  panel.post({ type: 'panel/ready', protocolVersion: PANEL_PROTOCOL_VERSION });
  return panel;
}
