import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readCsv } from '../../src/core/data/csv';
import { profileTable } from '../../src/core/data/profile';
import type { Table } from '../../src/core/data/table';
import { suspectZeros } from '../../src/core/data/zeros';
import { summarizeColumns } from '../../src/core/plan/columns';
import { datasetPath } from '../helpers/datasets';

/** A measurement from 40 up (a blank-like zero in rows 0–3) and a count 0, 1, 2, ... beside it. */
function gapTable(extra: Record<string, number[]> = {}): Table {
  const rows = 60;
  const glucose = Array.from({ length: rows }, (_, row) => (row < 4 ? 0 : 40 + row));
  const count = Array.from({ length: rows }, (_, row) => row % 12);
  const columns = Object.entries({ glucose, count, ...extra }).map(([name, values]) => ({
    name,
    type: 'numeric' as const,
    values: Float32Array.from(values),
  }));
  return { file: 'gap.csv', rowCount: rows, columns };
}

/** Zeros on rows 0–3 plus values that run smoothly down towards 0 (0.5, 1, 1.5, ...): 0 is ordinary there. */
const related = Array.from({ length: 60 }, (_, row) => (row < 4 ? 0 : row * 0.5));

describe('suspectZeros (one rule for the profile and the planner)', () => {
  it('flags zeros far below every other value, and not a count whose zero is one step down', () => {
    const suspects = suspectZeros(gapTable());
    assert.deepEqual([...suspects.keys()], ['glucose']);
    assert.equal(suspects.get('glucose')?.zeros, 4);
    assert.equal(suspects.get('glucose')?.smallestPositive, 44);
  });

  it('takes zeros that fall on the zero rows of a column where 0 is ordinary as real zeros', () => {
    assert.deepEqual([...suspectZeros(gapTable({ related })).keys()], []);
  });

  it('keeps the zeros suspect when the other column is zero on fewer than 90% of their rows', () => {
    const partly = related.map((value, row) => (row === 0 || row === 1 ? 7 : value));
    assert.deepEqual([...suspectZeros(gapTable({ related: partly })).keys()], ['glucose']);
  });

  it('never flags a column that is zero in half its rows or more (a real value, as ZN in housing)', () => {
    const zn = Array.from({ length: 60 }, (_, row) => (row >= 30 ? 0 : 12.5 + row));
    assert.deepEqual([...suspectZeros(gapTable({ zn })).keys()], ['glucose']);
  });

  it('makes the define warning and the plan agree on Pima (glucose, pressure, triceps, insulin, mass)', async () => {
    const table = await readCsv(datasetPath('pima_diabetes'));
    const warned = profileTable(table, { target: 'diabetes', task: 'binary' })
      .warnings.filter((warning) => warning.code === 'ZEROS_LOOK_MISSING')
      .map((warning) => warning.column)
      .sort();
    const planned = summarizeColumns(table)
      .filter((column) => column.missingZeros > 0)
      .map((column) => column.name)
      .sort();
    assert.deepEqual(warned, ['glucose', 'insulin', 'mass', 'pressure', 'triceps']);
    assert.deepEqual(planned, warned);
  });

  it('warns with the reason and the way to say otherwise', () => {
    const profile = profileTable(gapTable({ y: Array.from({ length: 60 }, (_, row) => row % 2) }), {
      target: 'y',
      task: 'binary',
    });
    const warning = profile.warnings.find((entry) => entry.code === 'ZEROS_LOOK_MISSING');
    assert.ok(warning);
    assert.match(warning.message, /4 zeros, while every other value is at least 44/);
    assert.match(warning.message, /no related column is 0 on the same rows/);
    assert.match(warning.message, /if 0 is a real value/);
  });
});
