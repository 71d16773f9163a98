/**
 * `topdown predict <bundle> -`: the input on stdin. For a model that reads one free-text column, each non-blank
 * line is one document (`cat emails.txt | topdown predict models/spam -`); for any other model stdin is a CSV
 * with the columns it reads. Either way the input becomes a temporary CSV, removed after the prediction.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_FIELD_CHARS } from '../../core/data/columns';
import { TopdownError } from '../../core/errors';
import { isEnsembleBundle, readBundle } from '../../core/present/bundle';
import type { PipelineState } from '../../core/prepare/pipeline';

/** The input argument that means stdin. */
export const STDIN = '-';

/**
 * The one free-text column a bundle reads, or undefined when it reads other columns too (or none). An ensemble's
 * members each have their own pipeline (a candidate's own `prepare`): all of them must read that one column.
 */
export function textInputColumn(bundleDir: string): string | undefined {
  const bundle = readBundle(bundleDir);
  const pipelines = isEnsembleBundle(bundle)
    ? bundle.members.map((member) => member.pipeline)
    : [bundle.pipeline];
  const columns = new Set(pipelines.map(textColumnOf));
  const [column] = columns;
  return pipelines.length > 0 && columns.size === 1 ? column : undefined;
}

/** The one free-text column a fitted pipeline reads, or undefined. */
function textColumnOf(pipeline: PipelineState | undefined): string | undefined {
  if (!pipeline) return undefined;
  const inputs = pipeline.inputs.filter((input) => input.name !== pipeline.problem.target);
  return inputs.length === 1 && inputs[0].kind === 'text' ? inputs[0].name : undefined;
}

/**
 * A CSV of one column `name`, one row per non-blank line of `text`. A line longer than a CSV cell may be is refused
 * here, naming its line of stdin (the temporary CSV's row would skip the blank lines, and its file is gone).
 */
export function documentsCsv(name: string, text: string): string {
  const quote = (field: string) => `"${field.replace(/"/g, '""')}"`;
  const all = text.split(/\r?\n/);
  all.forEach((line, index) => {
    if (line.length > MAX_FIELD_CHARS) throw lineTooLong(index + 1, line.length);
  });
  const lines = all.filter((line) => line.trim().length > 0);
  if (lines.length === 0) {
    throw new TopdownError('CSV_EMPTY', 'stdin holds no document: give one document per line.', {
      hint: 'Pipe the documents in, e.g. `cat emails.txt | topdown predict models/<name> -`.',
    });
  }
  return [quote(name), ...lines.map(quote)].join('\n') + '\n';
}

/** Writes stdin's `text` as a temporary CSV for the bundle; `dispose` removes it. */
export function stdinInput(bundleDir: string, text: string): { file: string; dispose(): void } {
  const column = textInputColumn(bundleDir);
  const dir = mkdtempSync(join(tmpdir(), 'topdown-stdin-'));
  const file = join(dir, 'stdin.csv');
  writeFileSync(file, column ? documentsCsv(column, text) : text);
  return { file, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** CSV_FIELD_TOO_LONG for a document on stdin, at its 1-based line. */
function lineTooLong(line: number, length: number): TopdownError {
  return new TopdownError(
    'CSV_FIELD_TOO_LONG',
    `Line ${line} of stdin holds ${length.toLocaleString('en')} characters; Topdown reads at most ${MAX_FIELD_CHARS.toLocaleString('en')} in a document.`,
    {
      file: 'stdin',
      row: line,
      hint: 'Give one document per line (a file with other line breaks needs them turned into spaces), and cut very long texts: the tokenize op reads only the first maxWords words of a document anyway.',
    },
  );
}
