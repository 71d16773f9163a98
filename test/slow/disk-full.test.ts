/**
 * Slow (CI, `npm run test:slow`; needs root to mount a tmpfs, as CI runs): `topdown evaluate --json` on a disk
 * that fills up during the run, wherever it fills (a run's record, its event appends), ends with a clean
 * DISK_FULL as the JSON API's error (exit code 1, no stack trace, never INTERNAL) or completes, and leaves the
 * earlier run's files as they were.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { binaryProject, requireBuild, runCli, tempDir, writeBinaryCsv, writeProject } from '../helpers/cli';
import { checksums, fillDisk } from '../helpers/writes';

before(requireBuild);

/** Free space left for each try, in KiB: from none to about what the run needs (measured on a 256 KiB tmpfs). */
const FREE_KIB = [0, 16, 24, 28, 32];

describe('slow: a disk that fills up during evaluate', () => {
  it(
    'fails with DISK_FULL as JSON (or completes), never a stack trace, and keeps the earlier run',
    { skip: process.getuid?.() !== 0 && 'mounting a tmpfs needs root (CI runs as root)' },
    async (context) => {
      const mountPoint = tempDir('disk-full');
      const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint]);
      assert.equal(mounted.status, 0, String(mounted.stderr));
      try {
        const dir = writeProject(
          join(mountPoint, 'project'),
          binaryProject([
            { name: 'mlp', model: 'mlp', layers: [4], epochs: 30 },
            { name: 'knn', model: 'knn' },
          ]),
        );
        writeBinaryCsv(join(dir, 'data', 'data.csv'), 60);
        const defined = await runCli(['define', dir, '--json', '--workers', '1']);
        assert.equal(defined.code, 0, defined.stderr);
        const defineRun = join(dir, 'runs', String(defined.json?.runId));
        const before = checksums(defineRun);
        const outcomes: string[] = [];
        for (const free of FREE_KIB) {
          for (const name of readdirSync(join(dir, 'runs')))
            if (name.includes('-evaluate-')) rmSync(join(dir, 'runs', name), { recursive: true });
          rmSync(join(mountPoint, 'filler'), { force: true });
          fillDisk(join(mountPoint, 'filler'), free * 1024);
          const result = await runCli(['evaluate', dir, '--json', '--workers', '1'], { timeoutMs: 120000 });
          assert.doesNotMatch(result.stderr, /INTERNAL|\n\s+at /, `${free} KiB free`);
          if (result.code === 0) {
            outcomes.push(`${free} KiB: completed`);
          } else {
            assert.equal(result.code, 1, result.stderr);
            const error = result.json?.error as { code: string; file?: string; hint?: string } | undefined;
            assert.equal(error?.code, 'DISK_FULL', result.stderr);
            assert.ok(error?.file?.startsWith(join(dir, 'runs')), error?.file);
            assert.ok(error?.hint);
            outcomes.push(`${free} KiB: DISK_FULL at ${basename(error?.file ?? '')}`);
          }
          assert.deepEqual(checksums(defineRun), before, `the define run as it was (${free} KiB free)`);
        }
        context.diagnostic(outcomes.join('; '));
        assert.ok(
          outcomes.some((outcome) => outcome.includes('DISK_FULL')),
          outcomes.join('; '),
        );
      } finally {
        spawnSync('umount', [mountPoint]);
        rmSync(mountPoint, { recursive: true, force: true });
      }
    },
  );
});
