/** What the host does for a panel's validated requests that need no editor: save a PNG. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { decodePng, reportFile } from './validate';

/** Writes a chart into `<project>/report/<fileName>`; returns the project-relative path written. */
export function savePng(projectDir: string, fileName: string, dataUrl: string): string {
  const path = reportFile(projectDir, fileName);
  if (!path.ok) throw new Error(`Cannot save ${fileName}: ${path.reason}.`);
  const png = decodePng(dataUrl);
  if (!png.ok) throw new Error(`Cannot save ${fileName}: ${png.reason}.`);
  mkdirSync(dirname(path.value), { recursive: true });
  writeFileSync(path.value, png.value);
  return `report/${fileName}`;
}
