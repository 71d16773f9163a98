/**
 * The choices of a project from a CSV: the file and its columns (`topdown columns`), the column to predict (with
 * its distinct and missing counts) and the task; the plan review (planReview.ts) changes the target or the task.
 */
import * as vscode from 'vscode';
import type { Task } from '../../core/config';
import { runCli } from '../jobs/cli';
import {
  guessTask,
  parseColumns,
  taskChoices,
  timeColumnChoices,
  type ColumnInfo,
  type ProjectSource,
} from './plan';
import { describeTargetColumn } from './planPreview';

const TASK_DESCRIPTIONS: Record<Task, string> = {
  binary: 'two classes (yes/no, M/R)',
  multiclass: 'three or more classes',
  regression: 'a number',
  'time-series': 'the next values of a series ordered by time',
  image: 'classes from pixel columns or images',
};

/** The person's CSV and its columns (`topdown columns`), or undefined when cancelled or unreadable. */
async function pickCsvFile(
  extensionPath: string,
  log: vscode.LogOutputChannel,
): Promise<{ csvFile: string; columns: ColumnInfo[] } | undefined> {
  const files = await vscode.window.showOpenDialog({
    title: 'Topdown: the CSV to learn from',
    canSelectMany: false,
    filters: { 'CSV files': ['csv'], 'All files': ['*'] },
  });
  if (!files?.[0]) return undefined;
  const csvFile = files[0].fsPath;
  const result = await runCli(extensionPath, ['columns', csvFile, '--json'], log);
  if (result.exitCode !== 0) {
    void vscode.window.showErrorMessage(
      `Could not read the columns of ${csvFile}: ${result.stderr.trim() || `exit code ${result.exitCode}`}`,
    );
    return undefined;
  }
  return { csvFile, columns: parseColumns(result.stdout) };
}

/** The column to predict, with its distinct and missing counts beside each choice. */
async function pickTarget(columns: ColumnInfo[]): Promise<ColumnInfo | undefined> {
  const suggested = columns.at(-1)?.name;
  const columnItems = [...columns].reverse().map((column) => ({
    label: column.name,
    description: [
      column.type,
      describeTargetColumn(column),
      column.name === suggested ? 'suggested (last column)' : '',
    ]
      .filter(Boolean)
      .join(' · '),
    detail: column.samples.length ? `e.g. ${column.samples.slice(0, 6).join(', ')}` : undefined,
    column,
  }));
  const target = await vscode.window.showQuickPick(columnItems, {
    title: 'Topdown: which column should the model predict?',
    matchOnDetail: true,
  });
  return target?.column;
}

/** The task for a target column, the guess from its values first. */
async function pickTask(column: ColumnInfo): Promise<Task | undefined> {
  const guess = guessTask(column);
  const taskItems = taskChoices(guess).map((task) => ({
    label: task,
    description: `${TASK_DESCRIPTIONS[task]}${task === guess ? ' · guessed from the values' : ''}`,
    task,
  }));
  const task = await vscode.window.showQuickPick(taskItems, {
    title: `Topdown: predicting "${column.name}" is a…`,
  });
  return task?.task;
}

/**
 * The date column that orders a series, asked when the task is time-series: undefined when cancelled, and an
 * error message (nothing to pick) when the file has no date column.
 */
async function pickTimeColumn(columns: ColumnInfo[], target: ColumnInfo): Promise<string | undefined> {
  const dates = timeColumnChoices(columns, target.name);
  if (dates.length === 0) {
    void vscode.window.showErrorMessage(
      `A time series needs a date column that orders the rows, and this CSV has none besides "${target.name}": sort the file by a date column (YYYY-MM-DD or YYYY-MM), or choose another task.`,
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    dates.map((column, index) => ({
      label: column.name,
      description: index === 0 ? 'suggested (the first date column)' : undefined,
      detail: column.samples.length ? `e.g. ${column.samples.slice(0, 4).join(', ')}` : undefined,
      column,
    })),
    { title: `Topdown: which column holds the time of each "${target.name}" value?` },
  );
  return picked?.column.name;
}

/** A CSV project's choices: the file, its target and task (`change` repeats one of them after the plan is shown). */
export interface CsvChoices {
  csvFile: string;
  columns: ColumnInfo[];
  target: ColumnInfo;
  task: Task;
  /** Time series: the date column that orders the rows. */
  timeColumn?: string;
}

/** The task for the target, and for a time series its time column; undefined when cancelled. */
async function pickTaskAndTime(
  columns: ColumnInfo[],
  target: ColumnInfo,
): Promise<Pick<CsvChoices, 'task' | 'timeColumn'> | undefined> {
  const task = await pickTask(target);
  if (task !== 'time-series') return task && { task };
  const timeColumn = await pickTimeColumn(columns, target);
  return timeColumn === undefined ? undefined : { task, timeColumn };
}

/** The CSV, its target and task, asked in that order; undefined when cancelled. */
export async function pickCsvSource(
  extensionPath: string,
  log: vscode.LogOutputChannel,
): Promise<CsvChoices | undefined> {
  const file = await pickCsvFile(extensionPath, log);
  const target = file && (await pickTarget(file.columns));
  const task = file && target && (await pickTaskAndTime(file.columns, target));
  return file && target && task ? { ...file, target, ...task } : undefined;
}

/** Changes the target (and then the task) or only the task, after the plan was shown. */
export async function changeCsvChoice(
  choices: CsvChoices,
  what: 'target' | 'task',
): Promise<CsvChoices | undefined> {
  const target = what === 'target' ? await pickTarget(choices.columns) : choices.target;
  const task = target && (await pickTaskAndTime(choices.columns, target));
  return target && task ? { ...choices, target, timeColumn: undefined, ...task } : undefined;
}

/** The source a CSV's choices make, and the task its values suggest. */
export function csvSource(choices: CsvChoices): { source: ProjectSource; guess: Task } {
  return {
    source: {
      kind: 'csv',
      csvFile: choices.csvFile,
      target: choices.target.name,
      task: choices.task,
      ...(choices.timeColumn ? { timeColumn: choices.timeColumn } : {}),
    },
    guess: guessTask(choices.target),
  };
}
