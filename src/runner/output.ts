/** Human output of the CLI on stdout: short summaries and the comparison table. */
import type { DefineResult } from './jobs/define';
import type { EvaluateResult } from './jobs/evaluate';
import type { PrepareResult } from './jobs/prepare';
import type { ImproveResult } from './jobs/improve';
import type { PresentResult } from './jobs/present';
import type { RunsResult } from './commands/runs';
import type { ColumnsResult } from './commands/columns';
import { relative } from 'node:path';
import { nextCommand } from './next-step';
import { rankWords } from '../core/improve/verdicts';
import { baselineWords } from '../shared/verdicts';
import { metricLabel } from '../shared/format';

/** What a step's summary says about the next step: the project folder as typed, or nothing (inside `all`). */
export interface NextHint {
  /** The project folder as the person typed it. */
  dir: string;
}

function writeNext(hint: NextHint | undefined, args: string[], why: string): void {
  if (hint) write(`Next: ${nextCommand(args)}   (${why})`);
}

function write(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Formats a score; rmse/mae of large targets get fewer decimals. */
export function formatScore(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toFixed(3);
}

function table(headers: string[], rows: string[][], alignRight: boolean[]): string[] {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) =>
        alignRight[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)];
}

/** Step 1 summary. */
export function printDefine(result: DefineResult, next?: NextHint): void {
  write(`Data: ${result.rows} rows × ${result.columns} columns; target "${result.target}" (${result.task}).`);
  if (result.holdoutRows > 0) write(`Holdout: ${result.holdoutRows} samples reserved for step 5.`);
  write(
    `Baseline ${metricLabel(result.metric)}: ${formatScore(result.baseline.mean)} ± ${formatScore(result.baseline.std)}  (the number to beat)`,
  );
  for (const warning of result.warnings) write(`  ! ${warning.message}`);
  write(`Profile: ${result.profile}`);
  writeNext(next, ['prepare', next?.dir ?? '.'], 'preview the preparation on one fold');
}

/** Step 2 summary. */
export function printPrepare(result: PrepareResult, next?: NextHint): void {
  const { preview } = result;
  const whose = preview.candidatePipelines ? "The project's preparation" : 'Preparation';
  write(`${whose} fitted on fold ${result.fold + 1}'s training part:`);
  for (const line of preview.describe) write(`  ${line}`);
  write(`Train x: [${preview.shapes.train.x.join(', ')}]`);
  write(`Validation x: [${preview.shapes.validation.x.join(', ')}]`);
  for (const own of preview.candidatePipelines ?? []) {
    const names = own.candidates.map((name) => `"${name}"`).join(', ');
    write(`Own pipeline of ${names} (their "prepare", in place of the project's):`);
    for (const line of own.describe) write(`  ${line}`);
    write(`Train x: [${own.shapes.train.x.join(', ')}]`);
  }
  write(`Preview: ${result.file}`);
  writeNext(next, ['evaluate', next?.dir ?? '.'], 'spot-check every candidate on the same folds');
}

/** Step 3 comparison table, best first, with the baseline to beat. */
export function printEvaluate(result: EvaluateResult, next?: NextHint): void {
  const rank = (mean: number | null): number =>
    mean === null ? -Infinity : result.higherIsBetter ? mean : -mean;
  const sorted = [...result.candidates].sort((a, b) => rank(b.mean) - rank(a.mean));
  const rows = sorted.map((candidate) => {
    const diff = candidate.mean === null ? null : candidate.mean - result.baseline.mean;
    const versus = diff === null ? '–' : `${diff >= 0 ? '+' : ''}${formatScore(diff)}`;
    const status = candidate.status === 'completed' ? '' : ` (${candidate.status})`;
    return [
      `${candidate.name}${status}`,
      candidate.model,
      candidate.mean === null ? '–' : `${formatScore(candidate.mean)} ± ${formatScore(candidate.std)}`,
      String(candidate.folds.length),
      versus,
      candidate.durationMs === null ? '–' : `${(candidate.durationMs / 1000).toFixed(1)} s`,
      candidate.advice ? candidate.advice.diagnosis.replace(/-/g, ' ') : '–',
    ];
  });
  write();
  const header = [
    'candidate',
    'model',
    `${metricLabel(result.metric)} (mean ± std)`,
    'folds',
    'vs baseline',
    'time',
    'curves',
  ];
  for (const line of table(header, rows, [false, false, true, true, true, true, false])) write(line);
  write();
  write(
    `Baseline ${metricLabel(result.metric)}: ${formatScore(result.baseline.mean)} ± ${formatScore(result.baseline.std)} · ${result.folds} folds · backend ${result.backend}${result.quick ? ' · quick mode' : ''}`,
  );
  for (const candidate of result.candidates) {
    if (candidate.error)
      write(
        `  ${candidate.name} failed: ${candidate.error.message}${candidate.error.hint ? ` ${candidate.error.hint}` : ''}`,
      );
  }
  printAdvice(sorted);
  const best = sorted.find((candidate) => candidate.mean !== null && candidate.model !== 'baseline');
  if (!best || best.mean === null) return;
  const margin = (best.mean - result.baseline.mean) * (result.higherIsBetter ? 1 : -1);
  const score = `${metricLabel(result.metric)} ${formatScore(best.mean)} ± ${formatScore(best.std)}`;
  write(
    margin > 0
      ? `Best: ${best.name}, ${score}, ${formatScore(margin)} better than the baseline (${formatScore(result.baseline.mean)}).`
      : `Best: ${best.name}, ${score}: no candidate beats the baseline (${formatScore(result.baseline.mean)}) yet.`,
  );
  writeNext(
    next,
    ['improve', next?.dir ?? '.'],
    margin > 0 ? `tune ${best.name} and test whether each gain is real` : 'tune the candidates',
  );
}

/** The learning-curve advisor's diagnosis and next experiment, one line per network that has it. */
function printAdvice(candidates: EvaluateResult['candidates']): void {
  const advised = candidates.filter((candidate) => candidate.advice);
  if (advised.length === 0) return;
  write('Learning curves:');
  for (const candidate of advised) {
    const advice = candidate.advice!;
    write(`  ${candidate.name}: ${advice.message} Next: ${advice.nextStep}`);
  }
}

/** The run history. */
export function printRuns(result: RunsResult): void {
  if (result.runs.length === 0) {
    write(`No runs yet in ${result.projectDir}. Start with: topdown define`);
    return;
  }
  const rows = result.runs.map((run) => [
    run.id,
    run.step,
    run.candidate ?? '',
    run.status,
    run.summary ? `${formatScore(run.summary.mean)} ± ${formatScore(run.summary.std)}` : '–',
    run.backend,
  ]);
  for (const line of table(['run', 'step', 'candidate', 'status', 'score', 'backend'], rows, [
    false,
    false,
    false,
    false,
    true,
    false,
  ]))
    write(line);
}

/** Columns of a CSV. */
export function printColumns(result: ColumnsResult): void {
  const rows = result.columns.map((column) => [
    column.name,
    column.type,
    String(column.distinct),
    column.samples.join(', '),
  ]);
  for (const line of table(['column', 'type', 'distinct', 'samples'], rows, [false, false, true, false]))
    write(line);
}

/** Step 4 summary: the tuning decisions, ensembles and the verdict on every candidate. */
export function printImprove(result: ImproveResult, next?: NextHint): void {
  write();
  for (const tuning of result.tuning) {
    write(`Tuning ${tuning.candidate} (${tuning.method}, ${tuning.trials} configurations):`);
    write(`  ${tuning.message}`);
  }
  for (const ensemble of result.ensembles) {
    write(
      `Ensemble ${ensemble.name} (${ensemble.method} of ${ensemble.members.join(', ')}): ${ensemble.mean === null ? ensemble.status : `${formatScore(ensemble.mean)} ± ${formatScore(ensemble.std)}`}`,
    );
    if (ensemble.versusBestSingle) write(`  ${ensemble.versusBestSingle.explanation}`);
  }
  for (const repeat of result.repeats) write(`Noise of ${repeat.candidate}: ${repeat.message}`);
  const rank = (mean: number | null): number =>
    mean === null ? -Infinity : result.higherIsBetter ? mean : -mean;
  const compared = result.candidates
    .filter((candidate) => candidate.verdict)
    .sort((a, b) => rank(b.mean) - rank(a.mean));
  if (compared.length > 0) {
    write();
    const rows = compared.map((candidate) => [
      candidate.name,
      `${formatScore(candidate.mean)} ± ${formatScore(candidate.std)}`,
      candidate.verdict ? rankWords({ verdict: candidate.verdict, folds: candidate.folds.length }) : '',
      candidate.baselineVerdict ? baselineWords(candidate.folds.length, candidate.baselineVerdict) : '',
      candidate.pBaseline === null || candidate.pBaseline === undefined
        ? '–'
        : candidate.pBaseline < 0.001
          ? '<0.001'
          : candidate.pBaseline.toFixed(3),
    ]);
    const header = [
      'candidate',
      `${metricLabel(result.metric)} (mean ± std)`,
      'vs best',
      'vs baseline',
      'p (baseline)',
    ];
    for (const line of table(header, rows, [false, true, false, false, true])) write(line);
  }
  write();
  write(
    `Baseline ${metricLabel(result.metric)}: ${formatScore(result.baseline.mean)} ± ${formatScore(result.baseline.std)} · corrected resampled t-test over ${result.folds} folds${result.quick ? ' · quick mode' : ''}`,
  );
  if (result.best) write(`Best: ${result.best}.`);
  writeNext(
    next,
    ['present', next?.dir ?? '.'],
    'the final model, its holdout score, the bundle and the report',
  );
}

/** Step 5 summary: the final model, its holdout score beside the CV estimate, and where things were written. */
export function printPresent(result: PresentResult, next?: NextHint): void {
  if (result.members) {
    const members = result.members.map((member) => `${member.name} (${member.model})`).join(', ');
    write(
      `Final model: ${result.candidate}, an ensemble (${result.method}) of ${members}, each refitted on all data outside the holdout.`,
    );
  } else {
    write(`Final model: ${result.candidate} (${result.model}), refitted on all data outside the holdout.`);
  }
  write(
    `CV estimate ${metricLabel(result.metric)}: ${formatScore(result.cv.mean)} ± ${formatScore(result.cv.std)}`,
  );
  if (result.holdout)
    write(
      `Holdout ${metricLabel(result.metric)}: ${formatScore(result.holdout.score)} on ${result.holdout.size} samples`,
    );
  write(result.message);
  write(`Model bundle: ${result.bundle}`);
  if (result.predictions) write(`Holdout predictions: ${result.predictions}`);
  if (result.report) write(`Report: ${result.report.markdown}`);
  writeNext(
    next,
    ['predict', relative(process.cwd(), result.bundle) || '.', 'new-rows.csv'],
    'predictions for new rows with the saved bundle',
  );
}
