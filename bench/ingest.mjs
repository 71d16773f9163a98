// CSV ingest benchmark: generates a seeded numeric CSV of about 100 MB in the temp folder, reads it with
// readCsv, and prints throughput (MB/s) and the peak RSS increase against the Float32 size of the data.
// Run: node --import tsx bench/ingest.mjs [rows] [columns]
import * as fs from 'node:fs';
import * as os from 'node:os';
import { readCsv } from '../src/core/data/csv.ts';
import { ingestCsv } from './ingest-data.mjs';

const rows = Number(process.argv[2] ?? 1_400_000);
const columns = Number(process.argv[3] ?? 12);
const file = ingestCsv(rows, columns);

const bytes = fs.statSync(file).size;
globalThis.gc?.();
const baseline = process.memoryUsage().rss;
let peak = baseline;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
const table = await readCsv(file);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
peak = Math.max(peak, process.memoryUsage().rss);
clearInterval(timer);

const float32Bytes = table.rowCount * table.columns.length * 4;
const megabytes = bytes / (1 << 20);
console.log(
  `file: ${file} (${megabytes.toFixed(1)} MB, ${table.rowCount} rows x ${table.columns.length} columns)`,
);
console.log(`read: ${seconds.toFixed(2)} s, ${(megabytes / seconds).toFixed(1)} MB/s (target >= 50)`);
// CPU time is less sensitive than wall time to other processes sharing the machine.
console.log(
  `cpu: ${cpuSeconds.toFixed(2)} s, ${(megabytes / cpuSeconds).toFixed(1)} MB per CPU second; load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`,
);
console.log(
  `peak RSS increase: ${((peak - baseline) / (1 << 20)).toFixed(1)} MB = ${((peak - baseline) / float32Bytes).toFixed(2)}x the Float32 size ${(float32Bytes / (1 << 20)).toFixed(1)} MB (target < 3)`,
);
