/**
 * The projects of a workspace as plain data: every folder holding a topdown.json is a project (multi-root
 * workspaces included), one of them is active, and the active one follows the file being edited. No `vscode`
 * here, so the choices are unit-tested; src/extension/project.ts applies them to the editor.
 */
import { basename, dirname, relative, sep } from 'node:path';
import { isWithin } from '../../core/paths';

/** Folders never searched for projects: installed packages and git's own files. */
export const PROJECT_SEARCH_EXCLUDE = '{**/node_modules/**,**/.git/**}';

/** At most this many projects are listed (a folder of thousands of copies is not a portfolio). */
export const MAX_PROJECTS = 200;

/** The project folders of a list of topdown.json paths: unique, sorted by path (so the order is stable). */
export function projectDirs(projectFiles: readonly string[]): string[] {
  return [...new Set(projectFiles.map((file) => dirname(file)))].sort((left, right) =>
    left.localeCompare(right),
  );
}

/** The project a file belongs to: the deepest project folder that holds it (a project inside another wins). */
export function projectOf(path: string, projects: readonly string[]): string | undefined {
  return projects
    .filter((projectDir) => isWithin(projectDir, path))
    .reduce<string | undefined>(
      (found, projectDir) => (!found || projectDir.length > found.length ? projectDir : found),
      undefined,
    );
}

/** What the active project is chosen from. */
export interface ActiveChoice {
  /** The projects found now. */
  projects: readonly string[];
  /** The active project before this choice. */
  current?: string;
  /** The one the user chose last (remembered per workspace). */
  remembered?: string;
  /** A project that must become active (a new project, a project the user just picked). */
  preferred?: string;
  /** The file in the active editor. */
  editorFile?: string;
}

/**
 * The active project: the preferred one, else the current one (a refresh after a run keeps the user's choice),
 * else the one the edited file belongs to, else the remembered one, else the one nearest the workspace root.
 * Undefined only when there is none. Opening another project's file is handled as an event (`projectOf`).
 */
export function chooseActive(choice: ActiveChoice): string | undefined {
  const present = (projectDir: string | undefined) =>
    projectDir !== undefined && choice.projects.includes(projectDir) ? projectDir : undefined;
  const nearestRoot = [...choice.projects].sort((left, right) => left.length - right.length)[0];
  return (
    present(choice.preferred) ??
    present(choice.current) ??
    (choice.editorFile ? projectOf(choice.editorFile, choice.projects) : undefined) ??
    present(choice.remembered) ??
    nearestRoot
  );
}

/**
 * A short name for a project: its path inside its workspace folder (`housing`, `demos/airline`), the folder's name
 * for a project at a folder's root, prefixed with the folder's name when the workspace has several roots.
 */
export function projectLabel(projectDir: string, workspaceFolders: readonly string[]): string {
  const root = workspaceFolders
    .filter((folder) => isWithin(folder, projectDir))
    .sort((left, right) => right.length - left.length)[0];
  if (!root) return basename(projectDir);
  const inside = relative(root, projectDir).split(sep).join('/');
  if (workspaceFolders.length > 1) return inside ? `${basename(root)}/${inside}` : basename(root);
  return inside || basename(projectDir);
}

/** The project a command argument names, if it names one. */
export type ArgumentProject =
  { kind: 'none' } | { kind: 'project'; projectDir: string } | { kind: 'outside'; path: string };

/**
 * The project a command's argument names: a tree node or CodeLens argument carrying `projectDir`, or a file URI
 * (an Explorer or editor menu) whose path is inside a project. `none`: the argument names no project, so the
 * command acts on the active one; `outside`: it names a folder that is not one of the workspace's projects.
 */
export function projectOfArgument(argument: unknown, projects: readonly string[]): ArgumentProject {
  if (typeof argument !== 'object' || argument === null) return { kind: 'none' };
  const named = (argument as { projectDir?: unknown }).projectDir;
  const path = typeof named === 'string' ? named : (argument as { fsPath?: unknown }).fsPath;
  if (typeof path !== 'string') return { kind: 'none' };
  const projectDir =
    typeof named === 'string' ? projects.find((dir) => dir === named) : projectOf(path, projects);
  return projectDir ? { kind: 'project', projectDir } : { kind: 'outside', path };
}
