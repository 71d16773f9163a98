/**
 * Loads TensorFlow.js with the fastest backend this machine offers: `tensorflow` (the optional native
 * @tensorflow/tfjs-node, found in the project's or Topdown's node_modules), then `wasm` (SIMD,
 * single-threaded, with the training kernels it lacks added), then the plain JavaScript `cpu` backend.
 * `webgpu` (see backend-webgpu.ts) loads when named: `auto` picks it only after measuring (backend-probe.ts),
 * because a GPU is slower than wasm for small models. Loading prints nothing on stdout: it carries the CLI's JSON.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tfjs from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { TopdownError } from '../core/errors';
import type { TF } from '../core/models/types';
import { createRng } from '../core/random';
import type { BackendInfo, BackendName } from '../protocol/records';
import { startWebgpu } from './backend-webgpu';
import { registerWasmTrainingKernels } from './wasm-kernels';

/** Where to look for things a backend needs. */
export interface BackendOptions {
  /** The project folder: its node_modules is searched first for @tensorflow/tfjs-node and webgpu. */
  projectDir?: string;
  /** Folder holding the tfjs-backend-wasm `.wasm` files; default: dist/wasm beside the bundle, else the package's dist. */
  wasmDir?: string;
}

/** A loaded tfjs module and what was chosen. */
export interface LoadedBackend {
  tf: TF;
  info: BackendInfo;
}

const NATIVE_PACKAGE = '@tensorflow/tfjs-node';
const WASM_FILE = 'tfjs-backend-wasm-simd.wasm';

type Attempt = { ok: true; tf: TF; device?: string } | { ok: false; reason: string };

/**
 * Loads tfjs with the preferred backend. `auto` tries tensorflow, wasm, then cpu and says in `info.reasons`
 * why each faster one was not used. A named backend that cannot load throws BACKEND_UNAVAILABLE.
 */
export async function loadBackend(
  preference: 'auto' | BackendName,
  options: BackendOptions = {},
): Promise<LoadedBackend> {
  quietTfjs(tfjs);
  const order: BackendName[] = preference === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [preference];
  const reasons: string[] = [];
  for (const name of order) {
    const attempt = await tryBackend(name, options);
    if (attempt.ok) {
      const info: BackendInfo = { name, reasons, tfjsVersion: attempt.tf.version.tfjs };
      if (attempt.device !== undefined) info.device = attempt.device;
      return { tf: attempt.tf, info };
    }
    reasons.push(attempt.reason);
  }
  const reason = reasons.join('; ');
  throw new TopdownError('BACKEND_UNAVAILABLE', `The ${preference} backend cannot be used: ${reason}`, {
    hint: unavailableHint(preference),
  });
}

async function tryBackend(name: BackendName, options: BackendOptions): Promise<Attempt> {
  switch (name) {
    case 'tensorflow':
      return tryNative(options.projectDir);
    case 'wasm':
      return tryWasm(options.wasmDir);
    case 'cpu':
      return (await tfjs.setBackend('cpu'))
        ? { ok: true, tf: tfjs }
        : { ok: false, reason: 'cpu: the JavaScript backend failed to start' };
    case 'webgpu': {
      const started = await startWebgpu(tfjs, options.projectDir);
      return started.ok ? { ok: true, tf: tfjs, device: started.adapter.description } : started;
    }
  }
}

function unavailableHint(preference: 'auto' | BackendName): string {
  switch (preference) {
    case 'tensorflow':
      return 'Run `topdown install native`, or choose the `auto`, `wasm` or `cpu` backend.';
    case 'webgpu':
      return 'Run `topdown install gpu` (and on Linux install the Vulkan loader libvulkan1 with a Vulkan driver), or choose the `auto`, `wasm` or `cpu` backend.';
    default:
      return 'Choose the `auto` or `cpu` backend.';
  }
}

/** tfjs-node brings its own copy of tfjs (its native backend registers there), so its module is the one to use. */
async function tryNative(projectDir: string | undefined): Promise<Attempt> {
  const places = [projectDir ? join(projectDir, 'package.json') : undefined, __filename].filter(
    (place): place is string => place !== undefined,
  );
  for (const place of places) {
    const requireFrom = createRequire(place);
    try {
      requireFrom.resolve(NATIVE_PACKAGE);
    } catch {
      continue;
    }
    try {
      const native = requireFrom(NATIVE_PACKAGE) as TF;
      quietTfjs(native);
      if (await native.setBackend('tensorflow')) return { ok: true, tf: native };
      return {
        ok: false,
        reason: `tensorflow: ${NATIVE_PACKAGE} is installed but its backend failed to start`,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return {
        ok: false,
        reason: `tensorflow: ${NATIVE_PACKAGE} is installed but failed to load (${message}); reinstall it with \`topdown install native\``,
      };
    }
  }
  return {
    ok: false,
    reason: `tensorflow: ${NATIVE_PACKAGE} is not installed; run \`topdown install native\` to add it`,
  };
}

async function tryWasm(wasmDir: string | undefined): Promise<Attempt> {
  const folder = wasmDir ?? findWasmDir();
  if (folder === undefined || !existsSync(join(folder, WASM_FILE))) {
    return {
      ok: false,
      reason: `wasm: ${WASM_FILE} was not found${folder ? ` in ${folder}` : ''}; reinstall Topdown`,
    };
  }
  // Only read when wasm first starts; harmless once it runs.
  setWasmPaths(folder.endsWith('/') ? folder : `${folder}/`);
  // One thread: the runner already runs one worker process per core.
  tfjs.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  registerWasmTrainingKernels(tfjs);
  if (await tfjs.setBackend('wasm')) return { ok: true, tf: tfjs };
  return { ok: false, reason: 'wasm: the WebAssembly backend failed to start on this machine' };
}

/** dist/wasm beside the bundle (see esbuild.mjs), else the installed package's dist folder. */
function findWasmDir(): string | undefined {
  const besideBundle = join(__dirname, 'wasm');
  if (existsSync(join(besideBundle, WASM_FILE))) return besideBundle;
  try {
    return join(
      dirname(createRequire(__filename).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
      'dist',
    );
  } catch {
    return undefined;
  }
}

/**
 * tfjs warns through console.warn (e.g. "Hi, looks like you are running TensorFlow.js in Node.js..." on first
 * use of cpu). Its PROD flag only silences those warnings and logs; it changes no numerics or checks.
 */
function quietTfjs(tf: TF): void {
  tf.env().set('PROD', true);
}

/**
 * Replaces Math.random for the whole process with a seeded generator. tfjs draws from Math.random for the
 * shuffling in model.fit, for dropout masks and for initializers without a seed, so this makes a training
 * run repeatable. Workers are dedicated child processes that run one fold at a time, so nothing else in the
 * process depends on Math.random being unpredictable. Estimators also seed Math.random for the span of each
 * fit (see src/core/models/seeded.ts); this covers whatever runs outside a fit.
 */
export function setTrainingSeed(seed: number): void {
  Math.random = createRng(seed);
}
