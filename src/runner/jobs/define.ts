/**
 * Step 1, Define Problem: load and check the data, profile it, and score the baseline under the project's
 * validation scheme — the number to beat, shown everywhere later.
 */
import { join, relative } from 'node:path';
import { loadProject, type Project } from '../../core/project';
import { resolveMetric } from '../../core/config';
import { higherIsBetter } from '../../core/metrics';
import { profileTable } from '../../core/data/profile';
import { seriesProfile } from '../../core/data/series';
import { selectRows, type Table } from '../../core/data/table';
import type { Fold } from '../../core/folds';
import { windowSettings } from '../../core/prepare/transformer';
import { loadProjectData, projectFolds, type ProjectData } from '../../core/steps/data';
import { foldHash } from '../../core/folds';
import { RunStore } from '../../core/runs/store';
import type { DataProfile, SeriesProfile } from '../../protocol/profile';
import type { RunRecord } from '../../protocol/records';
import { baselineFolds } from './baseline';
import {
  begin,
  finishRecord,
  newSessionId,
  publish,
  QUICK,
  round,
  startRecord,
  type JobOptions,
} from './common';
import { writeFileAtomic } from '../../core/runs/files';

/** What `topdown define --json` prints. */
export interface DefineResult {
  step: 'define';
  runId: string;
  status: RunRecord['status'];
  metric: string;
  higherIsBetter: boolean;
  baseline: { mean: number; std: number };
  rows: number;
  columns: number;
  target: string;
  task: string;
  holdoutRows: number;
  warnings: DataProfile['warnings'];
  profile: string;
}

/** Runs step 1 for the project in `projectDir`. */
export async function defineJob(projectDir: string, options: JobOptions): Promise<DefineResult> {
  const project = await loadProject(projectDir);
  const store = new RunStore(project.dir);
  const record = startRecord(project, store, 'define', newSessionId());
  begin(store, record, options.reporter);
  try {
    const data = await loadProjectData(project);
    record.dataHash = data.dataHash;
    const problem = project.config.problem;
    const profiled = selectRows(data.table, profileRows(project, data));
    const profile = profileTable(profiled, {
      target: problem.target,
      task: problem.task,
      ignore: problem.ignore,
      positiveClass: problem.positiveClass,
      timeColumn: problem.task === 'time-series' ? problem.timeColumn : undefined,
    });
    profile.file = problem.data;
    const folds = projectFolds(project, data, { maxFolds: options.quick ? QUICK.folds : undefined });
    const series = seriesOf(project, profiled, folds);
    if (series) profile.series = series;
    const profilePath = join(store.runDir(record.id), 'profile.json');
    writeFileAtomic(profilePath, `${JSON.stringify(profile, null, 2)}\n`);
    // Project-relative, so a project folder can move (panels read it relative to the project).
    record.outputs = { profile: relative(project.dir, profilePath) };
    options.reporter.emit({
      type: 'log',
      level: 'info',
      message: `Profiled ${profile.rows} rows × ${profile.columns.length} columns.`,
    });

    record.foldHash = foldHash(folds);
    record.config = { model: 'baseline' };
    record.folds = await baselineFolds(project, data, folds);
    finishRecord(record, 'completed');
    record.baseline = { mean: record.summary!.mean, std: record.summary!.std };
    publish(store, record, options.reporter);
    return {
      step: 'define',
      runId: record.id,
      status: record.status,
      metric: record.metric,
      higherIsBetter: higherIsBetter(resolveMetric(problem)),
      baseline: { mean: round(record.baseline.mean), std: round(record.baseline.std) },
      rows: data.table.rowCount,
      columns: data.table.columns.length,
      target: problem.target,
      task: problem.task,
      holdoutRows: data.holdout.length,
      warnings: profile.warnings,
      profile: profilePath,
    };
  } catch (error) {
    finishRecord(record, 'failed', error);
    publish(store, record, options.reporter);
    throw error;
  }
}

/** A time series with a time column: the profiled rows over time, with the folds' ranges. */
function seriesOf(project: Project, profiled: Table, folds: Fold[]): SeriesProfile | undefined {
  const problem = project.config.problem;
  const window = windowSettings(problem, project.config.prepare ?? []);
  if (!window || !problem.timeColumn) return undefined;
  return seriesProfile(profiled, { timeColumn: problem.timeColumn, target: problem.target, window }, folds);
}

/** Table rows outside the holdout (for a time series, the rows before the held-out tail). */
function profileRows(project: Project, data: ProjectData): number[] {
  if (data.holdout.length === 0) return Array.from({ length: data.table.rowCount }, (_, row) => row);
  if (project.config.problem.task === 'time-series') {
    const keep = data.table.rowCount - data.holdout.length;
    return Array.from({ length: keep }, (_, row) => row);
  }
  return [...data.rest].sort((a, b) => a - b);
}
