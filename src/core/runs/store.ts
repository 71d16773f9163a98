/**
 * The run store: `<project>/runs/<run-id>/run.json` (the record), `runs/<run-id>/events.jsonl` (epoch and
 * fold events) and `runs/index.jsonl` (one line per change, so listing 10,000 runs reads one file).
 *
 * Writers: only the orchestrating process (the `topdown` command that runs a job) writes a run while it
 * runs; workers never touch the store. The host may label, annotate or delete finished runs. Readers never
 * write, except to rebuild a missing or corrupt index from the run folders.
 *
 * Crash safety: run.json is replaced atomically (never half-written); an append torn by a killed process is
 * skipped on read and the next append starts on a new line; a `running` run whose process is gone reads as
 * `interrupted`. A write that fails (a full disk) leaves the old files as they were and throws DISK_FULL or
 * WRITE_FAILED naming the file.
 *
 * The index is a cache of the run folders: when it does not parse, or names other runs than the folders hold,
 * it is rebuilt from them (and a reader that cannot write still lists from the folders).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TopdownError } from '../errors';
import type { RunEvent, RunIndexEntry, RunRecord, RunStatus, StepName } from '../../protocol/records';
import { appendLines, systemWrite, writeFileAtomic, type WriteFunction } from './files';
import { isSafeRunId, newRunId } from './ids';
import { corruptRunError, migrate } from './migrate';
import { formatContents, formatIndex, indexEntry, readIndex } from './run-index';
import type { IndexContents } from './run-index';

/** Which runs `list()` returns; every given field must match. */
export interface RunFilter {
  step?: StepName;
  status?: RunStatus;
  candidate?: string;
  session?: string;
}

/** Options of a RunStore (for tests). */
export interface RunStoreOptions {
  /**
   * Whether the process that wrote a running run is still that process. Default: `isRunOwnerAlive` (the pid
   * exists and, where the system says when processes started, started when the run recorded).
   */
  isAlive?: (pid: number, started?: string) => boolean;
  /** The write call of every file write (default: the system's); fault tests inject short writes and ENOSPC. */
  write?: WriteFunction;
}

/** The name of the folder that holds the runs, inside the project folder. */
export const RUNS_FOLDER = 'runs';
/** The index is compacted once it has this many bytes and four times the bytes of its live lines. */
const COMPACT_MIN_BYTES = 64 * 1024;
const COMPACT_FACTOR = 4;

/** Whether a process exists (signal 0 checks without sending; EPERM means it exists but is not ours). */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When a process started, as an opaque string that differs between two processes that had the same pid:
 * the start time in clock ticks after boot from `/proc/<pid>/stat` (Linux), plus the boot id so that a
 * reboot does not match either. Undefined where the system does not say (macOS, Windows) or the process is gone.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces and parentheses): state is field 3, starttime 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = fields[22 - 3];
    if (!ticks || !/^\d+$/.test(ticks)) return undefined;
    return `${bootId()}:${ticks}`;
  } catch {
    return undefined;
  }
}

let cachedBootId: string | undefined;
function bootId(): string {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      cachedBootId = '';
    }
  }
  return cachedBootId;
}

/**
 * Whether the process that owns a running run is alive: its pid exists and, when the run recorded the
 * process's start (`pidStart`) and the system can tell, it is the same process rather than a later one that
 * was given the same pid after the owner died.
 */
export function isRunOwnerAlive(pid: number, started?: string): boolean {
  if (!isProcessAlive(pid)) return false;
  if (started === undefined) return true;
  const current = processStartTime(pid);
  return current === undefined || current === started;
}

/** Runs of one project, on disk under `<projectDir>/runs/`. */
export class RunStore {
  /** Absolute `<projectDir>/runs`. */
  readonly dir: string;
  /** Absolute `<projectDir>/runs/index.jsonl`. */
  readonly indexFile: string;
  private readonly isAlive: (pid: number, started?: string) => boolean;
  private readonly write: WriteFunction;
  /** Bytes of the live index lines at the last full read; undefined until this store first writes. */
  private liveBytes: number | undefined;

  constructor(projectDir: string, options: RunStoreOptions = {}) {
    this.dir = join(projectDir, RUNS_FOLDER);
    this.indexFile = join(this.dir, 'index.jsonl');
    this.isAlive = options.isAlive ?? isRunOwnerAlive;
    this.write = options.write ?? systemWrite;
  }

  /** A new, time-sortable run id: `<yyyymmdd-hhmmss-mmm>-<step>[-<candidate slug>]-<4 hex>`. */
  newRunId(step: StepName, candidate?: string): string {
    for (;;) {
      const id = newRunId(step, candidate);
      if (!existsSync(this.runDir(id))) return id;
    }
  }

  /** The folder of a run (whether or not it exists). Throws USAGE for an id that is not a safe folder name. */
  runDir(runId: string): string {
    if (!isSafeRunId(runId)) {
      throw new TopdownError('USAGE', `Invalid run id ${JSON.stringify(runId)}`, {
        hint: 'Run ids look like 20250101-120000-042-evaluate-mlp-9f3c; copy one from `topdown runs`.',
      });
    }
    return join(this.dir, runId);
  }

  /**
   * Records a new run: creates its folder, writes run.json and indexes it. Throws if the id is taken, and
   * DISK_FULL or WRITE_FAILED (leaving no folder behind) when run.json cannot be written.
   */
  create(record: RunRecord): void {
    mkdirSync(this.dir, { recursive: true });
    const dir = this.runDir(record.id);
    try {
      mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new TopdownError('INTERNAL', `Run ${record.id} already exists`, { file: dir });
      }
      throw error;
    }
    try {
      this.writeRecord(dir, record);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true }); // a folder without its record would be a run being created
      throw error;
    }
    this.appendIndex([indexEntry(record)]);
  }

  /** Replaces a run's record atomically and indexes the change. Throws RUN_NOT_FOUND if it was deleted. */
  save(record: RunRecord): void {
    const dir = this.existingRunDir(record.id);
    this.writeRecord(dir, record);
    this.appendIndex([indexEntry(record)]);
  }

  /**
   * Writes one of a run's output files (`fileName` inside its folder) whole or not at all, and returns its path;
   * DISK_FULL or WRITE_FAILED naming the file when it cannot be written (an older version stays as it was).
   */
  writeOutput(runId: string, fileName: string, content: string): string {
    const file = join(this.existingRunDir(runId), fileName);
    writeFileAtomic(file, content, this.write);
    return file;
  }

  /** Appends events to the run's events.jsonl. */
  appendEvents(runId: string, events: readonly RunEvent[]): void {
    const dir = this.existingRunDir(runId);
    appendLines(
      join(dir, 'events.jsonl'),
      events.map((event) => JSON.stringify(event)),
      this.write,
    );
  }

  /**
   * A run's record, read through migrate(). A `running` run whose process is gone reads as `interrupted`.
   * Throws RUN_NOT_FOUND (missing or corrupt run.json, naming the file) or SCHEMA_TOO_NEW.
   */
  get(runId: string): RunRecord {
    return this.withLiveness(this.readRecord(runId));
  }

  /** A run's events in order; a torn last line (its writer was killed) and unreadable lines are skipped. */
  readEvents(runId: string): RunEvent[] {
    const file = join(this.runDir(runId), 'events.jsonl');
    if (!existsSync(file)) return [];
    const events: RunEvent[] = [];
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        events.push(JSON.parse(line) as RunEvent);
      } catch {
        // A torn append; appendLines starts the next write on a new line.
      }
    }
    return events;
  }

  /**
   * Runs matching the filter, newest first, from the index (rebuilt from the folders when it is missing,
   * corrupt, or names other runs than the folders hold).
   */
  list(filter: RunFilter = {}): RunIndexEntry[] {
    const contents = this.loadIndex();
    const alive = new Map<string, boolean>();
    const matches: RunIndexEntry[] = [];
    for (const stored of contents.entries.values()) {
      let entry = stored;
      if (entry.status === 'running' && entry.pid !== undefined) {
        const owner = `${entry.pid}@${entry.pidStart ?? ''}`;
        let isAlive = alive.get(owner);
        if (isAlive === undefined) {
          isAlive = this.isAlive(entry.pid, entry.pidStart);
          alive.set(owner, isAlive);
        }
        if (!isAlive) entry = { ...entry, status: 'interrupted' };
      }
      if (filter.step !== undefined && entry.step !== filter.step) continue;
      if (filter.status !== undefined && entry.status !== filter.status) continue;
      if (filter.candidate !== undefined && entry.candidate !== filter.candidate) continue;
      if (filter.session !== undefined && entry.session !== filter.session) continue;
      matches.push(entry);
    }
    // Newest first; runs started in the same millisecond keep the reverse of the order they were recorded in.
    matches.reverse();
    return matches.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }

  /**
   * The newest run of a step (and candidate, when given) with the given status, `completed` by default
   * (`any` for every status); undefined when there is none.
   */
  latest(step: StepName, candidate?: string, status: RunStatus | 'any' = 'completed'): RunRecord | undefined {
    const [entry] = this.list({ step, candidate, status: status === 'any' ? undefined : status });
    return entry ? this.get(entry.id) : undefined;
  }

  /** Deletes a run's folder and records a tombstone in the index. Throws RUN_NOT_FOUND if it does not exist. */
  delete(runId: string): void {
    const dir = this.runDir(runId);
    const known = readIndex(this.indexFile)?.entries.get(runId);
    if (!known && !existsSync(dir)) throw this.notFound(runId);
    let entry = known;
    if (!entry) {
      try {
        entry = indexEntry(this.readRecord(runId));
      } catch {
        entry = { id: runId } as RunIndexEntry; // an unreadable run: the tombstone needs only the id
      }
    }
    // Tombstone first: if the process dies before the folder is gone, the run is already unlisted.
    this.appendIndex([{ ...entry, deleted: true }]);
    rmSync(dir, { recursive: true, force: true });
  }

  /** Sets (or, with undefined or '', clears) a run's label; returns the saved record. */
  setLabel(runId: string, label: string | undefined): RunRecord {
    return this.update(runId, (record) => {
      if (label) record.label = label;
      else delete record.label;
    });
  }

  /** Sets (or, with undefined or '', clears) a run's note; returns the saved record. */
  setNote(runId: string, note: string | undefined): RunRecord {
    return this.update(runId, (record) => {
      if (note) record.note = note;
      else delete record.note;
    });
  }

  /**
   * Rewrites the index from the run folders and returns its live entries. A folder whose run.json cannot be
   * read gets an `unreadable` line, so it counts as known. When the index cannot be written (a read-only
   * folder, a full disk), the entries are still returned: the index is only a cache of the folders.
   */
  rebuildIndex(): RunIndexEntry[] {
    const entries: RunIndexEntry[] = [];
    const unreadable = new Set<string>();
    for (const id of this.runFolders()) {
      try {
        entries.push(indexEntry(this.readRecord(id)));
      } catch {
        // A run that cannot be read cannot be listed; get() reports why when asked for it.
        unreadable.add(id);
      }
    }
    entries.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
    if (existsSync(this.dir)) {
      try {
        const contents = { entries: new Map(entries.map((entry) => [entry.id, entry])), unreadable };
        writeFileAtomic(this.indexFile, formatContents(contents), this.write);
      } catch {
        // Listing does not need the cache; the next reader that can write rebuilds it.
      }
    }
    this.liveBytes = formatIndex(entries).length;
    return entries;
  }

  private update(runId: string, change: (record: RunRecord) => void): RunRecord {
    const record = this.readRecord(runId);
    change(record);
    this.save(record);
    return this.withLiveness(record);
  }

  private readRecord(runId: string): RunRecord {
    const file = join(this.runDir(runId), 'run.json');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw this.notFound(runId, file);
      throw corruptRunError(file, `it cannot be read (${code ?? (error as Error).message})`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw corruptRunError(file, `it is not valid JSON (${(error as Error).message})`);
    }
    return migrate(raw, file);
  }

  private withLiveness(record: RunRecord): RunRecord {
    if (
      record.status === 'running' &&
      record.pid !== undefined &&
      !this.isAlive(record.pid, record.pidStart)
    ) {
      return { ...record, status: 'interrupted' };
    }
    return record;
  }

  private existingRunDir(runId: string): string {
    const dir = this.runDir(runId);
    if (!existsSync(dir)) throw this.notFound(runId);
    return dir;
  }

  private notFound(runId: string, file: string = this.runDir(runId)): TopdownError {
    return new TopdownError('RUN_NOT_FOUND', `Run ${runId} not found (${file} does not exist)`, {
      file,
      hint: 'It may have been deleted; `topdown runs` lists the runs of this project.',
    });
  }

  /** The index, rebuilt from the run folders when it is missing, corrupt or stale. */
  private loadIndex(): IndexContents {
    const contents = readIndex(this.indexFile);
    if (contents && this.matchesFolders(contents)) return contents;
    const entries = this.rebuildIndex();
    return {
      entries: new Map(entries.map((entry) => [entry.id, entry])),
      unreadable: new Set(),
      lineCount: entries.length,
      corrupt: false,
    };
  }

  /**
   * Whether the index parsed and names exactly the run folders: every indexed run has its folder, and every
   * folder with a run.json is indexed (one without is a run being created, whose line is still to come).
   */
  private matchesFolders(contents: IndexContents): boolean {
    if (contents.corrupt) return false;
    const folders = new Set(this.runFolders());
    for (const id of contents.entries.keys()) if (!folders.has(id)) return false;
    for (const id of contents.unreadable) if (!folders.has(id)) return false;
    for (const id of folders) {
      if (contents.entries.has(id) || contents.unreadable.has(id)) continue;
      if (existsSync(join(this.dir, id, 'run.json'))) return false;
    }
    return true;
  }

  /** Names of the run folders (subfolders of runs/ with a safe run id). */
  private runFolders(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir, { withFileTypes: true })
      .filter((item) => item.isDirectory() && isSafeRunId(item.name))
      .map((item) => item.name);
  }

  /** Before this store's first index write: a damaged or stale index is rebuilt, so appends land on a good one. */
  private appendIndex(entries: RunIndexEntry[]): void {
    let lines = entries;
    if (this.liveBytes === undefined) {
      const contents = this.measureIndex();
      // The rebuilt index holds the records already written; only a tombstone is still to be recorded.
      if (!contents || !this.matchesFolders(contents)) {
        this.rebuildIndex();
        lines = entries.filter((entry) => entry.deleted);
      }
    }
    appendLines(
      this.indexFile,
      lines.map((entry) => JSON.stringify(entry)),
      this.write,
    );
    this.compactIfNeeded();
  }

  private writeRecord(dir: string, record: RunRecord): void {
    writeFileAtomic(join(dir, 'run.json'), JSON.stringify(record, null, 2) + '\n', this.write);
  }

  private measureIndex(): IndexContents | undefined {
    const contents = readIndex(this.indexFile);
    this.liveBytes = contents ? formatIndex(contents.entries.values()).length : 0;
    return contents;
  }

  /**
   * Rewrites the index with its live entries once superseded lines and tombstones dominate it (the file is
   * four times the size of its live lines). Sizes stand in for line counts so the check costs one stat.
   */
  private compactIfNeeded(): void {
    const size = statSync(this.indexFile).size;
    if (size < COMPACT_MIN_BYTES || size < COMPACT_FACTOR * (this.liveBytes ?? 0)) return;
    const contents = this.measureIndex();
    if (!contents || contents.corrupt || size < COMPACT_FACTOR * (this.liveBytes ?? 0)) return;
    writeFileAtomic(this.indexFile, formatContents(contents), this.write);
  }
}
