/**
 * The Portfolio view as plain data: one row per project of the workspace with its task, its best model against
 * its baseline (named: majority class, mean, persistence), the final model's holdout score, the published
 * reference its README quotes, and whether it has a report to open.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { baselineName } from '../../shared/baseline';
import type { RunIndexEntry } from '../../protocol/records';
import type { RunStore } from '../runStore';
import { formatMeanStd, formatScore, higherIsBetter } from './format';
import { readProjectHead, type ProjectHead } from './projectHead';
import type { StepNode } from './projectSteps';

/** The final model of a project: its latest completed present run. */
export interface PortfolioFinal {
  runId: string;
  candidate: string;
  /** The project metric on the holdout (absent when the project keeps no holdout). */
  holdout?: number;
}

/** One project in the Portfolio view. */
export interface PortfolioRow {
  projectDir: string;
  /** Short name (projectLabel). */
  name: string;
  /** The first line of topdown.json's `description`. */
  description?: string;
  task?: string;
  metric?: string;
  /** "majority class", "mean" or "persistence". */
  baselineName: string;
  /** The baseline's cross-validated score. */
  baseline?: number;
  /** The best candidate of steps 3–4. */
  best?: { name: string; mean: number; std: number; runId: string };
  final?: PortfolioFinal;
  /** Lines of the README's "Published reference results" (empty when it has none). */
  reference: string[];
  /** Project-relative path of the report, when one was written. */
  report?: string;
  /** Why the project could not be read, when it could not. */
  problem?: string;
}

/** The heading the templates' READMEs (and the wizard's) put the published results under. */
const REFERENCE_HEADING = /^#{2,3}\s+Published reference results?\s*$/i;

/**
 * The README's "Published reference results" section as short lines: each paragraph's sentences that hold a
 * bold figure, and each row of a results table ("MLP 60 → 30 → 1, standardized: 86.0% (4.0)"). Markdown
 * emphasis is removed; a section that quotes no figure gives its first sentence.
 */
export function publishedReference(readme: string): string[] {
  const lines = readme.split(/\r?\n/);
  const start = lines.findIndex((line) => REFERENCE_HEADING.test(line));
  if (start < 0) return [];
  const end = lines.findIndex((line, index) => index > start && /^#{1,3}\s/.test(line));
  const section = lines.slice(start + 1, end < 0 ? undefined : end);
  const rows = section
    .filter((line) => /^\|/.test(line) && !/^\|\s*-/.test(line))
    .slice(1)
    .map((line) =>
      line
        .split('|')
        .map((cell) => cell.trim())
        .filter(Boolean)
        .join(': '),
    );
  const prose = section
    .filter((line) => !/^\|/.test(line))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  // A sentence ends at a full stop before a space: "97.3% (4.4). Source" splits once, after "(4.4).".
  const sentences = prose ? prose.split(/(?<=[.!?])\s+/) : [];
  const withFigures = sentences.filter((sentence) => /\*\*[^*]+\*\*/.test(sentence));
  const plain = (line: string) => line.replace(/\*\*|`/g, '');
  const chosen = withFigures.length > 0 || rows.length > 0 ? withFigures : sentences.slice(0, 1);
  return [...chosen, ...rows].map(plain).filter(Boolean);
}

function bestOfSteps(steps: readonly StepNode[], metric: string): PortfolioRow['best'] {
  const better = (left: number, right: number) => (higherIsBetter(metric) ? left > right : left < right);
  return steps
    .map((step) => step.best)
    .reduce<PortfolioRow['best']>(
      (found, best) => (best && (!found || better(best.mean, found.mean)) ? best : found),
      undefined,
    );
}

function finalOf(store: RunStore, entries: readonly RunIndexEntry[]): PortfolioFinal | undefined {
  const present = entries
    .filter((entry) => entry.step === 'present' && entry.status === 'completed' && !entry.deleted)
    .sort((left, right) => right.createdAt.localeCompare(left.createdAt))[0];
  if (!present) return undefined;
  const record = store.get(present.id);
  return {
    runId: present.id,
    candidate: present.candidate ?? record.candidate ?? present.id,
    ...(record.holdout ? { holdout: record.holdout.score } : {}),
  };
}

function reportOf(projectDir: string): string | undefined {
  return ['report/REPORT.md', 'REPORT.md', 'report/report.html'].find((path) =>
    existsSync(join(projectDir, path)),
  );
}

/** Reads one project's row. `steps` is the Project view's data for it (best and number to beat). */
export function portfolioRow(
  projectDir: string,
  name: string,
  store: RunStore,
  steps: readonly StepNode[],
): PortfolioRow {
  const readmeFile = join(projectDir, 'README.md');
  const reference = existsSync(readmeFile) ? publishedReference(readFileSync(readmeFile, 'utf8')) : [];
  let head: ProjectHead;
  try {
    head = readProjectHead(projectDir);
  } catch (error) {
    const problem = `topdown.json cannot be read: ${error instanceof Error ? error.message : String(error)}`;
    return { projectDir, name, baselineName: baselineName(undefined), reference, problem };
  }
  const task = head.task;
  const metric = head.metric ?? store.list()[0]?.metric ?? 'score';
  const toBeat = steps.find((step) => step.numberToBeat !== undefined)?.numberToBeat;
  return {
    projectDir,
    name,
    description: head.description?.split('\n')[0],
    task,
    metric,
    baselineName: baselineName(task),
    ...(toBeat !== undefined ? { baseline: toBeat } : {}),
    best: bestOfSteps(steps, metric),
    final: finalOf(store, store.list()),
    reference,
    report: reportOf(projectDir),
  };
}

/** The row's one-line summary: "regression · best mlp-small 2.91 ± 0.30 rmse vs mean 7.80". */
export function describePortfolioRow(row: PortfolioRow): string {
  if (row.problem) return row.problem;
  const parts: string[] = [row.task ?? 'task not set'];
  const versus = row.baseline !== undefined ? ` vs ${row.baselineName} ${formatScore(row.baseline)}` : '';
  if (row.best)
    parts.push(`best ${row.best.name} ${formatMeanStd(row.best.mean, row.best.std)} ${row.metric}${versus}`);
  else if (row.baseline !== undefined)
    parts.push(`${row.baselineName} baseline ${formatScore(row.baseline)} ${row.metric}`);
  else parts.push('not evaluated yet');
  if (row.final?.holdout !== undefined) parts.push(`holdout ${formatScore(row.final.holdout)}`);
  return parts.join(' · ');
}

/** Whether the best model beats the baseline's mean (no verdict on noise: the Improve step tests that). */
export function beatsBaseline(row: PortfolioRow): boolean | undefined {
  if (!row.best || row.baseline === undefined || !row.metric) return undefined;
  return higherIsBetter(row.metric) ? row.best.mean > row.baseline : row.best.mean < row.baseline;
}

/** One line under a project in the Portfolio view. */
export interface PortfolioDetail {
  label: string;
  description?: string;
  icon: string;
  /** What a click opens. */
  opens?: 'report' | 'readme';
}

/** The lines under a project: task, best against the baseline, final model, published reference, report. */
export function portfolioDetails(row: PortfolioRow): PortfolioDetail[] {
  if (row.problem) return [{ label: row.problem, icon: 'error' }];
  const metric = row.metric ?? 'score';
  const details: PortfolioDetail[] = [
    { label: 'Task', description: `${row.task ?? 'not set'} · ${metric}`, icon: 'symbol-enum' },
    {
      label: `Baseline (${row.baselineName})`,
      description: row.baseline !== undefined ? `${formatScore(row.baseline)} ${metric}` : 'not scored yet',
      icon: 'dash',
    },
  ];
  if (row.best) {
    const verdict = beatsBaseline(row);
    details.push({
      label: `Best: ${row.best.name}`,
      description: `${formatMeanStd(row.best.mean, row.best.std)} ${metric}${verdict === false ? ', not better than the baseline' : ''}`,
      icon: verdict === false ? 'warning' : 'star-full',
    });
  }
  if (row.final) {
    const holdout =
      row.final.holdout !== undefined ? `holdout ${formatScore(row.final.holdout)} ${metric}` : 'no holdout';
    details.push({ label: `Final: ${row.final.candidate}`, description: holdout, icon: 'package' });
  }
  for (const line of row.reference)
    details.push({ label: 'Published', description: line, icon: 'book', opens: 'readme' });
  if (row.reference.length === 0) {
    details.push({ label: 'Published', description: 'no published reference in README.md', icon: 'book' });
  }
  details.push(
    row.report
      ? { label: 'Report', description: row.report, icon: 'file-text', opens: 'report' }
      : { label: 'Report', description: 'not written yet: Present Results writes it', icon: 'file' },
  );
  return details;
}
