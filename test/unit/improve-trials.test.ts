/**
 * One trial numbering everywhere: the engine names trial N of a search `<candidate>#N`, and the Improve panel's
 * file (improve.json) numbers each trial by that N, also when successive halving kept only some trials.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { applyConfiguration } from '../../src/core/improve/search';
import { RunStore } from '../../src/core/runs/store';
import type { ImproveResults } from '../../src/protocol/panels';
import { recordTuning, type TuningOutcome } from '../../src/runner/jobs/tuning';
import type { CandidateRun } from '../../src/runner/jobs/candidates';
import { trialCandidateName, trialNumber } from '../../src/shared/trials';
import { fold, record } from '../helpers/records';
import { tempDir } from '../helpers/cli';

describe('trial names', () => {
  it('reads back the number the engine gave a trial, and nothing from other names', () => {
    const applied = applyConfiguration(
      { name: 'mlp-small', model: 'mlp', layers: [8], learningRate: 0.01 },
      {},
      7,
    );
    assert.equal(applied.name, 'mlp-small#7');
    assert.equal(trialCandidateName('mlp-small', 7), 'mlp-small#7');
    assert.equal(trialNumber(applied.name), 7);
    assert.equal(trialNumber('mlp#12'), 12);
    assert.equal(trialNumber('mlp-small'), undefined);
    assert.equal(trialNumber('mlp#0'), undefined);
    assert.equal(trialNumber('mlp#2x'), undefined);
    assert.equal(trialNumber(undefined), undefined);
  });
});

function run(store: RunStore, id: string, candidate: string, scores: number[]): CandidateRun {
  const mean = scores.reduce((sum, score) => sum + score, 0) / scores.length;
  const entry = record({
    id,
    step: 'improve',
    candidate,
    params: { learningRate: scores[0] },
    folds: scores.map((score, index) => fold(index, score)),
    summary: { mean, std: 0.01, min: Math.min(...scores), max: Math.max(...scores) },
  });
  store.create(entry);
  return {
    candidate: { name: candidate, model: 'mlp' },
    record: entry,
    curves: [],
  } as unknown as CandidateRun;
}

describe('recordTuning', () => {
  it('numbers the finalists of a halving search by their trial names, untuned as 0', () => {
    const dir = tempDir('trials');
    const store = new RunStore(dir);
    const untuned = run(store, 'r-untuned', 'mlp', [0.8, 0.82]).record;
    const early = run(store, 'r-1', 'mlp#1', [0.6, 0.61]);
    const third = run(store, 'r-3', 'mlp#3', [0.84, 0.85]);
    const seventh = run(store, 'r-7', 'mlp#7', [0.9, 0.91]);
    const outcome: TuningOutcome = {
      candidate: 'mlp',
      method: 'halving',
      trials: [early, third, seventh],
      finalists: [third, seventh],
      best: seventh,
      decision: {
        of: 'mlp',
        keep: 'tuned',
        chosen: 'mlp#7',
        untunedRunId: 'r-untuned',
        pValue: 0.01,
        message: 'Tuning beat the untuned mlp.',
        method: 'halving',
        trials: 3,
      },
      chosen: seventh.candidate,
    };
    const file = recordTuning(store, dir, outcome, untuned, {
      learningRate: { logUniform: [0.0001, 0.1] },
      layers: { choice: [[8], [16]] },
    });
    const results = JSON.parse(readFileSync(file!, 'utf8')) as ImproveResults;
    assert.deepEqual(
      results.trials.map((trial) => [trial.index, trial.name ?? 'untuned']),
      [
        [0, 'untuned'],
        [3, 'mlp#3'],
        [7, 'mlp#7'],
      ],
    );
    assert.equal(results.bestIndex, 7);
    assert.deepEqual(results.tuned, ['learningRate', 'layers']);
    assert.deepEqual(results.logScale, ['learningRate']);
    assert.equal(results.decision?.chosenIndex, 7);
    for (const trial of results.trials.filter((entry) => !entry.untuned))
      assert.equal(trial.index, trialNumber(trial.name));
  });
});
