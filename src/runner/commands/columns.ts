/** `topdown columns <file.csv>`: column names, inferred types and sample values (the extension's target picker). */
import { readCsv } from '../../core/data/csv';

/** What `topdown columns --json` prints. */
export interface ColumnsResult {
  file: string;
  rows: number;
  columns: Array<{ name: string; type: string; distinct: number; samples: string[] }>;
}

/** Reads the CSV and describes each column with up to 5 distinct sample values. */
export async function describeColumns(file: string): Promise<ColumnsResult> {
  const table = await readCsv(file);
  return {
    file,
    rows: table.rowCount,
    columns: table.columns.map((column) => {
      const distinct = new Set<string>();
      const seen = new Set<string>();
      for (let row = 0; row < table.rowCount; row++) {
        const raw = column.values[row];
        if (raw === null || (typeof raw === 'number' && Number.isNaN(raw))) continue;
        const text =
          column.type === 'date' ? new Date(raw as number).toISOString().slice(0, 10) : String(raw);
        seen.add(text);
        if (distinct.size < 5) distinct.add(text);
      }
      return { name: column.name, type: column.type, distinct: seen.size, samples: [...distinct] };
    }),
  };
}
