/**
 * `topdown new --from-images <folder | IDX images file> [--force] <dir>`: proposes a project for the person's
 * own images. Loads them through the data-source seam (every image resized to the first one's size), plans the
 * project (src/core/plan/images), copies the images into `<dir>/data/`, and writes `topdown.json` and a README
 * that explains every choice.
 */
import { copyFileSync, cpSync, mkdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { dataSourceKind, loadDataSource } from '../../core/data/source';
import { firstImageSize } from '../../core/data/images/folder';
import { idxLabelsFile, isImageFile } from '../../core/data/images/names';
import { TopdownError } from '../../core/errors';
import { planImageProject } from '../../core/plan/images';
import { planReadme } from '../../core/plan/readme';
import { PROJECT_FILE_NAME } from '../../core/project';
import { writeFileAtomic } from '../../core/runs/files';
import { plannedProjectText, refuseNonEmptyFolder, type NewFromCsvResult } from './new-from-csv';

/** Plans a project for the images at `source` and writes it into `dir`. */
export async function newFromImages(
  source: string,
  dir: string,
  options: { force?: boolean } = {},
): Promise<NewFromCsvResult> {
  const from = resolve(source);
  const target = resolve(dir);
  refuseNonEmptyFolder(target, options.force);
  const kind = await dataSourceKind(from);
  if (kind === 'csv') {
    throw new TopdownError('USAGE', `${from} is neither an image folder nor an IDX images file.`, {
      file: from,
      hint: 'Give a folder with one subfolder of images per class, or use --from-csv for a table.',
    });
  }
  const imageSize = kind === 'image-folder' ? await firstImageSize(from) : undefined;
  const loaded = await loadDataSource(from, { imageSize });
  const dataPath = kind === 'image-folder' ? 'data/images' : `data/${basename(from)}`;
  const plan = planImageProject(loaded.table, { dataPath, name: basename(from).replace(/-images.*$/, '') });
  const text = plannedProjectText(
    plan.config,
    'Please report this; meanwhile start from the fashion template (topdown new fashion <dir>).',
  );
  mkdirSync(join(target, 'data'), { recursive: true });
  if (kind === 'image-folder') {
    // Only the images (and the folders that hold them): links and other files stay behind.
    cpSync(from, join(target, dataPath), {
      recursive: true,
      filter: (path) => statSync(path).isDirectory() || isImageFile(path),
    });
  } else {
    copyFileSync(from, join(target, dataPath));
    copyFileSync(idxLabelsFile(from), join(target, 'data', basename(idxLabelsFile(from))));
  }
  writeFileAtomic(join(target, 'README.md'), planReadme(plan, from));
  writeFileAtomic(join(target, PROJECT_FILE_NAME), text);
  return { dir: target, config: plan.config, choices: plan.choices };
}
