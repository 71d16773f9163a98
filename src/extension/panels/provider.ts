/**
 * What one panel kind is on the host side: its title, how its snapshot is built from the run store, how it
 * follows a live job and what it does for its own requests. The manager (manager.ts) is generic and knows
 * kinds only through these providers, one file per kind (`training.ts`, `evaluate.ts`, ...), as vscode-dvc
 * splits its webviews by feature. Providers import no `vscode`: the editor's services come in through
 * `ProviderPanel`, so unit tests drive a provider with plain objects.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { JobEvent } from '../../protocol/host';
import type { FromPanel, PanelContext, PanelKind, ToPanel } from '../../protocol/panels';
import type { RunRecord, StepName } from '../../protocol/records';
import type { RunStore } from '../runStore';
import { projectFile } from './validate';

/** The requests every panel may send (`panel/ready`, `panel/savePng`, ...), which the manager handles. */
export type CommonRequest = Extract<FromPanel, { type: `panel/${string}` }>;

/** The requests of one kind (`improve/useTrial` for improve); the manager hands them to the kind's provider. */
export type KindRequest<Kind extends PanelKind> = Extract<FromPanel, { type: `${Kind}/${string}` }>;

/** Whether a checked request is one of the common ones. */
export function isCommonRequest(message: FromPanel): message is CommonRequest {
  return message.type.startsWith('panel/');
}

/** The host's log, as providers use it. */
export interface PanelLog {
  info(text: string): void;
  warn(text: string): void;
  error(text: string): void;
}

/** One open panel as its provider sees it. */
export interface ProviderPanel<State> {
  /** What the panel shows; a live training panel adds the runs a job starts to `runIds`. */
  readonly context: PanelContext;
  /** The provider's own data for this panel (from `createState`). */
  readonly state: State;
  post(message: ToPanel): void;
  /** Reads the store again and posts the context and a new snapshot. */
  refresh(): void;
  /** Runs `use` on the project's run store; an error is logged and shown, and gives undefined. */
  read<T>(use: (store: RunStore) => T): T | undefined;
  log: PanelLog;
  /**
   * Opens a file of the project in the editor (`editor`), a Markdown file in its rendered preview (`preview`, as
   * "Topdown: Open Report" does), or shows it in the Explorer (`reveal`).
   */
  openFile(path: string, how: 'editor' | 'preview' | 'reveal'): Promise<void>;
  /** A file's text as the editor has it (unsaved edits included), else from disk; undefined when unreadable. */
  readText(path: string): string | undefined;
  /**
   * Shows `after` beside the file as a diff, asks `question`, and on "Apply" replaces the changed text in one
   * edit that Ctrl+Z undoes, and saves. Whether it was applied; throws when the file no longer reads `before`.
   */
  proposeEdit(proposal: EditProposal): Promise<boolean>;
  /** Asks `question` (modal) and on "Run" runs the step on the panel's project; whether it was started. */
  runStep(step: StepName, question: string): Promise<boolean>;
  /** Runs Topdown: Predict with Model… on the panel's project with the bundle `models/<bundle>`. */
  predict(bundle: string): Promise<void>;
}

/** A change to a project file, shown as a diff before it is made. */
export interface EditProposal {
  path: string;
  /** The file's text the change was computed from. */
  before: string;
  after: string;
  /** The diff editor's title. */
  title: string;
  /** The question of the confirmation (answered "Apply" or cancelled). */
  question: string;
  detail: string;
}

/** A panel kind's behaviour on the host. Methods (not arrow properties) so a registry can hold every kind. */
export interface PanelProvider<Kind extends PanelKind, State = undefined> {
  readonly kind: Kind;
  /** The kind's name in words ("Evaluate"); the tab and heading read `title · subtitle`. */
  readonly title: string;
  /** What the panel shows, in words ("mlp-large", "6 Dec 04:09"), never a raw run id (those are in the details). */
  subtitle?(store: RunStore, context: PanelContext): string | undefined;
  /** The provider's data for one panel, made when the panel opens; `post` sends to that panel. */
  createState(post: (message: ToPanel) => void): State;
  /** Releases what `createState` made, when the panel closes. */
  disposeState?(state: State): void;
  /** The message that shows the panel's data, or undefined when there is none (after posting why). */
  snapshot(store: RunStore, panel: ProviderPanel<State>): ToPanel | undefined;
  /** A live event of a job of the panel's project, for a panel that has said it is ready. */
  onJobEvent?(event: JobEvent, panel: ProviderPanel<State>): void;
  /** A checked request of this kind; a thrown error becomes an error notice in the panel. */
  handle?(message: KindRequest<Kind>, panel: ProviderPanel<State>): Promise<void>;
}

/** The title of a panel: the kind, then what it shows in words; the kind alone when that cannot be read. */
export function panelTitle(
  provider: PanelProvider<PanelKind, unknown>,
  store: RunStore,
  context: PanelContext,
): string {
  let subtitle: string | undefined;
  try {
    subtitle = provider.subtitle?.(store, context);
  } catch {
    // A run deleted since the panel opened: the snapshot says so; the title keeps the kind.
    subtitle = undefined;
  }
  return subtitle ? `${provider.title} · ${subtitle}` : provider.title;
}

/** A run's name as the Runs view shows it: its label, else its candidate, else its step. */
export function runName(record: { label?: string; candidate?: string; step: string }): string {
  return record.label ?? record.candidate ?? record.step;
}

/** Tells the panel it has nothing to show yet, and gives the snapshot nothing. */
export function missing(panel: ProviderPanel<unknown>, what: string): undefined {
  panel.post({ type: 'panel/notice', level: 'warn', message: `This run has no ${what} yet.` });
  return undefined;
}

/** Reads a JSON output a run recorded (`outputs.profile`, `outputs.improve`, `outputs.final`), inside the project. */
export function readOutput(projectDir: string, record: RunRecord, name: string): unknown {
  const text = readOutputText(projectDir, record, name);
  return text === undefined ? undefined : JSON.parse(text);
}

/** The text of an output a run recorded, inside the project; undefined when it names none or the file is gone. */
export function readOutputText(projectDir: string, record: RunRecord, name: string): string | undefined {
  const relativePath = record.outputs?.[name];
  if (!relativePath) return undefined;
  const path = projectFile(projectDir, relativePath);
  if (!path.ok || !existsSync(path.value)) return undefined;
  return readFileSync(path.value, 'utf8');
}

/** The editor command that opens `path` as `how` asks: a Markdown file's preview only for `preview`. */
export function openFileCommand(path: string, how: 'editor' | 'preview' | 'reveal'): string {
  if (how === 'reveal') return 'revealInExplorer';
  return how === 'preview' && path.toLowerCase().endsWith('.md') ? 'markdown.showPreview' : 'vscode.open';
}
