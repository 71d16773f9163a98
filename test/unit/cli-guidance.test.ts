/**
 * What the CLI says after a step: the best candidate with its margin over the baseline, the next command in a
 * form that works where Topdown runs, the learning-curve advice, and progress as JSON lines for scripts.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { invocation, nextCommand, quote } from '../../src/runner/next-step';
import { CLI, binaryCsvProject, requireBuild, runCli, type CliResult } from '../helpers/cli';

before(requireBuild);

const candidates = [
  { name: 'baseline', model: 'baseline' },
  { name: 'bayes', model: 'naive-bayes' },
  { name: 'net', model: 'mlp', layers: [4], epochs: 6, batchSize: 8 },
];

function project(): string {
  return binaryCsvProject('guide', candidates);
}

let streamed: Promise<CliResult> | undefined;

/** One `evaluate --json --progress ndjson`, read by two tests: its result on stdout, its events on stderr. */
function streamedRun(): Promise<CliResult> {
  streamed ??= runCli(['evaluate', project(), '--json', '--progress', 'ndjson', '--workers', '1'], {
    timeoutMs: 120_000,
  });
  return streamed;
}

describe('the next command', () => {
  it('is `node <path>` from a clone and `npx topdown` from an installed package, quoted for a shell', () => {
    assert.equal(invocation('/work/repo/bin/topdown.js', '/work/repo'), 'node bin/topdown.js');
    assert.equal(
      invocation('/home/me/app/node_modules/topdown/bin/topdown.js', '/home/me/app'),
      'npx topdown',
    );
    assert.equal(quote("my project's data"), `'my project'\\''s data'`);
    assert.equal(
      nextCommand(['improve', 'my demo'], '/r/bin/topdown.js', '/r'),
      "node bin/topdown.js improve 'my demo'",
    );
  });
});

describe('topdown evaluate says what happened and what to do next', () => {
  it('names the best candidate, its margin over the baseline, the advice and the next command', async () => {
    const dir = project();
    const work = join(dir, '..');
    const result = await runCli(['evaluate', relative(work, dir)], { cwd: work, timeoutMs: 120_000 });
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /Best: (bayes|net), accuracy [0-9.]+ ± [0-9.]+, [0-9.]+ better than the baseline/,
    );
    const next = result.stdout.split('\n').find((line) => line.startsWith('Next: '));
    assert.equal(next?.split('   ')[0], `Next: node ${relative(work, CLI)} improve ${relative(work, dir)}`);
    // Why auto chose its backend is for --verbose and the run record, not the terminal.
    assert.doesNotMatch(result.stderr, /auto did not measure|webgpu:/);
    assert.match(result.stdout, /Learning curves:\n {2}net: .+ Next: .+/);
    // The table's "curves" column gives each network's diagnosis in words, and a dash for the others.
    assert.match(result.stdout, /^candidate .* {2}curves$/m);
    assert.match(
      result.stdout,
      /^net .* {2}(still improving|overfitting|underfitting|plateau|diverging|good fit|too short) *$/m,
    );
  });

  it('gives each network its advice in --json, and naive Bayes its own compute time', async () => {
    const result = await streamedRun();
    assert.equal(result.code, 0, result.stderr);
    const listed = result.json?.candidates as Array<{
      name: string;
      advice?: { diagnosis: string; message: string; nextStep: string };
      durationMs: number;
      wallMs: number;
    }>;
    const net = listed.find((entry) => entry.name === 'net');
    assert.ok(net?.advice && net.advice.diagnosis.length > 0 && net.advice.nextStep.length > 0);
    const bayes = listed.find((entry) => entry.name === 'bayes');
    assert.equal(bayes?.advice, undefined, 'no learning curve, no advice');
    assert.ok(bayes && bayes.durationMs <= bayes.wallMs, `${bayes?.durationMs} ≤ ${bayes?.wallMs}`);
  });

  it('writes one JSON line per event on stderr with --progress ndjson, the result alone on stdout', async () => {
    const result = await streamedRun();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.json?.step, 'evaluate');
    const events = result.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map(
        (line) =>
          JSON.parse(line) as {
            type: string;
            epoch?: number;
            folds?: number;
            candidate?: string;
            message?: string;
          },
      );
    assert.ok(events.some((event) => event.type === 'hello'));
    // The backend's reason is an info line: in this stream (and --verbose), not on a plain terminal.
    assert.ok(
      events.some((event) => event.type === 'log' && /^auto did not measure: /.test(event.message ?? '')),
    );
    const epochs = events.filter((event) => event.type === 'run/epoch' && event.candidate === 'net');
    assert.equal(epochs.length, 6 * 3, 'six epochs on each of three folds');
    // Each epoch says how many folds its run trains: the status bar's "fold 2/3" and the panel's total.
    assert.ok(epochs.every((event) => event.folds === 3));
    assert.ok(events.some((event) => event.type === 'run/updated'));
    assert.ok(!events.some((event) => event.type === 'job/completed'), 'the result is on stdout only');
  });

  it('refuses an unknown progress mode as a usage error', async () => {
    const result = await runCli(['evaluate', project(), '--progress', 'dots', '--json']);
    assert.equal(result.code, 2);
    assert.match((result.json?.error as { hint: string }).hint, /bar, ndjson, none/);
  });
});

describe('topdown all', () => {
  it('says what comes next once, at the end, not before each step', async () => {
    const dir = project();
    const result = await runCli(['all', dir], { timeoutMs: 120_000 });
    assert.equal(result.code, 0, result.stderr);
    const nexts = result.stdout.split('\n').filter((line) => line.startsWith('Next: '));
    assert.equal(nexts.length, 1, result.stdout);
    assert.match(nexts[0], / improve /, 'the project has no improve section: evaluate was the last step');
  });
});
