/** What the host does for a panel's validated requests that need no editor: save a PNG. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { systemWrite, writeFileAtomic, type WriteFunction } from '../../core/runs/files';
import { decodePng, reportFile } from './validate';

/**
 * Writes a chart into `<project>/report/<fileName>` whole or not at all (temp file, fsync, rename: a full disk
 * leaves the old chart and throws DISK_FULL); returns the project-relative path written (`write`: the
 * system's, or a failing one in tests). A `report/` or a
 * `<fileName>` that is a link leading out of the project is refused before anything is written.
 */
export function savePng(
  projectDir: string,
  fileName: string,
  dataUrl: string,
  write: WriteFunction = systemWrite,
): string {
  const path = reportFile(projectDir, fileName);
  if (!path.ok) throw new Error(`Cannot save ${fileName}: ${path.reason}.`);
  const png = decodePng(dataUrl);
  if (!png.ok) throw new Error(`Cannot save ${fileName}: ${png.reason}.`);
  mkdirSync(dirname(path.value), { recursive: true });
  writeFileAtomic(path.value, png.value, write);
  return `report/${fileName}`;
}
