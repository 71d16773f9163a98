// The seeded numeric CSV both CSV benchmarks read (bench/ingest.mjs, the ingest-csv case of bench/peers):
// `rows` × `columns` of small integers, 4-decimal values and signed values, about 100 MB at 1.4 M × 12. Kept in
// the temp folder between runs; written to a .partial file and renamed, so an interrupted run leaves no half file.
// Plain JavaScript (the peers runner is not run through tsx), with its own copy of src/core/random.ts's mulberry32.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The CSV's path under the temp folder (`<prefix>-<rows>x<columns>.csv`), generated when missing. */
export function ingestCsv(rows, columns, prefix = 'topdown-ingest') {
  const file = path.join(os.tmpdir(), `${prefix}-${rows}x${columns}.csv`);
  if (fs.existsSync(file)) return file;
  const random = mulberry32(42);
  const out = fs.openSync(`${file}.partial`, 'w');
  let buffer = `${Array.from({ length: columns }, (_, index) => `x${index}`).join(',')}\n`;
  for (let row = 0; row < rows; row++) {
    const cells = new Array(columns);
    for (let column = 0; column < columns; column++) {
      const value = random();
      cells[column] =
        column % 3 === 0
          ? String(Math.floor(value * 100))
          : column % 3 === 1
            ? (value * 50).toFixed(4)
            : ((value - 0.5) * 1e3).toFixed(3);
    }
    buffer += `${cells.join(',')}\n`;
    if (buffer.length > 1 << 20) {
      fs.writeSync(out, buffer);
      buffer = '';
    }
  }
  fs.writeSync(out, buffer);
  fs.closeSync(out);
  fs.renameSync(`${file}.partial`, file);
  return file;
}
