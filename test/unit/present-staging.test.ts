import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createStagingDir } from '../../src/core/present/bundle';
import { removeStaleTemporaries, temporaryPath } from '../../src/core/present/staging';

const BUNDLE_MODULE = resolve(__dirname, '..', '..', 'src', 'core', 'present', 'bundle.ts');

/**
 * Starts a process that creates a staging folder for `finalDir` (as a `present` does), prints its path and
 * waits; resolves with the process and that path.
 */
async function stagingOwner(finalDir: string): Promise<{ kill: () => Promise<void>; staging: string }> {
  const code = `const staging = require(${JSON.stringify(BUNDLE_MODULE)}).createStagingDir(${JSON.stringify(finalDir)});
    process.stdout.write(staging + '\\n'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const staging = await new Promise<string>((done, fail) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.endsWith('\n')) done(text.trim());
    });
    child.once('exit', (status) => fail(new Error(`the staging owner exited with ${status}`)));
  });
  const kill = async (): Promise<void> => {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
  };
  return { kill, staging };
}

describe('staging folders of present', () => {
  it('removes the staging folder of a killed present at the next one, and keeps a running one', async () => {
    const models = join(mkdtempSync(join(tmpdir(), 'topdown-staging-')), 'models');
    const finalDir = join(models, 'iris');
    const killed = await stagingOwner(finalDir);
    writeFileSync(join(killed.staging, 'weights.bin'), 'half a bundle');
    await killed.kill();
    const running = await stagingOwner(finalDir);
    try {
      const mine = createStagingDir(finalDir);
      const left = readdirSync(models).sort();
      assert.deepEqual(left, [basename(mine), basename(running.staging)].sort());
    } finally {
      await running.kill();
    }
  });

  it('removes folders whose pid now belongs to another process, and leaves every other entry alone', () => {
    const models = mkdtempSync(join(tmpdir(), 'topdown-staging-'));
    const finalDir = join(models, 'iris');
    const own = basename(temporaryPath(finalDir, 'old'));
    const reused = `.iris.staging-${process.pid}-00000000-abcdef`;
    const others = ['iris', '.iris.staging-abc', '.hidden', 'notes.staging-1-x-abcdef'];
    for (const name of [own, reused, ...others]) mkdirSync(join(models, name));
    assert.deepEqual(removeStaleTemporaries(models), [reused]);
    assert.deepEqual(readdirSync(models).sort(), [own, ...others].sort());
  });
});
