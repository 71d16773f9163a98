/** Extension entry point (the full extension is built in src/extension; see issue "The VS Code extension"). */
import type * as vscode from 'vscode';

/** Called by VS Code on activation. */
export function activate(_context: vscode.ExtensionContext): void {}

/** Called by VS Code on shutdown. */
export function deactivate(): void {}
