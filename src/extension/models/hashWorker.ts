/**
 * Worker-thread entry (`dist/hash-worker.js`): hashes one data source (`workerData`, its path) as a run records
 * it, so the extension host's thread never reads or hashes data. Answers `{ hash }`, or `{}` when the source
 * cannot be read.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { hashDataPathSync } from '../../core/data/source-hash';

parentPort?.postMessage({ hash: hashDataPathSync(workerData as string) });
