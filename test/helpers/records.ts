/** Run records as plain data, for tests of what reads them (panels, snapshots). */
import type { RunRecord } from '../../src/protocol/records';

/** A completed evaluate run record with the given fields replaced. */
export function record(overrides: Partial<RunRecord>): RunRecord {
  return {
    schemaVersion: 1,
    id: 'r',
    step: 'evaluate',
    session: 's1',
    status: 'completed',
    createdAt: '2025-03-01T10:00:00.000Z',
    config: {},
    seed: 7,
    metric: 'accuracy',
    dataHash: 'd',
    backend: { name: 'wasm', reasons: [] },
    folds: [],
    topdownVersion: '0.1.0',
    ...overrides,
  };
}

/** One fold of a run record with its score. */
export function fold(index: number, score: number) {
  return { index, score, metrics: {}, trainSize: 9, validationSize: 1, epochs: 2, durationMs: 100 };
}
