/**
 * "Install Native Acceleration" and "Install GPU Acceleration": explain what will be downloaded, then run npm in
 * the project folder in a terminal, where the runner looks for these packages first.
 */
import * as vscode from 'vscode';

/** The accelerations a project can add. */
export type Acceleration = 'native' | 'gpu';

const ACCELERATIONS: Record<
  Acceleration,
  { question: string; detail: string; spec: string; terminal: string }
> = {
  native: {
    question: 'Install native TensorFlow for this project?',
    detail:
      'Topdown trains with WebAssembly by default. @tensorflow/tfjs-node uses the native TensorFlow library, ' +
      'usually several times faster for larger networks. This runs `npm install @tensorflow/tfjs-node` in the ' +
      'project folder: it needs npm, a real Node.js (not the editor’s runtime) and downloads about 100 MB. ' +
      'With the backend setting on "auto", the next run uses it.',
    spec: '@tensorflow/tfjs-node',
    terminal: 'Topdown: native TensorFlow',
  },
  gpu: {
    question: 'Install GPU training (WebGPU) for this project?',
    detail:
      'WebGPU reaches your GPU through its own driver (Vulkan on Linux, D3D12 on Windows, Metal on macOS): no CUDA ' +
      'to install. This runs `npm install webgpu@0.6.2` in the project folder (about 130 MB; it needs a real ' +
      'Node.js). The GPU wins only for large enough work (big images, large batches), so with the backend setting ' +
      'on "auto" Topdown times a few batches on each backend and picks the fastest for each job.',
    spec: 'webgpu@0.6.2',
    terminal: 'Topdown: GPU (WebGPU)',
  },
};

/** Asks first (both download large native libraries), then installs into the project folder. */
export async function installAcceleration(
  kind: Acceleration,
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
  const terminal = vscode.window.createTerminal({ name: acceleration.terminal, cwd: projectDir });
  terminal.show();
  terminal.sendText(`npm install ${acceleration.spec}`);
}
