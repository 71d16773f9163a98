/**
 * Checks every message a panel posts before the host acts on it, and keeps the files it leads to inside the
 * project. A webview is untrusted input: it names files only by a plain file name, never by a path.
 */
import { isAbsolute, join, resolve } from 'node:path';
import type { FromPanel, PanelContext, PanelKind } from '../../protocol/panels';
import { PANEL_KINDS } from '../../protocol/panels';
import { isInsideFolder } from '../../core/paths';

/** Largest PNG a panel may save (a 4K chart is well under this). */
export const MAX_PNG_BYTES = 16 * 1024 * 1024;
/** Largest text a panel may copy. */
export const MAX_COPY_CHARACTERS = 8 * 1024 * 1024;

/** The outcome of a check: the typed message, or why it was refused. */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const fileNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,119}\.png$/;
const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** A run id as the store writes them: letters, digits, dot, dash, underscore; never `..`. */
export function isRunId(value: unknown): value is string {
  return typeof value === 'string' && runIdPattern.test(value) && !value.includes('..');
}

function refuse<T>(reason: string): Checked<T> {
  return { ok: false, reason };
}

/** Validates a message from a panel of `kind`; panel-specific requests are refused from other panels. */
export function checkFromPanel(value: unknown, kind: PanelKind): Checked<FromPanel> {
  if (typeof value !== 'object' || value === null) return refuse('not an object');
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'panel/ready':
      return typeof message.protocolVersion === 'number'
        ? { ok: true, value: { type: 'panel/ready', protocolVersion: message.protocolVersion } }
        : refuse('panel/ready without protocolVersion');
    case 'panel/savePng': {
      const { fileName, dataUrl } = message;
      if (typeof fileName !== 'string' || !fileNamePattern.test(fileName) || fileName.includes('..')) {
        return refuse(`file name ${JSON.stringify(fileName)} is not a plain *.png name`);
      }
      if (typeof dataUrl !== 'string' || !dataUrl.startsWith('data:image/png;base64,')) {
        return refuse('dataUrl is not a PNG data URL');
      }
      if (dataUrl.length > (MAX_PNG_BYTES * 4) / 3 + 64) return refuse('PNG too large');
      return { ok: true, value: { type: 'panel/savePng', fileName, dataUrl } };
    }
    case 'panel/copyText': {
      const { text, what } = message;
      if (typeof text !== 'string' || text.length > MAX_COPY_CHARACTERS)
        return refuse('text missing or too long');
      return {
        ok: true,
        value: {
          type: 'panel/copyText',
          text,
          what: typeof what === 'string' ? what.slice(0, 200) : 'table',
        },
      };
    }
    case 'panel/openRun':
      return isRunId(message.runId)
        ? { ok: true, value: { type: 'panel/openRun', runId: message.runId } }
        : refuse(`run id ${JSON.stringify(message.runId)} is not valid`);
    case 'panel/error':
      return { ok: true, value: { type: 'panel/error', message: String(message.message).slice(0, 4000) } };
    case 'improve/useTrial':
      if (kind !== 'improve') return refuse('improve/useTrial from another panel');
      return Number.isInteger(message.trialIndex) && (message.trialIndex as number) >= 0
        ? { ok: true, value: { type: 'improve/useTrial', trialIndex: message.trialIndex as number } }
        : refuse('trialIndex is not a whole number');
    case 'evaluate/improve':
      if (kind !== 'evaluate') return refuse('evaluate/improve from another panel');
      return typeof message.candidate === 'string' &&
        message.candidate.length > 0 &&
        message.candidate.length <= 200
        ? { ok: true, value: { type: 'evaluate/improve', candidate: message.candidate } }
        : refuse('candidate is not a name');
    case 'final/open':
      if (kind !== 'final') return refuse('final/open from another panel');
      return message.target === 'report' || message.target === 'model'
        ? { ok: true, value: { type: 'final/open', target: message.target } }
        : refuse('target is neither report nor model');
    case 'final/predict':
      return kind === 'final'
        ? { ok: true, value: { type: 'final/predict' } }
        : refuse('final/predict from another panel');
    default:
      return refuse(`unknown message type ${JSON.stringify(message.type)}`);
  }
}

/** Decodes a PNG data URL, checking the PNG signature. */
export function decodePng(dataUrl: string): Checked<Buffer> {
  const bytes = Buffer.from(dataUrl.slice('data:image/png;base64,'.length), 'base64');
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 8 || signature.some((byte, index) => bytes[index] !== byte))
    return refuse('not a PNG image');
  if (bytes.length > MAX_PNG_BYTES) return refuse('PNG too large');
  return { ok: true, value: bytes };
}

/** Whether `path` (after following links, dangling ones too) lies inside `projectDir`. */
export function isInsideProject(projectDir: string, path: string): boolean {
  return isInsideFolder(projectDir, path);
}

/** `<project>/report/<fileName>`, refused when the name or a link would lead outside the project. */
export function reportFile(projectDir: string, fileName: string): Checked<string> {
  if (!fileNamePattern.test(fileName) || fileName.includes('..')) return refuse('not a plain *.png name');
  const path = join(projectDir, 'report', fileName);
  return isInsideProject(projectDir, path)
    ? { ok: true, value: path }
    : refuse('report/ leads outside the project');
}

/** A project-relative path from a run record (e.g. outputs.model), refused when it leaves the project. */
export function projectFile(projectDir: string, relativePath: string): Checked<string> {
  const path = resolve(projectDir, relativePath);
  return isInsideProject(projectDir, path)
    ? { ok: true, value: path }
    : refuse(`${relativePath} is outside the project`);
}

/** Validates the state a webview kept, before the serializer reopens a panel from it. */
export function checkPanelContext(
  value: unknown,
  workspaceFolders: readonly string[],
): Checked<PanelContext> {
  if (typeof value !== 'object' || value === null) return refuse('no panel state');
  const context = (value as { context?: Record<string, unknown> }).context;
  if (!context || typeof context !== 'object') return refuse('no panel context');
  const { kind, projectDir, runIds, session } = context;
  if (!PANEL_KINDS.includes(kind as PanelKind)) return refuse('unknown panel kind');
  if (typeof projectDir !== 'string' || !isAbsolute(projectDir))
    return refuse('project folder is not an absolute path');
  if (!workspaceFolders.some((folder) => isInsideProject(folder, projectDir)))
    return refuse('project is not in the workspace');
  if (!Array.isArray(runIds) || !runIds.every(isRunId)) return refuse('run ids are not valid');
  if (session !== undefined && !isRunId(session)) return refuse('session is not valid');
  return {
    ok: true,
    value: {
      kind: kind as PanelKind,
      projectDir,
      runIds: [...runIds],
      session: session as string | undefined,
    },
  };
}
