/**
 * Step 5's default choice follows step 4's decisions: a tuning trial that step 4 did not keep, and an ensemble it
 * found no better than the best single model, are not presented unless named, whatever their mean.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadProject } from '../../src/core/project';
import { chooseCandidateRun } from '../../src/core/present/choose';
import { RunStore } from '../../src/core/runs/store';
import type { EnsembleVerdict, RunRecord } from '../../src/protocol/records';
import { binaryCsvProject } from '../helpers/cli';
import { recordCompletedRun } from '../helpers/runs';

const MLP = { name: 'mlp', model: 'mlp', layers: [4], epochs: 2 };

async function project(): Promise<{
  dir: string;
  store: RunStore;
  choose: (name?: string) => Promise<string>;
}> {
  const dir = binaryCsvProject('present-choose', [{ name: 'baseline', model: 'baseline' }, MLP]);
  await recordCompletedRun(dir, 'evaluate', { name: 'baseline', model: 'baseline' }, [0.5, 0.5, 0.5]);
  await recordCompletedRun(dir, 'evaluate', MLP, [0.8, 0.82, 0.81]);
  const store = new RunStore(dir);
  const choose = async (name?: string): Promise<string> => {
    const loaded = await loadProject(dir);
    return chooseCandidateRun(store, loaded.config, join(dir, 'topdown.json'), name).candidate!;
  };
  return { dir, store, choose };
}

function edit(store: RunStore, runId: string, change: (record: RunRecord) => void): void {
  const record = store.get(runId);
  change(record);
  store.save(record);
}

function tuning(keep: 'tuned' | 'untuned'): NonNullable<RunRecord['tuning']> {
  return {
    of: 'mlp',
    keep,
    chosen: keep === 'tuned' ? 'mlp#2' : 'mlp',
    untunedRunId: 'x',
    pValue: 0.3,
    message: 'decided',
    method: 'grid',
    trials: 3,
  };
}

function versusBestSingle(verdict: EnsembleVerdict): NonNullable<RunRecord['verdict']> {
  return {
    rank: 'best',
    baseline: 'better than baseline',
    pBest: null,
    pBaseline: 0.01,
    explanation: 'best',
    versusBestSingle: {
      name: 'mlp',
      mean: 0.81,
      std: 0.01,
      meanDifference: 0.1,
      pValue: 0.4,
      verdict,
      explanation: verdict,
    },
  };
}

describe('step 5 chooses what step 4 decided', () => {
  it('passes over a trial with a better mean that tuning did not keep, and presents it when kept or named', async () => {
    const { dir, store, choose } = await project();
    const trial = await recordCompletedRun(
      dir,
      'improve',
      { ...MLP, name: 'mlp#2', epochs: 3 },
      [0.9, 0.92, 0.91],
    );
    assert.equal(await choose(), 'mlp');
    edit(store, trial, (record) => (record.tuning = tuning('untuned')));
    assert.equal(await choose(), 'mlp');
    assert.equal(await choose('mlp#2'), 'mlp#2');
    edit(store, trial, (record) => (record.tuning = tuning('tuned')));
    assert.equal(await choose(), 'mlp#2');
  });

  it('passes over an ensemble step 4 found no better than the best single model', async () => {
    const { dir, store, choose } = await project();
    const blend = await recordCompletedRun(
      dir,
      'improve',
      { name: 'blend', model: 'ensemble', members: ['mlp', 'baseline'] },
      [0.83, 0.85, 0.84],
    );
    // Recorded before the comparison existed: still eligible on its mean.
    assert.equal(await choose(), 'blend');
    edit(
      store,
      blend,
      (record) => (record.verdict = versusBestSingle('not better than the best single model')),
    );
    assert.equal(await choose(), 'mlp');
    edit(store, blend, (record) => (record.verdict = versusBestSingle('worse than the best single model')));
    assert.equal(await choose(), 'mlp');
    assert.equal(await choose('blend'), 'blend');
    edit(store, blend, (record) => (record.verdict = versusBestSingle('better than the best single model')));
    assert.equal(await choose(), 'blend');
  });
});
