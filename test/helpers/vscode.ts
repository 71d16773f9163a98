/**
 * A stand-in for the `vscode` module, for unit tests of host code (the project tracker, the views, the command
 * handlers) in plain Node. Import it before any module that imports `vscode`: it answers `require('vscode')`
 * with the object below. It implements only what those modules call, records what they show (tree views'
 * descriptions, status-bar items, messages, context keys, executed commands) and lets a test script the answers
 * of quick picks and the workspace's files.
 */
import Module from 'node:module';
import { relative, sep } from 'node:path';

type Listener<T> = (value: T) => unknown;

/** vscode.EventEmitter. */
export class EventEmitter<T> {
  private listeners: Array<Listener<T>> = [];
  readonly event = (listener: Listener<T>) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((item) => item !== listener)) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose(): void {
    this.listeners = [];
  }
}

/** vscode.Disposable. */
export class Disposable {
  constructor(private readonly onDispose: () => void) {}
  static from(...items: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

/** vscode.Uri, for file URIs. */
export class Uri {
  private constructor(
    readonly scheme: string,
    readonly fsPath: string,
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, [base.fsPath, ...parts].join('/'));
  }
  toString(): string {
    return `${this.scheme}://${this.fsPath}`;
  }
}

/** vscode.TreeItem. */
export class TreeItem {
  description?: string;
  tooltip?: unknown;
  iconPath?: unknown;
  contextValue?: string;
  command?: { command: string; arguments?: unknown[] };
  id?: string;
  constructor(
    readonly label: string,
    readonly collapsibleState?: number,
  ) {}
}

/** vscode.ThemeIcon. */
export class ThemeIcon {
  constructor(readonly id: string) {}
}

/** vscode.MarkdownString. */
export class MarkdownString {
  constructor(readonly value = '') {}
}

/** vscode.Position. */
export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

/** vscode.Range, from two positions or four numbers. */
export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(...args: [Position, Position] | [number, number, number, number]) {
    if (args.length === 2) [this.start, this.end] = args;
    else [this.start, this.end] = [new Position(args[0], args[1]), new Position(args[2], args[3])];
  }
}

/** vscode.DiagnosticSeverity. */
export const DiagnosticSeverity = { Error: 0, Warning: 1, Information: 2, Hint: 3 };

/** vscode.Diagnostic. */
export class Diagnostic {
  code?: string | number;
  source?: string;
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity: number = DiagnosticSeverity.Error,
  ) {}
}

/** vscode.CodeActionKind. */
export const CodeActionKind = { QuickFix: 'quickfix' };

/** vscode.WorkspaceEdit: records its replacements. */
export class WorkspaceEdit {
  readonly replacements: Array<{ uri: Uri; range: Range; text: string }> = [];
  replace(uri: Uri, range: Range, text: string): void {
    this.replacements.push({ uri, range, text });
  }
}

/** vscode.CodeAction. */
export class CodeAction {
  edit?: WorkspaceEdit;
  diagnostics?: Diagnostic[];
  isPreferred?: boolean;
  constructor(
    readonly title: string,
    readonly kind?: string,
  ) {}
}

/** A code-action provider as registered. */
interface CodeActionProvider {
  provideCodeActions(document: unknown, range: unknown, context: { diagnostics: Diagnostic[] }): CodeAction[];
}

/** A text document as the stand-in editor holds it. */
export interface FakeDocument {
  uri: Uri;
  getText(): string;
}

/** vscode.CodeLens. */
export class CodeLens {
  constructor(
    readonly range: Range,
    readonly command?: { title: string; command: string; arguments?: unknown[] },
  ) {}
}

/** A CodeLens provider as registered. */
interface LensProvider {
  provideCodeLenses(document: unknown): CodeLens[];
}

/** A tree view as the tests read it back. */
export interface FakeTreeView {
  id: string;
  description?: string;
  message?: string;
  selection: unknown[];
  provider: unknown;
  dispose(): void;
}

/** A status-bar item as the tests read it back. */
export interface FakeStatusBarItem {
  id: string;
  text: string;
  tooltip?: string;
  command?: string;
  name?: string;
  visible: boolean;
  show(): void;
  hide(): void;
  dispose(): void;
}

/** What the stand-in recorded, and the answers a test scripts. */
export const fake = {
  /** Absolute paths the workspace holds (findFiles matches `**\/<name>` against them). */
  files: [] as string[],
  workspaceFolders: [] as string[],
  trusted: true,
  contextKeys: new Map<string, unknown>(),
  executed: [] as Array<{ command: string; args: unknown[] }>,
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  treeViews: new Map<string, FakeTreeView>(),
  statusBarItems: [] as FakeStatusBarItem[],
  messages: [] as Array<{ level: string; text: string }>,
  /** The next quick pick's answer: chooses among the items offered. */
  pick: undefined as ((items: Array<{ label: string }>) => unknown) | undefined,
  /** The answer to a message with buttons (the button's title), given its text and buttons; none by default. */
  answer: undefined as ((text: string, buttons: string[]) => string | undefined) | undefined,
  /** The paths an open dialog answers, given its options; cancelled by default. */
  openDialog: undefined as ((options: Record<string, unknown>) => string[] | undefined) | undefined,
  /** The path a save dialog answers, given its options; cancelled by default. */
  saveDialog: undefined as ((options: Record<string, unknown>) => string | undefined) | undefined,
  /** Files opened in an editor tab (showTextDocument), in order. */
  opened: [] as string[],
  /** Progress notifications shown: their titles and whether they offered Cancel. */
  progress: [] as Array<{ title: string; cancellable: boolean }>,
  /** When true, the user presses Cancel on the next progress notification as soon as it shows. */
  cancelProgress: false,
  activeEditorChanged: new EventEmitter<unknown>(),
  activeTextEditor: undefined as unknown,
  lensProviders: [] as LensProvider[],
  /** Diagnostics by collection name, then by file path (what the Problems panel would list). */
  diagnostics: new Map<string, Map<string, Diagnostic[]>>(),
  codeActionProviders: [] as CodeActionProvider[],
  /** The documents open in the stand-in editor (workspace.textDocuments). */
  documents: [] as FakeDocument[],
  documentOpened: new EventEmitter<FakeDocument>(),
  documentChanged: new EventEmitter<{ document: FakeDocument }>(),
  /** Resets everything between tests. */
  reset(): void {
    this.files = [];
    this.workspaceFolders = [];
    this.trusted = true;
    this.contextKeys.clear();
    this.executed = [];
    this.commands.clear();
    this.treeViews.clear();
    this.statusBarItems = [];
    this.messages = [];
    this.pick = undefined;
    this.answer = undefined;
    this.openDialog = undefined;
    this.saveDialog = undefined;
    this.opened = [];
    this.progress = [];
    this.cancelProgress = false;
    this.activeEditorChanged = new EventEmitter<unknown>();
    this.activeTextEditor = undefined;
    this.lensProviders = [];
    this.diagnostics.clear();
    this.codeActionProviders = [];
    this.documents = [];
    this.documentOpened = new EventEmitter<FakeDocument>();
    this.documentChanged = new EventEmitter<{ document: FakeDocument }>();
  },
  /** Asks every registered code-action provider for the quick fixes of these diagnostics in a file. */
  codeActions(path: string, diagnostics: Diagnostic[]): CodeAction[] {
    const document = { uri: Uri.file(path), getText: () => '' };
    return this.codeActionProviders.flatMap((provider) =>
      provider.provideCodeActions(document, diagnostics[0]?.range, { diagnostics }),
    );
  },
  /** Opens (or edits, when open) a file in the stand-in editor with this text; fires the workspace's events. */
  editDocument(path: string, text: string): void {
    const open = this.documents.find((document) => document.uri.fsPath === path);
    const document: FakeDocument = { uri: Uri.file(path), getText: () => text };
    this.documents = [...this.documents.filter((item) => item !== open), document];
    if (open) this.documentChanged.fire({ document });
    else this.documentOpened.fire(document);
  },
  /** Runs a command as VS Code would (registered handlers; `setContext` sets a context key). */
  executeCommand: (id: string, ...args: unknown[]): Promise<unknown> =>
    standIn.commands.executeCommand(id, ...args),
  /** Asks every registered CodeLens provider for the lenses of a file with this text. */
  codeLenses(path: string, text: string): CodeLens[] {
    const document = { uri: Uri.file(path), getText: () => text };
    return this.lensProviders.flatMap((provider) => provider.provideCodeLenses(document));
  },
  /** Opens a file in the stand-in editor (fires onDidChangeActiveTextEditor). */
  openEditor(path: string): void {
    this.activeTextEditor = { document: { uri: Uri.file(path) } };
    this.activeEditorChanged.fire(this.activeTextEditor);
  },
};

/** An in-memory Memento (workspaceState). */
export function memento(): {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Promise<void>;
} {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string) => values.get(key) as T | undefined,
    update: async (key: string, value: unknown) => void values.set(key, value),
  };
}

const noEvent = () => ({ dispose() {} });

function message(level: string) {
  return async (text: string, ...rest: unknown[]) => {
    fake.messages.push({ level, text });
    const buttons = rest.filter((item): item is string => typeof item === 'string');
    return buttons.length > 0 ? fake.answer?.(text, buttons) : undefined;
  };
}

/** A progress notification's token: Cancel fires at once when the test asked for it. */
function progressToken(cancelled: boolean) {
  return {
    onCancellationRequested: (listener: () => void) => {
      const timer = cancelled ? setTimeout(listener, 50) : undefined;
      return { dispose: () => clearTimeout(timer) };
    },
  };
}

/** The module object `require('vscode')` returns. */
export const standIn = {
  EventEmitter,
  Position,
  Range,
  Diagnostic,
  DiagnosticSeverity,
  CodeAction,
  CodeActionKind,
  WorkspaceEdit,
  CodeLens,
  Disposable,
  Uri,
  TreeItem,
  ThemeIcon,
  MarkdownString,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ProgressLocation: { Notification: 15 },
  workspace: {
    get workspaceFolders() {
      return fake.workspaceFolders.map((path, index) => ({ uri: Uri.file(path), name: path, index }));
    },
    get isTrusted() {
      return fake.trusted;
    },
    createFileSystemWatcher: () => ({
      onDidCreate: noEvent,
      onDidChange: noEvent,
      onDidDelete: noEvent,
      dispose() {},
    }),
    onDidChangeWorkspaceFolders: noEvent,
    get textDocuments() {
      return fake.documents;
    },
    onDidOpenTextDocument: (listener: Listener<FakeDocument>) => fake.documentOpened.event(listener),
    onDidChangeTextDocument: (listener: Listener<{ document: FakeDocument }>) =>
      fake.documentChanged.event(listener),
    onDidCloseTextDocument: noEvent,
    onDidGrantWorkspaceTrust: noEvent,
    findFiles: async (include: string, _exclude: string, limit = Infinity) => {
      const name = include.replace(/^\*\*\//, '');
      const inFolders = fake.files.filter(
        (file) =>
          file.endsWith(`${sep}${name}`) &&
          !file.split(sep).includes('node_modules') &&
          fake.workspaceFolders.some((folder) => !relative(folder, file).startsWith('..')),
      );
      return inFolders.slice(0, limit).map((file) => Uri.file(file));
    },
    getConfiguration: () => ({ get: <T>(_key: string, fallback: T) => fallback }),
    getWorkspaceFolder: (uri: Uri) =>
      fake.workspaceFolders.some((folder) => !relative(folder, uri.fsPath).startsWith('..')) ? {} : undefined,
  },
  window: {
    get activeTextEditor() {
      return fake.activeTextEditor;
    },
    onDidChangeActiveTextEditor: (listener: Listener<unknown>) => fake.activeEditorChanged.event(listener),
    createTreeView: (id: string, options: { treeDataProvider: unknown }) => {
      const view: FakeTreeView = { id, selection: [], provider: options.treeDataProvider, dispose() {} };
      fake.treeViews.set(id, view);
      return view;
    },
    createStatusBarItem: (id: string) => {
      const item: FakeStatusBarItem = {
        id,
        text: '',
        visible: false,
        show: () => void (item.visible = true),
        hide: () => void (item.visible = false),
        dispose() {},
      };
      fake.statusBarItems.push(item);
      return item;
    },
    showQuickPick: async (items: Array<{ label: string }>) => fake.pick?.(await items),
    showInformationMessage: message('info'),
    showWarningMessage: message('warn'),
    showErrorMessage: message('error'),
    setStatusBarMessage: () => ({ dispose() {} }),
    withProgress: async (
      options: { title?: string; cancellable?: boolean },
      task: (progress: unknown, token: unknown) => unknown,
    ) => {
      fake.progress.push({ title: options.title ?? '', cancellable: options.cancellable === true });
      const cancelled = fake.cancelProgress && options.cancellable === true;
      return task({ report() {} }, progressToken(cancelled));
    },
    showOpenDialog: async (options: Record<string, unknown>) =>
      fake.openDialog?.(options)?.map((path) => Uri.file(path)),
    showSaveDialog: async (options: Record<string, unknown>) => {
      const path = fake.saveDialog?.(options);
      return path === undefined ? undefined : Uri.file(path);
    },
    showTextDocument: async (uri: Uri) => void fake.opened.push(uri.fsPath),
  },
  commands: {
    registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
      fake.commands.set(id, handler);
      return { dispose: () => fake.commands.delete(id) };
    },
    executeCommand: async (id: string, ...args: unknown[]) => {
      if (id === 'setContext') return void fake.contextKeys.set(args[0] as string, args[1]);
      fake.executed.push({ command: id, args });
      return fake.commands.get(id)?.(...args);
    },
  },
  languages: {
    registerCodeActionsProvider: (_selector: unknown, provider: CodeActionProvider) => {
      fake.codeActionProviders.push(provider);
      return {
        dispose: () =>
          (fake.codeActionProviders = fake.codeActionProviders.filter((item) => item !== provider)),
      };
    },
    createDiagnosticCollection: (name: string) => {
      const byFile = new Map<string, Diagnostic[]>();
      fake.diagnostics.set(name, byFile);
      return {
        set: (uri: Uri, diagnostics: Diagnostic[]) => void byFile.set(uri.fsPath, diagnostics),
        delete: (uri: Uri) => void byFile.delete(uri.fsPath),
        dispose: () => byFile.clear(),
      };
    },
    registerCodeLensProvider: (_selector: unknown, provider: LensProvider) => {
      fake.lensProviders.push(provider);
      return { dispose: () => (fake.lensProviders = fake.lensProviders.filter((item) => item !== provider)) };
    },
  },
  env: { clipboard: { writeText: async () => {} }, openExternal: async () => true },
};

const STAND_IN = '\u0000vscode-stand-in';
// Module internals are not typed: _resolveFilename is what require() asks for a module's file name.
const internals = Module as unknown as {
  _resolveFilename: (request: string, ...rest: unknown[]) => string;
  _cache: Record<string, unknown>;
};
const resolveFilename = internals._resolveFilename;
internals._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? STAND_IN : resolveFilename.call(this, request, ...rest);
};
internals._cache[STAND_IN] = { id: STAND_IN, filename: STAND_IN, loaded: true, exports: standIn };
