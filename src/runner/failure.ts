/**
 * How the CLI reports a failure: the error as one located message (and, with --json, as the API's error object)
 * and the exit code (2 for usage errors, else 1). An error that is not a TopdownError is a bug in Topdown
 * (INTERNAL): it says so, with what to do, and its stack trace is shown only with --verbose.
 */
import { formatError, toErrorInfo } from '../core/errors';
import type { ErrorInfo } from '../protocol/errors';

/** The hint of an INTERNAL error. */
export const BUG_HINT =
  'This is a bug in Topdown, not a problem with your data or project. Run the command again with --verbose to see where it happened, and report it with that output.';

/** What the CLI prints for a failure. */
export interface FailureReport {
  /** The error object (`{ "error": info }` under --json). */
  info: ErrorInfo;
  /** The lines for stderr: the message, where and the hint; the stack of a bug with --verbose. */
  stderr: string;
  exitCode: number;
}

/** The report of `error`; `verbose`: the person asked for --verbose. */
export function failureReport(error: unknown, verbose: boolean): FailureReport {
  const plain = toErrorInfo(error);
  const internal = plain.code === 'INTERNAL';
  const info = internal && plain.hint === undefined ? { ...plain, hint: BUG_HINT } : plain;
  let stderr = `topdown: ${formatError(info)}\n`;
  if (internal && verbose && error instanceof Error && error.stack) stderr += `${error.stack}\n`;
  return { info, stderr, exitCode: info.code === 'USAGE' ? 2 : 1 };
}
