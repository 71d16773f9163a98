/**
 * `topdown new --from-csv <file> [--target <column>] [--task <task>] [--force] <dir>`: proposes a project for
 * the person's own CSV. Reads the file (refusing one too large for memory before reading it), plans the
 * project (src/core/plan), copies the CSV into `<dir>/data/`, and writes `topdown.json` and a README that
 * explains every choice.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import type { ProjectConfig, Task } from '../../core/config';
import { readCsv } from '../../core/data/csv';
import { TopdownError } from '../../core/errors';
import { planProject, type PlanChoice } from '../../core/plan/plan';
import { planReadme } from '../../core/plan/readme';
import { PROJECT_FILE_NAME, validateProjectText } from '../../core/project';
import { writeFileAtomic } from '../../core/runs/files';

/** Options of {@link newFromCsv}. */
export interface NewFromCsvOptions {
  /** The column to predict; default: the last column that can be a target. */
  target?: string;
  /** The task; default: guessed (time-series and image only when given). */
  task?: Task;
  /** Time series: the date column that orders the rows; default: the first date column in order. */
  timeColumn?: string;
  /** Write into a folder that is not empty (files of the same name are replaced). */
  force?: boolean;
  /** Refuse CSV files larger than this many bytes. Default: {@link defaultMaxBytes}. */
  maxBytes?: number;
  /** Plan only: return the plan and write nothing (the editor shows it to accept or change first). */
  dryRun?: boolean;
}

/** What {@link newFromCsv} created. */
export interface NewFromCsvResult {
  /** Absolute project folder. */
  dir: string;
  config: ProjectConfig;
  choices: PlanChoice[];
  /** Set by `--dry-run`: the plan only, nothing was written. */
  dryRun?: boolean;
}

/**
 * The largest CSV Topdown reads into memory: a quarter of the machine's memory, and no more than the
 * JavaScript heap limit (text columns live on the heap, as strings).
 */
export function defaultMaxBytes(): number {
  return Math.floor(Math.min(totalmem() / 4, getHeapStatistics().heap_size_limit));
}

/** Refuses to write a new project into a folder that holds files, unless `force`. */
export function refuseNonEmptyFolder(target: string, force: boolean | undefined): void {
  if (existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length > 0) && !force) {
    throw new TopdownError('USAGE', `The folder ${target} is not empty.`, {
      file: target,
      hint: 'Choose a new folder, or pass --force to write the project files into it.',
    });
  }
}

/** The text of a planned `topdown.json`, checked against the schema; `hint` says what to do if it is not valid. */
export function plannedProjectText(config: ProjectConfig, hint: string): string {
  const text = `${JSON.stringify(config, null, 2)}\n`;
  const errors = validateProjectText(text, PROJECT_FILE_NAME).filter(
    (problem) => problem.severity === 'error',
  );
  if (errors.length > 0) {
    // A plan that does not validate is a bug in the planner, not in the person's data.
    throw new TopdownError('INTERNAL', `The planned topdown.json is invalid: ${errors[0].message}`, {
      field: errors[0].field,
      hint,
    });
  }
  return text;
}

/** Plans a project for `file` and writes it into `dir`. Throws TopdownError with the file and a hint. */
export async function newFromCsv(
  file: string,
  dir: string,
  options: NewFromCsvOptions = {},
): Promise<NewFromCsvResult> {
  const source = resolve(file);
  const target = resolve(dir);
  refuseNonEmptyFolder(target, options.force);
  const maxBytes = options.maxBytes ?? defaultMaxBytes();
  let table;
  try {
    table = await readCsv(source, { maxBytes });
  } catch (error) {
    if (error instanceof TopdownError && error.code === 'CSV_TOO_LARGE') {
      throw new TopdownError(
        'CSV_TOO_LARGE',
        `${error.message} Topdown reads the whole table into memory, and this machine can hold about that much.`,
        {
          file: source,
          hint: 'Take a random sample of the rows (e.g. 100,000) into a new CSV and plan the project from it.',
        },
      );
    }
    throw error;
  }
  const dataName = basename(source);
  const plan = planProject(table, {
    target: options.target,
    task: options.task,
    timeColumn: options.timeColumn,
    dataPath: `data/${dataName}`,
  });
  const text = plannedProjectText(
    plan.config,
    'Please report this with the CSV header; meanwhile start from a template (topdown new --list).',
  );
  if (options.dryRun) return { dir: target, config: plan.config, choices: plan.choices, dryRun: true };
  mkdirSync(join(target, 'data'), { recursive: true });
  copyFileSync(source, join(target, 'data', dataName));
  writeFileAtomic(join(target, 'README.md'), planReadme(plan, source));
  writeFileAtomic(join(target, PROJECT_FILE_NAME), text);
  return { dir: target, config: plan.config, choices: plan.choices };
}
