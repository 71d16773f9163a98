/** The CLI flags that send a step's training to a queue (the `topdown.queue` and `topdown.queueData` settings). */
import type { JobStep } from './job';

/** Steps whose tasks can run on queue workers; define and prepare train nothing worth sending. */
const QUEUED_STEPS: ReadonlySet<JobStep> = new Set(['evaluate', 'improve', 'present', 'all']);

/** `--queue <url> [--queue-data <dir>]` for a step, or nothing when the setting is empty or the step trains locally. */
export function queueFlags(step: JobStep, url: string, dataDir: string): string[] {
  if (!url.trim() || !QUEUED_STEPS.has(step)) return [];
  const flags = ['--queue', url.trim()];
  if (dataDir.trim()) flags.push('--queue-data', dataDir.trim());
  return flags;
}
