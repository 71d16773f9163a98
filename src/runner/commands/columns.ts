/** `topdown columns <file.csv>`: column names, inferred types and sample values (the extension's target picker). */
import { readCsv } from '../../core/data/csv';
import { countDistinct } from '../../core/data/distinct';

/** What `topdown columns --json` prints. */
export interface ColumnsResult {
  file: string;
  rows: number;
  /** `missing`: rows without a value (empty, or a missing marker such as NA). */
  columns: Array<{ name: string; type: string; distinct: number; missing: number; samples: string[] }>;
}

/** How a sample value reads: dates as days, numbers as the file wrote them (float32 storage rounds them). */
function sampleText(type: string, raw: number | string): string {
  if (type === 'date') return new Date(raw as number).toISOString().slice(0, 10);
  if (type === 'numeric') return String(Number((raw as number).toPrecision(7)));
  return String(raw);
}

/** The first `count` distinct values in row order (missing skipped). */
function firstDistinct(values: ArrayLike<number | string | null>, rows: number, count: number) {
  const found: Array<number | string> = [];
  for (let row = 0; row < rows && found.length < count; row++) {
    const raw = values[row];
    if (raw === null || (typeof raw === 'number' && Number.isNaN(raw))) continue;
    if (!found.includes(raw)) found.push(raw);
  }
  return found;
}

/** Rows without a value: null (text) or NaN (numbers, dates). */
function countMissing(values: ArrayLike<number | string | null>, rows: number): number {
  let missing = 0;
  for (let row = 0; row < rows; row++) {
    const raw = values[row];
    if (raw === null || (typeof raw === 'number' && Number.isNaN(raw))) missing++;
  }
  return missing;
}

/** Reads the CSV and describes each column with up to 5 distinct sample values. */
export async function describeColumns(file: string): Promise<ColumnsResult> {
  const table = await readCsv(file);
  const rows = table.rowCount;
  return {
    file,
    rows,
    columns: table.columns.map((column) => {
      let distinct: number;
      if (column.type === 'numeric' || column.type === 'date')
        distinct = countDistinct(column.values.subarray(0, rows));
      else {
        const seen = new Set<string>();
        for (let row = 0; row < rows; row++) {
          const raw = column.values[row];
          if (raw !== null) seen.add(raw);
        }
        distinct = seen.size;
      }
      const samples = firstDistinct(column.values, rows, 5).map((raw) => sampleText(column.type, raw));
      return {
        name: column.name,
        type: column.type,
        distinct,
        missing: countMissing(column.values, rows),
        samples,
      };
    }),
  };
}
