/**
 * A project as it travels to workers: the orchestrator lists the files a task needs (topdown.json, the data
 * source's files, custom model modules) and stores each by content; a worker rebuilds the project in its own
 * cache folder from that manifest, verifying every file, and trains there. The worker never sees the
 * orchestrator's paths.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { dataSourceFiles } from '../../core/data/source';
import { TopdownError } from '../../core/errors';
import type { Project } from '../../core/project';
import { writeFileAtomic } from '../../core/runs/files';
import type { ManifestFile, ProjectManifest } from '../../protocol/queue';
import { safePath, sha256, type ContentStore } from './content';

/** The project-relative path of `file` with `/` separators; QUEUE_CONTENT when it lies outside the project. */
function insideProject(project: Project, file: string, what: string): string {
  const path = relative(project.dir, resolve(project.dir, file));
  if (path === '' || path.startsWith('..') || isAbsolute(path)) {
    throw new TopdownError(
      'QUEUE_CONTENT',
      `${what} ${file} is outside the project folder, so it cannot travel to the workers.`,
      {
        file,
        hint: 'Move it into the project folder and name it by a relative path in topdown.json.',
      },
    );
  }
  return path.split(sep).join('/');
}

/**
 * The project-relative files a job's tasks read: topdown.json, the files of the data source (a CSV, an image
 * folder's images, IDX images and labels) and the custom model modules.
 */
export async function projectFiles(project: Project, modules: readonly string[]): Promise<string[]> {
  const files = new Set<string>([insideProject(project, project.file, 'The project file')]);
  const data = insideProject(project, project.config.problem.data, 'The data');
  for (const file of await dataSourceFiles(join(project.dir, data)))
    files.add(insideProject(project, file, 'The data file'));
  for (const module of modules) files.add(insideProject(project, module, 'The custom model module'));
  return [...files].sort();
}

/** Stores the files and returns the manifest that names them. */
export async function buildManifest(
  project: Project,
  modules: readonly string[],
  store: ContentStore,
  sharedDir?: string,
): Promise<ProjectManifest> {
  const files: ManifestFile[] = [];
  for (const path of await projectFiles(project, modules)) {
    const file = join(project.dir, path);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw new TopdownError('QUEUE_CONTENT', `Cannot read ${file}: ${(error as Error).message}`, { file });
    }
    files.push({ path, ...(await store.put(bytes, path)) });
  }
  const manifest: ProjectManifest = { files };
  if (sharedDir) manifest.sharedDir = sharedDir;
  return manifest;
}

/** The folder a manifest is rebuilt in: named by the hash of its file list, so equal projects share one. */
export function manifestKey(manifest: ProjectManifest): string {
  const list = manifest.files.map((file) => `${file.path}\0${file.sha256}`).join('\n');
  return sha256(Buffer.from(list, 'utf8')).slice(0, 32);
}

const building = new Map<string, Promise<string>>();

/**
 * The project folder of a manifest under `cacheRoot`, built once per content: every file fetched, verified
 * and written into a temporary folder that is renamed into place whole, so a half-built project is never used.
 */
export function materialize(
  manifest: ProjectManifest,
  store: ContentStore,
  cacheRoot: string,
): Promise<string> {
  const dir = join(cacheRoot, manifestKey(manifest));
  if (existsSync(dir)) return Promise.resolve(dir);
  let pending = building.get(dir);
  if (!pending) {
    pending = build(manifest, store, dir).finally(() => building.delete(dir));
    building.set(dir, pending);
  }
  return pending;
}

async function build(manifest: ProjectManifest, store: ContentStore, dir: string): Promise<string> {
  const temp = `${dir}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    for (const file of manifest.files) {
      const target = join(temp, ...safePath(file.path).split('/'));
      const bytes = await store.get(file, file.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileAtomic(target, bytes);
    }
    mkdirSync(temp, { recursive: true });
    try {
      renameSync(temp, dir);
    } catch (error) {
      // Another worker process on this machine built the same project first: use its copy.
      if (!existsSync(dir)) throw error;
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return dir;
}
