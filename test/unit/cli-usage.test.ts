/**
 * Usage errors through the real CLI: exit code 2, a message that says what was wrong and what to type instead,
 * and never an INTERNAL error or a stack trace.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBuild, runCli } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'topdown-usage-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const cases: Array<{ args: string[]; message: RegExp }> = [
  { args: ['evalute'], message: /Unknown command "evalute"\. Did you mean "evaluate"\?/ },
  { args: ['frobnicate'], message: /Unknown command "frobnicate"\.$/m },
  { args: ['define', '--wrokers', '2'], message: /Unknown option "--wrokers"\. Did you mean "--workers"\?/ },
  { args: ['define', '--nope'], message: /Unknown option "--nope"\./ },
  { args: ['define', '--workers'], message: /The option --workers needs a value\./ },
  {
    args: ['define', '--workers', '-3'],
    message: /--workers needs a value \(for a value that starts with "-", write --workers=-3\)/,
  },
  { args: ['define', '--workers=-3'], message: /--workers must be a whole number of at least 1, not "-3"/ },
  {
    args: ['define', '--workers', 'two'],
    message: /--workers must be a whole number of at least 1, not "two"/,
  },
  { args: ['define', '--json=yes'], message: /The option --json takes no value/ },
];

describe('topdown usage errors', () => {
  before(requireBuild);

  for (const { args, message } of cases) {
    it(`exits 2 with a usage message for \`topdown ${args.join(' ')}\``, async () => {
      const result = await runCli(args, { cwd: dir });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /topdown --help/);
      assert.doesNotMatch(result.stderr, /INTERNAL|\n\s+at /);
    });
  }

  it('gives the usage error as the JSON API under --json', async () => {
    const result = await runCli(['evalute', '--json'], { cwd: dir });
    assert.equal(result.code, 2);
    const error = result.json?.error as { code: string; message: string } | undefined;
    assert.equal(error?.code, 'USAGE');
    assert.match(error?.message ?? '', /Did you mean "evaluate"/);
  });

  it('caps --workers at the cores of the machine and says so', async () => {
    const cores = cpus().length;
    const result = await runCli(['define', join(dir, 'nosuchdir'), '--workers', String(cores + 62)], {
      cwd: dir,
    });
    assert.match(
      result.stderr,
      new RegExp(`--workers ${cores + 62} is more than the \\d+ cores of this machine: using \\d+ workers`),
    );
  });

  it('says that a project folder that does not exist does not exist', async () => {
    const result = await runCli(['define', 'nosuchdir'], { cwd: dir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`The folder ${join(dir, 'nosuchdir')} does not exist`));
    assert.doesNotMatch(result.stderr, /new sonar/);
  });
});
