import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataFingerprint, dataSourceKind, loadDataSource } from '../../src/core/data/source';
import { hashDataPathSync } from '../../src/core/data/source-hash';
import { idxLabelsFile } from '../../src/core/data/images/names';
import { Pipeline } from '../../src/core/prepare/pipeline';
import type { ProblemConfig } from '../../src/core/config';
import { tempDir } from '../helpers/cli';
import { idxBytes, pngBytes, syntheticImages, writeIdx, writeImageFolder } from '../helpers/images';

const images = syntheticImages(4, 8, 5);
const imageProblem: ProblemConfig = { data: 'images', target: 'label', task: 'image', metric: 'accuracy' };

async function rejectsWith(promise: Promise<unknown>, code: string, file: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: { code?: string; file?: string; hint?: string }) => {
    assert.equal(error.code, code);
    if (typeof file === 'string') assert.equal(error.file, file);
    else assert.match(error.file ?? '', file);
    assert.ok(error.hint, 'a hint says what to do');
    return true;
  });
}

describe('data sources', () => {
  it('tells a CSV, an image folder and an IDX file apart', async () => {
    const dir = tempDir('source-kind');
    writeFileSync(join(dir, 'a.csv'), 'x,y\n1,2\n');
    const idx = writeIdx(dir, 'train', images, { gzip: true });
    const folder = writeImageFolder(join(dir, 'images'), images);
    assert.equal(await dataSourceKind(join(dir, 'a.csv')), 'csv');
    assert.equal(await dataSourceKind(idx), 'idx');
    assert.equal(await dataSourceKind(folder), 'image-folder');
    await rejectsWith(dataSourceKind(join(dir, 'nope')), 'CSV_NOT_FOUND', join(dir, 'nope'));
  });

  it('loads an IDX pair (gzipped or not) as a file and a label column over the image bytes', async () => {
    const dir = tempDir('source-idx');
    for (const gzip of [false, true]) {
      const loaded = await loadDataSource(writeIdx(join(dir, String(gzip)), 'train', images, { gzip }), {
        classNames: ['bar', 'column', 'square'],
      });
      assert.equal(loaded.kind, 'idx');
      assert.equal(loaded.table.rowCount, 12);
      assert.deepEqual(Uint8Array.from(loaded.table.images!.pixels), images.pixels);
      assert.equal(loaded.table.images?.channels, 1);
      const label = loaded.table.columns.find((column) => column.name === 'label');
      assert.deepEqual(label?.values.slice(0, 4), ['bar', 'column', 'square', 'bar']);
      assert.equal(await loaded.hash(), hashDataPathSync(loaded.file), 'the editor computes the same hash');
    }
  });

  it('loads an image folder in sorted order with classes from the subfolder names', async () => {
    const dir = tempDir('source-folder');
    const folder = writeImageFolder(join(dir, 'images'), images, {
      names: ['bar', 'column', 'square'],
      jpeg: true,
    });
    const loaded = await loadDataSource(folder);
    assert.equal(loaded.kind, 'image-folder');
    const files = loaded.table.columns.find((column) => column.name === 'file')?.values as string[];
    assert.deepEqual(files.slice(0, 2), ['bar/00000.jpg', 'bar/00003.png']);
    const block = loaded.table.images!;
    assert.deepEqual([block.rows, block.cols, block.channels], [8, 8, 1]);
    // bar/00003.png is image 3 of the generator, stored losslessly.
    assert.deepEqual(Uint8Array.from(block.pixels.subarray(64, 128)), images.pixels.subarray(3 * 64, 4 * 64));
    assert.equal(await loaded.hash(), hashDataPathSync(folder));
  });

  it('resizes to the declared size and reads RGB', async () => {
    const dir = tempDir('source-resize');
    const folder = writeImageFolder(join(dir, 'images'), images);
    const loaded = await loadDataSource(folder, { imageSize: { rows: 4, cols: 4, channels: 3 } });
    const block = loaded.table.images!;
    assert.deepEqual([block.rows, block.cols, block.channels, block.pixels.length], [4, 4, 3, 12 * 48]);
    // Grey in, RGB out: the three channels are equal.
    for (let pixel = 0; pixel < 16; pixel++) {
      assert.equal(block.pixels[pixel * 3], block.pixels[pixel * 3 + 1]);
      assert.equal(block.pixels[pixel * 3], block.pixels[pixel * 3 + 2]);
    }
    const idx = await loadDataSource(writeIdx(dir, 'x', images), {
      imageSize: { rows: 4, cols: 4, channels: 1 },
    });
    // A bilinear halving averages each 2 × 2 block.
    const source = images.pixels;
    const expected = Math.round((source[0] + source[1] + source[8] + source[9]) / 4);
    assert.ok(Math.abs(idx.table.images!.pixels[0] - expected) <= 1);
  });

  it('changes the fingerprint when a file of the source changes', async () => {
    const dir = tempDir('source-fingerprint');
    const folder = writeImageFolder(join(dir, 'images'), images);
    const before = await dataFingerprint(folder);
    writeFileSync(join(folder, 'class-0', 'new.png'), pngBytes(images.pixels.subarray(0, 64), 8, 8));
    assert.notEqual(await dataFingerprint(folder), before);
  });
});

describe('bad image sources', () => {
  it('names an unreadable image', async () => {
    const folder = writeImageFolder(join(tempDir('bad-png'), 'images'), images);
    const broken = join(folder, 'class-1', '00001.png');
    writeFileSync(broken, readFileSync(broken).subarray(0, 40));
    await rejectsWith(loadDataSource(folder), 'IMAGE_UNREADABLE', broken);
    const text = join(folder, 'class-1', '00001.png');
    writeFileSync(text, 'not an image');
    await rejectsWith(loadDataSource(folder), 'IMAGE_UNREADABLE', text);
  });

  it('names a truncated JPEG', async () => {
    const folder = writeImageFolder(join(tempDir('bad-jpeg'), 'images'), images, { jpeg: true });
    const broken = join(folder, 'class-0', '00000.jpg');
    const bytes = readFileSync(broken);
    writeFileSync(broken, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await rejectsWith(loadDataSource(folder), 'IMAGE_UNREADABLE', broken);
  });

  it('names an image of another size when no size is declared, and resizes it when one is', async () => {
    const folder = writeImageFolder(join(tempDir('mixed'), 'images'), images);
    const odd = join(folder, 'class-2', 'zz.png');
    writeFileSync(odd, pngBytes(new Uint8Array(100), 10, 10));
    await rejectsWith(loadDataSource(folder), 'IMAGE_SIZE_MISMATCH', odd);
    const loaded = await loadDataSource(folder, { imageSize: { rows: 8, cols: 8, channels: 1 } });
    assert.equal(loaded.table.rowCount, 13);
  });

  it('refuses an empty class folder, a single class and images outside class folders', async () => {
    const dir = tempDir('layout');
    const folder = writeImageFolder(join(dir, 'images'), images);
    mkdirSync(join(folder, 'empty'));
    await rejectsWith(loadDataSource(folder), 'IMAGE_FOLDER_INVALID', join(folder, 'empty'));
    const single = writeImageFolder(join(dir, 'single'), { ...images, labels: new Uint8Array(12) });
    await rejectsWith(loadDataSource(single), 'IMAGE_FOLDER_INVALID', single);
    const loose = writeImageFolder(join(dir, 'loose'), images);
    copyFileSync(join(loose, 'class-0', '00000.png'), join(loose, 'stray.png'));
    await rejectsWith(loadDataSource(loose), 'IMAGE_FOLDER_INVALID', loose);
  });

  it('refuses a truncated IDX file, a missing labels file and a label count that differs', async () => {
    const dir = tempDir('bad-idx');
    const file = writeIdx(dir, 'train', images);
    writeFileSync(file, readFileSync(file).subarray(0, 300));
    await rejectsWith(loadDataSource(file), 'IDX_INVALID', file);
    const other = writeIdx(join(dir, 'b'), 'train', images);
    writeFileSync(idxLabelsFile(other), idxBytes([3], new Uint8Array(3)));
    await rejectsWith(loadDataSource(other), 'IDX_INVALID', idxLabelsFile(other));
    const lonely = writeIdx(join(dir, 'c'), 'train', images);
    writeFileSync(idxLabelsFile(lonely), '');
    await rejectsWith(loadDataSource(lonely), 'IDX_INVALID', idxLabelsFile(lonely));
    const gz = writeIdx(join(dir, 'd'), 'train', images, { gzip: true });
    writeFileSync(gz, readFileSync(gz).subarray(0, 30));
    await rejectsWith(loadDataSource(gz), 'IDX_INVALID', gz);
  });

  it('refuses a label that problem.classNames does not name', async () => {
    const file = writeIdx(tempDir('idx-names'), 'train', images);
    await rejectsWith(loadDataSource(file, { classNames: ['a', 'b'] }), 'IDX_INVALID', idxLabelsFile(file));
  });
});

describe('the pipeline over an image source', () => {
  it('scales the bytes into float32 features shaped [n, rows, cols, channels]', async () => {
    const loaded = await loadDataSource(writeImageFolder(join(tempDir('pipe'), 'images'), images));
    const pipeline = new Pipeline(imageProblem, []).fit(loaded.table, { rows: [0, 1, 2, 3, 4, 5] });
    const dataset = pipeline.transform(loaded.table, [6, 7]);
    assert.deepEqual(dataset.xShape, [2, 8, 8, 1]);
    assert.equal(dataset.x[5], Math.fround(loaded.table.images!.pixels[6 * 64 + 5] / 255));
    assert.deepEqual(dataset.classes, ['class-0', 'class-1', 'class-2']);
    assert.equal(pipeline.getState().images?.scale, 255);
    const rebuilt = Pipeline.fromState(pipeline.getState());
    assert.deepEqual(rebuilt.transform(loaded.table, [6, 7]).x, dataset.x);
  });

  it('uses the image op scale and refuses images of another size', async () => {
    const dir = tempDir('pipe-size');
    const loaded = await loadDataSource(writeIdx(dir, 'a', images));
    const ops = [{ op: 'image' as const, rows: 8, cols: 8, channels: 1, scale: 1 }];
    const pipeline = new Pipeline(imageProblem, ops).fit(loaded.table);
    assert.equal(pipeline.transform(loaded.table, [0]).x[0], loaded.table.images!.pixels[0]);
    const small = await loadDataSource(writeIdx(join(dir, 'b'), 'a', syntheticImages(2, 6)));
    assert.throws(() => pipeline.transform(small.table), { code: 'PREPARE_INVALID' });
  });
});
