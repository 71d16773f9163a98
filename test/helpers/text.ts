/** A tiny seeded corpus for the text tests: two classes of short messages, a numeric column and an identifier. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRng } from '../../src/core/random';

const SPAM = ['free', 'win', 'money', 'offer', 'prize', 'click', 'cash', 'now'];
const HAM = ['meeting', 'project', 'report', 'lunch', 'team', 'schedule', 'notes', 'review'];
const SHARED = ['the', 'and', 'for', 'your', 'today', 'this', 'week', 'please', 'about', 'with'];

/** One message: 8 to 14 words, about half of them from its class's words. */
function message(random: () => number, spam: boolean): string {
  const own = spam ? SPAM : HAM;
  const length = 8 + Math.floor(random() * 7);
  const words: string[] = [];
  for (let index = 0; index < length; index++) {
    const pool = random() < 0.5 ? own : SHARED;
    words.push(pool[Math.floor(random() * pool.length)]);
  }
  return words.join(' ');
}

/** Rows of `id,text,rating,label`: `count` messages, every third one spam (seeded). */
export function corpusRows(count: number, seed = 3): string[][] {
  const random = createRng(seed);
  return Array.from({ length: count }, (_, row) => {
    const spam = row % 3 === 0;
    return [`m${1000 + row}`, message(random, spam), String(spam ? 1 : 4), spam ? 'spam' : 'ham'];
  });
}

/** Writes a CSV (fields quoted) to a fresh temporary folder and returns its path. */
export function writeCsv(header: string[], rows: string[][], name = 'corpus.csv'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'topdown-text-'));
  const quote = (field: string) => `"${field.replace(/"/g, '""')}"`;
  const lines = [header.join(','), ...rows.map((row) => row.map(quote).join(','))];
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** The corpus as a CSV file (`id,text,rating,label`). */
export function corpusCsv(count = 30, seed = 3): string {
  return writeCsv(['id', 'text', 'rating', 'label'], corpusRows(count, seed));
}
