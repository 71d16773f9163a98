/**
 * Data that changes under a running job: the orchestrator records the hash of what it loaded, every worker
 * checks the hash of what it loaded against it, and a replaced CSV fails the task with DATA_CHANGED.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TopdownError } from '../../src/core/errors';
import { loadDataSource } from '../../src/core/data/source';
import { loadProject } from '../../src/core/project';
import { checkDataHash, loadProjectData, projectFolds } from '../../src/core/steps/data';
import type { FoldTask } from '../../src/protocol/runner';
import { WorkerPool } from '../../src/runner/pool';
import { binaryProject, tempDir, writeBinaryCsv, writeProject } from '../helpers/cli';

describe('the data hash', () => {
  it('of a CSV is the SHA-256 of the bytes the reader parsed', async () => {
    const file = join(tempDir('hash'), 'data.csv');
    writeBinaryCsv(file, 40);
    const loaded = await loadDataSource(file);
    assert.equal(await loaded.hash(), createHash('sha256').update(readFileSync(file)).digest('hex'));
    assert.equal(loaded.table.rowCount, 40);
  });

  it('refuses data whose hash is not the one the job started with, naming the file', () => {
    assert.doesNotThrow(() => checkDataHash('/p/data.csv', 'a'.repeat(64), 'a'.repeat(64)));
    assert.doesNotThrow(() => checkDataHash('/p/data.csv', undefined, 'b'.repeat(64)));
    assert.throws(
      () => checkDataHash('/p/data.csv', 'a'.repeat(64), 'b'.repeat(64)),
      (error: unknown) =>
        error instanceof TopdownError &&
        error.code === 'DATA_CHANGED' &&
        error.file === '/p/data.csv' &&
        /changed while the job ran/.test(error.message) &&
        /run the step again/.test(error.hint ?? ''),
    );
  });
});

describe('a worker whose data changed between folds', () => {
  it('fails the next fold with DATA_CHANGED instead of training on the other data', async () => {
    const dir = writeProject(tempDir('data-changed'), binaryProject([{ name: 'knn', model: 'knn' }]));
    const csv = join(dir, 'data', 'data.csv');
    writeBinaryCsv(csv, 60, 1);
    const project = await loadProject(dir);
    const data = await loadProjectData(project);
    const folds = projectFolds(project, data);
    const task = (index: number): FoldTask => ({
      taskId: `run/${index}`,
      projectDir: dir,
      projectHash: project.hash,
      candidate: { name: 'knn', model: 'knn' },
      foldIndex: index,
      trainRows: folds[index].train,
      validationRows: folds[index].validation,
      seed: 1,
      dataHash: data.dataHash,
    });
    const pool = new WorkerPool({ size: 1, backend: 'cpu', projectDir: dir });
    try {
      const first = await pool.run(task(0));
      assert.equal(first.status, 'done', JSON.stringify(first));
      writeBinaryCsv(csv, 60, 2); // the same shape, other values: a swap the reader alone cannot notice
      const second = await pool.run(task(1));
      assert.equal(second.status, 'failed');
      assert.equal(second.status === 'failed' && second.error.code, 'DATA_CHANGED');
      assert.equal(second.status === 'failed' && second.error.file, csv);
    } finally {
      await pool.close();
    }
  });
});
