/**
 * The webgpu backend in plain Node.js: Dawn's binding (the npm `webgpu` package, about 130 MB, installed into
 * the project by `topdown install gpu` and never bundled) provides `navigator.gpu`, and
 * @tensorflow/tfjs-backend-webgpu registers itself when it sees one. The GPU is reached through the system's
 * own driver (Vulkan on Linux, D3D12 on Windows, Metal on macOS): no CUDA toolkit.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import type { TF } from '../core/models/types';

/** The npm package with Dawn's Node.js binding. */
export const WEBGPU_PACKAGE = 'webgpu';

/** The adapter Dawn picked, as reported by the driver. */
export interface GpuAdapterSummary {
  /** e.g. "NVIDIA H100 80GB HBM3" or "llvmpipe (LLVM 19.1.7, 256 bits)". */
  description: string;
  vendor: string;
  architecture: string;
  /** A CPU rasteriser (llvmpipe, lavapipe, SwiftShader): correct, but slower than the wasm backend. */
  software: boolean;
}

/** What looking for a GPU found. */
export type GpuLookup =
  | { ok: true; adapter: GpuAdapterSummary; packagePath: string; packageVersion: string }
  | { ok: false; reason: string };

/** The parts of the `webgpu` module used here. */
interface DawnBinding {
  create(options: string[]): GpuLike;
  globals: Record<string, unknown>;
}

/** The parts of navigator.gpu used here (the full types live in @webgpu/types, which the runner does not load). */
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null>;
}

/** The parts of a GPUAdapter read here. */
export interface AdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
  isFallbackAdapter?: boolean;
}

const SOFTWARE_RENDERERS = /llvmpipe|lavapipe|softpipe|swiftshader/i;

/** Where `webgpu` resolves from: the project folder first, then Topdown's own node_modules. */
export function findWebgpuPackage(projectDir: string | undefined): string | undefined {
  const places = [projectDir ? join(projectDir, 'package.json') : undefined, __filename].filter(
    (place): place is string => place !== undefined,
  );
  for (const place of places) {
    try {
      return createRequire(place).resolve(WEBGPU_PACKAGE);
    } catch {
      // Not installed there: try the next place.
    }
  }
  return undefined;
}

let binding: { path: string; gpu: GpuLike; globals: Record<string, unknown> } | undefined;

/** Loads Dawn once per process (its module is ESM, so it is imported, not required). */
async function loadDawn(path: string): Promise<{ gpu: GpuLike; globals: Record<string, unknown> }> {
  if (binding?.path === path) return binding;
  const module = (await import(pathToFileURL(path).href)) as DawnBinding;
  binding = { path, gpu: module.create([]), globals: module.globals };
  return binding;
}

/**
 * Looks for a GPU through Dawn without loading tfjs: whether the package is installed, whether it loads, and
 * which adapter the driver offers. Never throws; a missing piece comes back as a reason for a person. Dawn loads
 * into this process (a worker about to train on it); `findGpuApart` asks from a short-lived child instead.
 */
export async function findGpu(projectDir: string | undefined): Promise<GpuLookup> {
  const packagePath = findWebgpuPackage(projectDir);
  if (packagePath === undefined) return notInstalled();
  let dawn: { gpu: GpuLike };
  try {
    dawn = await loadDawn(packagePath);
  } catch (error) {
    return failedToLoad(error instanceof Error ? error.message.split('\n')[0] : String(error));
  }
  const adapter = await dawn.gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (adapter === null) return noAdapter([]);
  return found(adapter, packagePath);
}

/** The child `findGpuApart` runs: loads Dawn from argv[1], prints the adapter's info (or null) as JSON. */
const LOOKUP_SCRIPT = `
import { pathToFileURL } from 'node:url';
let line;
try {
  const dawn = await import(pathToFileURL(process.argv[1]).href);
  const adapter = await dawn.create([]).requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  const info = adapter?.info ?? {};
  line = adapter === null ? { adapter: null } : { adapter: {
    info: { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description },
    isFallbackAdapter: adapter.isFallbackAdapter } };
} catch (error) {
  line = { loadError: error instanceof Error ? error.message.split('\\n')[0] : String(error) };
}
process.stdout.write(JSON.stringify(line) + '\\n', () => process.exit(0));
`;

/** A lookup child that has not answered in this long is given up on (a hung driver): no GPU. */
export const LOOKUP_TIMEOUT_MS = 20_000;

/**
 * `findGpu` in a short-lived child process, for the process a person watches (the CLI choosing a backend): what
 * Dawn and the driver print while loading ("Couldn't load Vulkan: libvulkan.so.1 …", limits warnings) goes to
 * the child's stderr, never to this terminal; when no GPU is found, those lines end the reason (which the run
 * record and --verbose show). A driver crash is a child's crash.
 */
export async function findGpuApart(projectDir: string | undefined): Promise<GpuLookup> {
  const packagePath = findWebgpuPackage(projectDir);
  if (packagePath === undefined) return notInstalled();
  const { stdout, stderr, failure } = await runLookup(packagePath);
  const notes = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  let answer: { adapter?: AdapterLike | null; loadError?: string } | undefined;
  try {
    answer = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as typeof answer;
  } catch {
    answer = undefined;
  }
  if (answer?.loadError !== undefined) return failedToLoad(answer.loadError);
  if (answer?.adapter === undefined) {
    const said = [failure ?? 'the lookup process gave no answer', notes.at(-1)].filter(Boolean);
    return failedToLoad(said.join(': '));
  }
  if (answer.adapter === null) return noAdapter(notes);
  return found(answer.adapter, packagePath);
}

/** Runs LOOKUP_SCRIPT on the package; resolves with what it printed and why it failed, if it did. */
function runLookup(packagePath: string): Promise<{ stdout: string; stderr: string; failure?: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '--eval', LOOKUP_SCRIPT, packagePath],
      { timeout: LOOKUP_TIMEOUT_MS, maxBuffer: 1 << 20, windowsHide: true },
      (error, stdout, stderr) => {
        const failure =
          error === null
            ? undefined
            : error.killed
              ? `no answer within ${LOOKUP_TIMEOUT_MS / 1000} s`
              : `the lookup process exited with ${String(error.code ?? error.signal)}`;
        resolve({ stdout, stderr, failure });
      },
    );
  });
}

function notInstalled(): GpuLookup {
  return {
    ok: false,
    reason: `webgpu: the ${WEBGPU_PACKAGE} package is not installed; run \`topdown install gpu\` to add it`,
  };
}

function failedToLoad(message: string): GpuLookup {
  return {
    ok: false,
    reason: `webgpu: the ${WEBGPU_PACKAGE} package is installed but failed to load (${message}); reinstall it with \`topdown install gpu\``,
  };
}

/** No adapter; `notes` are what the driver said meanwhile (at most three lines, in the reason). */
function noAdapter(notes: string[]): GpuLookup {
  const reason =
    process.platform === 'linux'
      ? 'webgpu: no GPU adapter was found; it needs the Vulkan loader (libvulkan1) and a Vulkan driver (the GPU vendor’s, or mesa-vulkan-drivers)'
      : 'webgpu: no GPU adapter was found; update the graphics driver';
  const said = notes.slice(0, 3).join(' | ');
  return { ok: false, reason: said === '' ? reason : `${reason} (the driver said: ${said})` };
}

function found(adapter: AdapterLike, packagePath: string): GpuLookup {
  return {
    ok: true,
    adapter: summariseAdapter(adapter),
    packagePath,
    packageVersion: versionOf(packagePath),
  };
}

/** What a person and `auto` need to know about an adapter; software renderers are flagged by name. */
export function summariseAdapter(adapter: AdapterLike): GpuAdapterSummary {
  const info = adapter.info ?? {};
  const description = info.description || info.device || 'unknown adapter';
  const architecture = info.architecture ?? '';
  const software =
    adapter.isFallbackAdapter === true ||
    SOFTWARE_RENDERERS.test(`${description} ${info.device ?? ''} ${architecture}`);
  return { description, vendor: info.vendor ?? '', architecture, software };
}

function versionOf(packagePath: string): string {
  try {
    const manifest = JSON.parse(readFileSync(join(dirname(packagePath), 'package.json'), 'utf8')) as {
      version?: string;
    };
    return manifest.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Makes `webgpu` the active backend of `tf`. The backend package checks for `navigator.gpu` when it is first
 * evaluated and uses the WebGPU constants (GPUBufferUsage, ...) as globals, so both are set before it loads.
 */
export async function startWebgpu(
  tf: TF,
  projectDir: string | undefined,
): Promise<{ ok: true; adapter: GpuAdapterSummary } | { ok: false; reason: string }> {
  const lookup = await findGpu(projectDir);
  if (!lookup.ok) return lookup;
  const dawn = await loadDawn(lookup.packagePath);
  installGlobals(dawn.gpu, dawn.globals);
  try {
    // Bundled with the runner (same tfjs-core), evaluated only here.
    await import('@tensorflow/tfjs-backend-webgpu');
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, reason: `webgpu: @tensorflow/tfjs-backend-webgpu failed to load (${message})` };
  }
  if (tf.findBackendFactory('webgpu') === null) {
    return {
      ok: false,
      reason: 'webgpu: the backend did not register (navigator.gpu was not visible to it)',
    };
  }
  let started = false;
  try {
    started = await tf.setBackend('webgpu');
  } catch {
    started = false;
  }
  if (!started) {
    return {
      ok: false,
      reason: `webgpu: the backend failed to start on ${lookup.adapter.description}`,
    };
  }
  return { ok: true, adapter: lookup.adapter };
}

/** Node 20 has no `navigator`; Node 21+ has one without `gpu`. Either way only `gpu` is added. */
function installGlobals(gpu: GpuLike, globals: Record<string, unknown>): void {
  const scope = globalThis as Record<string, unknown>;
  for (const [name, value] of Object.entries(globals)) {
    if (scope[name] === undefined) scope[name] = value;
  }
  const existing = scope.navigator as Record<string, unknown> | undefined;
  if (existing === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else if (existing.gpu === undefined) {
    Object.defineProperty(existing, 'gpu', { value: gpu, configurable: true });
  }
}
