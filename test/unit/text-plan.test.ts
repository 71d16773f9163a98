import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readCsv } from '../../src/core/data/csv';
import { planProject } from '../../src/core/plan/plan';
import { planReadme } from '../../src/core/plan/readme';
import { corpusFacts, PLANNED_MIN_COUNT, planTextCandidates } from '../../src/core/plan/text';
import { DEFAULT_TOKENIZE, tokenize } from '../../src/core/text/tokenize';
import { fitVocabulary } from '../../src/core/text/vocabulary';
import { corpusCsv } from '../helpers/text';

describe('planning a text project', () => {
  it('plans TF-IDF with the sparse text models, the rating scaled to 0–1 beside it, the id left out', async () => {
    const file = corpusCsv(60);
    const plan = planProject(await readCsv(file), { target: 'label' });
    const { config } = plan;
    assert.deepEqual(config.problem.ignore, ['id']);
    assert.deepEqual(config.prepare, [
      { op: 'minmax', columns: ['rating'] },
      { op: 'tfidf', columns: ['text'], maxTokens: 20000, minCount: 2 },
    ]);
    assert.deepEqual(
      config.evaluate.candidates.map((candidate) => candidate.model),
      ['baseline', 'logistic', 'multinomial-nb', 'mlp'],
    );
    const candidates = plan.choices.find((choice) => choice.topic === 'candidates');
    assert.match(candidates?.why ?? '', /first layer multiplies only the stored values \(\d+ × 32 weights\)/);
    const improve = config.improve as { candidates: string[]; ensembles: Array<{ members: string[] }> };
    assert.deepEqual(improve.candidates, ['logistic']);
    assert.deepEqual(improve.ensembles[0].members, ['logistic', 'naive-bayes']);
    const text = plan.choices.find((choice) => choice.topic === 'text');
    // 26 distinct words in the generator's lists, every one in two documents or more at 60 rows.
    assert.match(
      text?.why ?? '',
      /"text" \(60 documents, a median of \d+ words, 26 distinct words, 26 in 2 documents or more\)/,
    );
    const readme = planReadme(plan, file);
    assert.match(readme, /\| text \| TF-IDF of "text"/);
  });

  it('leaves the mlp out when its first layer would take too many weight updates, saying why', () => {
    const { candidates, choices } = planTextCandidates(200_000, 100_000);
    assert.deepEqual(
      candidates.map((candidate) => candidate.model),
      ['baseline', 'logistic', 'multinomial-nb'],
    );
    assert.match(choices[0].why, /No mlp: its first layer \(200000 × 32 weights/);
    assert.ok(planTextCandidates(20_000, 5_000).candidates.some((candidate) => candidate.model === 'mlp'));
  });

  it('leaves text out of a regression plan, saying why', async () => {
    const plan = planProject(await readCsv(corpusCsv(60)), { target: 'rating', task: 'regression' });
    assert.ok(!(plan.config.prepare ?? []).some((op) => op.op === 'tfidf'));
    assert.ok(plan.choices.some((choice) => choice.choice.includes('leave out the text in "text"')));
  });

  it('counts the corpus facts on token ids as the string tokens and vocabulary count them', () => {
    const long = Array.from({ length: 2500 }, (_, index) => `w${index % 2300}`).join(' ');
    const values = [
      'Free money now, free!',
      null,
      'the meeting notes and the MONEY report',
      'once-only zyzzyva',
      long,
      `${long} tail`,
      '',
      'meeting about money',
    ];
    // The planner's former count: string tokens, the vocabulary fitted with minCount 1 and 2, words uncut.
    const documents = values.map((value) => tokenize(value, DEFAULT_TOKENIZE).tokens);
    const lengths = values
      .filter((value): value is string => value !== null)
      .map((value) => tokenize(value, { ...DEFAULT_TOKENIZE, maxWords: Infinity }).words)
      .sort((left, right) => left - right);
    const facts = corpusFacts(values);
    assert.deepEqual(facts, {
      medianWords: lengths[Math.floor(lengths.length / 2)],
      distinct: fitVocabulary(documents, Infinity, 1).tokens.length,
      frequent: fitVocabulary(documents, Infinity, PLANNED_MIN_COUNT).tokens.length,
    });
    // By hand: 2,000 of the 2,300 w-words survive the cut at 2,000 words (both long documents), money and meeting
    // are in two documents or more; free, now, the, notes, and, report, once, only, zyzzyva, about in one; "tail"
    // is cut. Median of the words of the 7 present documents (0, 2, 3, 4, 7, 2500, 2501): 4.
    assert.deepEqual(facts, { medianWords: 4, distinct: 2012, frequent: 2002 });
  });

  it('plans the spam template corpus with the numbers the string-token count gave', async () => {
    const file = path.join(__dirname, '..', '..', 'templates', 'spam', 'data', 'spam.csv');
    const plan = planProject(await readCsv(file), { target: 'label' });
    const text = plan.choices.find((choice) => choice.topic === 'text');
    // Measured with the planner as it was (tokens as strings, the vocabulary fitted twice), commit 2009bae.
    assert.match(
      text?.why ?? '',
      /"text" \(2016 documents, a median of 109 words, 19080 distinct words, 8507 in 2 documents or more\)/,
    );
  });
});
