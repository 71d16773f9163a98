/** The test runner script: without Chromium the webview suite stops at once with one line saying what to do. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(__dirname, '..', '..');

describe('scripts/run-tests.mjs', () => {
  it('stops the webview tests with one line naming the missing browser and how to install it', () => {
    const result = spawnSync(process.execPath, ['scripts/run-tests.mjs', 'test/webview'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' },
    });
    assert.equal(result.status, 1);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0], /\/nonexistent\/chromium/);
    assert.match(lines[0], /apt-get install chromium/);
    assert.equal(result.stdout, '');
  });
});
