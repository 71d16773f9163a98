/**
 * Typed errors that reach a person. Each says what went wrong, where (file, row, column, field) and what to
 * do next. Code matches on `code`, never on message text.
 */
import type { ErrorCode, ErrorInfo, ErrorLocation } from '../protocol/errors';

export type { ErrorCode, ErrorInfo, ErrorLocation };

/** An error meant for a person: message + location + hint. */
export class TopdownError extends Error implements ErrorInfo {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly file?: string;
  readonly row?: number;
  readonly column?: string;
  readonly field?: string;
  readonly line?: number;
  readonly character?: number;
  readonly suggestion?: string;

  constructor(
    code: ErrorCode,
    message: string,
    details: ErrorLocation & { hint?: string; suggestion?: string } = {},
  ) {
    super(message);
    this.name = 'TopdownError';
    this.code = code;
    this.hint = details.hint;
    this.file = details.file;
    this.row = details.row;
    this.column = details.column;
    this.field = details.field;
    this.line = details.line;
    this.character = details.character;
    this.suggestion = details.suggestion;
  }

  /** The JSON form stored in run records. */
  toJSON(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message };
    if (this.hint !== undefined) info.hint = this.hint;
    if (this.file !== undefined) info.file = this.file;
    if (this.row !== undefined) info.row = this.row;
    if (this.column !== undefined) info.column = this.column;
    if (this.field !== undefined) info.field = this.field;
    if (this.line !== undefined) info.line = this.line;
    if (this.character !== undefined) info.character = this.character;
    if (this.suggestion !== undefined) info.suggestion = this.suggestion;
    return info;
  }
}

/** Converts anything thrown into ErrorInfo; unknown errors become INTERNAL with their message kept. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof TopdownError) return error.toJSON();
  if (isErrorInfo(error)) return error;
  if (error instanceof Error) return { code: 'INTERNAL', message: error.message };
  return { code: 'INTERNAL', message: String(error) };
}

/** One line for a terminal: message, where, and what to do. */
export function formatError(info: ErrorInfo): string {
  const where: string[] = [];
  if (info.file) where.push(info.line ? `${info.file}:${info.line}:${info.character ?? 1}` : info.file);
  if (info.row !== undefined) where.push(`row ${info.row}`);
  if (info.column !== undefined) where.push(`column "${info.column}"`);
  if (info.field !== undefined) where.push(`field ${info.field}`);
  const location = where.length > 0 ? ` (${where.join(', ')})` : '';
  return `${info.message}${location}${info.hint ? `\n  ${info.hint}` : ''}`;
}

/** Whether a value already has the ErrorInfo shape (e.g. received over IPC). */
export function isErrorInfo(value: unknown): value is ErrorInfo {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Error) &&
    typeof (value as ErrorInfo).code === 'string' &&
    typeof (value as ErrorInfo).message === 'string'
  );
}
