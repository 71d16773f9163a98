/**
 * The New Project wizard's decisions, as plain functions: which templates exist, what task a target column
 * suggests, whether a folder is usable, and the `topdown new` arguments. The prompts live in newProject.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import type { Task } from '../../core/config';

/** A starter project in the extension's `templates/` folder. */
export interface TemplateInfo {
  name: string;
  /** One line, from the template's topdown.json `description`. */
  description: string;
}

/** A CSV column as `topdown columns <file> --json` describes it. */
export interface ColumnInfo {
  name: string;
  type: string;
  /** Number of distinct values in the whole column, when the CLI reports it. */
  distinct?: number;
  /** Rows without a value, when the CLI reports it. */
  missing?: number;
  samples: string[];
}

/** What the person chose. */
export type ProjectSource =
  | { kind: 'template'; template: string }
  | { kind: 'csv'; csvFile: string; target: string; task?: Task; timeColumn?: string }
  | { kind: 'images'; folder: string };

/** The command to run and the folder it creates. */
export interface NewProjectPlan {
  /** Arguments after dist/cli.js. */
  args: string[];
  projectDir: string;
  /** Files to open once the folder is open, relative to it. */
  open: string[];
}

/** Templates with a readable topdown.json, sorted by name; an unreadable one is listed with its reason. */
export function listTemplates(templatesDir: string): TemplateInfo[] {
  if (!existsSync(templatesDir)) return [];
  return readdirSync(templatesDir)
    .filter((name) => existsSync(join(templatesDir, name, 'topdown.json')))
    .sort()
    .map((name) => {
      const text = readFileSync(join(templatesDir, name, 'topdown.json'), 'utf8');
      const parsed = parseJsonc(text) as { description?: unknown } | undefined;
      const description = typeof parsed?.description === 'string' ? parsed.description : '';
      return { name, description: description.split('\n')[0].trim() };
    });
}

/** Reads `topdown columns --json` output; throws with the text when it is not that shape. */
export function parseColumns(stdout: string): ColumnInfo[] {
  const parsed = JSON.parse(stdout) as { columns?: unknown };
  if (!Array.isArray(parsed.columns))
    throw new Error(`Expected { columns: [...] } from topdown columns, got: ${stdout.slice(0, 200)}`);
  return parsed.columns.map(
    (column: {
      name?: unknown;
      type?: unknown;
      distinct?: unknown;
      missing?: unknown;
      samples?: unknown;
    }) => ({
      name: String(column.name),
      type: String(column.type ?? 'unknown'),
      ...(typeof column.distinct === 'number' ? { distinct: column.distinct } : {}),
      ...(typeof column.missing === 'number' ? { missing: column.missing } : {}),
      samples: Array.isArray(column.samples) ? column.samples.map(String) : [],
    }),
  );
}

const NUMERIC_TYPES = new Set(['number', 'numeric', 'integer', 'float', 'int']);

/**
 * The task a target column suggests: text or few distinct integer values → classification (binary when
 * two values), fractional numbers → regression. The person confirms it.
 */
export function guessTask(column: ColumnInfo): Task {
  const values = column.samples.filter((sample) => sample.trim() !== '');
  const distinct = column.distinct ?? new Set(values).size;
  const numeric =
    NUMERIC_TYPES.has(column.type.toLowerCase()) ||
    (values.length > 0 && values.every((value) => Number.isFinite(Number(value))));
  if (numeric) {
    const fractional = values.some((value) => !Number.isInteger(Number(value)));
    if (fractional || distinct > 10) return 'regression';
  }
  return distinct <= 2 ? 'binary' : 'multiclass';
}

/** The columns that can order a series (dates), besides the target. */
export function timeColumnChoices(columns: ColumnInfo[], target: string): ColumnInfo[] {
  return columns.filter((column) => column.type.toLowerCase() === 'date' && column.name !== target);
}

/** The tasks the person can confirm, guessed one first. */
export function taskChoices(guess: Task): Task[] {
  const all: Task[] = ['binary', 'multiclass', 'regression', 'time-series'];
  return [guess, ...all.filter((task) => task !== guess)];
}

/** A folder name from a template or CSV file: lower-case words joined by hyphens. */
export function defaultProjectName(source: ProjectSource): string {
  const raw =
    source.kind === 'template'
      ? source.template
      : source.kind === 'images'
        ? basename(source.folder)
        : basename(source.csvFile, extname(source.csvFile));
  const name = raw
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return name || 'topdown-project';
}

/** Why a new project cannot go into `parent/name`, or undefined when it can (for the input box). */
export function checkProjectFolder(parent: string, name: string): string | undefined {
  if (!name.trim()) return 'Give the project a folder name.';
  if (/[\\/:*?"<>|]/.test(name)) return 'A folder name cannot contain \\ / : * ? " < > |.';
  const target = join(parent, name);
  if (existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length > 0)) {
    return `${target} already exists and is not empty; choose another name.`;
  }
  return undefined;
}

/**
 * The `topdown new` command for a choice. A task is passed only when the person changed the guessed one,
 * since `new --from-csv` guesses the task itself.
 */
export function planNewProject(
  source: ProjectSource,
  parent: string,
  name: string,
  guessedTask?: Task,
): NewProjectPlan {
  const projectDir = join(parent, name);
  if (source.kind === 'template') {
    return { args: ['new', source.template, projectDir], projectDir, open: ['README.md'] };
  }
  if (source.kind === 'images') {
    return { args: ['new', '--from-images', source.folder, projectDir], projectDir, open: ['README.md'] };
  }
  const args = ['new', '--from-csv', source.csvFile, '--target', source.target];
  if (source.task && source.task !== guessedTask) args.push('--task', source.task);
  if (source.task === 'time-series' && source.timeColumn) args.push('--time-column', source.timeColumn);
  args.push(projectDir);
  return { args, projectDir, open: ['README.md'] };
}
