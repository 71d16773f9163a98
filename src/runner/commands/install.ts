/**
 * `topdown install native [dir]` and `topdown install gpu [dir]`: add an optional acceleration package to the
 * project folder (its own package.json), where the runner looks for it first.
 * - native: `@tensorflow/tfjs-node`, which downloads libtensorflow when it installs (needs a network).
 * - gpu: `webgpu`, Dawn's Node.js binding with prebuilt binaries inside the package (about 130 MB); it reaches the
 *   GPU through the system's driver (Vulkan, D3D12 or Metal), so no CUDA toolkit is needed.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, win32 } from 'node:path';
import { TopdownError } from '../../core/errors';
import { writeFileAtomic } from '../../core/runs/files';
import type { Reporter } from '../reporter';

/** The version that matches the bundled tfjs. */
export const TFJS_NODE_SPEC = '@tensorflow/tfjs-node@4.22.0';

/** The Dawn binding the webgpu backend was tested with (tfjs-backend-webgpu 4.22 is bundled with the runner). */
export const WEBGPU_SPEC = 'webgpu@0.6.2';

/** What an install did, for the user. */
export type InstallResult = {
  installed: string;
  message: string;
};

/** Runs npm in the project folder; resolves with a message for the user, rejects with a clear error. */
export async function installNative(projectDir: string, reporter: Reporter): Promise<InstallResult> {
  await npmInstall(projectDir, TFJS_NODE_SPEC, reporter, {
    hint: 'It downloads the TensorFlow C library while installing: check the network, then try again. Topdown keeps working with the wasm backend meanwhile.',
  });
  return {
    installed: TFJS_NODE_SPEC,
    message: `Installed ${TFJS_NODE_SPEC}: the next run uses the tensorflow backend.`,
  };
}

/**
 * Adds the webgpu backend's binding to the project. `auto` then measures it against the other backends at the
 * start of each job (once per model shape) and uses it only where it is faster.
 */
export async function installGpu(projectDir: string, reporter: Reporter): Promise<InstallResult> {
  await npmInstall(projectDir, WEBGPU_SPEC, reporter, {
    hint: 'The package is about 130 MB: check the network and disk space, then try again. Topdown keeps working with the wasm backend meanwhile.',
  });
  return {
    installed: WEBGPU_SPEC,
    message: `Installed ${WEBGPU_SPEC}: choose the webgpu backend, or keep auto, which measures it against the others and picks the fastest for each model.`,
  };
}

async function npmInstall(
  projectDir: string,
  spec: string,
  reporter: Reporter,
  failure: { hint: string },
): Promise<void> {
  if (!existsSync(join(projectDir, 'topdown.json'))) {
    throw new TopdownError('PROJECT_NOT_FOUND', `No topdown.json in ${projectDir}.`, {
      file: projectDir,
      hint: 'Run this in a Topdown project folder.',
    });
  }
  const manifest = join(projectDir, 'package.json');
  if (!existsSync(manifest)) {
    writeFileAtomic(manifest, `${JSON.stringify({ name: 'topdown-project', private: true }, null, 2)}\n`);
  }
  reporter.emit({ type: 'log', level: 'info', message: `npm install ${spec} in ${projectDir}` });
  const npm = npmCommand(process.platform, process.env);
  const code = await new Promise<number | 'missing'>((resolve) => {
    try {
      const child = spawn(npm.command, [...npm.args, 'install', '--save', spec], {
        cwd: projectDir,
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', () => resolve('missing'));
      child.on('exit', (exitCode) => resolve(exitCode ?? -1));
    } catch {
      resolve('missing'); // e.g. EINVAL for a .cmd without a shell
    }
  });
  if (code === 'missing') {
    throw new TopdownError(
      'BACKEND_UNAVAILABLE',
      `Installing ${spec} needs npm, and ${npm.command} could not be started.`,
      {
        file: projectDir,
        hint: 'Install Node.js with npm (https://nodejs.org) and make sure npm is on the PATH, then try again.',
      },
    );
  }
  if (code !== 0) {
    throw new TopdownError('BACKEND_UNAVAILABLE', `Installing ${spec} failed (npm exit code ${code}).`, {
      file: projectDir,
      hint: failure.hint,
    });
  }
}

/** How to start npm: a program and the arguments that come before npm's own. */
export type NpmCommand = { command: string; args: string[] };

/**
 * npm without a shell. On Windows npm is a `.cmd` script, which Node (since 20.12) refuses to spawn without one;
 * there npm's own JavaScript entry point is run with the `node.exe` found beside it on the PATH (where the
 * Node.js installer puts both). Elsewhere `npm` is an executable on the PATH.
 */
export function npmCommand(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  exists: (path: string) => boolean = existsSync,
): NpmCommand {
  if (platform !== 'win32') return { command: 'npm', args: [] };
  const path = env.PATH ?? env.Path ?? '';
  for (const dir of path.split(';').filter(Boolean)) {
    const script = win32.join(dir, 'node_modules', 'npm', 'bin', 'npm-cli.js');
    const node = win32.join(dir, 'node.exe');
    if (exists(script) && exists(node)) return { command: node, args: [script] };
  }
  return { command: 'npm.cmd', args: [] };
}
