/** Content hashes of data files, recorded with every run so a result can be tied to the exact data it saw. */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { TopdownError } from '../errors';

/** SHA-256 of a file's bytes as lowercase hex, streamed (the file is never held in memory whole). */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }))
      hash.update(chunk as Buffer);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new TopdownError('CSV_NOT_FOUND', `Data file not found: ${file}`, {
        file,
        hint: 'Check problem.data in topdown.json; paths are relative to the project folder.',
      });
    }
    throw error;
  }
  return hash.digest('hex');
}
