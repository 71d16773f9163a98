/**
 * Which run becomes the final model (step 5): a named candidate's (or step 4 ensemble's) newest completed
 * evaluate or improve run, else the best by the project metric among the newest completed run of each. For an
 * ensemble, the runs its members' configurations come from. Also checks, before any fitting, that the holdout
 * holds every class.
 */
import { resolveMetric, type ProjectConfig } from '../config';
import { closestName } from '../data/infer';
import { TopdownError } from '../errors';
import { higherIsBetter } from '../metrics';
import { isModelKind } from '../models/kinds';
import type { RunStore } from '../runs/store';
import type { RunIndexEntry, RunRecord } from '../../protocol/records';
import { trialNumber } from '../../shared/trials';
import { ensembleMemberNames, ENSEMBLE_MODEL } from './ensemble-record';

export { ensembleMemberNames, ENSEMBLE_MODEL };

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
        (isModelKind(entry.model) || entry.model === ENSEMBLE_MODEL) &&
        entry.summary !== undefined &&
        Number.isFinite(entry.summary.mean),
    )
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/** Names of the project's ensembles (`improve.ensembles`), tolerating a section step 4 would refuse. */
function ensembleNames(config: ProjectConfig): string[] {
  const ensembles = config.improve?.ensembles;
  if (!Array.isArray(ensembles)) return [];
  return ensembles
    .map((ensemble: unknown) => (ensemble as { name?: unknown } | null)?.name)
    .filter((name): name is string => typeof name === 'string');
}

/**
 * Whether step 4's decision lets a run be presented without being named: a tuning trial only when its tuning kept
 * it (a trial that is not reliably better than the untuned configuration is not recommended, whatever its mean),
 * an ensemble unless step 4 found it no better than the best single model (runs from before that comparison was
 * recorded stay eligible). Every other run is eligible.
 */
function keptByStepFour(store: RunStore, entry: RunIndexEntry): boolean {
  if (trialNumber(entry.candidate) !== undefined) return store.get(entry.id).tuning?.keep === 'tuned';
  if (entry.model !== ENSEMBLE_MODEL) return true;
  const comparison = store.get(entry.id).verdict?.versusBestSingle;
  return comparison === undefined || comparison.verdict === 'better than the best single model';
}

/**
 * The run whose candidate becomes the final model: a candidate's, a tuning trial's or an ensemble's. `name`:
 * that name's newest completed run. Otherwise the best mean score (respecting whether higher is better) among
 * each name's newest completed run that step 4 kept (`keptByStepFour`). RUN_NOT_FOUND with a hint to run `topdown evaluate` (or `topdown improve`,
 * for an ensemble) when there is none.
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
    const ensembles = ensembleNames(config);
    const known = [
      ...new Set([
        ...config.evaluate.candidates.map((c) => c.name),
        ...ensembles,
        ...runs.map((r) => r.candidate!),
      ]),
    ];
    const closest = closestName(name, known);
    throw new TopdownError('RUN_NOT_FOUND', `There is no completed evaluate or improve run of "${name}".`, {
      file: projectFile,
      field: config.present?.candidate === name ? '/present/candidate' : undefined,
      suggestion: known.includes(name) ? undefined : closest,
      hint: ensembles.includes(name)
        ? `Run \`topdown improve\` first (it scores the ensemble "${name}"), then present it.`
        : known.includes(name)
          ? `Run \`topdown evaluate --candidates ${name}\` first, then present it.`
          : `${closest ? `Did you mean "${closest}"? ` : ''}Candidates: ${known.join(', ')}.`,
    });
  }
  const newest = new Map<string, RunIndexEntry>();
  for (const entry of runs) if (!newest.has(entry.candidate!)) newest.set(entry.candidate!, entry);
  const higher = higherIsBetter(resolveMetric(config.problem));
  let best: RunIndexEntry | undefined;
  for (const entry of newest.values()) {
    if (!keptByStepFour(store, entry)) continue;
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
 * The run each member of an ensemble is refitted from, in the ensemble's order: the member's completed run of
 * the ensemble's own improve session (its configuration there is the one the ensemble was scored with: tuned
 * where tuning won), else the member's newest completed evaluate or improve run, as for a single candidate.
 * RUN_NOT_FOUND naming the member, with the command to run, when it has none.
 */
export function chooseEnsembleMemberRuns(
  store: RunStore,
  config: ProjectConfig,
  projectFile: string,
  ensemble: RunRecord,
): RunRecord[] {
  const names = ensembleMemberNames(ensemble);
  if (names.length < 2) {
    throw new TopdownError(
      'RUN_NOT_FOUND',
      `The ensemble run ${ensemble.id} of "${ensemble.candidate}" does not name its members.`,
      { file: projectFile, hint: 'Run `topdown improve` again to score the ensemble, then present it.' },
    );
  }
  // Every kind of the zoo refits directly; an ensemble's run does not.
  const runs = scoredRuns(store).filter((entry) => isModelKind(entry.model!));
  return names.map((name) => {
    const own = runs.filter((entry) => entry.candidate === name);
    const match = own.find((entry) => entry.session === ensemble.session) ?? own[0];
    if (match) return store.get(match.id);
    throw new TopdownError(
      'RUN_NOT_FOUND',
      `The ensemble "${ensemble.candidate}" cannot be presented: its member "${name}" has no completed evaluate or improve run to refit.`,
      {
        file: projectFile,
        field: memberPointer(config, ensemble.candidate!, name),
        hint: `Run \`topdown improve\` (it trains every member of "${ensemble.candidate}") or \`topdown evaluate --candidates ${name}\`, then present it.`,
      },
    );
  });
}

/** `/improve/ensembles/<i>/members/<j>` of a member in topdown.json, when the file still lists it. */
function memberPointer(config: ProjectConfig, ensemble: string, member: string): string | undefined {
  const ensembles: unknown = config.improve?.ensembles;
  if (!Array.isArray(ensembles)) return undefined;
  const index = ensembles.findIndex((entry) => (entry as { name?: unknown } | null)?.name === ensemble);
  const members: unknown = index >= 0 ? (ensembles[index] as { members?: unknown }).members : undefined;
  const position = Array.isArray(members) ? members.indexOf(member) : -1;
  return position >= 0 ? `/improve/ensembles/${index}/members/${position}` : undefined;
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
