/**
 * Step 5 for an image classifier: the most confused class pairs on the holdout, with example images, written
 * beside the present run's record as `confused-pairs.json` for the Final results panel and the report.
 */
import { join } from 'node:path';
import { confusedPairs } from '../../core/data/images/confused';
import type { Table } from '../../core/data/table';
import { writeFileAtomic } from '../../core/runs/files';
import type { RunStore } from '../../core/runs/store';
import type { FinalTaskResult } from '../../protocol/runner';

/** The file's name in the run folder, and its key in the run record's `outputs`. */
export const CONFUSED_PAIRS_FILE = 'confused-pairs.json';
export const CONFUSED_PAIRS_OUTPUT = 'confusedPairs';

/**
 * Writes the confused pairs of a classifier's holdout over an image source into the run's folder; returns the
 * file's path, or undefined when there is nothing to write (no images, no classes, no holdout).
 */
export function writeConfusedPairs(
  store: RunStore,
  runId: string,
  table: Table,
  result: FinalTaskResult,
): string | undefined {
  if (!result.classes || !result.holdout) return undefined;
  const pairs = confusedPairs(table, result.holdout, result.classes);
  if (!pairs) return undefined;
  const file = join(store.runDir(runId), CONFUSED_PAIRS_FILE);
  writeFileAtomic(file, `${JSON.stringify(pairs)}\n`);
  return file;
}
