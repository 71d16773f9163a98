/**
 * `topdown install native [dir]`: adds `@tensorflow/tfjs-node` to the project folder (its own package.json), where
 * the runner looks for it first. The package downloads libtensorflow when it installs, so this needs a network.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TopdownError } from '../../core/errors';
import type { Reporter } from '../reporter';

/** The version that matches the bundled tfjs. */
export const TFJS_NODE_SPEC = '@tensorflow/tfjs-node@4.22.0';

/** Runs npm in the project folder; resolves with a message for the user, rejects with a clear error. */
export async function installNative(
  projectDir: string,
  reporter: Reporter,
): Promise<{ installed: string; message: string }> {
  if (!existsSync(join(projectDir, 'topdown.json'))) {
    throw new TopdownError('PROJECT_NOT_FOUND', `No topdown.json in ${projectDir}.`, {
      file: projectDir,
      hint: 'Run this in a Topdown project folder.',
    });
  }
  const manifest = join(projectDir, 'package.json');
  if (!existsSync(manifest)) {
    writeFileSync(manifest, `${JSON.stringify({ name: 'topdown-project', private: true }, null, 2)}\n`);
  }
  reporter.emit({ type: 'log', level: 'info', message: `npm install ${TFJS_NODE_SPEC} in ${projectDir}` });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const code = await new Promise<number>((resolve) => {
    const child = spawn(npm, ['install', '--save', TFJS_NODE_SPEC], {
      cwd: projectDir,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', () => resolve(-1));
    child.on('exit', (exitCode) => resolve(exitCode ?? -1));
  });
  if (code !== 0) {
    throw new TopdownError(
      'BACKEND_UNAVAILABLE',
      `Installing ${TFJS_NODE_SPEC} failed (npm exit code ${code}).`,
      {
        file: projectDir,
        hint: 'It downloads the TensorFlow C library while installing: check the network, then try again. Topdown keeps working with the wasm backend meanwhile.',
      },
    );
  }
  return {
    installed: TFJS_NODE_SPEC,
    message: `Installed ${TFJS_NODE_SPEC}: the next run uses the tensorflow backend.`,
  };
}
