/** "Install Native Acceleration": explains, then runs `npm install @tensorflow/tfjs-node` in a terminal. */
import * as vscode from 'vscode';

/** Asks first (it downloads a native library), then installs into the project folder. */
export async function installNativeAcceleration(
  projectDir: string,
  log: vscode.LogOutputChannel,
): Promise<void> {
  const choice = await vscode.window.showInformationMessage(
    'Install native TensorFlow for this project?',
    {
      modal: true,
      detail:
        'Topdown trains with WebAssembly by default. @tensorflow/tfjs-node uses the native TensorFlow library, ' +
        'usually several times faster for larger networks. This runs `npm install @tensorflow/tfjs-node` in the ' +
        'project folder: it needs npm, a real Node.js (not the editor’s runtime) and downloads about 100 MB. ' +
        'With the backend setting on "auto", the next run uses it.',
    },
    'Install',
  );
  if (choice !== 'Install') return;
  log.info(`Installing @tensorflow/tfjs-node in ${projectDir}`);
  const terminal = vscode.window.createTerminal({ name: 'Topdown: native TensorFlow', cwd: projectDir });
  terminal.show();
  terminal.sendText('npm install @tensorflow/tfjs-node');
}
