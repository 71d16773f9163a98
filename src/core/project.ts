/**
 * The project file `topdown.json`: finding it, loading it, and validating its text into problems with
 * positions (for the CLI's errors and the editor's Problems panel).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { ProjectConfig } from './config';
import { TopdownError } from './errors';
import { JsonText } from './json-text';
import type { ProjectProblem } from './json-text';
import { semanticProblems } from './project-checks';
import { schemaProblems } from './schema-errors';

export type { ProjectProblem, TextRange } from './json-text';
export { PROJECT_SCHEMA } from './schema-errors';

/** The name of the project file. */
export const PROJECT_FILE_NAME = 'topdown.json';

/** A loaded, valid project. */
export interface Project {
  /** Absolute project folder (the folder of topdown.json). */
  dir: string;
  /** Absolute path of topdown.json. */
  file: string;
  config: ProjectConfig;
  /** The file's text as read. */
  text: string;
  /** SHA-256 (hex) of `text`; run records store it to show a step as stale when the file changes. */
  hash: string;
  /** Problems of severity `warning` (a valid project may have some); errors make loadProject throw. */
  warnings: ProjectProblem[];
}

/**
 * Thrown by loadProject for an invalid topdown.json: code PROJECT_INVALID, located at the first error
 * (file, field, line, character), with every problem, errors and warnings, in `problems`. The message is the
 * first error's, followed by how many more there are.
 */
export class ProjectInvalidError extends TopdownError {
  /** Every problem found, in text order. */
  readonly problems: ProjectProblem[];

  constructor(file: string, problems: ProjectProblem[]) {
    const errors = problems.filter((problem) => problem.severity === 'error');
    const first = errors[0] ?? problems[0];
    const more =
      errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
    super('PROJECT_INVALID', `${first.message}${more}`, {
      file,
      field: first.field,
      line: first.line,
      character: first.character,
      hint: `Fix ${basename(file)} at line ${first.line}; the editor's Problems panel lists every problem.`,
    });
    this.name = 'ProjectInvalidError';
    this.problems = problems;
  }
}

/** The largest project file read: a larger one is refused before it is read or parsed. */
export const MAX_PROJECT_BYTES = 1 << 20;
/** The deepest nesting of objects and arrays in a project file (the schema's own is under 10 levels). */
export const MAX_PROJECT_DEPTH = 64;

/** The nearest topdown.json in `startDir` or one of its parents, or undefined when there is none. */
export function findProjectFile(startDir: string): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    const candidate = join(dir, PROJECT_FILE_NAME);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Every problem of a project file's text, errors and warnings, in text order: JSON syntax (comments and
 * trailing commas are not allowed), duplicate keys, then the schema, then (only when those pass) the
 * semantic checks. `file` is used only to name the file in messages that mention it. Never throws.
 */
export function validateProjectText(text: string, file: string): ProjectProblem[] {
  const bounds = boundsProblem(text, file);
  if (bounds !== undefined) return [bounds];
  const document = new JsonText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (document.syntaxProblems.length > 0) return document.syntaxProblems;
  const duplicates: ProjectProblem[] = document.duplicateKeys().map((duplicate) => ({
    message: `duplicate field \`${duplicate.key}\` (${duplicate.pointer}) in ${basename(file)}; only the last one counts, remove the other`,
    field: duplicate.pointer,
    severity: 'error',
    ...duplicate.range,
  }));
  const value = document.value();
  const problems = [...duplicates, ...schemaProblems(document, value)];
  if (problems.length === 0) problems.push(...semanticProblems(document, value as ProjectConfig));
  return problems.sort((a, b) => a.line - b.line || a.character - b.character);
}

/**
 * A file too large, or nested too deep, to parse safely (the parser and the validator recurse): one problem,
 * found by a scan that does not recurse.
 */
function boundsProblem(text: string, file: string): ProjectProblem | undefined {
  if (text.length > MAX_PROJECT_BYTES || Buffer.byteLength(text) > MAX_PROJECT_BYTES) {
    return tooLargeProblem(file, Buffer.byteLength(text));
  }
  const offset = tooDeepOffset(text);
  if (offset < 0) return undefined;
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index >= 0 && index < offset; index = text.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  const character = offset - lineStart + 1;
  return {
    field: '',
    severity: 'error',
    message: `objects and arrays are nested more than ${MAX_PROJECT_DEPTH} levels deep; ${basename(file)} needs fewer than 10`,
    line,
    character,
    endLine: line,
    endCharacter: character + 1,
  };
}

function tooLargeProblem(file: string, bytes: number): ProjectProblem {
  return {
    message: `${basename(file)} is ${(bytes / (1 << 20)).toFixed(1)} MB; a project file may be at most ${MAX_PROJECT_BYTES >> 20} MB (keep data in CSV files, not in the project file)`,
    field: '',
    severity: 'error',
    line: 1,
    character: 1,
    endLine: 1,
    endCharacter: 2,
  };
}

/** The offset of the first `{` or `[` (outside strings) deeper than MAX_PROJECT_DEPTH, or -1. */
function tooDeepOffset(text: string): number {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 92)
        index++; // a backslash escapes the next character
      else if (code === 34) inString = false;
    } else if (code === 34) {
      inString = true;
    } else if (code === 123 || code === 91) {
      if (++depth > MAX_PROJECT_DEPTH) return index;
    } else if (code === 125 || code === 93) {
      depth--;
    }
  }
  return -1;
}

/** Options of loadProject. */
export interface LoadProjectOptions {
  /** SHA-256 of a text already validated (by the orchestrating process); that exact text is not validated again. */
  validatedHash?: string;
}

/**
 * Loads `<dir>/topdown.json` (or the given file). Throws TopdownError PROJECT_NOT_FOUND when it does not
 * exist, and ProjectInvalidError (code PROJECT_INVALID) when it has any error. Does not search parent
 * folders: call findProjectFile for that.
 */
export async function loadProject(dirOrFile: string, options: LoadProjectOptions = {}): Promise<Project> {
  const target = resolve(dirOrFile);
  if (!existsSync(target)) {
    throw new TopdownError('PROJECT_NOT_FOUND', `The folder ${target} does not exist.`, {
      file: target,
      hint: `Check the path${isAbsolute(dirOrFile) ? '' : ` (it is relative to ${process.cwd()})`}, or create a project with \`topdown new <template> ${dirOrFile}\`.`,
    });
  }
  const isDirectory = statSync(target).isDirectory();
  const file = isDirectory ? join(target, PROJECT_FILE_NAME) : target;
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new TopdownError(
      'PROJECT_NOT_FOUND',
      `No ${PROJECT_FILE_NAME} in ${isDirectory ? target : dirname(file)}`,
      {
        file,
        hint: `Create a project with \`topdown new sonar ${isDirectory ? dirOrFile : dirname(dirOrFile)}\`, or open the folder that holds ${PROJECT_FILE_NAME}.`,
      },
    );
  }
  const bytes = statSync(file).size;
  if (bytes > MAX_PROJECT_BYTES) {
    throw new ProjectInvalidError(file, [tooLargeProblem(file, bytes)]);
  }
  const text = readFileSync(file, 'utf8');
  const hash = createHash('sha256').update(text).digest('hex');
  // A worker reading the very text its orchestrator validated skips compiling the schema again (most of a
  // worker's start-up); any other text is validated.
  const problems = hash === options.validatedHash ? [] : validateProjectText(text, file);
  if (problems.some((problem) => problem.severity === 'error')) throw new ProjectInvalidError(file, problems);
  const parsed: unknown = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  return {
    dir: dirname(file),
    file,
    config: parsed as ProjectConfig,
    text,
    hash,
    warnings: problems,
  };
}

/**
 * Locates an error that names a field of topdown.json (e.g. from a later check such as the improve section's)
 * at that field's line and character in the project file. Other errors pass through unchanged.
 */
export function locateInProject(project: Project, error: unknown): unknown {
  if (!(error instanceof TopdownError) || error.field === undefined || error.line !== undefined) return error;
  const range = new JsonText(project.text).rangeOf(error.field, 'key');
  return new TopdownError(error.code, error.message, {
    hint: error.hint,
    file: project.file,
    field: error.field,
    line: range.line,
    character: range.character,
    row: error.row,
    column: error.column,
  });
}
