/**
 * IDX files, the format the MNIST family is distributed in: `*-images-idx3-ubyte[.gz]` holds the images
 * (unsigned bytes, dimensions count × rows × cols, or × 3 for colour) and the matching
 * `*-labels-idx1-ubyte[.gz]` one label byte per image. Gzipped files are read through node:zlib.
 */
import { readFile } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { TopdownError } from '../../errors';
import { imageBytes, type ImageBlock, type ImageSize } from './block';
import { writeResized } from './decode';
import { idxLabelsFile } from './names';
import { SourceHasher } from '../source-hash';

const gunzipAsync = promisify(gunzip);

/** The IDX type code of unsigned bytes, the only element type image and label files use. */
const UNSIGNED_BYTE = 0x08;

/** An IDX array: its dimensions and its bytes. */
interface IdxArray {
  dimensions: number[];
  data: Uint8Array;
  /** The file's bytes as stored (gzipped or not), for the source hash. */
  raw: Uint8Array;
}

function invalid(file: string, why: string, hint: string): TopdownError {
  return new TopdownError('IDX_INVALID', `${file} is not a usable IDX file: ${why}.`, { file, hint });
}

/** Reads one IDX file (gunzipped when it starts with the gzip magic), checking its header against its length. */
export async function readIdx(file: string): Promise<IdxArray> {
  let raw: Uint8Array;
  try {
    raw = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new TopdownError('CSV_NOT_FOUND', `Data file not found: ${file}`, {
        file,
        hint: 'An IDX images file needs its labels file beside it (train-images-idx3-ubyte.gz with train-labels-idx1-ubyte.gz).',
      });
    }
    throw error;
  }
  let bytes = raw;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (error) {
      throw invalid(
        file,
        `its gzip data is damaged (${(error as Error).message})`,
        'Download the file again.',
      );
    }
  }
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== UNSIGNED_BYTE) {
    throw invalid(
      file,
      'it does not start with the IDX header of unsigned bytes',
      'Check that the file is an MNIST-style IDX file.',
    );
  }
  const count = bytes[3];
  const headerBytes = 4 + 4 * count;
  if (count < 1 || bytes.length < headerBytes)
    throw invalid(file, 'its header is cut short', 'Download the file again.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const dimensions = Array.from({ length: count }, (_, index) => view.getUint32(4 + 4 * index, false));
  const expected = dimensions.reduce((product, dimension) => product * dimension, 1);
  if (bytes.length - headerBytes < expected) {
    throw invalid(
      file,
      `its header promises ${dimensions.join(' × ')} bytes but only ${bytes.length - headerBytes} follow (truncated)`,
      'Download the file again.',
    );
  }
  return { dimensions, data: bytes.subarray(headerBytes, headerBytes + expected), raw };
}

/** The images and labels of an IDX pair, resized to `size` when one is given. */
export async function loadIdx(
  imagesFile: string,
  size: ImageSize | undefined,
): Promise<{ block: ImageBlock; labels: Uint8Array; labelsFile: string; hash: string }> {
  const labelsFile = idxLabelsFile(imagesFile);
  const images = await readIdx(imagesFile);
  const labels = await readIdx(labelsFile);
  const [count, rows, cols, channels = 1] = images.dimensions;
  if (images.dimensions.length < 3 || images.dimensions.length > 4 || (channels !== 1 && channels !== 3)) {
    throw invalid(
      imagesFile,
      `its dimensions are ${images.dimensions.join(' × ')}, not images × rows × cols (× 3)`,
      'Point problem.data at the images file of the pair, not the labels file.',
    );
  }
  if (labels.dimensions.length !== 1 || labels.dimensions[0] !== count) {
    throw invalid(
      labelsFile,
      `it holds ${labels.dimensions.join(' × ')} labels for ${count} images`,
      'Use the labels file that came with the images file.',
    );
  }
  const own: ImageSize = { rows, cols, channels };
  const target = size ?? own;
  const same = target.rows === rows && target.cols === cols && target.channels === channels;
  const pixels = same ? images.data : resizeAll(images.data, count, own, target);
  const hash = new SourceHasher().addFile('images', images.raw).addFile('labels', labels.raw).digest();
  return { block: { ...target, pixels }, labels: labels.data, labelsFile, hash };
}

function resizeAll(data: Uint8Array, count: number, from: ImageSize, to: ImageSize): Uint8Array {
  const pixels = new Uint8Array(count * imageBytes(to));
  const rgba = new Uint8Array(from.rows * from.cols * 4);
  const fromBytes = imageBytes(from);
  for (let image = 0; image < count; image++) {
    const source = data.subarray(image * fromBytes, (image + 1) * fromBytes);
    for (let pixel = 0; pixel < from.rows * from.cols; pixel++) {
      for (let channel = 0; channel < 3; channel++)
        rgba[pixel * 4 + channel] = source[pixel * from.channels + (from.channels === 1 ? 0 : channel)];
      rgba[pixel * 4 + 3] = 255;
    }
    writeResized({ width: from.cols, height: from.rows, rgba }, to, pixels, image * imageBytes(to));
  }
  return pixels;
}
