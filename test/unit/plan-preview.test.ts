/**
 * New Project from a CSV shows its plan before anything is written: `new --from-csv --dry-run` plans without
 * writing, `columns` counts each column's missing values, and the wizard's review list puts the actions first
 * and every decision with its reason after, the target's distinct and missing counts beside it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describeColumns } from '../../src/runner/commands/columns';
import { newFromCsv } from '../../src/runner/commands/new-from-csv';
import { planNewProject } from '../../src/extension/wizard/plan';
import {
  describeTargetColumn,
  parsePlanPreview,
  planReviewItems,
  previewArguments,
} from '../../src/extension/wizard/planPreview';

const FIXTURES = resolve(__dirname, '..', 'fixtures', 'plan');

describe('the plan before the project', () => {
  it('plans with --dry-run and writes nothing, with the same choices a real run makes', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'topdown-preview-')), 'churn');
    const planned = await newFromCsv(join(FIXTURES, 'customers.csv'), dir, { target: 'churn', dryRun: true });
    assert.equal(planned.dryRun, true);
    assert.equal(existsSync(dir), false, 'no folder, no topdown.json, no data copy');
    const created = await newFromCsv(join(FIXTURES, 'customers.csv'), dir, { target: 'churn' });
    assert.deepEqual(planned.choices, created.choices);
    assert.ok(existsSync(join(dir, 'topdown.json')));
  });

  it('counts the missing values of each column', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'topdown-columns-')), 'gaps.csv');
    writeFileSync(file, 'x,y,label\n1,,a\n,2,b\n3,4,\nNA,5,a\n');
    const { columns } = await describeColumns(file);
    assert.deepEqual(
      columns.map((column) => [column.name, column.missing]),
      [
        ['x', 2],
        ['y', 1],
        ['label', 1],
      ],
    );
  });

  it('asks the CLI for the plan of the same arguments, as JSON, before the folder', () => {
    const plan = planNewProject(
      { kind: 'csv', csvFile: '/data/houses.csv', target: 'price', task: 'regression' },
      '/work',
      'houses',
      'regression',
    );
    assert.deepEqual(previewArguments(plan), [
      'new',
      '--from-csv',
      '/data/houses.csv',
      '--target',
      'price',
      '--dry-run',
      '--json',
      '/work/houses',
    ]);
    assert.equal(plan.args.includes('--dry-run'), false, 'the real run writes the project');
  });

  it('lists create, change target, change task, then each decision with its reason and the target’s counts', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'topdown-preview-')), 'churn');
    const planned = await newFromCsv(join(FIXTURES, 'customers.csv'), dir, { target: 'churn', dryRun: true });
    const choices = parsePlanPreview(`progress\n${JSON.stringify(planned)}\n`);
    const items = planReviewItems(choices, {
      name: 'churn',
      type: 'categorical',
      distinct: 2,
      missing: 3,
      samples: [],
    });
    assert.deepEqual(
      items.slice(0, 3).map((item) => item.action),
      ['create', 'target', 'task'],
    );
    const target = items.find((item) => item.label.startsWith('target: churn'));
    assert.equal(target?.description, '2 distinct values, 3 missing');
    for (const topic of ['task', 'metric', 'validation', 'candidates']) {
      const item = items.find((entry) => entry.label.startsWith(`${topic}: `));
      assert.ok(item?.detail, `${topic} has its reason`);
    }
    assert.equal(describeTargetColumn({ name: 'x', type: 'numeric', samples: [] }), undefined);
    assert.throws(() => parsePlanPreview('{"choices": []}'), /Expected the plan/);
  });
});
