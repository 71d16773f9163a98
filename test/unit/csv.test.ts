import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCsv, type ReadCsvOptions } from '../../src/core/data/csv';
import { sha256File } from '../../src/core/data/hash';
import { parseDate, parseNumber } from '../../src/core/data/infer';
import { findColumn, type Column, type Table } from '../../src/core/data/table';
import { TopdownError, formatError } from '../../src/core/errors';
import { datasetPath } from '../helpers/datasets';

const fixtures = path.join(__dirname, '..', 'fixtures', 'csv');
const fixture = (name: string): string => path.join(fixtures, name);

function column(table: Table, name: string): Column {
  const found = findColumn(table, name);
  assert.ok(found, `column ${name} exists`);
  return found;
}

function values(table: Table, name: string): unknown[] {
  return Array.from(column(table, name).values as ArrayLike<unknown>);
}

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempCsv(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'topdown-csv-'));
  tempDirs.push(dir);
  const file = path.join(dir, 'data.csv');
  fs.writeFileSync(file, text);
  return file;
}

async function rejection(file: string, options?: ReadCsvOptions): Promise<TopdownError> {
  try {
    await readCsv(file, options);
  } catch (error) {
    assert.ok(error instanceof TopdownError, `expected a TopdownError, got ${String(error)}`);
    return error;
  }
  assert.fail(`readCsv(${file}) should have failed`);
}

describe('readCsv on well-formed files', () => {
  it('keeps commas, newlines and doubled quotes inside quoted fields', async () => {
    const table = await readCsv(fixture('quoted.csv'));
    assert.equal(table.rowCount, 3);
    assert.deepEqual(values(table, 'name'), ['alpha', 'beta', 'gamma "g"']);
    assert.deepEqual(values(table, 'comment'), ['likes commas, and more', 'two\nlines', 'plain']);
    assert.deepEqual(values(table, 'score'), [1.5, 2, 3]);
  });

  it('strips the byte order mark, reads CRLF and ignores the empty trailing line', async () => {
    const table = await readCsv(fixture('bom_crlf.csv'));
    assert.deepEqual(
      table.columns.map((entry) => entry.name),
      ['a', 'b', 'label'],
    );
    assert.equal(table.rowCount, 3);
    assert.deepEqual(values(table, 'b'), [2.5, 4.5, 6.5]);
    assert.deepEqual(values(table, 'label'), ['x', 'y', 'x']);
  });

  it('treats empty cells and default markers as missing, and applies per-column markers by value', async () => {
    const table = await readCsv(fixture('missing.csv'), { missing: { glucose: ['-999'], insulin: [0] } });
    assert.equal(column(table, 'glucose').type, 'numeric');
    assert.deepEqual(values(table, 'glucose'), [85, NaN, 90, NaN, 100, 110]);
    assert.deepEqual(values(table, 'insulin'), [NaN, 14, NaN, NaN, NaN, 16]);
    assert.deepEqual(values(table, 'city'), ['Paris', null, null, 'Lyon', null, 'Paris']);
  });

  it('keeps zeros as numbers when no marker lists them, and applies `*` to every column', async () => {
    const plain = await readCsv(fixture('missing.csv'));
    assert.deepEqual(values(plain, 'insulin'), [0, 14, NaN, 0, NaN, 16]);
    const starred = await readCsv(fixture('missing.csv'), { missing: { '*': ['Lyon', -999] } });
    assert.deepEqual(values(starred, 'glucose'), [85, NaN, 90, NaN, 100, 110]);
    assert.deepEqual(values(starred, 'city'), ['Paris', null, null, null, null, 'Paris']);
  });

  it('infers date columns in every accepted format as UTC epoch milliseconds', async () => {
    const table = await readCsv(fixture('dates.csv'));
    for (const name of ['day', 'month', 'stamp', 'slash'])
      assert.equal(column(table, name).type, 'date', name);
    assert.deepEqual(values(table, 'day'), [Date.UTC(2020, 0, 31), Date.UTC(2020, 1, 29), NaN]);
    assert.deepEqual(values(table, 'month'), [
      Date.UTC(2020, 0, 1),
      Date.UTC(2020, 1, 1),
      Date.UTC(2020, 2, 1),
    ]);
    assert.equal(values(table, 'stamp')[1], Date.UTC(2020, 1, 29, 23, 59, 59));
    assert.equal(values(table, 'slash')[2], Date.UTC(2020, 2, 1));
    assert.equal(column(table, 'value').type, 'numeric');
  });

  it('infers a row-number column and a column of distinct names as identifiers', async () => {
    const table = await readCsv(fixture('identifiers.csv'));
    assert.equal(column(table, 'row').type, 'identifier');
    assert.equal(values(table, 'row')[11], '12');
    assert.equal(column(table, 'name').type, 'identifier');
    assert.equal(column(table, 'colour').type, 'categorical');
    assert.equal(column(table, 'size').type, 'numeric');
  });

  it('keeps a column that climbs by one from elsewhere than 0 or 1 numeric', async () => {
    const years = Array.from({ length: 12 }, (_, index) => `${1970 + index},${index % 4}`);
    const table = await readCsv(tempCsv(['year,count', ...years].join('\n')));
    assert.equal(column(table, 'year').type, 'numeric');
  });

  it('lets `types` force a column type', async () => {
    const table = await readCsv(fixture('identifiers.csv'), {
      types: { row: 'numeric', size: 'categorical' },
    });
    assert.equal(column(table, 'row').type, 'numeric');
    assert.deepEqual(values(table, 'size').slice(0, 3), ['11', '12', '10']);
  });

  it('rebuilds the exact text of a mostly-text column whose first values were numbers', async () => {
    const table = await readCsv(fixture('mixed.csv'));
    assert.equal(column(table, 'code').type, 'categorical');
    assert.deepEqual(values(table, 'code'), ['1', 'A', '0.10', 'B', '007', 'C']);
  });

  it('does not read hexadecimal literals as numbers', async () => {
    const table = await readCsv(fixture('hex.csv'));
    assert.equal(column(table, 'v').type, 'categorical');
    assert.deepEqual(values(table, 'v'), ['1', '0x1F', '3']);
  });

  it('reads the same table whether a file goes through papaparse (quotes) or the plain scanner', async () => {
    const rows = ['x,y,label', '1.25,-3,a', ',7,b', '0.1,8e2,c', ' 4 ,NA,d', '-0.5,1e-3,a'];
    const plain = await readCsv(tempCsv(rows.join('\n') + '\n'));
    const quoted = await readCsv(tempCsv(['"x",y,label', ...rows.slice(1)].join('\r\n')));
    assert.deepEqual(plain.columns, quoted.columns);
    assert.deepEqual(values(plain, 'y'), [-3, 7, 800, NaN, Math.fround(0.001)]);
    assert.deepEqual(values(plain, 'x'), [1.25, NaN, Math.fround(0.1), 4, -0.5]);
  });

  it('streams a multi-megabyte file with quoted fields across chunk boundaries and reports progress', async () => {
    const lines = ['id,text,value'];
    for (let index = 0; index < 150000; index++) {
      // Quotes only in the first half: later chunks take the plain scanner, with CRLF split across chunks.
      const text =
        index % 1000 === 0 && index < 75000
          ? `"note ${index}, with ""quotes""\r\nand a newline"`
          : `t${index % 7}`;
      lines.push(`${index},${text},${(index % 97) / 8}`);
    }
    const file = tempCsv(lines.join('\r\n') + '\r\n');
    const progress: Array<[number, number]> = [];
    const table = await readCsv(file, { onProgress: (read, total) => progress.push([read, total]) });
    assert.equal(table.rowCount, 150000);
    assert.equal(values(table, 'text')[74000], 'note 74000, with "quotes"\r\nand a newline');
    assert.equal(values(table, 'value')[12345], (12345 % 97) / 8);
    assert.equal(values(table, 'value')[140001], (140001 % 97) / 8);
    assert.equal(values(table, 'text')[149999], `t${149999 % 7}`);
    assert.equal(column(table, 'id').type, 'identifier');
    assert.ok(progress.length >= 2, 'progress is reported per chunk');
    assert.deepEqual(progress.at(-1), [fs.statSync(file).size, fs.statSync(file).size]);
  });

  it('loads the standard datasets with the expected shapes and types', async () => {
    const expected: Record<string, { rows: number; columns: number; types: Record<string, string> }> = {
      iris: { rows: 150, columns: 5, types: { species: 'categorical', petal_width: 'numeric' } },
      pima_diabetes: { rows: 768, columns: 9, types: { insulin: 'numeric', diabetes: 'categorical' } },
      sonar: { rows: 208, columns: 61, types: { V1: 'numeric', Class: 'categorical' } },
      auto_mpg: { rows: 392, columns: 9, types: { name: 'identifier', origin: 'numeric', mpg: 'numeric' } },
      airline_passengers: { rows: 144, columns: 2, types: { Month: 'date', Passengers: 'numeric' } },
      digits: { rows: 1797, columns: 65, types: { pixel_0_0: 'numeric', label: 'numeric' } },
    };
    for (const [name, shape] of Object.entries(expected)) {
      const table = await readCsv(datasetPath(name));
      assert.equal(table.rowCount, shape.rows, name);
      assert.equal(table.columns.length, shape.columns, name);
      for (const [columnName, type] of Object.entries(shape.types)) {
        assert.equal(column(table, columnName).type, type, `${name}.${columnName}`);
      }
    }
    const airline = await readCsv(datasetPath('airline_passengers'));
    assert.equal(values(airline, 'Month')[0], Date.UTC(1949, 0, 1));
    const pima = await readCsv(datasetPath('pima_diabetes'));
    assert.equal(values(pima, 'mass')[0], Math.fround(33.6));
  });
});

describe('readCsv on bad files', () => {
  it('says CSV_NOT_FOUND for a missing file', async () => {
    const error = await rejection(fixture('no_such_file.csv'));
    assert.equal(error.code, 'CSV_NOT_FOUND');
    assert.match(error.message, /no_such_file\.csv/);
  });

  it('says CSV_EMPTY for a 0-byte file and for a file of whitespace', async () => {
    assert.equal((await rejection(fixture('empty.csv'))).code, 'CSV_EMPTY');
    assert.equal((await rejection(fixture('whitespace.csv'))).code, 'CSV_EMPTY');
  });

  it('says CSV_HEADER_ONLY for a header without data rows', async () => {
    const error = await rejection(fixture('header_only.csv'));
    assert.equal(error.code, 'CSV_HEADER_ONLY');
    assert.equal(error.file, fixture('header_only.csv'));
  });

  it('names the row where an unterminated quoted field starts', async () => {
    const error = await rejection(fixture('unterminated_quote.csv'));
    assert.equal(error.code, 'CSV_MALFORMED');
    assert.equal(error.row, 3);
    assert.match(error.message, /row 3/);
  });

  it('stops at a quoted field that never closes in a large file, naming the row where it opens', async () => {
    const file = tempCsv('a,b,c\n1,"oops,3\n' + '1,2,3\n'.repeat(2_000_000));
    const error = await rejection(file);
    assert.equal(error.code, 'CSV_MALFORMED');
    assert.equal(error.row, 2);
    assert.equal(error.column, 'b');
    assert.match(error.message, /row 2, column "b", is not closed within 8 MB/);
  });

  it('names duplicate and empty header names', async () => {
    const duplicate = await rejection(fixture('duplicate_header.csv'));
    assert.equal(duplicate.code, 'CSV_MALFORMED');
    assert.match(duplicate.message, /"a", "b"/);
    const empty = await rejection(fixture('empty_header.csv'));
    assert.equal(empty.code, 'CSV_MALFORMED');
    assert.match(empty.message, /column 2/);
  });

  it('names the ragged row with its field count and the header count', async () => {
    const error = await rejection(fixture('ragged.csv'));
    assert.equal(error.code, 'CSV_RAGGED_ROW');
    assert.equal(error.row, 3);
    assert.match(error.message, /Row 3 has 2 fields, but the header has 3/);
    const tooMany = await rejection(tempCsv('a,b\n1,2\n3,4,5\n'));
    assert.match(tooMany.message, /Row 3 has 3 fields/);
  });

  it('counts blank lines in row numbers, as a spreadsheet shows them', async () => {
    const error = await rejection(tempCsv('a,b\n1,2\n\n3\n'));
    assert.equal(error.code, 'CSV_RAGGED_ROW');
    assert.equal(error.row, 4);
  });

  it('says NON_NUMERIC_VALUE for text in a mostly numeric column, naming row, column and text', async () => {
    const error = await rejection(fixture('non_numeric.csv'));
    assert.equal(error.code, 'NON_NUMERIC_VALUE');
    assert.equal(error.row, 8);
    assert.equal(error.column, 'x');
    assert.match(error.message, /"x".*row 8.*"oops"/);
    assert.match(error.hint ?? '', /problem\.missing/);
    assert.match(formatError(error.toJSON()), /row 8, column "x"/);
  });

  it('accepts that text once it is listed as missing', async () => {
    const table = await readCsv(fixture('non_numeric.csv'), { missing: { x: ['oops'] } });
    assert.ok(Number.isNaN(values(table, 'x')[6]));
    assert.equal(values(table, 'x')[7], 8.5);
  });

  it('says NON_FINITE_VALUE for Infinity in a numeric column, naming row and column', async () => {
    const error = await rejection(fixture('infinity.csv'));
    assert.equal(error.code, 'NON_FINITE_VALUE');
    assert.equal(error.row, 4);
    assert.equal(error.column, 'x');
    const overflow = await rejection(tempCsv('x\n1\n2\n1e39\n'));
    assert.equal(overflow.code, 'NON_FINITE_VALUE');
    assert.equal(overflow.row, 4);
  });

  it('says NON_NUMERIC_VALUE when a forced numeric or date column holds other text', async () => {
    const numeric = await rejection(fixture('mixed.csv'), { types: { code: 'numeric' } });
    assert.equal(numeric.code, 'NON_NUMERIC_VALUE');
    assert.equal(numeric.row, 3);
    const date = await rejection(tempCsv('when\n2020-01-01\nsoon\n'), { types: { when: 'date' } });
    assert.equal(date.row, 3);
    assert.equal(date.column, 'when');
  });

  it('says COLUMN_NOT_FOUND for an option naming an unknown column, with the closest name', async () => {
    const error = await rejection(fixture('missing.csv'), { missing: { Insulin: [0] } });
    assert.equal(error.code, 'COLUMN_NOT_FOUND');
    assert.equal(error.field, '/problem/missing/Insulin');
    assert.match(error.message, /"Insulin", named in problem\.missing/);
    assert.match(error.hint ?? '', /Did you mean "insulin"/);
  });

  it('refuses a file above maxBytes with its size, before reading it', async () => {
    const error = await rejection(datasetPath('digits'), { maxBytes: 100_000 });
    assert.equal(error.code, 'CSV_TOO_LARGE');
    assert.match(error.message, /KB, more than the limit of 97\.7 KB/);
  });
});

describe('cell readers', () => {
  it('parses numbers like Number() but rejects blanks, hex and words, and flags infinities', () => {
    assert.equal(parseNumber(' 12.5 '), 12.5);
    assert.equal(parseNumber('-1e3'), -1000);
    assert.ok(Number.isNaN(parseNumber('   ')));
    assert.ok(Number.isNaN(parseNumber('0x10')));
    assert.ok(Number.isNaN(parseNumber('ten')));
    assert.equal(parseNumber('-inf'), -Infinity);
    assert.equal(parseNumber('Infinity'), Infinity);
  });

  it('rejects impossible dates and bare year/month with slashes', () => {
    assert.ok(Number.isNaN(parseDate('2023-02-30')));
    assert.ok(Number.isNaN(parseDate('2023/02')));
    assert.ok(Number.isNaN(parseDate('2023-13-01')));
    assert.equal(parseDate('2023-02-28 10:00'), Date.UTC(2023, 1, 28, 10));
  });
});

describe('sha256File', () => {
  it('matches the SHA-256 of the whole file', async () => {
    const file = datasetPath('sonar');
    const expected = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    assert.equal(await sha256File(file), expected);
  });

  it('says CSV_NOT_FOUND for a missing file', async () => {
    await assert.rejects(sha256File(fixture('nope.csv')), { code: 'CSV_NOT_FOUND' });
  });
});
