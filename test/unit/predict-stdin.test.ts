import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readCsv } from '../../src/core/data/csv';
import { MAX_FIELD_CHARS } from '../../src/core/data/columns';
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

  it('refuses a document longer than a cell, naming its line of stdin (blank lines counted)', () => {
    const long = 'word '.repeat(MAX_FIELD_CHARS / 5 + 1);
    throwsCode(
      () => documentsCsv('text', `first mail\n\n${long}\nlast mail\n`),
      'CSV_FIELD_TOO_LONG',
      (error) => {
        assert.deepEqual([error.file, error.row], ['stdin', 3]);
        assert.match(
          error.message,
          /^Line 3 of stdin holds 1,048,580 characters; Topdown reads at most 1,048,576/,
        );
        assert.match(error.hint ?? '', /one document per line/);
      },
    );
    // A document of exactly the limit is kept.
    const exact = 'x'.repeat(MAX_FIELD_CHARS);
    assert.equal(documentsCsv('text', exact), `"text"\n"${exact}"\n`);
  });
});
