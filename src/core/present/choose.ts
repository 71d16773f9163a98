/**
 * Which run becomes the final model (step 5): a named candidate's newest completed evaluate or improve run,
 * else the best candidate by the project metric among the newest completed run of each. Also checks, before
 * any fitting, that the holdout holds every class.
 */
import { resolveMetric, type ProjectConfig } from '../config';
import { closestName } from '../data/infer';
import { TopdownError } from '../errors';
import { higherIsBetter } from '../metrics';
import { NEURAL_MODELS } from '../models/zoo';
import type { RunStore } from '../runs/store';
import type { RunIndexEntry, RunRecord } from '../../protocol/records';

/** Model kinds a final fit can refit (ensembles of step 4 cannot, yet). */
const REFITTABLE = new Set<string>([
  ...NEURAL_MODELS,
  'baseline',
  'knn',
  'decision-tree',
  'random-forest',
  'naive-bayes',
]);

/** Completed evaluate and improve runs with a score, newest first. */
function scoredRuns(store: RunStore): RunIndexEntry[] {
  return [
    ...store.list({ step: 'evaluate', status: 'completed' }),
    ...store.list({ step: 'improve', status: 'completed' }),
  ]
    .filter(
      (entry) =>
        entry.candidate !== undefined &&
        entry.model !== undefined &&
        REFITTABLE.has(entry.model) &&
        entry.summary !== undefined &&
        Number.isFinite(entry.summary.mean),
    )
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/**
 * The run whose candidate becomes the final model. `name`: that candidate's newest completed run. Otherwise
 * the best mean score (respecting whether higher is better) among each candidate's newest completed run.
 * RUN_NOT_FOUND with a hint to run `topdown evaluate` when there is none.
 */
export function chooseCandidateRun(
  store: RunStore,
  config: ProjectConfig,
  projectFile: string,
  name?: string,
): RunRecord {
  const runs = scoredRuns(store);
  if (name !== undefined) {
    const match = runs.find((entry) => entry.candidate === name);
    if (match) return store.get(match.id);
    const known = [
      ...new Set([...config.evaluate.candidates.map((c) => c.name), ...runs.map((r) => r.candidate!)]),
    ];
    const closest = closestName(name, known);
    throw new TopdownError('RUN_NOT_FOUND', `There is no completed evaluate or improve run of "${name}".`, {
      file: projectFile,
      field: config.present?.candidate === name ? '/present/candidate' : undefined,
      hint: known.includes(name)
        ? `Run \`topdown evaluate --candidates ${name}\` first, then present it.`
        : `${closest ? `Did you mean "${closest}"? ` : ''}Candidates: ${known.join(', ')}.`,
    });
  }
  const newest = new Map<string, RunIndexEntry>();
  for (const entry of runs) if (!newest.has(entry.candidate!)) newest.set(entry.candidate!, entry);
  const higher = higherIsBetter(resolveMetric(config.problem));
  let best: RunIndexEntry | undefined;
  for (const entry of newest.values()) {
    const score = entry.summary!.mean;
    if (!best || (higher ? score > best.summary!.mean : score < best.summary!.mean)) best = entry;
  }
  if (!best) {
    throw new TopdownError('RUN_NOT_FOUND', 'No candidate has a completed evaluation to present yet.', {
      file: projectFile,
      hint: 'Run `topdown evaluate` first (step 3); step 5 presents the best candidate it found.',
    });
  }
  return store.get(best.id);
}

/**
 * Classification with a holdout: every class needs at least one holdout sample, or the holdout score says
 * nothing about it. CLASS_TOO_SMALL naming the class and `/problem/holdout` otherwise.
 */
export function checkHoldoutClasses(
  config: ProjectConfig,
  projectFile: string,
  holdout: number[],
  labels: Int32Array | undefined,
  classes: string[] | undefined,
): void {
  if (!labels || !classes || holdout.length === 0) return;
  const counts = new Array<number>(classes.length).fill(0);
  for (const sample of holdout) counts[labels[sample]]++;
  const empty = counts.findIndex((count) => count === 0);
  if (empty < 0) return;
  throw new TopdownError(
    'CLASS_TOO_SMALL',
    `The holdout (${config.problem.holdout} of the data, ${holdout.length} samples) has no sample of class "${classes[empty]}", so it cannot score the final model on that class.`,
    {
      file: projectFile,
      field: '/problem/holdout',
      column: config.problem.target,
      hint: 'Use a larger holdout (e.g. 0.2) or more rows of that class, or remove "holdout" to rely on the cross-validation estimate.',
    },
  );
}
