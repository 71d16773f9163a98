/**
 * The one data-source seam in front of `Dataset`: a CSV file, a folder of class subfolders of images and an
 * IDX pair are three sources of one kind. Each loads into a Table (image sources: a `file` and a `label`
 * column, the pixels as bytes in `table.images`), and the steps, the worker, predict, the profile and the
 * planner read data only through here. A new kind of source is one more branch of `loadDataSource`.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { PrepareOp } from '../config';
import { TopdownError } from '../errors';
import { readCsv, type ReadCsvOptions } from './csv';
import type { Column, Table } from './table';
import { checkImageSize, type ImageBlock, type ImageSize } from './images/block';
import { loadImageFiles, loadImageFolder } from './images/folder';
import { loadIdx } from './images/idx';
import { idxLabelsFile, imageFolderFiles, isIdxImagesFile, isImageFile } from './images/names';

/** The kinds of data source. */
export type DataSourceKind = 'csv' | 'image-folder' | 'idx';

/** The column an image source names each image in (a path relative to the folder, or `#n` in an IDX file). */
export const IMAGE_FILE_COLUMN = 'file';
/** The column an image source puts each image's class in. */
export const IMAGE_LABEL_COLUMN = 'label';

/** Options for loading a source. */
export interface SourceOptions {
  /** CSV: missing-value markers per column (problem.missing). */
  missing?: ReadCsvOptions['missing'];
  /** CSV: declared column types. */
  types?: ReadCsvOptions['types'];
  /** CSV: refuse files larger than this. */
  maxBytes?: number;
  /** Image sources: the size to resize to (the image op); default the first image's. */
  imageSize?: ImageSize;
  /** IDX: class name per label number. */
  classNames?: string[];
}

/** What a source loaded. */
export interface LoadedData {
  kind: DataSourceKind;
  /** Absolute path of the CSV, folder or IDX images file. */
  file: string;
  table: Table;
  /** SHA-256 of what was loaded: a CSV's bytes, an image folder's names and bytes, an IDX pair's two files. */
  hash(): Promise<string>;
}

/** Which kind of source a path is: a folder of images, an IDX images file, or a CSV. */
export async function dataSourceKind(path: string): Promise<DataSourceKind> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch {
    throw new TopdownError('CSV_NOT_FOUND', `Data file not found: ${path}`, {
      file: path,
      hint: 'Check problem.data in topdown.json: a CSV file, an image folder or an IDX images file, relative to the project folder.',
    });
  }
  if (isDirectory) return 'image-folder';
  return isIdxImagesFile(path) ? 'idx' : 'csv';
}

/** Whether a source kind holds images. */
export function isImageSource(kind: DataSourceKind): boolean {
  return kind !== 'csv';
}

/** Loads any source into a Table. */
export async function loadDataSource(path: string, options: SourceOptions = {}): Promise<LoadedData> {
  const kind = await dataSourceKind(path);
  if (options.imageSize && kind !== 'csv') checkImageSize(options.imageSize, { field: '/prepare' });
  switch (kind) {
    case 'csv': {
      // Hashed from the very bytes parsed: a file replaced after the read cannot lend the table its hash.
      const hash = createHash('sha256');
      const table = await readCsv(path, {
        missing: options.missing,
        types: options.types,
        maxBytes: options.maxBytes,
        onBytes: (chunk) => hash.update(chunk),
      });
      const digest = hash.digest('hex');
      return { kind, file: path, table, hash: () => Promise.resolve(digest) };
    }
    case 'image-folder': {
      const folder = await loadImageFolder(path, options.imageSize);
      const table = imageTable(path, folder.block, folder.files, folder.labels);
      return { kind, file: path, table, hash: () => Promise.resolve(folder.hash) };
    }
    case 'idx': {
      const { block, labels, labelsFile, hash } = await loadIdx(path, options.imageSize);
      const names = Array.from(labels, (label) => className(label, options.classNames, labelsFile));
      const files = Array.from(labels, (_, index) => `#${index}`);
      return {
        kind,
        file: path,
        table: imageTable(path, block, files, names),
        hash: () => Promise.resolve(hash),
      };
    }
  }
}

function className(label: number, classNames: string[] | undefined, labelsFile: string): string {
  if (!classNames) return String(label);
  const name = classNames[label];
  if (name === undefined) {
    throw new TopdownError(
      'IDX_INVALID',
      `${labelsFile} has label ${label}, but problem.classNames names only ${classNames.length} classes.`,
      {
        file: labelsFile,
        field: '/problem/classNames',
        hint: 'Give one name per label number, starting at 0.',
      },
    );
  }
  return name;
}

/** A Table over images: a file column, a label column (null when unlabelled) and the bytes. */
export function imageTable(
  file: string,
  block: ImageBlock,
  files: string[],
  labels?: Array<string | null>,
): Table {
  const columns: Column[] = [{ name: IMAGE_FILE_COLUMN, type: 'identifier', values: files }];
  if (labels) columns.push({ name: IMAGE_LABEL_COLUMN, type: 'categorical', values: labels });
  return { file, columns, rowCount: files.length, images: block };
}

/** The size an image op declares, if the project has one. */
export function declaredImageSize(ops: PrepareOp[]): ImageSize | undefined {
  const op = ops.find((candidate) => candidate.op === 'image');
  return op && op.op === 'image' ? { rows: op.rows, cols: op.cols, channels: op.channels ?? 1 } : undefined;
}

/** Every file a load of the source reads (absolute paths): the CSV, an image folder's images, IDX images and labels. */
export async function dataSourceFiles(path: string): Promise<string[]> {
  const kind = await dataSourceKind(path);
  if (kind === 'image-folder') return imageFolderFiles(path).map((file) => join(path, file));
  return kind === 'idx' ? [path, idxLabelsFile(path)] : [path];
}

/**
 * A cheap fingerprint of a source on disk (paths, sizes and modification times), for caches that must notice a
 * changed file without reading it.
 */
export async function dataFingerprint(path: string): Promise<string> {
  const files = await dataSourceFiles(path);
  const parts = await Promise.all(
    files.map(async (file) => {
      const stats = await stat(file);
      return `${file}:${stats.size}:${stats.mtimeMs}`;
    }),
  );
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

/**
 * Images to predict, for a bundle trained on images: one folder (every image under it), one IDX images file, or
 * image files. Each image is resized to the bundle's size; the `file` column names it (relative to a folder).
 */
export async function loadImageInput(
  paths: readonly string[],
  size: ImageSize,
  classNames?: string[],
): Promise<Table> {
  const kinds = await Promise.all(paths.map((path) => dataSourceKind(path)));
  if (paths.length === 1 && kinds[0] === 'idx')
    return (await loadDataSource(paths[0], { imageSize: size, classNames })).table;
  const files: Array<{ path: string; name: string }> = [];
  paths.forEach((path, index) => {
    if (kinds[index] === 'image-folder') {
      for (const name of imageFolderFiles(path, { top: true })) files.push({ path: join(path, name), name });
    } else if (isImageFile(path)) {
      files.push({ path, name: basename(path) });
    } else {
      throw new TopdownError('IMAGE_UNREADABLE', `${path} is not a PNG or JPEG image.`, {
        file: path,
        hint: 'This model reads images: give a folder of images, image files, or one IDX images file.',
      });
    }
  });
  if (files.length === 0) {
    throw new TopdownError(
      'IMAGE_FOLDER_INVALID',
      `There are no PNG or JPEG images in ${paths.join(', ')}.`,
      {
        file: paths[0],
        hint: 'Give a folder of images, image files, or one IDX images file.',
      },
    );
  }
  const { block, names } = await loadImageFiles(files, size);
  return imageTable(paths.length === 1 ? paths[0] : dirname(paths[0]), block, names);
}
