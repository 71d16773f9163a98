import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import fc from 'fast-check';
import { ColumnBuilder, MAX_FIELD_CHARS, ownText } from '../../src/core/data/columns';
import { readCsv } from '../../src/core/data/csv';
import { StrictUtf8 } from '../../src/core/data/encoding';
import { missingRule } from '../../src/core/data/infer';
import { profileTable } from '../../src/core/data/profile';
import { MAX_COLUMNS } from '../../src/core/data/records';
import { findColumn, type Table } from '../../src/core/data/table';
import { TopdownError } from '../../src/core/errors';

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempCsv(content: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'topdown-csv-bounds-'));
  tempDirs.push(dir);
  const file = path.join(dir, 'data.csv');
  fs.writeFileSync(file, content);
  return file;
}

async function rejection(file: string): Promise<TopdownError> {
  try {
    await readCsv(file);
  } catch (error) {
    assert.ok(error instanceof TopdownError, `expected a TopdownError, got ${String(error)}`);
    return error;
  }
  assert.fail(`readCsv(${file}) should have failed`);
}

function wideCsv(columns: number, rows: number): string {
  const header = Array.from({ length: columns }, (_, index) => `c${index}`).join(',');
  const lines = Array.from({ length: rows }, (_, row) =>
    Array.from({ length: columns }, (_, index) => String((index * 7 + row) % 13)).join(','),
  );
  return [header, ...lines].join('\n') + '\n';
}

function textValues(table: Table, name: string): unknown[] {
  const column = findColumn(table, name);
  assert.ok(column, `column ${name} exists`);
  return Array.from(column.values as ArrayLike<unknown>);
}

describe('readCsv on wide files', () => {
  it('refuses a header wider than the column limit before building any column, naming the limit', async () => {
    const error = await rejection(tempCsv(wideCsv(100_000, 3)));
    assert.equal(error.code, 'CSV_TOO_WIDE');
    assert.equal(error.row, 1);
    assert.match(error.message, new RegExp(`100000 columns; Topdown reads at most ${MAX_COLUMNS}`));
  });

  it('reads a file at the column limit with a few rows in little memory', async () => {
    const file = tempCsv(wideCsv(MAX_COLUMNS, 3));
    const before = process.memoryUsage().arrayBuffers;
    const table = await readCsv(file);
    const grown = process.memoryUsage().arrayBuffers - before;
    assert.equal(table.columns.length, MAX_COLUMNS);
    assert.equal(table.rowCount, 3);
    assert.deepEqual(textValues(table, `c${MAX_COLUMNS - 1}`), [
      ((MAX_COLUMNS - 1) * 7) % 13,
      ((MAX_COLUMNS - 1) * 7 + 1) % 13,
      ((MAX_COLUMNS - 1) * 7 + 2) % 13,
    ]);
    // 65,536-value blocks per column would hold 5 GB here; blocks that start small hold a few megabytes.
    assert.ok(grown < 256 << 20, `array buffers grew by ${grown} bytes`);
  });

  it('keeps every value in order across blocks that grow from small to 64K values', () => {
    const builder = new ColumnBuilder('x', missingRule('x', undefined), 'data.csv');
    const count = 200_000;
    for (let index = 0; index < count; index++) {
      const text = String(index % 1000 === 7 ? index + 0.5 : index);
      builder.addField(text, 0, text.length, ',', index + 2);
    }
    const column = builder.finish((index) => index + 2);
    assert.ok(column !== 'needs-text-pass' && column.type === 'numeric');
    assert.equal(column.values.length, count);
    for (let index = 0; index < count; index++) {
      assert.equal(column.values[index], index % 1000 === 7 ? index + 0.5 : index);
    }
  });
});

describe('readCsv on files that are not UTF-8', () => {
  const rows = 'a,b\n1,x\n2,y\n';

  it('refuses UTF-16 with a little-endian or big-endian byte order mark as an encoding error in row 1', async () => {
    const little = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rows, 'utf16le')]);
    const big = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(rows, 'utf16le').swap16()]);
    for (const [bytes, order] of [
      [little, 'little-endian'],
      [big, 'big-endian'],
    ] as const) {
      const error = await rejection(tempCsv(bytes));
      assert.equal(error.code, 'CSV_ENCODING');
      assert.equal(error.row, 1);
      assert.match(error.message, new RegExp(`UTF-16 \\(${order}\\) byte order mark`));
      assert.match(error.hint ?? '', /UTF-8/);
    }
  });

  it('refuses UTF-16 without a byte order mark by its NUL characters', async () => {
    const error = await rejection(tempCsv(Buffer.from(rows, 'utf16le')));
    assert.equal(error.code, 'CSV_ENCODING');
    assert.equal(error.row, 1);
    assert.match(error.message, /NUL character/);
  });

  it('names the row of the first byte that is not UTF-8 (Latin-1, a cut character)', async () => {
    const latin1 = await rejection(tempCsv(Buffer.from('a,b\n1,x\n2,y\n3,caf\xe9\n4,z\n', 'latin1')));
    assert.equal(latin1.code, 'CSV_ENCODING');
    assert.equal(latin1.row, 4);
    const cut = await rejection(
      tempCsv(Buffer.concat([Buffer.from('a,b\n1,x\n2,caf'), Buffer.from([0xc3])])),
    );
    assert.equal(cut.code, 'CSV_ENCODING');
    assert.equal(cut.row, 3);
  });

  it('names the row of an invalid byte far into a large file, past the first chunk', async () => {
    const body = '1,plain\n'.repeat(300_000); // 2.4 MB: three chunks
    const file = tempCsv(
      Buffer.concat([Buffer.from('a,b\n' + body + '2,'), Buffer.from([0x92]), Buffer.from('\n')]),
    );
    const error = await rejection(file);
    assert.equal(error.code, 'CSV_ENCODING');
    assert.equal(error.row, 300_002);
  });

  it('keeps a U+FFFD written in the file and multibyte characters cut by chunk boundaries', async () => {
    const table = await readCsv(tempCsv('a,b\n1,\ufffd\n2,é\n3,z\n'));
    assert.deepEqual(textValues(table, 'b'), ['\ufffd', 'é', 'z']);
    const symbols = ['é', '€', '😀'];
    const body = Array.from({ length: 200_000 }, (_, index) => `${index},${symbols[index % 3]}`).join('\n');
    const large = await readCsv(tempCsv('a,b\n' + body + '\n'));
    assert.equal(large.rowCount, 200_000);
    const column = textValues(large, 'b');
    assert.ok(column.every((value, index) => value === symbols[index % 3]));
  });
});

describe('StrictUtf8', () => {
  it('agrees with a fatal TextDecoder on random bytes cut into random chunks', () => {
    const reference = (bytes: Uint8Array): string | undefined => {
      try {
        return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
      } catch {
        return undefined;
      }
    };
    const utf8ish = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }).map((text) => new Uint8Array(Buffer.from(text))),
    );
    fc.assert(
      fc.property(
        fc.array(utf8ish, { maxLength: 4 }),
        fc.array(fc.nat(60), { maxLength: 5 }),
        (parts, cuts) => {
          const bytes = Buffer.concat(parts);
          if (bytes[0] === 0xff || bytes[0] === 0xfe) return; // a UTF-16 byte order mark is refused on purpose
          const expected = reference(bytes);
          const decoder = new StrictUtf8();
          const points = [...new Set(cuts.map((cut) => Math.min(cut, bytes.length)))].sort((a, b) => a - b);
          let text = '';
          let start = 0;
          for (const [index, end] of [...points, bytes.length].entries()) {
            const final = index === points.length;
            const decoded = decoder.decode(bytes.subarray(start, end), final);
            if (typeof decoded !== 'string') {
              const nul = decoded.message.includes('NUL');
              assert.ok(
                expected === undefined || (nul && expected.includes('\0')),
                'a problem only where there is one',
              );
              return;
            }
            text += decoded;
            start = end;
          }
          assert.equal(text, expected);
          assert.ok(!text.includes('\0'));
        },
      ),
      { seed: 13, numRuns: 2000 },
    );
  });
});

describe('readCsv on numbers it cannot keep as written', () => {
  it('warns, naming the row, when float32 rounds distinct large integers to one value', async () => {
    const lines = Array.from({ length: 12 }, (_, index) => `${1e15 + index},${index % 2 ? 'a' : 'b'}`);
    const table = await readCsv(tempCsv(`id,label\n${lines.join('\n')}\n`));
    const id = findColumn(table, 'id');
    assert.ok(id?.type === 'numeric');
    assert.deepEqual(id.rounded, { row: 2, text: '1000000000000000', stored: 999999986991104 });
    const profile = profileTable(table, { target: 'label', task: 'binary' });
    const warning = profile.warnings.find((entry) => entry.code === 'ROUNDED_VALUES');
    assert.ok(warning, 'a ROUNDED_VALUES warning');
    assert.equal(warning.column, 'id');
    assert.match(warning.message, /row 2: 1000000000000000 is stored as 999999986991104/);
  });

  it('does not warn for integers float32 holds exactly', async () => {
    const table = await readCsv(tempCsv('n,label\n16777216,a\n33554432,b\n-16777215,a\n0.1,b\n'));
    const column = findColumn(table, 'n');
    assert.ok(column?.type === 'numeric');
    assert.equal(column.rounded, undefined);
  });

  it('hints at decimal commas in a quoted column instead of calling it an identifier', async () => {
    const lines = Array.from({ length: 12 }, (_, index) => `"0,${100 + index * 7}",${index % 2 ? 'a' : 'b'}`);
    const table = await readCsv(tempCsv(`x,label\n${lines.join('\n')}\n`));
    const profile = profileTable(table, { target: 'label', task: 'binary' });
    const codes = profile.warnings.filter((entry) => entry.column === 'x').map((entry) => entry.code);
    assert.deepEqual(codes, ['DECIMAL_COMMA']);
    const warning = profile.warnings.find((entry) => entry.code === 'DECIMAL_COMMA');
    assert.match(warning?.message ?? '', /row 2: "0,100"/);
  });

  it('says a semicolon-separated file with decimal commas looks semicolon-separated', async () => {
    const error = await rejection(tempCsv('x;y;label\n0,5;1,25;a\n0,7;2,5;b\n'));
    assert.equal(error.code, 'CSV_RAGGED_ROW');
    assert.equal(error.row, 2);
    assert.match(error.hint ?? '', /semicolon-separated/);
  });
});

describe('readCsv on long text cells', () => {
  const words = (characters: number): string =>
    'spam and ham '.repeat(Math.ceil(characters / 13)).slice(0, characters);

  it('refuses a cell above the cell limit, naming the file, row and column', async () => {
    const file = tempCsv(
      `id,text,label\n1,"short mail",ham\n2,"${words(MAX_FIELD_CHARS + 10)}",spam\n3,"another mail",ham\n`,
    );
    const error = await rejection(file);
    assert.equal(error.code, 'CSV_FIELD_TOO_LONG');
    assert.deepEqual([error.file, error.row, error.column], [file, 3, 'text']);
    assert.match(
      error.message,
      /Row 3, column "text" holds 1,048,586 characters; Topdown reads at most 1,048,576/,
    );
  });

  it('reads a cell of exactly the cell limit, unquoted too', async () => {
    const cell = `x${words(MAX_FIELD_CHARS - 2)}x`;
    const table = await readCsv(tempCsv(`text,label\n${cell},spam\nshort one,ham\n`));
    assert.equal(findColumn(table, 'text')?.values[0], cell);
  });

  it('stores a text one byte per character unless it holds a wider character, in quoted and plain files', async () => {
    // The first tag byte of V8's serialization, after its version header and any padding: '"' one-byte, 'c' two-byte.
    const width = (text: unknown): string => {
      const bytes = v8.serialize(text);
      let index = 2;
      while (bytes[index] === 0) index++;
      return bytes[index] === 0x22 ? 'one byte' : 'two bytes';
    };
    const latin = 'Dear friend: your café order is ready for pickup';
    const wide = 'He said \u201cfree money\u201d and left';
    for (const quote of ['"', '']) {
      const table = await readCsv(
        tempCsv(`text,label\n${quote}${latin}${quote},ham\n${quote}${wide}${quote},spam\n`),
      );
      const values = findColumn(table, 'text')?.values as string[];
      assert.deepEqual(values, [latin, wide]);
      // The chunk holds a curly quote, so its slices (and plain copies of them) are two bytes wide.
      assert.deepEqual(values.map(width), ['one byte', 'two bytes'], `quote: ${quote}`);
    }
    const slice = `${wide} ${latin}`.slice(wide.length + 1);
    assert.equal(width(slice), 'two bytes');
    assert.equal(ownText(slice), latin);
    assert.equal(width(ownText(slice)), 'one byte');
  });

  it('names the column of a quoted field that is never closed', async () => {
    const error = await rejection(tempCsv(`id,text,label\n1,"fine",ham\n2,"${words(9 << 20)}\n`));
    assert.equal(error.code, 'CSV_MALFORMED');
    assert.deepEqual([error.row, error.column], [3, 'text']);
    assert.match(error.message, /row 3, column "text", is not closed within 8 MB/);
  });
});
