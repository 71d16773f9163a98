/**
 * Bad input to `topdown define`: each gets a clear error naming the file, row, column or field; the failed
 * step is recorded as failed with that message; nothing already in runs/ is touched. The cases run the define
 * job in this process and report its failure as the CLI does (failureReport); one case and the invalid
 * topdown.json go through the real CLI, for its exit code, stderr and `--json` error.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineJob } from '../../src/runner/jobs/define';
import { failureReport } from '../../src/runner/failure';
import { memoryReporter } from '../../src/runner/reporter';
import { binaryProject, requireBuild, runCli, tempDir, writeBinaryCsv, writeProject } from '../helpers/cli';

before(requireBuild);

interface ErrorJson {
  code: string;
  message: string;
  file?: string;
  row?: number;
  column?: string;
  field?: string;
  line?: number;
  hint?: string;
}

/** Snapshot of every file under runs/ (name → content). */
function snapshotRuns(dir: string): Map<string, string> {
  const snapshot = new Map<string, string>();
  const runs = join(dir, 'runs');
  for (const run of readdirSync(runs)) {
    if (run === 'index.jsonl') continue;
    for (const file of readdirSync(join(runs, run)))
      snapshot.set(`${run}/${file}`, readFileSync(join(runs, run, file), 'utf8'));
  }
  return snapshot;
}

/** The project every case starts from: one good define run on record, run once and copied per case. */
let defined: Promise<string> | undefined;

function definedProject(): Promise<string> {
  defined ??= (async () => {
    const dir = writeProject(tempDir('bad-base'), binaryProject([{ name: 'baseline', model: 'baseline' }]));
    writeBinaryCsv(join(dir, 'data', 'data.csv'), 30);
    await defineJob(dir, { backend: 'cpu', reporter: memoryReporter() });
    return dir;
  })();
  return defined;
}

/** What `topdown define <dir> --json` reports, from the define job run here and the CLI's failureReport. */
async function defineHere(
  dir: string,
): Promise<{ code: number; stderr: string; json: { error?: ErrorJson } }> {
  try {
    await defineJob(dir, { backend: 'cpu', reporter: memoryReporter() });
    return { code: 0, stderr: '', json: {} };
  } catch (error) {
    const report = failureReport(error, false);
    return { code: report.exitCode, stderr: report.stderr, json: { error: report.info as ErrorJson } };
  }
}

/** A copy of the defined project, then `csv` as its data, defined here or by the real CLI. */
async function projectWith(csv: string, cli = false) {
  const dir = tempDir('bad');
  cpSync(await definedProject(), dir, { recursive: true });
  const before = snapshotRuns(dir);
  assert.ok(before.size > 0, 'the good define run is on record');
  writeFileSync(join(dir, 'data', 'data.csv'), csv);
  const result = cli ? await runCli(['define', dir, '--json']) : await defineHere(dir);
  const after = snapshotRuns(dir);
  for (const [file, content] of before) assert.equal(after.get(file), content, `${file} changed`);
  const failedRuns = [...after.keys()].filter((key) => key.endsWith('run.json') && !before.has(key));
  return { dir, result, error: result.json?.error as ErrorJson, failedRuns, after };
}

const header = 'a,b,noise1,noise2,label';

describe('bad input', () => {
  const cases: Array<{
    name: string;
    csv: string;
    code: string;
    expect: (error: ErrorJson) => void;
    /** Through the real CLI. */
    cli?: boolean;
  }> = [
    {
      name: 'a ragged row names the row and the field counts',
      csv: `${header}\n1,2,3,4,yes\n1,2,3,no\n`,
      code: 'CSV_RAGGED_ROW',
      expect: (error) => assert.equal(error.row, 3),
    },
    {
      name: 'an unterminated quote names the row where it starts',
      csv: `${header}\n1,2,3,4,yes\n1,2,3,4,"no\n1,2,3,4,yes\n`,
      code: 'CSV_MALFORMED',
      expect: (error) => assert.equal(error.row, 3),
    },
    {
      name: 'an empty file',
      csv: '',
      code: 'CSV_EMPTY',
      expect: (error) => assert.match(error.file ?? '', /data\.csv$/),
      cli: true,
    },
    {
      name: 'a header alone',
      csv: `${header}\n`,
      code: 'CSV_HEADER_ONLY',
      expect: (error) => assert.match(error.file ?? '', /data\.csv$/),
    },
    {
      name: 'a missing target column lists the columns',
      csv: 'a,b,noise1,noise2,labels\n1,2,3,4,yes\n1,2,3,4,no\n',
      code: 'TARGET_MISSING',
      expect: (error) => assert.match(`${error.message} ${error.hint}`, /labels/),
    },
    {
      name: 'a target with a single class',
      csv: `${header}\n${Array.from({ length: 12 }, () => '1,2,3,4,yes').join('\n')}\n`,
      code: 'TARGET_SINGLE_CLASS',
      expect: (error) => assert.equal(error.column, 'label'),
    },
    {
      name: 'text in a numeric column names row and column',
      csv: `${header}\n${Array.from({ length: 20 }, (_, i) => `${i},2,3,4,${i % 2 ? 'yes' : 'no'}`).join('\n')}\nabc,2,3,4,no\n`,
      code: 'NON_NUMERIC_VALUE',
      expect: (error) => {
        assert.equal(error.row, 22);
        assert.equal(error.column, 'a');
      },
    },
    {
      name: 'Infinity in a numeric column',
      csv: `${header}\n${Array.from({ length: 20 }, (_, i) => `${i},2,3,4,${i % 2 ? 'yes' : 'no'}`).join('\n')}\n1,Infinity,3,4,no\n`,
      code: 'NON_FINITE_VALUE',
      expect: (error) => {
        assert.equal(error.row, 22);
        assert.equal(error.column, 'b');
      },
    },
    {
      name: 'a class with fewer rows than folds',
      csv: `${header}\n${Array.from({ length: 20 }, (_, i) => `${i},2,3,4,${i < 2 ? 'yes' : 'no'}`).join('\n')}\n`,
      code: 'CLASS_TOO_SMALL',
      expect: (error) => assert.match(error.message, /yes/),
    },
  ];

  for (const testCase of cases) {
    it(`${testCase.name} (${testCase.code}), recorded as a failed run`, async () => {
      const { result, error, failedRuns, after } = await projectWith(testCase.csv, testCase.cli);
      assert.equal(result.code, 1, result.stderr);
      assert.equal(error.code, testCase.code, JSON.stringify(error));
      testCase.expect(error);
      assert.equal(failedRuns.length, 1);
      const record = JSON.parse(after.get(failedRuns[0])!) as { status: string; error: ErrorJson };
      assert.equal(record.status, 'failed');
      assert.equal(record.error.code, testCase.code);
      assert.match(result.stderr, new RegExp(testCase.code === 'CSV_EMPTY' ? 'empty' : '.'));
    });
  }

  it('an invalid topdown.json names the field and line, and records nothing', async () => {
    const dir = writeProject(
      tempDir('bad-project'),
      binaryProject([{ name: 'baseline', model: 'baseline' }]),
    );
    writeBinaryCsv(join(dir, 'data', 'data.csv'), 30);
    const text = readFileSync(join(dir, 'topdown.json'), 'utf8').replace('"folds": 3', '"fold": 3');
    writeFileSync(join(dir, 'topdown.json'), text);
    const result = await runCli(['define', dir, '--json']);
    assert.equal(result.code, 1);
    const error = result.json?.error as ErrorJson;
    assert.equal(error.code, 'PROJECT_INVALID');
    assert.equal(error.field, '/evaluate/validation/fold');
    assert.equal(error.line, text.split('\n').findIndex((line) => line.includes('"fold"')) + 1);
    assert.match(`${error.message} ${error.hint ?? ''}`, /folds/);
  });
});
