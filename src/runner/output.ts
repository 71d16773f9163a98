/** Human output of the CLI on stdout: short summaries and the comparison table. */
import type { DefineResult } from './jobs/define';
import type { EvaluateResult } from './jobs/evaluate';
import type { PrepareResult } from './jobs/prepare';
import type { ImproveResult } from './jobs/improve';
import type { PresentResult } from './jobs/present';
import type { RunsResult } from './commands/runs';
import type { ColumnsResult } from './commands/columns';

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
export function printDefine(result: DefineResult): void {
  write(`Data: ${result.rows} rows × ${result.columns} columns; target "${result.target}" (${result.task}).`);
  if (result.holdoutRows > 0) write(`Holdout: ${result.holdoutRows} samples reserved for step 5.`);
  write(
    `Baseline ${result.metric}: ${formatScore(result.baseline.mean)} ± ${formatScore(result.baseline.std)}  (the number to beat)`,
  );
  for (const warning of result.warnings) write(`  ! ${warning.message}`);
  write(`Profile: ${result.profile}`);
}

/** Step 2 summary. */
export function printPrepare(result: PrepareResult): void {
  const { preview } = result;
  write(`Preparation fitted on fold ${result.fold + 1}'s training part:`);
  for (const line of preview.describe) write(`  ${line}`);
  write(`Train x: [${preview.shapes.train.x.join(', ')}]`);
  write(`Validation x: [${preview.shapes.validation.x.join(', ')}]`);
  write(`Preview: ${result.file}`);
}

/** Step 3 comparison table, best first, with the baseline to beat. */
export function printEvaluate(result: EvaluateResult): void {
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
    ];
  });
  write();
  const header = ['candidate', 'model', `${result.metric} (mean ± std)`, 'folds', 'vs baseline', 'time'];
  for (const line of table(header, rows, [false, false, true, true, true, true])) write(line);
  write();
  write(
    `Baseline ${result.metric}: ${formatScore(result.baseline.mean)} ± ${formatScore(result.baseline.std)} · ${result.folds} folds · backend ${result.backend}${result.quick ? ' · quick mode' : ''}`,
  );
  for (const candidate of result.candidates) {
    if (candidate.error)
      write(
        `  ${candidate.name} failed: ${candidate.error.message}${candidate.error.hint ? ` ${candidate.error.hint}` : ''}`,
      );
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
export function printImprove(result: ImproveResult): void {
  write();
  for (const tuning of result.tuning) {
    write(`Tuning ${tuning.candidate} (${tuning.method}, ${tuning.trials} configurations):`);
    write(`  ${tuning.message}`);
  }
  for (const ensemble of result.ensembles) {
    write(
      `Ensemble ${ensemble.name} (${ensemble.method} of ${ensemble.members.join(', ')}): ${ensemble.mean === null ? ensemble.status : `${formatScore(ensemble.mean)} ± ${formatScore(ensemble.std)}`}`,
    );
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
      candidate.verdict ?? '',
      candidate.baselineVerdict ?? '',
      candidate.pBaseline === null || candidate.pBaseline === undefined
        ? '–'
        : candidate.pBaseline < 0.001
          ? '<0.001'
          : candidate.pBaseline.toFixed(3),
    ]);
    const header = ['candidate', `${result.metric} (mean ± std)`, 'vs best', 'vs baseline', 'p (baseline)'];
    for (const line of table(header, rows, [false, true, false, false, true])) write(line);
  }
  write();
  write(
    `Baseline ${result.metric}: ${formatScore(result.baseline.mean)} ± ${formatScore(result.baseline.std)} · corrected resampled t-test over ${result.folds} folds${result.quick ? ' · quick mode' : ''}`,
  );
  if (result.best) write(`Best: ${result.best}. Next: topdown present`);
}

/** Step 5 summary: the final model, its holdout score beside the CV estimate, and where things were written. */
export function printPresent(result: PresentResult): void {
  if (result.members) {
    const members = result.members.map((member) => `${member.name} (${member.model})`).join(', ');
    write(
      `Final model: ${result.candidate}, an ensemble (${result.method}) of ${members}, each refitted on all data outside the holdout.`,
    );
  } else {
    write(`Final model: ${result.candidate} (${result.model}), refitted on all data outside the holdout.`);
  }
  write(`CV estimate ${result.metric}: ${formatScore(result.cv.mean)} ± ${formatScore(result.cv.std)}`);
  if (result.holdout)
    write(`Holdout ${result.metric}: ${formatScore(result.holdout.score)} on ${result.holdout.size} samples`);
  write(result.message);
  write(`Model bundle: ${result.bundle}`);
  if (result.predictions) write(`Holdout predictions: ${result.predictions}`);
  if (result.report) write(`Report: ${result.report.markdown}`);
}
