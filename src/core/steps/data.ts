/**
 * Loads a project's data once for a job: the table, its hash, the samples the validation scheme splits, and the
 * holdout that step 5 reserves. Every step and every worker derives the same split from the same seed.
 */
import { resolve } from 'node:path';
import type { Project } from '../project';
import { isClassification } from '../config';
import { declaredImageSize, loadDataSource, type DataSourceKind, type LoadedData } from '../data/source';
import { checkTarget } from '../data/profile';
import { findColumn, selectRows, type Table } from '../data/table';
import { splitHoldout, makeFolds, type Fold } from '../folds';
import { countSamples, stratifyLabels, targetClasses } from '../prepare/pipeline';
import { TopdownError } from '../errors';

/** Default seed when topdown.json gives none. */
export const DEFAULT_SEED = 7;

/** A project's data, ready to be split into folds. */
export interface ProjectData {
  table: Table;
  /** Absolute path of the CSV, image folder or IDX images file. */
  dataFile: string;
  /** Which kind of source problem.data names. */
  sourceKind: DataSourceKind;
  /** SHA-256 of what the source loaded (a CSV's bytes; an image source's pixels and labels). */
  dataHash: string;
  /** Samples the pipeline makes from the table (rows, or windows for time series). */
  sampleCount: number;
  /** Class index per sample (classification), for stratification. */
  labels?: Int32Array;
  /** Class names (classification), index i is class i. */
  classes?: string[];
  /** Samples that steps 1–4 may use. */
  rest: number[];
  /** Samples reserved for the final evaluation in step 5. */
  holdout: number[];
}

/** The project's seed. */
export function projectSeed(project: Project): number {
  return project.config.evaluate.seed ?? DEFAULT_SEED;
}

/** Reads the data source, checks the target, orders a time series, and reserves the holdout. */
export async function loadProjectData(project: Project): Promise<ProjectData> {
  const problem = project.config.problem;
  const { table, dataFile, source } = await readProjectTable(project);
  checkTarget(table, problem.target, problem.task, dataFile);
  const ops = project.config.prepare ?? [];
  const sampleCount = countSamples(table, problem, ops);
  const labels = isClassification(problem.task) ? stratifyLabels(table, problem) : undefined;
  const classes = isClassification(problem.task) ? targetClasses(table, problem) : undefined;
  const seed = projectSeed(project);
  const split =
    problem.holdout && problem.holdout > 0
      ? splitHoldout(sampleCount, problem.holdout, { seed, labels, ordered: problem.task === 'time-series' })
      : { rest: range(sampleCount), holdout: [] };
  return {
    table,
    dataFile,
    sourceKind: source.kind,
    dataHash: await source.hash(),
    sampleCount,
    labels,
    classes,
    rest: split.rest,
    holdout: split.holdout,
  };
}

/**
 * Reads the project's data source (a CSV with its missing-value markers, or images at the declared size); a
 * time series is ordered by its time column. `source.hash()` hashes what was loaded.
 */
export async function readProjectTable(
  project: Project,
): Promise<{ table: Table; dataFile: string; source: LoadedData }> {
  const problem = project.config.problem;
  const dataFile = resolve(project.dir, problem.data);
  const loaded = await loadDataSource(dataFile, {
    missing: problem.missing,
    imageSize: declaredImageSize(project.config.prepare ?? []),
    classNames: problem.classNames,
  });
  const table = loaded.table;
  return {
    table: problem.timeColumn ? sortByTime(table, problem.timeColumn, dataFile) : table,
    dataFile,
    source: loaded,
  };
}

/**
 * Checks that the data a worker loaded is the data its job started with: `loadedHash` (the hash of what was
 * loaded) must equal `expectedHash` (what the orchestrator recorded). Throws DATA_CHANGED naming the file
 * otherwise: the file was replaced or edited while the job ran, so its folds would mix two data sets.
 */
export function checkDataHash(dataFile: string, expectedHash: string | undefined, loadedHash: string): void {
  if (expectedHash === undefined || expectedHash === loadedHash) return;
  throw new TopdownError(
    'DATA_CHANGED',
    `${dataFile} changed while the job ran (its SHA-256 is ${loadedHash.slice(0, 12)}…, the job started with ${expectedHash.slice(0, 12)}…).`,
    {
      file: dataFile,
      hint: 'Leave the data as it is while a step runs (write a new file elsewhere and switch problem.data when the step is done), then run the step again.',
    },
  );
}

/** The folds of the project's validation scheme over the samples outside the holdout (absolute sample indices). */
export function projectFolds(
  project: Project,
  data: ProjectData,
  options: { maxFolds?: number } = {},
): Fold[] {
  const validation = { ...project.config.evaluate.validation };
  if (options.maxFolds !== undefined) {
    validation.folds = Math.min(
      validation.folds ?? (validation.scheme === 'walk-forward' ? 5 : 10),
      options.maxFolds,
    );
    if (validation.scheme === 'repeated-kfold') validation.repeats = 1;
  }
  const restLabels = data.labels ? data.rest.map((sample) => data.labels![sample]) : undefined;
  const folds = makeFolds(validation, data.rest.length, {
    seed: projectSeed(project),
    labels: restLabels,
    classNames: data.classes,
    file: project.file,
  });
  return folds.map((fold) => ({
    index: fold.index,
    train: fold.train.map((position) => data.rest[position]),
    validation: fold.validation.map((position) => data.rest[position]),
  }));
}

function sortByTime(table: Table, timeColumn: string, file: string): Table {
  const column = findColumn(table, timeColumn);
  if (!column) {
    throw new TopdownError('COLUMN_NOT_FOUND', `The time column "${timeColumn}" is not in ${file}.`, {
      file,
      field: '/problem/timeColumn',
      hint: `Columns are: ${table.columns.map((c) => c.name).join(', ')}.`,
    });
  }
  const order = range(table.rowCount);
  if (column.type === 'date' || column.type === 'numeric') {
    const values = column.values;
    order.sort((a, b) => values[a] - values[b] || a - b);
  } else {
    const values = column.values;
    order.sort((a, b) => String(values[a]).localeCompare(String(values[b])) || a - b);
  }
  return selectRows(table, order);
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}
