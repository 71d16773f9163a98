import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TopdownError } from '../../src/core/errors';
import { installNative, npmCommand } from '../../src/runner/commands/install';

describe('npmCommand', () => {
  it('runs npm from the PATH outside Windows', () => {
    assert.deepEqual(
      npmCommand('linux', { PATH: '/usr/bin' }, () => true),
      { command: 'npm', args: [] },
    );
  });

  it('on Windows runs npm-cli.js with the node.exe beside it, never the .cmd script (which needs a shell)', () => {
    const present = new Set([
      'C:\\Program Files\\nodejs\\node.exe',
      'C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npm-cli.js',
    ]);
    const found = npmCommand('win32', { Path: 'C:\\Windows\\system32;;C:\\Program Files\\nodejs' }, (path) =>
      present.has(path),
    );
    assert.deepEqual(found, {
      command: 'C:\\Program Files\\nodejs\\node.exe',
      args: ['C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npm-cli.js'],
    });
  });

  it('on Windows skips a folder with npm-cli.js but no node.exe', () => {
    const present = new Set([
      'C:\\a\\node_modules\\npm\\bin\\npm-cli.js',
      'C:\\b\\node.exe',
      'C:\\b\\node_modules\\npm\\bin\\npm-cli.js',
    ]);
    assert.equal(
      npmCommand('win32', { PATH: 'C:\\a;C:\\b' }, (path) => present.has(path)).command,
      'C:\\b\\node.exe',
    );
  });
});

describe('topdown install without npm', () => {
  it('says npm could not be started and how to get it, and leaves a whole package.json', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'topdown-install-'));
    writeFileSync(join(folder, 'topdown.json'), '{}');
    const saved = process.env.PATH;
    process.env.PATH = mkdtempSync(join(tmpdir(), 'topdown-empty-path-'));
    try {
      await assert.rejects(installNative(folder, { emit: () => undefined }), (error: unknown) => {
        assert.ok(error instanceof TopdownError);
        assert.equal(error.code, 'BACKEND_UNAVAILABLE');
        assert.match(error.message, /needs npm/);
        assert.match(error.hint ?? '', /npm is on the PATH/);
        return true;
      });
    } finally {
      process.env.PATH = saved;
    }
    assert.deepEqual(JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')), {
      name: 'topdown-project',
      private: true,
    });
  });
});
