/**
 * What a text classifier got wrong and why: snippets, misclassified holdout documents (hand-computed), the words
 * a logistic model's weights push towards each class, and the whole of it written by a real `present`.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RunStore } from '../../src/core/runs/store';
import { classWords, misclassifiedDocuments, savedLinearWeights, snippet } from '../../src/core/text/results';
import type { TextResults } from '../../src/protocol/profile';
import { presentJob } from '../../src/runner/jobs/present';
import { memoryReporter } from '../../src/runner/reporter';
import { tempDir, writeProject } from '../helpers/cli';
import { recordCompletedRun } from '../helpers/runs';
import { corpusRows } from '../helpers/text';

describe('snippet', () => {
  it('collapses whitespace, drops control characters and cuts at a word with an ellipsis', () => {
    assert.equal(snippet('  Hello\r\n\tworld\u0000!  '), 'Hello world!');
    assert.equal(snippet('one two three four', 9), 'one two…');
    assert.equal(snippet('one two three', 13), 'one two three');
    assert.equal(snippet('abcdefghij', 4), 'abcd…', 'a single long word is cut inside');
  });
});

describe('misclassifiedDocuments', () => {
  const documents = ['free money now', 'team meeting', null, 'win cash', 'lunch notes'];
  // Holdout samples are table rows 0, 1, 3, 4 (row 2 is in training); classes [ham, spam].
  const holdout = {
    rows: [0, 1, 3, 4],
    truth: [1, 0, 1, 0],
    predictions: [0.9, 0.1, 0.2, 0.8, 0.4, 0.6, 0.3, 0.7],
  };

  it('lists the wrong ones, the most confident first, with 1-based rows and the predicted probability', () => {
    const result = misclassifiedDocuments(documents, holdout, ['ham', 'spam']);
    assert.equal(result.misclassified, 3);
    assert.deepEqual(
      result.documents.map((item) => [item.row, item.actual, item.predicted, item.probability, item.snippet]),
      [
        [1, 'spam', 'ham', 0.9, 'free money now'],
        [2, 'ham', 'spam', 0.8, 'team meeting'],
        [5, 'ham', 'spam', 0.7, 'lunch notes'],
      ],
    );
  });

  it('keeps at most `shown` documents but counts them all', () => {
    const result = misclassifiedDocuments(documents, holdout, ['ham', 'spam'], 1);
    assert.equal(result.misclassified, 3);
    assert.equal(result.documents.length, 1);
  });
});

describe('classWords', () => {
  const featureNames = ['text:free', 'text:meeting', 'text:win', 'rating', 'text:lunch'];

  it('reads a binary model: positive weights push to the second class, negative ones to the first', () => {
    const words = classWords({ weights: [2, -1.5, 0.5, 9, -3], outputs: 1, featureNames }, 'text', [
      'ham',
      'spam',
    ]);
    assert.deepEqual(words, [
      {
        value: 'ham',
        words: [
          { word: 'lunch', weight: 3 },
          { word: 'meeting', weight: 1.5 },
        ],
      },
      {
        value: 'spam',
        words: [
          { word: 'free', weight: 2 },
          { word: 'win', weight: 0.5 },
        ],
      },
    ]);
  });

  it('reads one weight row per class for more classes, and keeps the top `count`', () => {
    const weights = [1, 0, 2, 5, 0, 0, 3, 0, 0, 0, -1, -1, -1, -1, -1];
    const words = classWords({ weights, outputs: 3, featureNames }, 'text', ['a', 'b', 'c'], 1);
    assert.deepEqual(words, [
      { value: 'a', words: [{ word: 'win', weight: 2 }] },
      { value: 'b', words: [{ word: 'meeting', weight: 3 }] },
      { value: 'c', words: [] },
    ]);
  });

  it('takes weights only from a logistic model whose state matches its features', () => {
    const names = ['text:a', 'text:b'];
    const state = { parameters: [1, 2, 0.5], features: 2 };
    assert.deepEqual(
      savedLinearWeights({ kind: 'logistic', state }, names, ['x', 'y'])?.weights,
      [1, 2, 0.5],
    );
    assert.equal(savedLinearWeights({ kind: 'multinomial-nb', state }, names, ['x', 'y']), undefined);
    assert.equal(savedLinearWeights({ kind: 'logistic', state }, ['text:a'], ['x', 'y']), undefined);
    assert.equal(savedLinearWeights({ kind: 'logistic', state }, names, ['x', 'y', 'z']), undefined);
  });
});

describe('present on a text project', () => {
  it('writes the misclassified documents and the class words of the logistic model beside its record', async () => {
    const dir = writeProject(tempDir('text-results'), {
      name: 'text-results',
      problem: {
        data: 'data/data.csv',
        target: 'label',
        task: 'binary',
        positiveClass: 'spam',
        holdout: 0.3,
      },
      prepare: [{ op: 'tfidf', columns: ['text'] }],
      evaluate: {
        validation: { scheme: 'stratified-kfold', folds: 3 },
        seed: 3,
        candidates: [{ name: 'logistic', model: 'logistic', C: 10 }],
      },
    });
    // Every eighth label flipped, so the holdout has mistakes to show.
    const rows = corpusRows(90).map(([, text, , label], row) => [
      text,
      row % 8 === 7 ? (label === 'spam' ? 'ham' : 'spam') : label,
    ]);
    writeFileSync(
      join(dir, 'data', 'data.csv'),
      ['text,label', ...rows.map((row) => row.join(','))].join('\n') + '\n',
    );
    await recordCompletedRun(
      dir,
      'evaluate',
      { name: 'logistic', model: 'logistic', C: 10 },
      [0.8, 0.8, 0.8],
    );
    await presentJob(dir, { backend: 'cpu', reporter: memoryReporter() });
    const [present] = new RunStore(dir).list({ step: 'present' });
    const record = new RunStore(dir).get(present.id)!;
    const file = join(dir, record.outputs!.textResults);
    const text = JSON.parse(readFileSync(file, 'utf8')) as TextResults;
    assert.equal(text.column, 'text');
    assert.equal(text.holdout, 27);
    const confusion = record.holdout!.confusion!;
    assert.equal(text.misclassified, confusion[0][1] + confusion[1][0]);
    assert.ok(text.misclassified > 0);
    for (const item of text.documents) {
      assert.notEqual(item.actual, item.predicted);
      assert.equal(item.snippet, rows[item.row - 1][0]);
    }
    const [ham, spam] = text.classWords!;
    assert.deepEqual([ham.value, spam.value], ['ham', 'spam']);
    const spamWords = new Set(['free', 'win', 'money', 'offer', 'prize', 'click', 'cash', 'now']);
    const hamWords = new Set([
      'meeting',
      'project',
      'report',
      'lunch',
      'team',
      'schedule',
      'notes',
      'review',
    ]);
    assert.ok(spamWords.has(spam.words[0].word), `top spam word ${spam.words[0].word}`);
    assert.ok(hamWords.has(ham.words[0].word), `top ham word ${ham.words[0].word}`);
  });
});
