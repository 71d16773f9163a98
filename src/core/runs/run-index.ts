/**
 * The run index `runs/index.jsonl`: one RunIndexEntry per line, appended on every create, save and delete.
 * The last line for an id wins; a line with `deleted: true` is a tombstone, one with `unreadable: true` names a
 * run folder whose run.json cannot be read. Listing runs reads this one file instead of every run folder.
 *
 * The index is a cache of the run folders: a line that does not parse (torn by a killed writer, garbage, NUL
 * bytes) or does not have an entry's shape marks it corrupt, and the store then rebuilds it from the folders.
 */
import { readFileSync } from 'node:fs';
import type { RunIndexEntry, RunRecord, RunStatus, StepName } from '../../protocol/records';
import { isSafeRunId } from './ids';

/** The index as read: live entries in first-seen order, and what is needed to decide on compaction. */
export interface IndexContents {
  /** Live entries by id, in the order their runs were first recorded. */
  entries: Map<string, RunIndexEntry>;
  /** Ids of run folders whose run.json could not be read when the index was rebuilt. */
  unreadable: Set<string>;
  /** Lines holding an entry (live, superseded, unreadable or tombstone). */
  lineCount: number;
  /** A line could not be read, or the file itself: the index must be rebuilt from the run folders. */
  corrupt: boolean;
}

/** The index line for a record. */
export function indexEntry(record: RunRecord): RunIndexEntry {
  const entry: RunIndexEntry = {
    id: record.id,
    step: record.step,
    session: record.session,
    status: record.status,
    createdAt: record.createdAt,
    metric: record.metric,
    backend: record.backend?.name ?? 'none',
  };
  if (record.candidate !== undefined) entry.candidate = record.candidate;
  if (record.model !== undefined) entry.model = record.model;
  if (record.label !== undefined) entry.label = record.label;
  if (record.pid !== undefined) entry.pid = record.pid;
  if (record.pidStart !== undefined) entry.pidStart = record.pidStart;
  if (record.durationMs !== undefined) entry.durationMs = record.durationMs;
  if (record.summary !== undefined) entry.summary = record.summary;
  return entry;
}

/** Parses index text. Any line that is not an index entry (a torn append included) marks the index corrupt. */
export function parseIndex(text: string): IndexContents {
  const entries = new Map<string, RunIndexEntry>();
  const unreadable = new Set<string>();
  let lineCount = 0;
  let corrupt = false;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const entry = parseLine(line);
    if (!entry) {
      corrupt = true;
      continue;
    }
    lineCount++;
    // Map.set keeps a key's first position, so updates do not reorder runs.
    if (entry.deleted || entry.unreadable) entries.delete(entry.id);
    else entries.set(entry.id, entry);
    if (entry.unreadable && !entry.deleted) unreadable.add(entry.id);
    else unreadable.delete(entry.id);
  }
  return { entries, unreadable, lineCount, corrupt };
}

const STEPS = new Set<string>(['define', 'prepare', 'evaluate', 'improve', 'present'] satisfies StepName[]);
const STATUSES = new Set<string>([
  'running',
  'completed',
  'failed',
  'cancelled',
  'interrupted',
] satisfies RunStatus[]);

function parseLine(line: string): RunIndexEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  return isIndexEntry(value) ? value : undefined;
}

/**
 * Whether a parsed line has the shape the store relies on: a safe run id and, unless it is a tombstone or
 * names an unreadable folder, a known step and status, string times and names, and a positive integer pid.
 */
function isIndexEntry(value: unknown): value is RunIndexEntry {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const entry = value as Record<string, unknown>;
  if (typeof entry.id !== 'string' || !isSafeRunId(entry.id)) return false;
  if (entry.deleted === true || entry.unreadable === true) return true;
  const optionalStrings = ['candidate', 'model', 'label', 'pidStart'];
  return (
    typeof entry.step === 'string' &&
    STEPS.has(entry.step) &&
    typeof entry.status === 'string' &&
    STATUSES.has(entry.status) &&
    typeof entry.createdAt === 'string' &&
    typeof entry.session === 'string' &&
    typeof entry.metric === 'string' &&
    (entry.pid === undefined || (Number.isSafeInteger(entry.pid) && (entry.pid as number) > 0)) &&
    optionalStrings.every((key) => entry[key] === undefined || typeof entry[key] === 'string')
  );
}

/**
 * The index at `file`, or undefined when there is none. A file that cannot be read (a folder in its place,
 * no permission) reads as a corrupt, empty index, so that the store lists from the run folders.
 */
export function readIndex(file: string): IndexContents | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { entries: new Map(), unreadable: new Set(), lineCount: 0, corrupt: true };
  }
  return parseIndex(text);
}

/** Index text holding exactly the given entries, one line each. */
export function formatIndex(entries: Iterable<RunIndexEntry>): string {
  let text = '';
  for (const entry of entries) text += JSON.stringify(entry) + '\n';
  return text;
}

/** Index text for read contents: the live entries, then a line for each unreadable run folder. */
export function formatContents(contents: Pick<IndexContents, 'entries' | 'unreadable'>): string {
  let text = formatIndex(contents.entries.values());
  for (const id of contents.unreadable) text += JSON.stringify({ id, unreadable: true }) + '\n';
  return text;
}
