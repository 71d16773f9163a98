/** Records how long each scenario took, in test-results/e2e/timings.jsonl (printed by scripts/e2e/run.mjs). */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { resultsDir } from './server';

/** Runs a scenario and appends `{ scenario, seconds, passed }` to the timings file. */
export async function timed<T>(scenario: string, body: () => Promise<T>): Promise<T> {
  const started = Date.now();
  let passed = false;
  try {
    const value = await body();
    passed = true;
    return value;
  } finally {
    mkdirSync(resultsDir, { recursive: true });
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    appendFileSync(join(resultsDir, 'timings.jsonl'), JSON.stringify({ scenario, seconds, passed }) + '\n');
  }
}
