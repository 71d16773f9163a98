/**
 * Topdown writes into a project and loads code from it, never through a link that leads out of it: dangling
 * links (a write creates their target) and escaping links are refused, and a custom model module must be the
 * project's own.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCustomBuild } from '../../src/core/models/custom';
import { isInsideFolder, resolveReal } from '../../src/core/paths';
import { loadProject } from '../../src/core/project';
import { savePng } from '../../src/extension/panels/actions';
import { renderReport } from '../../src/runner/report';
import { binaryProject, tempDir, writeBinaryCsv, writeProject } from '../helpers/cli';
import { rejectsWith } from '../helpers/errors';
import { diskFullAfter, shortWrites } from '../helpers/writes';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG = `data:image/png;base64,${Buffer.concat([PNG_SIGNATURE, Buffer.from([0, 0])]).toString('base64')}`;

/** A project folder and a folder outside it. */
function projectAndOutside(): { project: string; outside: string } {
  const root = tempDir('containment');
  const project = writeProject(join(root, 'project'), binaryProject([{ name: 'knn', model: 'knn' }]));
  writeBinaryCsv(join(project, 'data', 'data.csv'), 30);
  const outside = join(root, 'outside');
  mkdirSync(outside);
  return { project, outside };
}

describe('resolveReal and isInsideFolder', () => {
  it('follows a dangling link to where a write would create its target', () => {
    const { project, outside } = projectAndOutside();
    symlinkSync(join(outside, 'created.png'), join(project, 'dangling.png'));
    assert.equal(resolveReal(join(project, 'dangling.png')), join(resolveReal(outside), 'created.png'));
    assert.equal(isInsideFolder(project, join(project, 'dangling.png')), false);
    symlinkSync(join(project, 'later.png'), join(project, 'inside-dangling.png'));
    assert.equal(isInsideFolder(project, join(project, 'inside-dangling.png')), true);
  });

  it('resolves paths that do not exist yet through their nearest folder, and ends on a link loop', () => {
    const { project } = projectAndOutside();
    assert.equal(isInsideFolder(project, join(project, 'report', 'new', 'a.png')), true);
    symlinkSync(join(project, 'b'), join(project, 'a'));
    symlinkSync(join(project, 'a'), join(project, 'b'));
    assert.equal(typeof resolveReal(join(project, 'a', 'x.png')), 'string');
  });
});

describe('savePng', () => {
  it('refuses a report/<name>.png that is a dangling link leading outside, and creates nothing there', () => {
    const { project, outside } = projectAndOutside();
    mkdirSync(join(project, 'report'));
    symlinkSync(join(outside, 'planted.png'), join(project, 'report', 'chart.png'));
    assert.throws(() => savePng(project, 'chart.png', PNG), /outside the project/);
    assert.equal(existsSync(join(outside, 'planted.png')), false);
  });

  it('writes the chart whole or not at all: a full disk keeps the old chart, leaves no temp file, says DISK_FULL', () => {
    const { project } = projectAndOutside();
    const bigPng = `data:image/png;base64,${Buffer.concat([PNG_SIGNATURE, Buffer.alloc(20_000, 7)]).toString('base64')}`;
    assert.equal(savePng(project, 'chart.png', PNG), 'report/chart.png');
    const old = readFileSync(join(project, 'report', 'chart.png'));
    assert.throws(
      () => savePng(project, 'chart.png', bigPng, diskFullAfter(8192)),
      (error: { code?: string; file?: string }) =>
        error.code === 'DISK_FULL' && error.file === join(project, 'report', 'chart.png'),
    );
    assert.deepEqual(readFileSync(join(project, 'report', 'chart.png')), old);
    assert.deepEqual(readdirSync(join(project, 'report')), ['chart.png']);
    savePng(project, 'chart.png', bigPng, shortWrites(100));
    assert.equal(readFileSync(join(project, 'report', 'chart.png')).length, 20_008);
  });
});

describe('renderReport', () => {
  it('refuses to write REPORT.md through a link to a file outside the project, leaving that file as it was', async () => {
    const { project, outside } = projectAndOutside();
    mkdirSync(join(project, 'report'));
    writeFileSync(join(outside, 'victim.txt'), 'keep me');
    symlinkSync(join(outside, 'victim.txt'), join(project, 'report', 'REPORT.md'));
    const error = await rejectsWith('PATH_OUTSIDE_PROJECT', () =>
      renderReport(project, { canvas: { reason: 'not needed' } }),
    );
    assert.equal(error.file, join(project, 'report', 'REPORT.md'));
    assert.equal(readFileSync(join(outside, 'victim.txt'), 'utf8'), 'keep me');
  });

  it('refuses a report/ folder that is a link leading outside, and one that dangles there', async () => {
    const linked = projectAndOutside();
    symlinkSync(linked.outside, join(linked.project, 'report'));
    await rejectsWith('PATH_OUTSIDE_PROJECT', () =>
      renderReport(linked.project, { canvas: { reason: 'none' } }),
    );
    assert.equal(existsSync(join(linked.outside, 'REPORT.md')), false);

    const dangling = projectAndOutside();
    symlinkSync(join(dangling.outside, 'made'), join(dangling.project, 'report'));
    await rejectsWith('PATH_OUTSIDE_PROJECT', () =>
      renderReport(dangling.project, { canvas: { reason: 'none' } }),
    );
    assert.equal(existsSync(join(dangling.outside, 'made')), false);
  });

  it('writes the report when report/ is an ordinary folder', async () => {
    const { project } = projectAndOutside();
    const report = await renderReport(project, { canvas: { reason: 'none' } });
    assert.match(readFileSync(report.markdown, 'utf8'), /#/);
  });
});

describe('custom model modules', () => {
  it('refuses a module path with .. or an absolute path in topdown.json, naming the field', async () => {
    const { project } = projectAndOutside();
    for (const module of ['../evil.js', '/tmp/evil.js']) {
      writeProject(project, binaryProject([{ name: 'mine', model: 'custom', module }]));
      const error = await rejectsWith('PROJECT_INVALID', () => loadProject(project));
      assert.equal(error.field, '/evaluate/candidates/0/module');
      assert.match(error.message, /outside the project/);
    }
  });

  it('refuses a module inside the project that is a link to code outside it, and never loads that code', () => {
    const { project, outside } = projectAndOutside();
    const marker = join(outside, 'ran.txt');
    writeFileSync(
      join(outside, 'evil.js'),
      `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); exports.build = () => null;`,
    );
    mkdirSync(join(project, 'models'), { recursive: true });
    symlinkSync(join(outside, 'evil.js'), join(project, 'models', 'mine.js'));
    assert.throws(
      () => loadCustomBuild('models/mine.js', project),
      (error: { code?: string; file?: string }) =>
        error.code === 'PATH_OUTSIDE_PROJECT' && error.file === join(project, 'models', 'mine.js'),
    );
    assert.equal(existsSync(marker), false);
  });
});
