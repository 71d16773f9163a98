/** Gathers steps 4 and 5 for the report: tuning trials, ensembles, and the final model on the holdout. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { resolveMetric } from '../../core/config';
import { decideTuning } from '../../core/improve/verdicts';
import { higherIsBetter, summarize } from '../../core/metrics';
import type { Project } from '../../core/project';
import type {
  ReportBaseline,
  ReportFinal,
  ReportTrial,
  ReportTunedCandidate,
  ReportTuning,
} from '../../core/report/types';
import type { RunStore } from '../../core/runs/store';
import { notReliablyBetter } from '../../core/present/reliable';
import { baselineName } from '../../shared/baseline';
import type { ConfusedPairs, TextResults } from '../../protocol/profile';
import { CONFUSED_PAIRS_FILE } from '../jobs/present-confused';
import { TEXT_RESULTS_FILE } from '../jobs/present-text';
import { addVerdicts, candidateOf } from './candidates';
import {
  foldSizes,
  latestCompleted,
  latestSession,
  readRun,
  scoresOf,
  type ReportRunRecord,
} from './records';

/** The candidate a trial tunes: `mlp-small#3` → `mlp-small`; undefined for a name that is not a trial. */
export function trialBase(name: string): string | undefined {
  const hash = name.lastIndexOf('#');
  return hash > 0 && /^\d+$/.test(name.slice(hash + 1)) ? name.slice(0, hash) : undefined;
}

function valueAt(config: Record<string, unknown>, path: string): unknown {
  let value: unknown = config;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function improveSection(project: Project): {
  space: Record<string, Record<string, unknown>>;
  method?: string;
  alpha?: number;
} {
  const improve = (project.config.improve ?? {}) as {
    space?: Record<string, Record<string, unknown>>;
    search?: { method?: string };
    alpha?: number;
  };
  return { space: improve.space ?? {}, method: improve.search?.method, alpha: improve.alpha };
}

/** The parameters a candidate's trials searched: its declared space, else the config fields that differ. */
function searchedParameters(base: string, trials: readonly ReportRunRecord[], project: Project): string[] {
  const declared = improveSection(project).space[base];
  if (declared) return Object.keys(declared);
  const recorded = trials.flatMap((trial) => Object.keys(trial.params ?? {}));
  if (recorded.length > 0) return [...new Set(recorded)];
  const keys = new Set(trials.flatMap((trial) => Object.keys(trial.config)));
  return [...keys].filter(
    (key) => key !== 'name' && new Set(trials.map((trial) => JSON.stringify(trial.config[key]))).size > 1,
  );
}

function trialOf(record: ReportRunRecord, parameters: readonly string[]): ReportTrial {
  const params: Record<string, unknown> = {};
  for (const parameter of parameters) {
    const value = record.params?.[parameter] ?? valueAt(record.config, parameter);
    if (value !== undefined) params[parameter] = value;
  }
  const scores = scoresOf(record);
  const trial: ReportTrial = {
    name: record.candidate ?? record.id,
    runId: record.id,
    status: record.status,
    params,
    scores,
  };
  if (record.status === 'completed' && scores.length > 0) {
    const summary = record.summary ?? summarize(scores);
    trial.mean = summary.mean;
    trial.std = summary.std;
  }
  return trial;
}

/** The untuned reference: a run of the candidate itself in this session, else its newest completed step 3 run. */
function untunedRun(
  store: RunStore,
  base: string,
  session: readonly ReportRunRecord[],
  trials: readonly ReportRunRecord[],
): ReportRunRecord | undefined {
  const recorded = trials.find((trial) => trial.tuning?.untunedRunId)?.tuning?.untunedRunId;
  const fromRecord = recorded ? readRun(store, recorded) : undefined;
  if (fromRecord) return fromRecord;
  const inSession = session.find((record) => record.candidate === base && record.status === 'completed');
  if (inSession) return inSession;
  const [entry] = store.list({ step: 'evaluate', candidate: base, status: 'completed' });
  return entry ? readRun(store, entry.id) : undefined;
}

function tunedCandidate(
  store: RunStore,
  project: Project,
  base: string,
  runs: readonly ReportRunRecord[],
  session: readonly ReportRunRecord[],
): ReportTunedCandidate {
  // Successive halving runs a trial once per rung: keep its last (longest) run.
  const byName = new Map<string, ReportRunRecord>();
  for (const run of runs) byName.set(run.candidate ?? run.id, run);
  const latest = [...byName.values()];
  const parameters = searchedParameters(base, latest, project);
  const trials = latest.map((record) => trialOf(record, parameters));
  const metric = resolveMetric(project.config.problem);
  const higher = higherIsBetter(metric);
  const ranked = trials.filter((trial) => trial.mean !== undefined && Number.isFinite(trial.mean));
  const best = ranked.sort((a, b) => (higher ? b.mean! - a.mean! : a.mean! - b.mean!))[0];
  const result: ReportTunedCandidate = { candidate: base, parameters, trials, best: best?.name };
  const untuned = untunedRun(store, base, session, latest);
  if (untuned?.summary) {
    result.untuned = { mean: untuned.summary.mean, std: untuned.summary.std, runId: untuned.id };
  }
  const recorded = latest.find((record) => record.tuning?.keep && record.tuning.message)?.tuning;
  if (recorded?.keep && recorded.message) {
    result.decision = { keep: recorded.keep, chosen: recorded.chosen ?? base, message: recorded.message };
  } else if (
    best &&
    untuned &&
    untuned.status === 'completed' &&
    scoresOf(untuned).length === best.scores.length
  ) {
    const decision = decideTuning({
      metric,
      untuned: { name: base, folds: scoresOf(untuned) },
      tuned: { name: best.name, folds: best.scores },
      ...foldSizes([untuned]),
      alpha: improveSection(project).alpha,
    });
    result.decision = { keep: decision.keep, chosen: decision.chosen, message: decision.message };
  }
  return result;
}

/** Step 4's newest session: trials per tuned candidate, ensembles and repeats; undefined when it never ran. */
export function tuningResults(
  store: RunStore,
  project: Project,
  baseline: ReportBaseline | undefined,
): ReportTuning | undefined {
  const session = latestSession(store, 'improve');
  if (!session || session.runs.length === 0) return undefined;
  const trialsByBase = new Map<string, ReportRunRecord[]>();
  for (const record of session.runs) {
    const base = trialBase(record.candidate ?? '');
    if (base === undefined) continue;
    const list = trialsByBase.get(base) ?? [];
    list.push(record);
    trialsByBase.set(base, list);
  }
  const ensembleRecords = session.runs.filter((record) => record.model === 'ensemble');
  const ensembles = ensembleRecords.map((record) => candidateOf(record, baseline));
  addVerdicts(ensembles, baseline, ensembleRecords, resolveMetric(project.config.problem), false);
  const repeats = session.runs
    .map((record) => record.repeats?.message)
    .filter((message): message is string => typeof message === 'string');
  const result: ReportTuning = {
    session: session.session,
    method:
      improveSection(project).method ?? session.runs.find((record) => record.tuning?.method)?.tuning?.method,
    candidates: [...trialsByBase.entries()].map(([base, runs]) =>
      tunedCandidate(store, project, base, runs, session.runs),
    ),
    ensembles,
  };
  if (repeats.length > 0) result.repeats = [...new Set(repeats)];
  const versusBestSingle = ensembleRecords
    .map((record) => record.verdict?.versusBestSingle?.explanation)
    .filter((sentence): sentence is string => typeof sentence === 'string');
  if (versusBestSingle.length > 0) result.versusBestSingle = versusBestSingle;
  return result;
}

interface BundleManifest {
  candidate?: string | { name?: string };
  ensemble?: { method?: string; members?: Array<{ name?: string }> };
  task?: string;
  cv?: { mean?: number; std?: number; runId?: string };
  crossValidation?: { mean?: number; std?: number };
  holdout?: {
    score?: number;
    metrics?: Record<string, number>;
    size?: number;
    baseline?: { score?: number };
  } | null;
}

function readBundle(folder: string): BundleManifest | undefined {
  const file = join(folder, 'bundle.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as BundleManifest;
  } catch {
    return undefined;
  }
}

/** The newest bundle folder under `models/` (by its bundle.json's time), for projects without a present run. */
function newestBundle(projectDir: string): string | undefined {
  const models = join(projectDir, 'models');
  if (!existsSync(models)) return undefined;
  let newest: { folder: string; time: number } | undefined;
  for (const entry of readdirSync(models, { withFileTypes: true })) {
    const file = join(models, entry.name, 'bundle.json');
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const time = statSync(file).mtimeMs;
    if (!newest || time > newest.time) newest = { folder: join(models, entry.name), time };
  }
  return newest?.folder;
}

/** A JSON file a present run wrote beside its record, when `valid`; undefined when none or unreadable. */
function readRunOutput<T>(
  store: RunStore,
  present: ReportRunRecord,
  name: string,
  valid: (value: T) => boolean,
): T | undefined {
  const file = join(store.runDir(present.id), name);
  if (!existsSync(file)) return undefined;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as T;
    return valid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The cross-validation estimate of a candidate: its newest completed improve or evaluate run. */
function crossValidationOf(store: RunStore, candidate: string): { mean: number; std: number } | undefined {
  for (const step of ['improve', 'evaluate'] as const) {
    const [entry] = store.list({ step, candidate, status: 'completed' });
    const record = entry ? readRun(store, entry.id) : undefined;
    if (record?.summary) return { mean: record.summary.mean, std: record.summary.std };
  }
  return undefined;
}

/** Step 5: the newest completed present run (or, failing that, the newest bundle); undefined when none. */
export function finalResult(store: RunStore, project: Project): ReportFinal | undefined {
  const present = latestCompleted(store, 'present');
  const folder =
    present?.bundle ?? present?.outputs?.bundle ?? (present ? undefined : newestBundle(project.dir));
  const bundlePath = folder && !isAbsolute(folder) ? join(project.dir, folder) : folder;
  const manifest = bundlePath ? readBundle(bundlePath) : undefined;
  const manifestCandidate =
    typeof manifest?.candidate === 'string' ? manifest.candidate : manifest?.candidate?.name;
  const candidate = present?.candidate ?? manifestCandidate;
  if (!candidate) return undefined;
  const final: ReportFinal = { candidate };
  const members = (manifest?.ensemble?.members ?? [])
    .map((member) => member?.name)
    .filter((name): name is string => typeof name === 'string');
  if (members.length > 0) final.ensemble = { method: manifest?.ensemble?.method ?? 'average', members };
  if (present) final.runId = present.id;
  if (bundlePath) final.bundle = relative(project.dir, bundlePath).split('\\').join('/');
  const cv = manifest?.cv ?? manifest?.crossValidation;
  if (cv && isFiniteNumber(cv.mean))
    final.crossValidation = { mean: cv.mean, std: isFiniteNumber(cv.std) ? cv.std : NaN };
  else {
    const estimate = crossValidationOf(store, candidate);
    if (estimate) final.crossValidation = estimate;
  }
  const holdout = present?.holdout ?? manifest?.holdout ?? undefined;
  if (holdout && isFiniteNumber(holdout.score)) {
    final.holdout = { score: holdout.score, metrics: holdout.metrics ?? {} };
    if (isFiniteNumber(holdout.size)) final.holdout.size = holdout.size;
  }
  const confusedPairs =
    present &&
    readRunOutput<ConfusedPairs>(store, present, CONFUSED_PAIRS_FILE, (pairs) => Array.isArray(pairs.pairs));
  if (confusedPairs) final.confusedPairs = confusedPairs;
  const textResults =
    present &&
    readRunOutput<TextResults>(store, present, TEXT_RESULTS_FILE, (text) => Array.isArray(text.documents));
  if (textResults) final.textResults = textResults;
  return { ...final, ...againstBaseline(store, project, manifest, holdout?.baseline?.score) };
}

/** The baseline beside the final model (its holdout score), and the warning when the model is not reliably better. */
function againstBaseline(
  store: RunStore,
  project: Project,
  manifest: BundleManifest | undefined,
  holdout: number | undefined,
): Pick<ReportFinal, 'baseline' | 'notReliablyBetter'> {
  const task = project.config.problem.task;
  const baseline = { name: baselineName(task), ...(isFiniteNumber(holdout) ? { holdout } : {}) };
  const source = typeof manifest?.cv?.runId === 'string' ? readRun(store, manifest.cv.runId) : undefined;
  if (!source) return { baseline };
  const session = store
    .list({ session: source.session })
    .map((entry) => readRun(store, entry.id))
    .filter((record) => record !== undefined);
  const warning = notReliablyBetter(source, session, task);
  return warning ? { baseline, notReliablyBetter: warning } : { baseline };
}
