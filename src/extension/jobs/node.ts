/**
 * Which Node.js runs the `topdown` CLI: the `topdown.nodePath` setting, else `node` on PATH, else the editor's
 * own executable as Node (`ELECTRON_RUN_AS_NODE=1`), which cannot load the native TensorFlow backend.
 */
import { existsSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** The runtime chosen for a job, and why (for the log). */
export interface NodeChoice {
  execPath: string;
  /** Extra environment for the child. */
  env: Record<string, string>;
  source: 'setting' | 'path' | 'editor';
  reason: string;
  /** Backend to ask for instead of the requested one (the editor runtime cannot load native TensorFlow). */
  backend: string;
}

/** What chooseNode needs to know about the machine (injected so it can be tested). */
export interface NodeEnvironment {
  /** The `topdown.nodePath` setting, empty when unset. */
  setting: string;
  /** The requested backend: auto | tensorflow | webgpu | wasm | cpu. */
  backend: string;
  /** PATH of the editor process. */
  pathVariable: string;
  /** The editor's executable (`process.execPath` in the extension host). */
  editorExecPath: string;
  platform: NodeJS.Platform;
  isFile?: (path: string) => boolean;
}

/** Raised when no runtime fits; the message says what to do. */
export class NodeNotFoundError extends Error {}

function defaultIsFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Finds `node` on a PATH string; undefined when it is not there. */
export function findOnPath(
  pathVariable: string,
  platform: NodeJS.Platform,
  isFile = defaultIsFile,
): string | undefined {
  const names = platform === 'win32' ? ['node.exe', 'node.cmd'] : ['node'];
  for (const folder of pathVariable.split(platform === 'win32' ? ';' : delimiter)) {
    if (!folder) continue;
    for (const name of names) {
      const candidate = join(folder, name);
      if (isFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Picks the runtime for a job; throws NodeNotFoundError when the setting is wrong or none fits. */
export function chooseNode(environment: NodeEnvironment): NodeChoice {
  const isFile = environment.isFile ?? defaultIsFile;
  const setting = environment.setting.trim();
  if (setting) {
    if (!isAbsolute(setting) || !isFile(setting)) {
      throw new NodeNotFoundError(
        `The setting topdown.nodePath is "${setting}", which is not a Node.js executable. Set it to the absolute path of node, or clear it to use the one on PATH.`,
      );
    }
    return {
      execPath: setting,
      env: {},
      source: 'setting',
      reason: 'from the topdown.nodePath setting',
      backend: environment.backend,
    };
  }
  const onPath = findOnPath(environment.pathVariable, environment.platform, isFile);
  if (onPath) {
    return {
      execPath: onPath,
      env: {},
      source: 'path',
      reason: '`node` found on PATH',
      backend: environment.backend,
    };
  }
  // Both load native addons (libtensorflow, Dawn) that the editor's own runtime cannot be trusted to load.
  if (environment.backend === 'tensorflow' || environment.backend === 'webgpu') {
    throw new NodeNotFoundError(
      `The ${environment.backend} backend needs a real Node.js, and none was found on PATH. Install Node.js 20 or later, or set topdown.nodePath, or choose the wasm backend.`,
    );
  }
  return {
    execPath: environment.editorExecPath,
    env: { ELECTRON_RUN_AS_NODE: '1' },
    source: 'editor',
    reason:
      "no `node` on PATH and topdown.nodePath is empty, so the editor's own runtime runs the job (ELECTRON_RUN_AS_NODE=1); it cannot load native TensorFlow" +
      (environment.backend === 'auto' ? ', so the backend is wasm' : ''),
    backend: environment.backend === 'auto' ? 'wasm' : environment.backend,
  };
}
