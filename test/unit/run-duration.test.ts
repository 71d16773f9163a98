/** A run's durationMs is its own compute time (its folds added up); the wait for a worker is in wallMs. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { finishRecord } from '../../src/runner/jobs/common';
import type { FoldRecord, RunRecord } from '../../src/protocol/records';

function runStartedAgo(milliseconds: number, folds: FoldRecord[]): RunRecord {
  return {
    schemaVersion: 1,
    id: 'r1',
    step: 'evaluate',
    session: 's1',
    status: 'running',
    createdAt: new Date(Date.now() - milliseconds).toISOString(),
    config: {},
    seed: 1,
    metric: 'accuracy',
    dataHash: 'h',
    backend: { name: 'cpu', reasons: [] },
    folds,
    topdownVersion: 'test',
  } as RunRecord;
}

const fold = (index: number, durationMs: number): FoldRecord => ({
  index,
  score: 0.5,
  metrics: {},
  trainSize: 9,
  validationSize: 1,
  epochs: 0,
  durationMs,
});

describe('finishRecord durations', () => {
  it('counts a candidate that waited 10 s for a worker by its folds, 175 ms, and keeps the wall time apart', () => {
    const record = finishRecord(runStartedAgo(10_000, [fold(0, 100), fold(1, 75)]), 'completed');
    assert.equal(record.durationMs, 175);
    assert.ok((record.wallMs ?? 0) >= 10_000, `wall ${record.wallMs}`);
  });

  it('falls back to the wall time for a run without folds', () => {
    const record = finishRecord(runStartedAgo(2_000, []), 'failed');
    assert.equal(record.durationMs, record.wallMs);
    assert.ok((record.durationMs ?? 0) >= 2_000);
  });
});
