/**
 * Reading the JSON files of a saved model with errors that name the file. Kept apart from persist.ts so that code
 * reading a bundle's descriptions (the host's Final results view) does not pull in the model zoo.
 */
import { existsSync, readFileSync } from 'node:fs';
import { TopdownError } from '../errors';

/** BUNDLE_INVALID naming `file`; the hint says to rebuild the bundle unless another is given. */
export function invalidFile(file: string, message: string, hint?: string): TopdownError {
  return new TopdownError('BUNDLE_INVALID', message, {
    file,
    hint: hint ?? 'Run `topdown present` again to rebuild the model bundle.',
  });
}

/** Reads and parses a JSON file of a saved model, or BUNDLE_INVALID naming it. */
export function readJsonFile<T>(file: string): T {
  if (!existsSync(file)) throw invalidFile(file, `The model file ${file} is missing.`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalidFile(file, `The model file ${file} is not valid JSON (${reason}).`);
  }
}
