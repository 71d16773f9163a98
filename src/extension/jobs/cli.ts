/** Runs a short `topdown` command (new, columns) without IPC and collects its output. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { nodeFromSettings } from './editorNode';

/** What a short command printed. */
export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `dist/cli.js <args>` (an argument array, no shell) with the same Node.js a job would use; throws
 * NodeNotFoundError like chooseNode.
 */
export function runCli(
  extensionPath: string,
  args: string[],
  log: vscode.LogOutputChannel,
  cwd?: string,
  timeoutMs = 120_000,
): Promise<CliResult> {
  const node = nodeFromSettings('cpu');
  const cliPath = join(extensionPath, 'dist', 'cli.js');
  log.info(`Running topdown ${args.join(' ')} with ${node.execPath} (${node.reason})`);
  return new Promise((resolve) => {
    execFile(
      node.execPath,
      [cliPath, ...args],
      { cwd, env: { ...process.env, ...node.env }, maxBuffer: 16 * 1024 * 1024, timeout: timeoutMs },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        if (stderr.trim()) log.debug(stderr.trim());
        log.info(`topdown ${args[0]} exited with code ${exitCode}`);
        resolve({ exitCode, stdout, stderr });
      },
    );
  });
}
