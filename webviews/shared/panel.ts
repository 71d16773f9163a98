/**
 * The frame every panel shares: the VS Code API, the `panel/ready` handshake, common host messages, the
 * persisted state (so a panel survives a window reload) and the theme.
 */
import type { CommonPanelMessage, FromPanel, PanelContext, PanelKind } from '../../src/protocol/panels';
import { PANEL_PROTOCOL_VERSION } from '../../src/protocol/panels';
import { assertNever, h, replaceChildren } from './dom';
import { onThemeChange, readTheme, type Theme } from './theme';

/** What a panel keeps across reloads. */
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

/** A panel's behaviour, given to `startPanel`. */
export interface PanelDefinition<Message, Snapshot, Ui> {
  kind: PanelKind;
  defaultUi: Ui;
  /** Handles the panel's own messages (an exhaustive switch ending in assertNever). */
  handle(message: Message, shell: PanelShell<Ui>): void;
  /** The current data as a snapshot, for the persisted state. */
  snapshot(): Snapshot | undefined;
  /** Draws a snapshot kept in the state, before the host answers. */
  restore(snapshot: Snapshot, shell: PanelShell<Ui>): void;
  /** Redraws with the new theme's colours. */
  themeChanged(shell: PanelShell<Ui>): void;
}

function isCommon(message: { type: string }): message is CommonPanelMessage {
  return message.type === 'panel/context' || message.type === 'panel/notice';
}

/** Builds the frame, restores the state, then tells the host the panel is ready. */
export function startPanel<Message extends { type: string }, Snapshot, Ui>(
  definition: PanelDefinition<Message, Snapshot, Ui>,
): PanelShell<Ui> {
  const vscode = acquireVsCodeApi<PanelState<Snapshot, Ui>>();
  const saved = vscode.getState();
  const heading = h('h1', {}, saved?.title ?? '');
  const status = h('div', { class: 'notice', role: 'status', 'aria-live': 'polite' });
  const content = h('main', { class: `panel panel-${definition.kind}` });
  replaceChildren(document.body.querySelector('#app') ?? document.body, heading, status, content);

  let title = saved?.title;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const shell: PanelShell<Ui> = {
    kind: definition.kind,
    content,
    ui: { ...definition.defaultUi, ...(saved?.ui ?? {}) },
    theme: readTheme(),
    context: saved?.context,
    post: (message) => vscode.postMessage(message),
    saveState() {
      if (saveTimer !== undefined) return;
      saveTimer = setTimeout(() => {
        saveTimer = undefined;
        vscode.setState({ context: shell.context, title, snapshot: definition.snapshot(), ui: shell.ui });
      }, 250);
    },
    notice(level, message) {
      status.className = `notice notice-${level}`;
      status.textContent = message;
    },
  };

  const handleCommon = (message: CommonPanelMessage): void => {
    switch (message.type) {
      case 'panel/context':
        shell.context = message.context;
        title = message.title;
        heading.textContent = message.title;
        document.title = message.title;
        shell.saveState();
        return;
      case 'panel/notice':
        shell.notice(message.level, message.message);
        return;
      default:
        assertNever(message);
    }
  };

  window.addEventListener('message', (event: MessageEvent<Message | CommonPanelMessage>) => {
    const message = event.data;
    if (typeof message !== 'object' || message === null || typeof message.type !== 'string') return;
    try {
      if (isCommon(message)) handleCommon(message);
      else definition.handle(message as Message, shell);
    } catch (error) {
      shell.post({
        type: 'panel/error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      shell.notice(
        'error',
        `Could not show the update: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  });
  window.addEventListener('error', (event) =>
    shell.post({ type: 'panel/error', message: String(event.message) }),
  );
  onThemeChange((theme) => {
    shell.theme = theme;
    definition.themeChanged(shell);
  });

  if (saved?.snapshot !== undefined) definition.restore(saved.snapshot, shell);
  shell.post({ type: 'panel/ready', protocolVersion: PANEL_PROTOCOL_VERSION });
  return shell;
}
