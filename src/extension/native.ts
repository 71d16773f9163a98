/**
 * "Install Native Acceleration" and "Install GPU Acceleration": explain what will be downloaded, then run
 * `topdown install native|gpu` (which runs npm in the project folder, where the runner looks for these packages
 * first) as a child process with an argument array: no shell line.
 */
import * as vscode from 'vscode';
import { runCli } from './jobs/cli';
import { NodeNotFoundError } from './jobs/node';

/** The accelerations a project can add. */
export type Acceleration = 'native' | 'gpu';

const ACCELERATIONS: Record<Acceleration, { question: string; detail: string; spec: string; title: string }> =
  {
    native: {
      question: 'Install native TensorFlow for this project?',
      detail:
        'Topdown trains with WebAssembly by default. @tensorflow/tfjs-node uses the native TensorFlow library, ' +
        'usually several times faster for larger networks. This runs `npm install @tensorflow/tfjs-node` in the ' +
        'project folder: it needs npm, a real Node.js (not the editor’s runtime) and downloads about 100 MB. ' +
        'With the backend setting on "auto", the next run uses it.',
      spec: '@tensorflow/tfjs-node',
      title: 'Install Native Acceleration',
    },
    gpu: {
      question: 'Install GPU training (WebGPU) for this project?',
      detail:
        'WebGPU reaches your GPU through its own driver (Vulkan on Linux, D3D12 on Windows, Metal on macOS): no CUDA ' +
        'to install. This runs `npm install webgpu@0.6.2` in the project folder (about 130 MB; it needs a real ' +
        'Node.js). The GPU wins only for large enough work (big images, large batches), so with the backend setting ' +
        'on "auto" Topdown times a few batches on each backend and picks the fastest for each job.',
      spec: 'webgpu@0.6.2',
      title: 'Install GPU Acceleration',
    },
  };

/** npm downloads large packages: give it longer than a short command. */
const INSTALL_TIMEOUT_MS = 15 * 60_000;

/** Asks first (both download large native libraries), then installs into the project folder. */
export async function installAcceleration(
  kind: Acceleration,
  extensionPath: string,
  projectDir: string,
  log: vscode.LogOutputChannel,
): Promise<void> {
  const acceleration = ACCELERATIONS[kind];
  const choice = await vscode.window.showInformationMessage(
    acceleration.question,
    { modal: true, detail: acceleration.detail },
    'Install',
  );
  if (choice !== 'Install') return;
  log.info(`Installing ${acceleration.spec} in ${projectDir}`);
  let result;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Topdown: installing ${acceleration.spec}…` },
      () => runCli(extensionPath, ['install', kind, projectDir], log, projectDir, INSTALL_TIMEOUT_MS),
    );
  } catch (error) {
    if (error instanceof NodeNotFoundError) void vscode.window.showErrorMessage(error.message);
    else throw error;
    return;
  }
  if (result.exitCode === 0) {
    void vscode.window.showInformationMessage(result.stdout.trim() || `Installed ${acceleration.spec}.`);
    return;
  }
  // stderr's first line is the CLI's `topdown: <message>`; the rest (hint, npm output) is in the log.
  const reason = result.stderr.trim().split('\n')[0] || `exit code ${result.exitCode}`;
  const picked = await vscode.window.showErrorMessage(`${acceleration.title} failed: ${reason}`, 'Show Log');
  if (picked) log.show();
}
