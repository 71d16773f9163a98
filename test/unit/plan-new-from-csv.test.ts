/**
 * `topdown new --from-csv`: the project folder it writes from a real CSV (data copy, topdown.json that loads,
 * README of the choices), and its refusals (non-empty folder, file too large for memory).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TopdownError } from '../../src/core/errors';
import { markdownText } from '../../src/core/plan/readme';
import { loadProject } from '../../src/core/project';
import { defaultMaxBytes, newFromCsv } from '../../src/runner/commands/new-from-csv';

const FIXTURES = resolve(__dirname, '..', 'fixtures', 'plan');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'topdown-from-csv-'));
}

async function caught(promise: Promise<unknown>): Promise<TopdownError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TopdownError, String(error));
    return error;
  }
  assert.fail('expected an error');
}

describe('newFromCsv', () => {
  it('writes a project that loads: the CSV copied into data/, topdown.json and a README of every choice', async () => {
    const source = join(FIXTURES, 'customers.csv');
    const dir = join(tempDir(), 'churn');
    const result = await newFromCsv(source, dir, { target: 'churn' });
    assert.equal(result.dir, dir);
    assert.equal(readFileSync(join(dir, 'data', 'customers.csv'), 'utf8'), readFileSync(source, 'utf8'));
    const project = await loadProject(dir);
    assert.deepEqual(project.config, result.config);
    assert.equal(project.config.problem.data, 'data/customers.csv');
    assert.equal(project.config.problem.target, 'churn');
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    for (const choice of result.choices)
      assert.ok(readme.includes(markdownText(choice.choice)), choice.choice);
    assert.match(readme, /topdown evaluate/);
  });

  it('passes the confirmed task through, so a dated series becomes a forecasting project', async () => {
    const dir = join(tempDir(), 'sales');
    const result = await newFromCsv(join(FIXTURES, 'sales.csv'), dir, { task: 'time-series' });
    assert.equal(result.config.problem.task, 'time-series');
    assert.equal((await loadProject(dir)).config.problem.timeColumn, 'day');
  });

  it('takes the time column asked for among several date columns, and refuses one that is not a date in order', async () => {
    const lines = ['opened,month,passengers'];
    for (let index = 0; index < 40; index++) {
      const opened = new Date(Date.UTC(2001, 0, 1 + index)).toISOString().slice(0, 10);
      lines.push(
        `${opened},${1949 + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')},${100 + index}`,
      );
    }
    const csv = join(tempDir(), 'two-dates.csv');
    writeFileSync(csv, `${lines.join('\n')}\n`);
    const first = await newFromCsv(csv, join(tempDir(), 'a'), { task: 'time-series', dryRun: true });
    assert.equal(first.config.problem.timeColumn, 'opened', 'default: the first date column in order');
    const asked = await newFromCsv(csv, join(tempDir(), 'b'), {
      task: 'time-series',
      timeColumn: 'month',
      dryRun: true,
    });
    assert.equal(asked.config.problem.timeColumn, 'month');
    const error = await caught(
      newFromCsv(csv, join(tempDir(), 'c'), { task: 'time-series', timeColumn: 'passengers', dryRun: true }),
    );
    assert.equal(error.code, 'USAGE');
    assert.equal(error.column, 'passengers');
    assert.match(error.hint ?? '', /"opened", "month"/);
  });

  it('refuses a folder that is not empty unless forced, and leaves it untouched', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const error = await caught(newFromCsv(join(FIXTURES, 'customers.csv'), dir));
    assert.equal(error.code, 'USAGE');
    assert.match(error.hint ?? '', /--force/);
    assert.deepEqual(readdirSync(dir), ['notes.txt']);
    await newFromCsv(join(FIXTURES, 'customers.csv'), dir, { force: true });
    assert.ok(existsSync(join(dir, 'topdown.json')));
    assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'mine');
  });

  it('refuses a file larger than the memory limit before reading it, and writes nothing', async () => {
    const source = join(FIXTURES, 'customers.csv');
    const dir = join(tempDir(), 'big');
    const error = await caught(newFromCsv(source, dir, { maxBytes: 1024 }));
    assert.equal(error.code, 'CSV_TOO_LARGE');
    assert.equal(error.file, source);
    assert.match(error.message, /1\.0 KB/);
    assert.match(error.message, /into memory/);
    assert.match(error.hint ?? '', /sample/);
    assert.equal(existsSync(dir), false);
  });

  it('reports bad data with the planner error, naming the file', async () => {
    const source = join(FIXTURES, 'no-target.csv');
    const error = await caught(newFromCsv(source, join(tempDir(), 'none')));
    assert.equal(error.code, 'TARGET_MISSING');
    assert.equal(error.file, source);
  });

  it('limits files to a quarter of the memory, at most the JavaScript heap', () => {
    const limit = defaultMaxBytes();
    assert.ok(limit > 64 * 1024 * 1024, `a limit of ${limit} bytes would refuse ordinary files`);
    assert.ok(limit <= totalmem() / 4);
  });
});
