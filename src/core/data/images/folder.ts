/**
 * A folder of class subfolders (`<folder>/<class>/*.png|jpg|jpeg`), the layout of Keras'
 * `image_dataset_from_directory`: the subfolder names are the classes, sorted; files are read in sorted order
 * so every load gives the same rows. Links and hidden entries are skipped, so nothing outside the folder is read.
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TopdownError } from '../../errors';
import { SourceHasher } from '../source-hash';
import { imageBytes, type ImageBlock, type ImageSize } from './block';
import { decodeImage, writeResized, type DecodedImage } from './decode';
import { imageFolderFiles, isImageFile } from './names';

/** The image files of one class, relative to the folder, sorted. */
export interface ImageClass {
  name: string;
  files: string[];
}

/** A loaded image folder: the pixels, per image its file (relative) and class, and the source hash. */
export interface FolderImages {
  block: ImageBlock;
  files: string[];
  labels: string[];
  classes: string[];
  hash: string;
}

function folderError(message: string, folder: string, hint: string): TopdownError {
  return new TopdownError('IMAGE_FOLDER_INVALID', message, { file: folder, hint });
}

const LAYOUT_HINT = 'Put the images in one subfolder per class: images/cat/1.png, images/dog/2.jpg, …';

/** The classes of an image folder with their files; refuses a folder with fewer than two classes or an empty class. */
export function listImageFolder(folder: string): ImageClass[] {
  const visible = readdirSync(folder, { withFileTypes: true }).filter((entry) => !entry.name.startsWith('.'));
  const loose = visible.find((entry) => entry.isFile() && isImageFile(entry.name));
  if (loose) {
    throw folderError(
      `${folder} holds images directly (${loose.name}); the classes come from subfolder names.`,
      folder,
      LAYOUT_HINT,
    );
  }
  const classes = new Map<string, string[]>(
    visible
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort(compareNames)
      .map((name) => [name, []]),
  );
  for (const file of imageFolderFiles(folder)) classes.get(file.slice(0, file.indexOf('/')))?.push(file);
  for (const [name, files] of classes) {
    if (files.length === 0) {
      throw folderError(
        `The class folder ${join(folder, name)} has no PNG or JPEG images.`,
        join(folder, name),
        'Add images to it, or remove the folder (every subfolder is a class).',
      );
    }
  }
  if (classes.size < 2) {
    const only = [...classes.keys()][0];
    throw folderError(
      only === undefined
        ? `${folder} has no class subfolders.`
        : `${folder} has only one class subfolder ("${only}"); a classifier needs at least two.`,
      folder,
      LAYOUT_HINT,
    );
  }
  return [...classes].map(([name, files]) => ({ name, files }));
}

function compareNames(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The size of an image folder's first image (in load order), grey when its channels are equal everywhere. */
export async function firstImageSize(folder: string): Promise<ImageSize> {
  const first = listImageFolder(folder)
    .flatMap((entry) => entry.files)
    .sort(compareNames)[0];
  const image = decodeImage(await readFile(join(folder, first)), join(folder, first));
  return { rows: image.height, cols: image.width, channels: isGrey(image) ? 1 : 3 };
}

/**
 * Decodes the given image files (absolute paths, with the names to show for them) into one block of `size`,
 * for predictions: no classes, every image resized.
 */
export async function loadImageFiles(
  files: Array<{ path: string; name: string }>,
  size: ImageSize,
): Promise<{ block: ImageBlock; names: string[] }> {
  const block: ImageBlock = { ...size, pixels: new Uint8Array(files.length * imageBytes(size)) };
  for (let index = 0; index < files.length; index++) {
    const image = decodeImage(await readFile(files[index].path), files[index].path);
    writeResized(image, block, block.pixels, index * imageBytes(block));
  }
  return { block, names: files.map((file) => file.name) };
}

/**
 * Decodes every image of the folder into one byte block of `size`. Without a declared size the first image
 * gives it (grey when its channels are equal everywhere) and an image of another size is refused by name.
 */
export async function loadImageFolder(folder: string, size: ImageSize | undefined): Promise<FolderImages> {
  const classes = listImageFolder(folder);
  const files = classes.flatMap((entry) => entry.files).sort(compareNames);
  const labels = files.map((file) => file.slice(0, file.indexOf('/')));
  const hasher = new SourceHasher();
  let block: ImageBlock | undefined;
  let first: { file: string; image: DecodedImage } | undefined;
  for (let index = 0; index < files.length; index++) {
    const file = join(folder, files[index]);
    const bytes = await readFile(file);
    hasher.addFile(files[index], bytes);
    const image = decodeImage(bytes, file);
    if (!block || !first) {
      const resolved = size ?? { rows: image.height, cols: image.width, channels: isGrey(image) ? 1 : 3 };
      block = { ...resolved, pixels: new Uint8Array(files.length * imageBytes(resolved)) };
      first = { file, image };
    } else if (!size && (image.width !== first.image.width || image.height !== first.image.height)) {
      throw sizeMismatch(file, image, first);
    }
    writeResized(image, block, block.pixels, index * imageBytes(block));
  }
  return { block: block!, files, labels, classes: classes.map((entry) => entry.name), hash: hasher.digest() };
}

function sizeMismatch(
  file: string,
  image: DecodedImage,
  first: { file: string; image: DecodedImage },
): TopdownError {
  return new TopdownError(
    'IMAGE_SIZE_MISMATCH',
    `The image ${file} is ${image.width} × ${image.height} pixels, but ${first.file} is ${first.image.width} × ${first.image.height}.`,
    {
      file,
      hint: 'Declare the size to resize every image to: {"op": "image", "rows": 28, "cols": 28, "channels": 1} in "prepare".',
    },
  );
}

/** Whether every pixel of a decoded image has equal red, green and blue. */
export function isGrey(image: DecodedImage): boolean {
  const { rgba } = image;
  for (let index = 0; index < rgba.length; index += 4) {
    if (rgba[index] !== rgba[index + 1] || rgba[index] !== rgba[index + 2]) return false;
  }
  return true;
}
