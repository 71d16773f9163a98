/** Where an error points (topdown.json line or field, CSV row), as a file and 0-based position to open. */
import { readFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import type { ErrorInfo } from '../../protocol/errors';
import { findPointer, type TextPosition } from './jsonPositions';

/** A file and a place in it. */
export interface ErrorTarget {
  file: string;
  position: TextPosition;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The character where a named column's cell starts on a simple (unquoted) CSV line; 0 when unknown. */
function cellStart(text: string, lineIndex: number, column: string): number {
  const lines = text.split('\n', lineIndex + 1);
  const header = lines[0]?.replace(/\r$/, '').split(',');
  const columnIndex = header?.findIndex((name) => name.trim().replace(/^"|"$/g, '') === column) ?? -1;
  const line = lines[lineIndex];
  if (columnIndex < 0 || line === undefined) return 0;
  const cells = line.split(',');
  return cells.slice(0, columnIndex).reduce((offset, cell) => offset + cell.length + 1, 0);
}

/** Resolves an error's location, or undefined when it names no file or field. */
export function locateError(error: ErrorInfo, projectDir: string, read = readText): ErrorTarget | undefined {
  // A field without a row or line is a setting of topdown.json (a wrong target names the CSV it is not in, but
  // the fix is in the project file), so the field wins over the file.
  const inProject = error.field !== undefined && error.row === undefined && error.line === undefined;
  const file = inProject
    ? join(projectDir, 'topdown.json')
    : error.file
      ? isAbsolute(error.file)
        ? error.file
        : join(projectDir, error.file)
      : undefined;
  if (!file) return undefined;
  if (error.line !== undefined) {
    return {
      file,
      position: { line: Math.max(0, error.line - 1), character: Math.max(0, (error.character ?? 1) - 1) },
    };
  }
  if (error.row !== undefined) {
    const line = Math.max(0, error.row - 1);
    const text = error.column !== undefined ? read(file) : undefined;
    return { file, position: { line, character: text ? cellStart(text, line, error.column!) : 0 } };
  }
  if (error.field !== undefined && basename(file) === 'topdown.json') {
    const text = read(file);
    const position = text !== undefined ? findPointer(text, error.field) : undefined;
    return { file, position: position ?? { line: 0, character: 0 } };
  }
  return { file, position: { line: 0, character: 0 } };
}

/** Hints longer than this (lists of every column, every candidate) stay in the log and the CLI. */
const MAX_HINT_LENGTH = 120;

/** A path as the person knows it: relative to the project when inside it, else its file name. */
function shortPath(file: string, projectDir: string | undefined): string {
  const inside = projectDir !== undefined ? relative(projectDir, file) : '';
  return inside && !inside.startsWith('..') && !isAbsolute(inside)
    ? inside.split(sep).join('/')
    : basename(file);
}

/**
 * The error in one sentence for a notification or the Problems panel: the message with the file's absolute path
 * shortened, then the "did you mean" when there is one, else the hint when it is short.
 */
export function shortError(error: ErrorInfo, projectDir?: string): string {
  let message = error.message.trim();
  if (error.file && isAbsolute(error.file)) {
    message = message.split(error.file).join(shortPath(error.file, projectDir));
  }
  if (error.suggestion !== undefined) {
    return `${message.replace(/\.$/, '')}; did you mean "${error.suggestion}"?`;
  }
  const sentence = message.replace(/\.?$/, '.');
  return error.hint && error.hint.length <= MAX_HINT_LENGTH ? `${sentence} ${error.hint}` : sentence;
}

/** One sentence for the failure notification: "Evaluate Algorithms failed: <message> <hint>". */
export function describeFailure(stepTitle: string, error: ErrorInfo, projectDir?: string): string {
  return `${stepTitle} failed: ${shortError(error, projectDir)}`;
}
