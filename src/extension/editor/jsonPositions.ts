/** Positions inside topdown.json (plain TypeScript, jsonc-parser), for CodeLens and "Open at the error". */
import { findNodeAtLocation, getNodeValue, parseTree, type Node } from 'jsonc-parser';

/** A 0-based position, as VS Code's Position takes it. */
export interface TextPosition {
  line: number;
  character: number;
}

/** The steps that get a CodeLens over their key. */
export const LENS_STEPS = ['evaluate', 'improve', 'present'] as const;
/** A step with a CodeLens. */
export type LensStep = (typeof LENS_STEPS)[number];

/** Converts a character offset in a text into a 0-based line and character. */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 0;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index += 1) {
    if (text.charCodeAt(index) === 10) {
      line += 1;
      lineStart = index + 1;
    }
  }
  return { line, character: Math.min(offset, text.length) - lineStart };
}

/** Where the top-level `evaluate`, `improve` and `present` keys start, in document order. */
export function findStepKeys(text: string): Array<TextPosition & { step: LensStep }> {
  const root = parseTree(text);
  if (!root || root.type !== 'object') return [];
  const found: Array<TextPosition & { step: LensStep }> = [];
  for (const property of root.children ?? []) {
    const key = property.children?.[0];
    if (!key || typeof key.value !== 'string') continue;
    const step = LENS_STEPS.find((name) => name === key.value);
    if (step) found.push({ step, ...positionAt(text, key.offset) });
  }
  return found;
}

function pointerSegments(pointer: string): Array<string | number> {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/**
 * Where a JSON pointer (`/evaluate/candidates/2/epochs`) points: the property key when there is one, else
 * the value. Falls back to the deepest existing parent; undefined when the text does not parse.
 */
export function findPointer(text: string, pointer: string): TextPosition | undefined {
  const root = parseTree(text);
  if (!root) return undefined;
  const segments = pointerSegments(pointer);
  for (let length = segments.length; length >= 0; length -= 1) {
    const node: Node | undefined = findNodeAtLocation(root, segments.slice(0, length));
    if (!node) continue;
    const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    return positionAt(text, (key ?? node).offset);
  }
  return undefined;
}

/** Where a field's value lies in a JSON text (its key, for an object or array), and the value itself. */
export interface ValueRange {
  start: TextPosition;
  end: TextPosition;
  /** The value as parsed (a tolerant parse: the rest of the text may be half-typed). */
  value: unknown;
}

/** The value a JSON pointer names, with its range; undefined when the text holds no such field. */
export function findValue(text: string, pointer: string): ValueRange | undefined {
  const root = parseTree(text);
  const node = root ? findNodeAtLocation(root, pointerSegments(pointer)) : undefined;
  if (!node) return undefined;
  // An object or array spans many lines: its key stands for it.
  const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
  const span = (node.type === 'object' || node.type === 'array') && key ? key : node;
  return {
    start: positionAt(text, span.offset),
    end: positionAt(text, span.offset + span.length),
    value: getNodeValue(node),
  };
}
