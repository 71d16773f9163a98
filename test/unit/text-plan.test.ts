import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readCsv } from '../../src/core/data/csv';
import { planProject } from '../../src/core/plan/plan';
import { planReadme } from '../../src/core/plan/readme';
import { planTextCandidates } from '../../src/core/plan/text';
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
});
