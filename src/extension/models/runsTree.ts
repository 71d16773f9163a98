/**
 * The Runs view as plain data: runs grouped by step, then by session, newest first. The vscode side
 * (views/runsView.ts) only maps these nodes to TreeItems.
 */
import type { RunIndexEntry, RunRecord, RunStatus, StepName } from '../../protocol/records';
import { describeRun, formatMeanStd, formatDuration } from './format';

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

/** One run. `contextValue` drives the context menu (`run.<status>`). */
export interface RunNode {
  kind: 'run';
  entry: RunIndexEntry;
  label: string;
  description: string;
  contextValue: `run.${RunStatus}`;
  icon: string;
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

function toRunNode(entry: RunIndexEntry): RunNode {
  return {
    kind: 'run',
    entry,
    label: runLabel(entry),
    description: describeRun(entry),
    contextValue: `run.${entry.status}`,
    icon: STATUS_ICONS[entry.status],
  };
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
      return {
        kind: 'session',
        step,
        session,
        label: formatSessionTime(runs[runs.length - 1].createdAt),
        description: `${runs.length} run${runs.length === 1 ? '' : 's'}${running ? ` · ${running} running` : ''}`,
        runs: runs.map(toRunNode),
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
