/** The few fields of a project's topdown.json the views and panels show: its description, task and metric. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';

/** What the views read of topdown.json (each field only when it is a non-empty string). */
export interface ProjectHead {
  description?: string;
  task?: string;
  metric?: string;
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/** Reads topdown.json's head; throws when the file cannot be read (a parse error gives what could be read). */
export function readProjectHead(projectDir: string): ProjectHead {
  const parsed = parseJsonc(readFileSync(join(projectDir, 'topdown.json'), 'utf8')) as unknown;
  if (!parsed || typeof parsed !== 'object') return {};
  const head = parsed as { description?: unknown; problem?: { task?: unknown; metric?: unknown } };
  return {
    description: text(head.description),
    task: text(head.problem?.task),
    metric: text(head.problem?.metric),
  };
}

/** The project's task, or undefined when topdown.json cannot be read or names none. */
export function readProjectTask(projectDir: string): string | undefined {
  try {
    return readProjectHead(projectDir).task;
  } catch {
    return undefined;
  }
}
