import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readCsv } from '../../src/core/data/csv';
import { documentsCsv } from '../../src/runner/jobs/predict-stdin';
import { writeCsv } from '../helpers/text';
import { throwsCode } from './prepare-helpers';
import { writeFileSync } from 'node:fs';

describe('documents on stdin', () => {
  it('makes one row per non-blank line, quotes and commas kept as text', async () => {
    const csv = documentsCsv('text', 'Buy "cheap" pills, now\r\n\n  \nHi Bob, lunch at noon?\n');
    assert.equal(csv, '"text"\n"Buy ""cheap"" pills, now"\n"Hi Bob, lunch at noon?"\n');
    const file = writeCsv(['x'], []);
    writeFileSync(file, csv);
    const table = await readCsv(file);
    assert.deepEqual(table.columns[0].values, ['Buy "cheap" pills, now', 'Hi Bob, lunch at noon?']);
  });

  it('refuses an empty stdin with a hint', () => {
    throwsCode(
      () => documentsCsv('text', '\n \n'),
      'CSV_EMPTY',
      (error) => assert.match(error.hint ?? '', /one document per line|Pipe/),
    );
  });
});
