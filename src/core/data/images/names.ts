/** Which file names are images and IDX files (no decoders here, so the extension host can use it). */
import { readdirSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

/** File extensions read as images (lower case, with the dot). */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const;

/** Whether a file name has an image extension. */
export function isImageFile(name: string): boolean {
  return (IMAGE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase());
}

const IDX_IMAGES_NAME = /images([-.])idx3-ubyte(\.gz)?$/i;

/** Whether a file name is an IDX images file (`train-images-idx3-ubyte`, `t10k-images.idx3-ubyte.gz`, …). */
export function isIdxImagesFile(file: string): boolean {
  return IDX_IMAGES_NAME.test(basename(file));
}

/** The labels file that goes with an IDX images file (same folder, `labels-idx1-ubyte`, same compression). */
export function idxLabelsFile(imagesFile: string): string {
  const name = basename(imagesFile).replace(
    IDX_IMAGES_NAME,
    (_, separator: string, gz: string | undefined) => `labels${separator}idx1-ubyte${gz ?? ''}`,
  );
  return join(dirname(imagesFile), name);
}

/**
 * The image files under a folder, relative (with `/`) and sorted; hidden entries and links are skipped. By
 * default only those inside subfolders (an image folder's classes); `top` adds the folder's own.
 */
export function imageFolderFiles(folder: string, options: { top?: boolean } = {}): string[] {
  const files: string[] = [];
  const visit = (relative: string): void => {
    for (const entry of readdirSync(join(folder, relative), { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile() && (relative || options.top) && isImageFile(entry.name)) files.push(path);
    }
  };
  visit('');
  return files.sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));
}
