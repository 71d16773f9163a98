/**
 * The Project view as plain data: the five steps with their status (not started, running, done, stale,
 * failed), the number to beat and the best score so far. A step is stale when topdown.json or the data
 * file changed since its latest completed run (their SHA-256 hashes differ from the ones the run recorded;
 * the data's hash comes from `DataHashCache`, never computed on the host's thread).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import type { RunIndexEntry, RunRecord, StepName } from '../../protocol/records';
import type { RunStore } from '../runStore';
import { formatScore, higherIsBetter } from './format';
import { STEP_ORDER, STEP_TITLES } from './runsTree';

/** Status of a step. */
export type StepStatus = 'not-started' | 'running' | 'done' | 'stale' | 'failed';

/** One row of the Project view. */
export interface StepNode {
  step: StepName;
  /** The project the step belongs to (set by readProjectSteps), so a click runs it there. */
  projectDir?: string;
  label: string;
  status: StepStatus;
  /** Why the step is stale, e.g. "topdown.json changed since the last run". */
  staleReason?: string;
  /** The baseline's mean score (evaluate, improve). */
  numberToBeat?: number;
  /**
   * The best completed non-baseline run of the step's latest session with scores (never the best of older
   * sessions, which may have used other rows or folds).
   */
  best?: StepBest;
  /** The newest run of the step (any status). */
  latestRunId?: string;
  description: string;
  /** `step.<status>.<step>` (`step.done.present`), for menus. */
  contextValue: string;
  icon: string;
}

/** The best run of a step, and whether its numbers are current. */
export interface StepBest {
  runId: string;
  name: string;
  mean: number;
  std: number;
  /** The session it comes from. */
  session: string;
  /**
   * Why these numbers are not the project's as it is now ("the data changed since", "the folds changed since"),
   * absent when its data and folds match the project's now (as far as the records tell).
   */
  outdated?: string;
}

/** What the step statuses are computed from. */
export interface ProjectSnapshot {
  entries: RunIndexEntry[];
  /** Reads a run record (only the newest completed run of each step is read). */
  getRecord: (runId: string) => RunRecord | undefined;
  /** SHA-256 (hex) of topdown.json as it is now. */
  projectHash?: string;
  /** SHA-256 (hex) of the data source as it is now (a file, or an image folder's files); undefined when unreadable. */
  dataHash?: string;
}

/** The hashes a step's freshness is judged by. */
export interface ProjectHashes {
  projectHash?: string;
  dataHash?: string;
}

/**
 * Hashes topdown.json (small, read here) and gives the data source it names (`problem.data`, relative to the
 * project; a CSV, an image folder or IDX files) to `dataHash`, which answers from a cache or undefined: the data
 * is never read on this path (DataHashCache hashes it on a worker thread, as a run records it).
 */
export function readProjectHashes(
  projectDir: string,
  dataHash: (path: string) => string | undefined,
): ProjectHashes {
  const projectFile = join(projectDir, 'topdown.json');
  if (!existsSync(projectFile)) return {};
  const text = readFileSync(projectFile, 'utf8');
  const parsed = parseJsonc(text) as { problem?: { data?: unknown } } | undefined;
  const data = parsed?.problem?.data;
  const dataPath = typeof data === 'string' ? (isAbsolute(data) ? data : join(projectDir, data)) : undefined;
  return {
    projectHash: createHash('sha256').update(text).digest('hex'),
    dataHash: dataPath ? dataHash(dataPath) : undefined,
  };
}

const ICONS: Record<StepStatus, string> = {
  'not-started': 'circle-large-outline',
  running: 'sync~spin',
  done: 'pass-filled',
  stale: 'warning',
  failed: 'error',
};

function newest(entries: RunIndexEntry[]): RunIndexEntry | undefined {
  return entries.reduce<RunIndexEntry | undefined>(
    (found, entry) => (!found || entry.createdAt > found.createdAt ? entry : found),
    undefined,
  );
}

function staleReason(record: RunRecord | undefined, hashes: ProjectHashes): string | undefined {
  if (!record) return undefined;
  if (hashes.dataHash && record.dataHash && record.dataHash !== hashes.dataHash) {
    return 'the data file changed since the last run';
  }
  if (hashes.projectHash && record.projectHash && record.projectHash !== hashes.projectHash) {
    return 'topdown.json changed since the last run';
  }
  return undefined;
}

function isScored(entry: RunIndexEntry): boolean {
  return entry.status === 'completed' && entry.summary !== undefined && entry.model !== 'baseline';
}

/** The session of the step's newest completed run with a score: the one whose numbers count as current. */
function currentSession(ofStep: RunIndexEntry[]): string | undefined {
  return newest(ofStep.filter(isScored))?.session;
}

/**
 * Why a run's numbers do not describe the project now: its data hash differs from the data's now, or a newer
 * run (of any step) was made on other folds. Undefined when they match, or when the records cannot tell.
 */
function outdatedReason(
  run: RunIndexEntry,
  record: RunRecord | undefined,
  live: RunIndexEntry[],
  snapshot: ProjectSnapshot,
): string | undefined {
  if (!record) return undefined;
  if (snapshot.dataHash && record.dataHash && record.dataHash !== snapshot.dataHash) {
    return 'the data changed since';
  }
  const newer = newest(
    live.filter((entry) => entry.status === 'completed' && entry.createdAt > run.createdAt),
  );
  const newerFolds = newer && snapshot.getRecord(newer.id)?.foldHash;
  if (newerFolds && record.foldHash && newerFolds !== record.foldHash) return 'the folds changed since';
  return undefined;
}

function bestOf(entries: RunIndexEntry[]): Omit<StepBest, 'session'> | undefined {
  const scored = entries.filter(isScored);
  let best: RunIndexEntry | undefined;
  for (const entry of scored) {
    if (!best) best = entry;
    else {
      const better = higherIsBetter(entry.metric)
        ? entry.summary!.mean > best.summary!.mean
        : entry.summary!.mean < best.summary!.mean;
      if (better) best = entry;
    }
  }
  if (!best?.summary) return undefined;
  return {
    runId: best.id,
    name: best.label ?? best.candidate ?? best.id,
    mean: best.summary.mean,
    std: best.summary.std,
  };
}

/**
 * The number to beat: the newest completed evaluate baseline's mean (of the current evaluate session when it
 * has one), else the baseline a record carries.
 */
function numberToBeat(entries: RunIndexEntry[], snapshot: ProjectSnapshot): number | undefined {
  const evaluated = entries.filter((entry) => entry.status === 'completed' && entry.step === 'evaluate');
  const session = currentSession(evaluated);
  const ofSession = evaluated.filter((entry) => entry.session === session);
  const completed = ofSession.some((entry) => entry.model === 'baseline') ? ofSession : evaluated;
  const baseline = newest(completed.filter((entry) => entry.model === 'baseline' && entry.summary));
  if (baseline?.summary) return baseline.summary.mean;
  const latest = newest(completed);
  return latest ? snapshot.getRecord(latest.id)?.baseline?.mean : undefined;
}

/** The best run of the step's current session, labelled when its data or folds are not the project's now. */
function stepBest(
  ofStep: RunIndexEntry[],
  live: RunIndexEntry[],
  snapshot: ProjectSnapshot,
): StepBest | undefined {
  const session = currentSession(ofStep);
  if (session === undefined) return undefined;
  const best = bestOf(ofStep.filter((entry) => entry.session === session));
  if (!best) return undefined;
  const entry = ofStep.find((item) => item.id === best.runId)!;
  const outdated = outdatedReason(entry, snapshot.getRecord(best.runId), live, snapshot);
  return outdated ? { ...best, session, outdated } : { ...best, session };
}

/**
 * The most a step's description may hold so that it shows whole beside its label in a sidebar of the default
 * width (300 px, the longest label "3 · Evaluate Algorithms"); the tooltip says everything.
 */
export const STEP_DESCRIPTION_CHARS = 26;

/**
 * A step's description, most important first, within STEP_DESCRIPTION_CHARS: the status unless done (the icon
 * says done), the best score ("(old)" when outdated), the number to beat, then the best run's name when room
 * is left ("done" when there is nothing else): "best 0.846 · to beat 0.534", "stale · best 0.880 (old)".
 */
export function stepDescription(status: StepStatus, toBeat?: number, best?: StepBest): string {
  const score = best && `best ${formatScore(best.mean)}`;
  const old = best?.outdated ? ' (old)' : '';
  const parts = [
    ...(status === 'done' ? [] : [status === 'not-started' ? 'not started' : status]),
    ...(score ? [`${score}${old}`] : []),
  ];
  const fits = (candidate: string[]) => candidate.join(' · ').length <= STEP_DESCRIPTION_CHARS;
  const beat = toBeat === undefined ? undefined : `to beat ${formatScore(toBeat)}`;
  if (beat && fits([...parts, beat])) parts.push(beat);
  const named =
    score && parts.map((part) => (part === `${score}${old}` ? `${score} (${best.name})${old}` : part));
  const result = named && fits(named) ? named : parts;
  return result.length > 0 ? result.join(' · ') : status;
}

/** The five steps, in order, with status and scores. */
export function buildProjectSteps(snapshot: ProjectSnapshot): StepNode[] {
  const live = snapshot.entries.filter((entry) => !entry.deleted);
  const toBeat = numberToBeat(live, snapshot);
  return STEP_ORDER.map((step) => {
    const ofStep = live.filter((entry) => entry.step === step);
    const latest = newest(ofStep);
    const latestCompleted = newest(ofStep.filter((entry) => entry.status === 'completed'));
    let status: StepStatus = 'not-started';
    let reason: string | undefined;
    if (ofStep.some((entry) => entry.status === 'running')) status = 'running';
    else if (latestCompleted) {
      reason = staleReason(snapshot.getRecord(latestCompleted.id), snapshot);
      status = reason ? 'stale' : 'done';
    } else if (latest) status = 'failed';
    const scoring = step === 'evaluate' || step === 'improve';
    const best = scoring ? stepBest(ofStep, live, snapshot) : undefined;
    return {
      step,
      label: STEP_TITLES[step],
      status,
      staleReason: reason,
      numberToBeat: scoring ? toBeat : undefined,
      best,
      latestRunId: latest?.id,
      description: stepDescription(status, scoring ? toBeat : undefined, best),
      contextValue: `step.${status}.${step}`,
      icon: ICONS[status],
    };
  });
}

/**
 * The five steps of a project folder read from its run store, as the Project and Portfolio views show them;
 * `onError` hears why the runs could not be read (the steps then show as not started).
 */
export function readProjectSteps(
  store: RunStore,
  projectDir: string,
  dataHash: (path: string) => string | undefined,
  onError: (message: string) => void,
): StepNode[] {
  try {
    const steps = buildProjectSteps({
      entries: store.list(),
      getRecord: (runId) => {
        try {
          return store.get(runId);
        } catch {
          return undefined;
        }
      },
      ...readProjectHashes(projectDir, dataHash),
    });
    return steps.map((step) => ({ ...step, projectDir }));
  } catch (error) {
    onError(
      `Could not read the runs of ${projectDir}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return buildProjectSteps({ entries: [], getRecord: () => undefined });
  }
}
