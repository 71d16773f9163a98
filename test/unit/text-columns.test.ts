import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readCsv } from '../../src/core/data/csv';
import { hasWords, inferTextColumn, isFreeText } from '../../src/core/data/infer';
import { profileTable } from '../../src/core/data/profile';
import { profileText } from '../../src/core/data/text-profile';
import { resolveInputs } from '../../src/core/prepare/frame';
import { corpusCsv, writeCsv } from '../helpers/text';
import { close } from './prepare-helpers';

const sentences = Array.from({ length: 12 }, (_, index) => `message number ${index} says hello to the team`);

describe('free-text columns', () => {
  it('counts words up to the threshold, whatever the whitespace', () => {
    assert.equal(hasWords('one two three four five'), true);
    assert.equal(hasWords('one two\tthree\nfour'), false);
    assert.equal(hasWords('  one   two  three four  five  '), true);
    assert.equal(hasWords(''), false);
  });

  it('calls long distinct sentences text, distinct names identifiers, repeated sentences categories', () => {
    assert.equal(inferTextColumn(sentences).type, 'text');
    const names = Array.from({ length: 12 }, (_, index) => `Braund, Mr. Owen ${index}`);
    assert.equal(inferTextColumn(names).type, 'identifier');
    const repeated = Array.from({ length: 12 }, (_, index) =>
      index % 2 === 0 ? 'some college but no degree' : 'high school and nothing after',
    );
    assert.equal(inferTextColumn(repeated).type, 'categorical');
  });

  it('needs half the values to be sentences, missing cells left out', () => {
    const half = sentences.map((text, index) => (index % 2 === 0 ? text : `code-${index}`));
    assert.equal(isFreeText(half), true);
    const fewer = sentences.map((text, index) => (index % 3 === 0 ? text : `code-${index}`));
    assert.equal(isFreeText(fewer), false);
    assert.equal(isFreeText([null, null, 'a b c d e']), true);
    assert.equal(isFreeText([null]), false);
  });

  it('reads a CSV text column as text, beside an identifier and numbers', async () => {
    const table = await readCsv(corpusCsv(30));
    assert.deepEqual(
      table.columns.map((column) => column.type),
      ['identifier', 'text', 'numeric', 'categorical'],
    );
  });

  it('leaves a text column out of a pipeline without text ops, saying which op uses it', async () => {
    const table = await readCsv(corpusCsv(30));
    const { inputs, notes } = resolveInputs(table, {
      data: 'corpus.csv',
      target: 'label',
      task: 'binary',
    });
    assert.deepEqual(
      inputs.map((input) => input.name),
      ['rating'],
    );
    assert.ok(notes.some((note) => note.includes('"text"') && note.includes('"op": "tfidf"')));
  });
});

describe('profileText', () => {
  it('measures lengths, vocabulary and document frequencies by hand', () => {
    const profile = profileText(['the cat sat', 'The dog sat down', null, '!!', 'a cat']);
    // Words are runs of 2+ letters or digits, lower-cased: "a" and "!!" are no words.
    assert.deepEqual([profile.words.min, profile.words.median, profile.words.max], [0, 2, 4]);
    assert.equal(profile.empty, 1);
    assert.equal(profile.vocabulary, 5); // the, cat, sat, dog, down
    assert.deepEqual(
      profile.frequent.slice(0, 3).map((word) => [word.word, word.documents]),
      [
        ['cat', 2],
        ['sat', 2],
        ['the', 2],
      ],
    );
    assert.equal(
      profile.words.histogram.counts.reduce((sum, count) => sum + count, 0),
      4,
    );
  });

  it('counts a word once per document, and scores class log-odds by hand (missing text and target rows)', () => {
    const long = 'supercalifragilistic';
    const values = [`offer offer ${long}`, 'offer now', 'offer hello', 'offer hello', null, 'offer'];
    // ham 0, spam 1; the last row has no target: its words count in the document frequencies only.
    const rows = Int32Array.from([1, 1, 0, 0, 0, -1]);
    const profile = profileText(values, { labels: ['ham', 'spam'], rows });
    assert.equal(profile.vocabulary, 4);
    assert.deepEqual(
      profile.frequent.map((word) => [word.word, word.documents]),
      [
        ['offer', 5],
        ['hello', 2],
        ['now', 1],
        [long, 1],
      ],
    );
    // Only "offer" is in 5+ documents. Spam: 2 of its 2 documents; the other 3 labelled documents (one without
    // text) hold it 5 − 2 = 3 times (the unlabelled row counts in the 5): ln(((2+1)/(0+1)) / ((3+1)/(0+1))).
    const spam = profile.indicative?.[1];
    assert.equal(spam?.value, 'spam');
    assert.deepEqual(
      spam?.words.map((word) => word.word),
      ['offer'],
    );
    close(spam?.words[0].score ?? NaN, Math.log(3 / 4), 1e-12);
  });

  it('ranks the words that set each class apart', async () => {
    const table = await readCsv(corpusCsv(60));
    const profile = profileTable(table, { target: 'label', task: 'binary', positiveClass: 'spam' });
    const text = profile.columns.find((column) => column.name === 'text')?.text;
    assert.ok(text?.indicative);
    const [ham, spam] = text.indicative;
    assert.equal(spam.value, 'spam');
    const spamWords = new Set(['free', 'win', 'money', 'offer', 'prize', 'click', 'cash', 'now']);
    assert.ok(
      spam.words.slice(0, 5).every((word) => spamWords.has(word.word)),
      JSON.stringify(spam.words),
    );
    assert.ok(ham.words.slice(0, 5).every((word) => !spamWords.has(word.word)));
    assert.ok(spam.words[0].score > 0);
  });

  it('a column of codes with a space is no text: it stays an identifier with no text profile', async () => {
    const rows = Array.from({ length: 20 }, (_, index) => [`AB ${1000 + index}`, index % 2 ? 'x' : 'y']);
    const table = await readCsv(writeCsv(['code', 'label'], rows));
    const profile = profileTable(table, { target: 'label', task: 'binary' });
    const code = profile.columns.find((column) => column.name === 'code');
    assert.equal(code?.type, 'identifier');
    assert.equal(code?.text, undefined);
  });
});
