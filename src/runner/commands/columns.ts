/** `topdown columns <file.csv>`: column names, inferred types and sample values (the extension's target picker). */
import { readCsv } from '../../core/data/csv';

/** What `topdown columns --json` prints. */
export interface ColumnsResult {
  file: string;
  rows: number;
  columns: Array<{ name: string; type: string; distinct: number; samples: string[] }>;
}

/** How a sample value reads: dates as days, numbers as the file wrote them (float32 storage rounds them). */
function sampleText(type: string, raw: number | string): string {
  if (type === 'date') return new Date(raw as number).toISOString().slice(0, 10);
  if (type === 'numeric') return String(Number((raw as number).toPrecision(7)));
  return String(raw);
}

/** Reads the CSV and describes each column with up to 5 distinct sample values. */
export async function describeColumns(file: string): Promise<ColumnsResult> {
  const table = await readCsv(file);
  return {
    file,
    rows: table.rowCount,
    columns: table.columns.map((column) => {
      // Distinct values are counted on the stored values: turning millions of numbers into text took seconds.
      const seen = new Set<number | string>();
      const samples: string[] = [];
      for (let row = 0; row < table.rowCount; row++) {
        const raw = column.values[row];
        if (raw === null || (typeof raw === 'number' && Number.isNaN(raw))) continue;
        if (seen.has(raw)) continue;
        seen.add(raw);
        if (samples.length < 5) samples.push(sampleText(column.type, raw));
      }
      return { name: column.name, type: column.type, distinct: seen.size, samples };
    }),
  };
}
