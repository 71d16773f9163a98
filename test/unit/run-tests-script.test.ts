/**
 * The test scripts: without Chromium the webview and end-to-end suites stop at once with one line saying what to
 * do; the static checks' script names its checks.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(__dirname, '..', '..');

/** Runs `args` with CHROMIUM_PATH naming a missing file: exit 1 and one line naming `suite`, the path and the fix. */
function assertStopsWithoutChromium(args: string[], suite: string): void {
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' },
  });
  assert.equal(result.status, 1);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0], new RegExp(`^The ${suite} need Chromium at /nonexistent/chromium`));
  assert.match(lines[0], /apt-get install chromium/);
  assert.equal(result.stdout, '');
}

describe('scripts/run-tests.mjs', () => {
  it('stops the webview tests with one line naming the missing browser and how to install it', () => {
    assertStopsWithoutChromium(['scripts/run-tests.mjs', 'test/webview'], 'webview tests');
  });

  it('runs test files side by side, one per core, even on two cores', () => {
    const folder = mkdtempSync(join(tmpdir(), 'topdown-run-tests-'));
    // Each file says it started, then waits for the other: run one at a time, the first times out and fails.
    for (const [self, other] of [
      ['a', 'b'],
      ['b', 'a'],
    ]) {
      writeFileSync(
        join(folder, `${self}.test.ts`),
        [
          "import { existsSync, writeFileSync } from 'node:fs';",
          "import { test } from 'node:test';",
          `test('${self} meets ${other}', async () => {`,
          `  writeFileSync(${JSON.stringify(join(folder, `${self}.started`))}, '');`,
          '  const deadline = Date.now() + 20_000;',
          `  while (!existsSync(${JSON.stringify(join(folder, `${other}.started`))})) {`,
          "    if (Date.now() > deadline) throw new Error('ran alone');",
          '    await new Promise((done) => setTimeout(done, 50));',
          '  }',
          '});',
        ].join('\n'),
      );
    }
    // Without this runner's context, the inner runner reports in its usual format on stdout.
    const env: NodeJS.ProcessEnv = { ...process.env, TOPDOWN_TEST_DURATIONS: join(folder, 'durations.json') };
    delete env.NODE_TEST_CONTEXT;
    const result = spawnSync(process.execPath, ['scripts/run-tests.mjs', folder, '--test-reporter=tap'], {
      cwd: root,
      encoding: 'utf8',
      env,
    });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /# pass 2/);
  });
});

describe('scripts/run-tests.mjs order', () => {
  it('starts the files that took longest last time first, and records how long each took this time', () => {
    const folder = mkdtempSync(join(tmpdir(), 'topdown-run-order-'));
    const log = join(folder, 'order.log');
    for (const name of ['a', 'b', 'c']) {
      writeFileSync(
        join(folder, `${name}.test.ts`),
        [
          "import { appendFileSync } from 'node:fs';",
          "import { test } from 'node:test';",
          `test('${name}', () => appendFileSync(${JSON.stringify(log)}, '${name}'));`,
        ].join('\n'),
      );
    }
    const durations = join(folder, 'durations.json');
    const recorded = (name: string) => relative(root, join(folder, `${name}.test.ts`));
    // Lengths no file here could take, so the record afterwards shows this run's.
    writeFileSync(
      durations,
      JSON.stringify({ [recorded('a')]: 1000, [recorded('b')]: 7000, [recorded('c')]: 3000 }),
    );
    const env: NodeJS.ProcessEnv = { ...process.env, TOPDOWN_TEST_DURATIONS: durations };
    delete env.NODE_TEST_CONTEXT;
    const result = spawnSync(
      process.execPath,
      ['scripts/run-tests.mjs', folder, '--test-concurrency=1', '--test-reporter=tap'],
      { cwd: root, encoding: 'utf8', env },
    );
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.equal(readFileSync(log, 'utf8'), 'bca');
    const after = JSON.parse(readFileSync(durations, 'utf8')) as Record<string, number>;
    for (const name of ['a', 'b', 'c']) {
      assert.ok(
        after[recorded(name)] > 0 && after[recorded(name)] < 1000,
        `${name} took ${after[recorded(name)]} s`,
      );
    }
  });

  it('fails when a file fails, and says so in the report', () => {
    const folder = mkdtempSync(join(tmpdir(), 'topdown-run-fail-'));
    writeFileSync(
      join(folder, 'fails.test.ts'),
      "import { test } from 'node:test';\ntest('fails', () => { throw new Error('boom'); });\n",
    );
    const env: NodeJS.ProcessEnv = { ...process.env, TOPDOWN_TEST_DURATIONS: join(folder, 'durations.json') };
    delete env.NODE_TEST_CONTEXT;
    const result = spawnSync(process.execPath, ['scripts/run-tests.mjs', folder, '--test-reporter=tap'], {
      cwd: root,
      encoding: 'utf8',
      env,
    });
    assert.equal(result.status, 1);
    assert.match(result.stdout, /# fail 1/);
    assert.match(result.stdout, /boom/);
  });

  it('exits 2 naming an option it does not know', () => {
    const result = spawnSync(process.execPath, ['scripts/run-tests.mjs', 'test/unit', '--test-bogus'], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Unknown option --test-bogus/);
  });
});

describe('scripts/built-fresh.mjs', () => {
  it('takes a built file as fresh only when it was written after every file under its sources', async () => {
    const { builtAfter } = await import('../../scripts/built-fresh.mjs');
    const folder = mkdtempSync(join(tmpdir(), 'topdown-built-fresh-'));
    const source = join(folder, 'src', 'deep', 'a.ts');
    mkdirSync(join(folder, 'src', 'deep'), { recursive: true });
    writeFileSync(source, '');
    writeFileSync(join(folder, 'build.mjs'), '');
    const built = join(folder, 'out.js');
    const sources = [join(folder, 'src'), join(folder, 'build.mjs'), join(folder, 'absent')];
    assert.equal(builtAfter(built, sources), false, 'not built');
    writeFileSync(built, '');
    const at = (seconds: number, path: string) => utimesSync(path, seconds, seconds);
    for (const path of [source, join(folder, 'build.mjs')]) at(1_000, path);
    at(2_000, built);
    assert.equal(builtAfter(built, sources), true);
    at(3_000, source);
    assert.equal(builtAfter(built, sources), false, 'a source in a subfolder changed since');
    at(1_000, source);
    at(3_000, join(folder, 'build.mjs'));
    assert.equal(builtAfter(built, sources), false, 'a source file named alone changed since');
  });
});

describe('scripts/e2e/run.mjs', () => {
  it('stops before installing anything with one line naming the missing browser and how to install it', () => {
    assertStopsWithoutChromium(['scripts/e2e/run.mjs', '--no-package'], 'end-to-end tests');
  });
});

describe('scripts/checks.mjs', () => {
  it('exits 2 with its usage for a check it does not know', () => {
    const result = spawnSync(process.execPath, ['scripts/checks.mjs', 'typecheck', 'spelling'], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^Usage: node scripts\/checks\.mjs \[--jobs=N\] typecheck\|lint/);
  });

  it('exits 2 with its usage for a number of jobs that is not a positive whole number', () => {
    for (const jobs of ['0', 'two', '1.5']) {
      const result = spawnSync(process.execPath, ['scripts/checks.mjs', `--jobs=${jobs}`, 'lint'], {
        cwd: root,
        encoding: 'utf8',
      });
      assert.equal(result.status, 2, jobs);
      assert.match(result.stderr, /^Usage: node scripts\/checks\.mjs \[--jobs=N\]/);
    }
  });
});
