/**
 * Where a job's events go: over IPC to the VS Code host (`--ipc`), and as human progress/log lines on stderr.
 * stdout is reserved for the final result (`--json`) or the human summary table.
 */
import type { JobEvent } from '../protocol/host';

/** Receives every event of a job. */
export interface Reporter {
  emit(event: JobEvent): void;
}

/** Options of the standard reporter. */
export interface ReporterOptions {
  ipc: boolean;
  /** Draw a progress bar on stderr (a TTY, human output). */
  progressBar: boolean;
  /** Print info logs on stderr. */
  verbose: boolean;
}

/** The CLI's reporter: IPC messages plus stderr progress. */
export function createReporter(options: ReporterOptions): Reporter {
  let barShown = false;
  const clearBar = (): void => {
    if (barShown) {
      process.stderr.write('\r\x1b[K');
      barShown = false;
    }
  };
  return {
    emit(event) {
      if (options.ipc && process.send && process.connected) process.send(event);
      switch (event.type) {
        case 'log':
          if (event.level !== 'info' || options.verbose) {
            clearBar();
            process.stderr.write(`${event.level === 'info' ? '' : `${event.level}: `}${event.message}\n`);
          }
          return;
        case 'job/progress':
          if (options.progressBar) {
            const width = 24;
            const filled = event.total > 0 ? Math.round((event.done / event.total) * width) : 0;
            const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${event.done}/${event.total} ${event.message}`;
            process.stderr.write(`\r\x1b[K${bar.slice(0, (process.stderr.columns ?? 100) - 1)}`);
            barShown = true;
          } else if (options.verbose) {
            process.stderr.write(`${event.done}/${event.total} ${event.message}\n`);
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
    },
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
