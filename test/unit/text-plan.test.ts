import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readCsv } from '../../src/core/data/csv';
import { planProject } from '../../src/core/plan/plan';
import { planReadme } from '../../src/core/plan/readme';
import {
  corpusFacts,
  PLANNED_MIN_COUNT,
  planTextCandidates,
  type CorpusFacts,
} from '../../src/core/plan/text';
import { EMBEDDING_BUDGET, embeddingSizes, planEmbedding } from '../../src/core/plan/text-embedding';
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
      ['baseline', 'logistic', 'multinomial-nb', 'mlp', 'embedding'],
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

  it('adds an embedding network with its own pipeline, sized from the corpus, each number explained', async () => {
    const file = corpusCsv(60);
    const plan = planProject(await readCsv(file), { target: 'label' });
    const embedding = plan.config.evaluate.candidates.find((candidate) => candidate.model === 'embedding')!;
    // The corpus: 60 messages of 8 to 14 words from 26 words, all in 2+ documents; 10 folds train on 54 (no holdout).
    assert.deepEqual(embedding.prepare, [
      { op: 'drop', columns: ['rating'] },
      { op: 'sequences', columns: ['text'], length: 16, maxTokens: 26, minCount: 2 },
    ]);
    assert.deepEqual(
      { ...embedding, prepare: undefined },
      {
        name: 'embedding',
        model: 'embedding',
        embeddingDim: 8,
        encoder: 'average',
        dropout: 0.2,
        epochs: 30,
        batchSize: 64,
        learningRate: 0.01,
        earlyStopping: { patience: 3 },
        prepare: undefined,
      },
    );
    assert.equal(plan.config.evaluate.validation.folds, 10);
    const why = plan.choices.find((choice) => choice.topic === 'embedding')!.why;
    assert.match(why, /Vocabulary 26: the 26 distinct words in 2 documents or more;/);
    assert.match(
      why,
      /Length 16 tokens: the 90th percentile of the words per document \(1[0-4]\) held between 16 and 128/,
    );
    assert.match(why, /0% of the documents are longer and cut there/);
    assert.match(why, /8 values per token: the fourth root of the vocabulary/);
    assert.match(
      why,
      /30 epochs of batches of 64: about 600 Adam steps over the 54 training documents \(1 batch per epoch\)/,
    );
    assert.match(why, /drops "rating" first/);
    const readme = planReadme(plan, file);
    assert.ok(
      readme.includes('| embedding | embedding \\(own pipeline: sequences of "text", 26 tokens, length 16;'),
    );
    assert.doesNotMatch(readme, /project of its own/);
  });

  it('sizes the embedding from the token lengths: the 90th percentile, capped, with the cut share', () => {
    const corpus = (lengths: number[], frequent: number): CorpusFacts => ({
      medianWords: 0,
      lengths: [...lengths].sort((left, right) => left - right),
      distinct: frequent * 2,
      frequent,
    });
    // Ten documents of 10..100 tokens: the 90th percentile is 90, one document (100) is cut.
    const tens = Array.from({ length: 10 }, (_, index) => (index + 1) * 10);
    const sized = embeddingSizes(corpus(tens, 50_000), 4_000);
    assert.equal(sized.length, 90);
    assert.equal(sized.cut, 0.1);
    assert.equal(sized.maxTokens, 10_000, 'capped');
    assert.equal(sized.embeddingDim, 16, 'fourth root of 10000 is 10: the next power of two');
    assert.equal(sized.batches, 63);
    assert.equal(sized.epochs, 10, '600 steps over 63 batches');
    const long = embeddingSizes(corpus([500, 900, 1200, 4000], 300), 100);
    assert.equal(long.length, 128, 'capped at 128');
    assert.equal(long.cut, 1);
    assert.equal(long.embeddingDim, 8);
    assert.equal(long.epochs, 30);
    const why = planEmbedding('text', corpus([500, 900, 1200, 4000], 300), [], 100).why;
    assert.match(why, /\(4000\) held between 16 and 128.*; 100% of the documents are longer and cut there/);
    const huge = planEmbedding('text', corpus(Array(100).fill(4000), 20_000_000), [], 3_000_000);
    assert.equal(huge.candidate, undefined);
    assert.ok(huge.why.includes(`beyond the planner's ${EMBEDDING_BUDGET.toExponential(0)}`), huge.why);
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
    const { lengths: words, ...facts } = corpusFacts(values);
    assert.deepEqual(words, lengths);
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
