/** Where an error points (topdown.json line or field, CSV row), as a file and 0-based position to open. */
import { readFileSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
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
  const file = error.file
    ? isAbsolute(error.file)
      ? error.file
      : join(projectDir, error.file)
    : error.field !== undefined
      ? join(projectDir, 'topdown.json')
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

/** One sentence for the failure notification: "Evaluate Algorithms failed: <message> <hint>". */
export function describeFailure(stepTitle: string, error: ErrorInfo): string {
  const message = error.message.trim().replace(/\.?$/, '.');
  return `${stepTitle} failed: ${message}${error.hint ? ` ${error.hint}` : ''}`;
}
