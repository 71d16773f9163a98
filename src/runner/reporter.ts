/**
 * Where a job's events go: over IPC to the VS Code host (`--ipc`), and as human progress/log lines on stderr, or
 * as one JSON line per event on stderr (`--progress ndjson`) for scripts and CI.
 * stdout is reserved for the final result (`--json`) or the human summary table.
 */
import type { JobEvent } from '../protocol/host';

/** Receives every event of a job. */
export interface Reporter {
  emit(event: JobEvent): void;
}

/** How progress reaches stderr: a redrawn bar (a terminal), JSON lines (scripts), or nothing. */
export type ProgressMode = 'bar' | 'ndjson' | 'none';

/** The progress modes `--progress` accepts. */
export const PROGRESS_MODES: readonly ProgressMode[] = ['bar', 'ndjson', 'none'];

/** Options of the standard reporter. */
export interface ReporterOptions {
  ipc: boolean;
  /** How progress is shown on stderr. */
  progress: ProgressMode;
  /** Print info logs on stderr. */
  verbose: boolean;
}

/** The CLI's reporter: IPC messages plus stderr progress. */
export function createReporter(options: ReporterOptions): Reporter {
  const stderr = options.progress === 'ndjson' ? ndjsonWriter() : textWriter(options);
  return {
    emit(event) {
      if (options.ipc && process.send && process.connected) process.send(event);
      stderr(event);
    },
  };
}

/**
 * One JSON object per line on stderr for every event but the result (which `--json` prints on stdout); a run
 * update is shortened to its id, candidate, status, fold count and summary.
 */
function ndjsonWriter(): (event: JobEvent) => void {
  return (event) => {
    if (event.type === 'job/completed') return;
    const line =
      event.type === 'run/updated'
        ? {
            type: event.type,
            runId: event.run.id,
            step: event.run.step,
            candidate: event.run.candidate,
            status: event.run.status,
            folds: event.run.folds.length,
            summary: event.run.summary,
          }
        : event;
    process.stderr.write(`${JSON.stringify(line)}\n`);
  };
}

/** Log lines, and a progress bar redrawn as folds finish and, within a fold, as epochs pass. */
function textWriter(options: ReporterOptions): (event: JobEvent) => void {
  let barShown = false;
  let progress = { done: 0, total: 0, message: '' };
  const clearBar = (): void => {
    if (barShown) {
      process.stderr.write('\r\x1b[K');
      barShown = false;
    }
  };
  const drawBar = (fraction: number, detail: string): void => {
    const width = 24;
    const filled = progress.total > 0 ? Math.round(((progress.done + fraction) / progress.total) * width) : 0;
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${progress.done}/${progress.total} ${detail}`;
    process.stderr.write(`\r\x1b[K${bar.slice(0, (process.stderr.columns ?? 100) - 1)}`);
    barShown = true;
  };
  return (event) => {
    switch (event.type) {
      case 'log':
        if (event.level !== 'info' || options.verbose) {
          clearBar();
          process.stderr.write(`${event.level === 'info' ? '' : `${event.level}: `}${event.message}\n`);
        }
        return;
      case 'job/progress':
        progress = { done: event.done, total: event.total, message: event.message };
        if (options.progress === 'bar') drawBar(0, event.message);
        else if (options.verbose) process.stderr.write(`${event.done}/${event.total} ${event.message}\n`);
        return;
      case 'run/epoch':
        if (options.progress === 'bar' && progress.total > 0) {
          const detail = `${progress.message} · ${event.candidate} fold ${event.fold + 1} epoch ${event.epoch + 1}/${event.epochs}`;
          drawBar(Math.min(1, (event.epoch + 1) / Math.max(1, event.epochs)), detail);
        }
        return;
      case 'job/completed':
      case 'job/failed':
      case 'job/cancelled':
        clearBar();
        return;
      default:
        return;
    }
  };
}

/** A reporter that keeps events in memory (tests) and optionally forwards them. */
export function memoryReporter(forward?: Reporter): Reporter & { events: JobEvent[] } {
  const events: JobEvent[] = [];
  return {
    events,
    emit(event) {
      events.push(event);
      forward?.emit(event);
    },
  };
}
