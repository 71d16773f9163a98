/**
 * The run index `runs/index.jsonl`: one RunIndexEntry per line, appended on every create, save and delete.
 * The last line for an id wins; a line with `deleted: true` is a tombstone. Listing runs reads this one
 * file instead of every run folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { RunIndexEntry, RunRecord } from '../../protocol/records';

/** The index as read: live entries in first-seen order, and what is needed to decide on compaction. */
export interface IndexContents {
  /** Live entries by id, in the order their runs were first recorded. */
  entries: Map<string, RunIndexEntry>;
  /** Lines holding an entry (live, superseded or tombstone). */
  lineCount: number;
  /** A line other than the last could not be read: the index must be rebuilt from the run folders. */
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

/**
 * Parses index text. A last line that does not parse is a torn append (its writer was killed) and is
 * ignored; any other unreadable line marks the index corrupt.
 */
export function parseIndex(text: string): IndexContents {
  const entries = new Map<string, RunIndexEntry>();
  const lines = text.split('\n');
  let lastContentLine = lines.length - 1;
  while (lastContentLine >= 0 && lines[lastContentLine].trim() === '') lastContentLine--;
  let lineCount = 0;
  let corrupt = false;
  for (let index = 0; index <= lastContentLine; index++) {
    const line = lines[index];
    if (line.trim() === '') continue;
    const entry = parseLine(line);
    if (!entry) {
      if (index !== lastContentLine) corrupt = true;
      continue;
    }
    lineCount++;
    // Map.set keeps a key's first position, so updates do not reorder runs.
    if (entry.deleted) entries.delete(entry.id);
    else entries.set(entry.id, entry);
  }
  return { entries, lineCount, corrupt };
}

function parseLine(line: string): RunIndexEntry | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (value === null || typeof value !== 'object' || typeof (value as { id?: unknown }).id !== 'string') {
      return undefined;
    }
    return value as RunIndexEntry;
  } catch {
    return undefined;
  }
}

/** The index at `file`, or undefined when there is none. */
export function readIndex(file: string): IndexContents | undefined {
  if (!existsSync(file)) return undefined;
  return parseIndex(readFileSync(file, 'utf8'));
}

/** Index text holding exactly the given entries, one line each. */
export function formatIndex(entries: Iterable<RunIndexEntry>): string {
  let text = '';
  for (const entry of entries) text += JSON.stringify(entry) + '\n';
  return text;
}
