/**
 * Fuzz: random and adversarial CSV files end in a table or a located TopdownError, never a crash or a hang.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { readCsv } from '../../src/core/data/csv';
import { assertLocated, fuzzParameters } from '../helpers/fuzz';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'topdown-fuzz-csv-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Cells a person's CSV holds, and the ones that break readers. */
const cell = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom('', 'NA', '?', '1', '-2.5', '007', '0.1', '1e15', '1000000000000001'),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom('1e39', 'Infinity', '-inf', 'NaN', '0x1F', '0,5', '"0,123"', ' 3 '),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom('a', 'b', 'é', '\ufffd', '😀', '2020-01-01', '2023-02-30', '=cmd()'),
  },
  { weight: 2, arbitrary: fc.constantFrom('"q"', '"a,b"', '"x\ny"', '""') },
  { weight: 1, arbitrary: fc.constantFrom('"un"closed', '"open', '"""') },
  { weight: 2, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.float({ noDefaultInfinity: false }).map(String) },
);

const name = fc.oneof(fc.constantFrom('a', 'b', 'c', 'label', ' a ', ''), fc.string({ maxLength: 4 }));

/** A header and rows of mostly its width (some ragged), with a delimiter, line ends and maybe a BOM. */
const csvText = fc.integer({ min: 1, max: 5 }).chain((width) =>
  fc.record({
    header: fc.oneof(
      fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'label'), { minLength: width, maxLength: width }),
      fc.array(name, { minLength: width, maxLength: width }),
    ),
    rows: fc.array(
      fc.oneof(
        { weight: 8, arbitrary: fc.array(cell, { minLength: width, maxLength: width }) },
        { weight: 1, arbitrary: fc.array(cell, { maxLength: 6 }) },
      ),
      { maxLength: 14 },
    ),
    delimiter: fc.constantFrom(',', ',', ',', ';', '\t'),
    newline: fc.constantFrom('\n', '\r\n', '\r'),
    bom: fc.boolean(),
  }),
);

/** Byte-level damage: bytes that are not UTF-8, NUL, a UTF-16 byte order mark, a cut file. */
const damage = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  {
    weight: 1,
    arbitrary: fc.record({
      at: fc.nat(),
      bytes: fc.constantFrom([0xff], [0x00], [0xc3], [0x80], [0xe2, 0x82], [0xff, 0xfe], [0xef, 0xbb, 0xbf]),
      truncate: fc.boolean(),
    }),
  },
);

function render(
  input: { header: string[]; rows: string[][]; delimiter: string; newline: string; bom: boolean },
  hurt: { at: number; bytes: readonly number[]; truncate: boolean } | null,
): Buffer {
  const lines = [input.header, ...input.rows].map((fields) => fields.join(input.delimiter));
  let bytes = Buffer.from((input.bom ? '\ufeff' : '') + lines.join(input.newline) + input.newline);
  if (hurt !== null) {
    const at = hurt.at % (bytes.length + 1);
    bytes = Buffer.concat([
      bytes.subarray(0, at),
      Buffer.from(hurt.bytes),
      hurt.truncate ? Buffer.alloc(0) : bytes.subarray(at),
    ]);
  }
  return bytes;
}

describe('fuzz: readCsv', () => {
  it('reads random and damaged CSV files into a table or a located TopdownError', async (context) => {
    let tried = 0;
    let tables = 0;
    await fc.assert(
      fc.asyncProperty(csvText, damage, async (input, hurt) => {
        tried++;
        const file = path.join(dir, `case-${tried}.csv`);
        fs.writeFileSync(file, render(input, hurt));
        try {
          const table = await readCsv(file);
          tables++;
          const names = table.columns.map((column) => column.name);
          assert.equal(new Set(names).size, names.length, 'column names are unique');
          for (const column of table.columns) assert.equal(column.values.length, table.rowCount, column.name);
        } catch (error) {
          assertLocated(error);
          assert.equal(error.file, file);
        } finally {
          fs.rmSync(file, { force: true });
        }
      }),
      { ...fuzzParameters(200), timeout: 5000 },
    );
    context.diagnostic(`fuzz readCsv: ${tried} inputs, ${tables} read as tables`);
    assert.ok(tables > 0 && tables < tried, 'the inputs include files that read and files that do not');
  });
});
