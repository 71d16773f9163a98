/** The report of a text project: the text column's profile and the final model's misclassified documents and class words. */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RunStore } from '../../src/core/runs/store';
import type { DataProfile, TextResults } from '../../src/protocol/profile';
import { renderReport } from '../../src/runner/report';
import { copyProject, record, recordStepsFourAndFive, recordStepsOneToThree } from './report-helpers';

const word = (text: string, documents: number) => ({ word: text, documents, score: documents });

/** Makes the define run's first feature a text column, and adds text results to a new present run. */
function addText(dir: string, store: RunStore): void {
  const define = store.list({ step: 'define' })[0];
  const file = join(store.runDir(define.id), 'profile.json');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as DataProfile;
  const column = profile.columns.find((entry) => entry.role === 'feature')!;
  column.type = 'text';
  column.text = {
    words: { min: 2, median: 9, max: 40, histogram: { edges: [2, 40], counts: [16] } },
    empty: 1,
    vocabulary: 321,
    frequent: [word('the', 15), word('and', 12)],
    indicative: [
      { value: 'M', words: [word('meeting', 6)] },
      { value: 'R', words: [word('prize', 5), word('cash', 5)] },
    ],
  };
  writeFileSync(file, JSON.stringify(profile));
  const present = record(store, 'present', 'session-present-2', {
    candidate: 'logistic',
    model: 'logistic',
    holdout: { score: 0.75, metrics: { accuracy: 0.75 }, size: 4 },
  });
  const text: TextResults = {
    column: 'body',
    holdout: 4,
    misclassified: 1,
    documents: [
      { row: 12, actual: 'R', predicted: 'M', probability: 0.875, snippet: 'Win a | prize *now*…' },
    ],
    classWords: [
      { value: 'M', words: [{ word: 'meeting', weight: 1.5 }] },
      { value: 'R', words: [] },
    ],
  };
  writeFileSync(join(store.runDir(present.id), 'text-results.json'), JSON.stringify(text));
}

describe('the report of a text project', () => {
  it('profiles the text column and lists the misclassified documents and the words per class', async () => {
    const dir = copyProject();
    const store = recordStepsOneToThree(dir);
    recordStepsFourAndFive(dir, store);
    addText(dir, store);
    const result = await renderReport(dir);
    const markdown = readFileSync(result.markdown, 'utf8');
    assert.match(
      markdown,
      /2 to 40 words per document \(median 9\), a vocabulary of 321 words, 1 empty document\. Most frequent words: the, and\./,
    );
    assert.match(markdown, /\| R \| prize, cash \|/);
    assert.match(markdown, /### Misclassified documents\n\n1 of 4 holdout documents misclassified/);
    // The snippet's pipe and asterisks are the document's text, not table or emphasis markup.
    assert.match(markdown, /\| 12 \| R \| M \| 0\.875 \| Win a \\\| prize \\\*now\\\*… \|/);
    assert.match(
      markdown,
      /### Words that push towards each class[\s\S]*\| M \| meeting \(\+1\.500\) \|\n\| R \| — \|/,
    );
    const html = readFileSync(result.html, 'utf8');
    assert.match(html, /<td>Win a \| prize \*now\*…<\/td>/);
  });

  it('has no text sections for a table project', async () => {
    const dir = copyProject();
    const store = recordStepsOneToThree(dir);
    recordStepsFourAndFive(dir, store);
    const markdown = readFileSync((await renderReport(dir)).markdown, 'utf8');
    assert.doesNotMatch(markdown, /Text column|Misclassified documents|Words that push/);
  });
});
