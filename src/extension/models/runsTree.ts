/**
 * The Runs view as plain data: runs grouped by step, then by session, newest first. The vscode side
 * (views/runsView.ts) only maps these nodes to TreeItems.
 */
import type { RunIndexEntry, RunRecord, RunStatus, StepName } from '../../protocol/records';
import { describeRun, formatMeanStd, formatDuration, higherIsBetter } from './format';

/** Steps in the order the view shows them. */
export const STEP_ORDER: StepName[] = ['define', 'prepare', 'evaluate', 'improve', 'present'];

/** Display names of the steps. */
export const STEP_TITLES: Record<StepName, string> = {
  define: '1 · Define Problem',
  prepare: '2 · Prepare Data',
  evaluate: '3 · Evaluate Algorithms',
  improve: '4 · Improve Results',
  present: '5 · Present Results',
};

/**
 * One run. `contextValue` drives the context menu: `run.<status>`, and `run.completed.model` for a completed
 * Present Results run, which saved a model bundle (Predict with This Model…).
 */
export interface RunNode {
  kind: 'run';
  entry: RunIndexEntry;
  label: string;
  description: string;
  contextValue: `run.${RunStatus}` | 'run.completed.model';
  icon: string;
  /** The best completed run of its session by the metric (the baseline and single-run sessions have none). */
  best?: boolean;
}

/** The runs one command started. */
export interface SessionNode {
  kind: 'session';
  step: StepName;
  session: string;
  label: string;
  description: string;
  runs: RunNode[];
}

/** All sessions of one step. */
export interface StepGroupNode {
  kind: 'step';
  step: StepName;
  label: string;
  description: string;
  sessions: SessionNode[];
}

/** Any node of the Runs view. */
export type RunsTreeNode = StepGroupNode | SessionNode | RunNode;

/** Codicon per status. */
export const STATUS_ICONS: Record<RunStatus, string> = {
  running: 'sync~spin',
  completed: 'pass',
  failed: 'error',
  cancelled: 'circle-slash',
  interrupted: 'debug-disconnect',
};

function runLabel(entry: RunIndexEntry): string {
  return entry.label ?? entry.candidate ?? entry.step;
}

/** "2025-05-01 14:03" from an ISO time, in local time. */
export function formatSessionTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function toRunNode(entry: RunIndexEntry, best: boolean): RunNode {
  return {
    kind: 'run',
    entry,
    label: runLabel(entry),
    description: best ? `best · ${describeRun(entry)}` : describeRun(entry),
    contextValue:
      entry.step === 'present' && entry.status === 'completed'
        ? 'run.completed.model'
        : `run.${entry.status}`,
    icon: best ? 'star-full' : STATUS_ICONS[entry.status],
    ...(best ? { best } : {}),
  };
}

/** The run of a session with the best mean score, among two or more completed candidates (not the baseline). */
export function bestRunOf(entries: readonly RunIndexEntry[]): RunIndexEntry | undefined {
  const scored = entries.filter(
    (entry) =>
      entry.status === 'completed' &&
      entry.model !== 'baseline' &&
      entry.summary &&
      Number.isFinite(entry.summary.mean),
  );
  if (scored.length < 2) return undefined;
  const sign = higherIsBetter(scored[0].metric) ? 1 : -1;
  return scored.reduce((best, entry) =>
    sign * ((entry.summary?.mean ?? 0) - (best.summary?.mean ?? 0)) > 0 ? entry : best,
  );
}

/** The session that started last, across every step: the one the view opens expanded. */
export function newestSession(roots: readonly StepGroupNode[]): SessionNode | undefined {
  const started = (node: SessionNode) => node.runs.map((run) => run.entry.createdAt).sort()[0] ?? '';
  return roots
    .flatMap((group) => group.sessions)
    .reduce<SessionNode | undefined>(
      (newest, node) => (!newest || started(node) > started(newest) ? node : newest),
      undefined,
    );
}

/** What the Runs view shows: runs of these steps, statuses and candidates (an empty list allows all). */
export interface RunsFilter {
  steps: StepName[];
  statuses: RunStatus[];
  candidates: string[];
}

/** No filter: every run. */
export const NO_FILTER: RunsFilter = { steps: [], statuses: [], candidates: [] };

/** The entries the filter lets through. */
export function filterRuns(entries: readonly RunIndexEntry[], filter: RunsFilter): RunIndexEntry[] {
  const allows = <T>(list: readonly T[], value: T) => list.length === 0 || list.includes(value);
  return entries.filter(
    (entry) =>
      allows(filter.steps, entry.step) &&
      allows(filter.statuses, entry.status) &&
      allows(filter.candidates, runLabel(entry)),
  );
}

/** The choices a filter offers for these runs: the steps, statuses and run names present, in view order. */
export function filterChoices(entries: readonly RunIndexEntry[]): RunsFilter {
  const present = <T>(values: T[]) => [...new Set(values)];
  return {
    steps: STEP_ORDER.filter((step) => entries.some((entry) => entry.step === step)),
    statuses: present(entries.map((entry) => entry.status)).sort(),
    candidates: present(entries.filter((entry) => !entry.deleted).map(runLabel)).sort(),
  };
}

/** The filter in words for the view's description ("evaluate · failed"); empty when nothing is filtered. */
export function describeFilter(filter: RunsFilter): string {
  return [...filter.steps, ...filter.statuses, ...filter.candidates].join(' · ');
}

/** Groups index entries (deleted ones dropped) into step → session → run, each level newest first. */
export function buildRunsTree(entries: RunIndexEntry[]): StepGroupNode[] {
  const live = entries.filter((entry) => !entry.deleted);
  const newestFirst = (left: { createdAt: string }, right: { createdAt: string }) =>
    right.createdAt.localeCompare(left.createdAt);
  const groups: StepGroupNode[] = [];
  for (const step of STEP_ORDER) {
    const ofStep = live.filter((entry) => entry.step === step).sort(newestFirst);
    if (ofStep.length === 0) continue;
    const sessions = new Map<string, RunIndexEntry[]>();
    for (const entry of ofStep) sessions.set(entry.session, [...(sessions.get(entry.session) ?? []), entry]);
    const sessionNodes: SessionNode[] = [...sessions.entries()].map(([session, runs]) => {
      const running = runs.filter((run) => run.status === 'running').length;
      const best = bestRunOf(runs);
      return {
        kind: 'session',
        step,
        session,
        label: formatSessionTime(runs[runs.length - 1].createdAt),
        description: `${runs.length} run${runs.length === 1 ? '' : 's'}${running ? ` · ${running} running` : ''}`,
        runs: runs.map((entry) => toRunNode(entry, entry === best)),
      };
    });
    groups.push({
      kind: 'step',
      step,
      label: STEP_TITLES[step],
      description: `${ofStep.length} run${ofStep.length === 1 ? '' : 's'}`,
      sessions: sessionNodes,
    });
  }
  return groups;
}

/** The children of a node (the roots when none). */
export function childrenOf(roots: StepGroupNode[], node?: RunsTreeNode): RunsTreeNode[] {
  if (!node) return roots;
  if (node.kind === 'step') return node.sessions;
  if (node.kind === 'session') return node.runs;
  return [];
}

/** Markdown tooltip for a run: status, score, backend, seed, note, then the resolved config. */
export function runTooltip(record: RunRecord): string {
  const lines = [
    `**${record.label ?? record.candidate ?? record.step}** · ${record.step} · ${record.status}`,
  ];
  if (record.summary) {
    lines.push(
      `${record.metric}: ${formatMeanStd(record.summary.mean, record.summary.std)} over ${record.folds.length} folds`,
    );
  }
  if (record.baseline) lines.push(`baseline: ${formatMeanStd(record.baseline.mean, record.baseline.std)}`);
  if (record.durationMs !== undefined) lines.push(`duration: ${formatDuration(record.durationMs)}`);
  lines.push(`backend: ${record.backend.name}`, `seed: ${record.seed}`, `run: ${record.id}`);
  if (record.advice) {
    const { diagnosis, message, nextStep } = record.advice;
    lines.push('', `Learning curves (${diagnosis.replace(/-/g, ' ')}): ${message}`, `Next: ${nextStep}`);
  }
  if (record.note) lines.push('', `*${record.note}*`);
  if (record.error) lines.push('', `${record.error.code}: ${record.error.message}`);
  // Two trailing spaces make a Markdown line break; the config goes in a fenced block of its own.
  return `${lines.join('  \n')}\n\n\`\`\`json\n${JSON.stringify(record.config, null, 2)}\n\`\`\``;
}
