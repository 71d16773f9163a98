/** `topdown new --from-images`: a project proposed for an image folder, each choice explained. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectConfig } from '../../src/core/config';
import { runCli, tempDir } from '../helpers/cli';
import { pngBytes, syntheticImages, writeImageFolder } from '../helpers/images';

describe('topdown new --from-images', () => {
  it('proposes a project from the folder names and the image size, which then runs step 1', async () => {
    const dir = tempDir('from-images');
    const folder = writeImageFolder(join(dir, 'photos'), syntheticImages(10, 8, 2), {
      names: ['bar', 'column', 'square'],
    });
    // One image of another size: it is resized to the first image's size, not refused.
    writeFileSync(join(folder, 'square', 'big.png'), pngBytes(new Uint8Array(144).fill(200), 12, 12));
    writeFileSync(join(folder, 'notes.txt'), 'not an image');
    const project = join(dir, 'project');
    const created = await runCli(['new', '--from-images', folder, project, '--json']);
    assert.equal(created.code, 0, created.stderr);
    const config = JSON.parse(readFileSync(join(project, 'topdown.json'), 'utf8')) as ProjectConfig;
    assert.deepEqual(config.problem, {
      data: 'data/images',
      target: 'label',
      task: 'image',
      metric: 'accuracy',
    });
    assert.deepEqual(config.prepare, [{ op: 'image', rows: 8, cols: 8, channels: 1, scale: 255 }]);
    const models = config.evaluate.candidates.map((candidate) => candidate.model);
    assert.ok(models.includes('baseline') && models.includes('cnn'), models.join(', '));
    assert.ok(existsSync(join(project, 'data', 'images', 'square', 'big.png')));
    assert.ok(!existsSync(join(project, 'data', 'images', 'notes.txt')), 'only images are copied');
    const readme = readFileSync(join(project, 'README.md'), 'utf8');
    assert.match(readme, /3 classes: bar, column, square/);
    assert.match(readme, /8 × 8 × 1/);
    const defined = await runCli(['define', project, '--json']);
    assert.equal(defined.code, 0, defined.stderr);
    assert.equal(defined.json?.rows, 31);
  });

  it('refuses a folder with a single class and says how to lay it out', async () => {
    const dir = tempDir('from-images-single');
    const images = syntheticImages(4, 8, 2);
    const folder = writeImageFolder(join(dir, 'photos'), { ...images, labels: new Uint8Array(12) });
    const created = await runCli(['new', '--from-images', folder, join(dir, 'project'), '--json']);
    assert.equal(created.code, 1);
    const error = (created.json as { error: { code: string; hint: string } }).error;
    assert.equal(error.code, 'IMAGE_FOLDER_INVALID');
    assert.match(error.hint, /one subfolder per class/);
  });
});
