/** Builds small Tables by hand for the preparation tests (the CSV reader is tested on its own). */
import type { Column, Table } from '../../src/core/data/table';
import { TopdownError } from '../../src/core/errors';
import assert from 'node:assert/strict';

/** A numeric column; null means missing. */
export function numeric(name: string, values: Array<number | null>): Column {
  return {
    name,
    type: 'numeric',
    values: Float32Array.from(values, (value) => (value === null ? NaN : value)),
  };
}

/** A categorical column; null means missing. */
export function categorical(name: string, values: Array<string | null>): Column {
  return { name, type: 'categorical', values };
}

/** An identifier column. */
export function identifier(name: string, values: string[]): Column {
  return { name, type: 'identifier', values };
}

/** A date column from ISO dates. */
export function dates(name: string, values: string[]): Column {
  return { name, type: 'date', values: Float64Array.from(values, (value) => Date.parse(value)) };
}

/** A table from columns of equal length. */
export function table(columns: Column[], file = 'data.csv'): Table {
  return { file, columns, rowCount: columns[0].values.length };
}

/** Asserts that run throws a TopdownError with the code, then runs more checks on it. */
export function throwsCode(run: () => unknown, code: string, check?: (error: TopdownError) => void): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof TopdownError, `expected TopdownError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    check?.(error);
    return true;
  });
}

/** Column `feature` of a 2-D x, as a plain array. */
export function featureValues(x: Float32Array, featureCount: number, feature: number): number[] {
  const values: number[] = [];
  for (let index = feature; index < x.length; index += featureCount) values.push(x[index]);
  return values;
}

/** Asserts two numbers are within tolerance. */
export function close(actual: number, expected: number, tolerance = 1e-5): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}
