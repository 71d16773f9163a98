/**
 * `topdown all` then `topdown predict`: the five steps in order on a small project with a holdout, a model
 * bundle and a report, and predictions from the bundle on a new CSV.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binaryProject, requireBuild, runCli, tempDir, writeBinaryCsv, writeProject } from '../helpers/cli';

before(requireBuild);

describe('topdown all', () => {
  it('runs define → present, writes a bundle and a report, and the bundle predicts new rows', async () => {
    const config = binaryProject(
      [
        { name: 'baseline', model: 'baseline' },
        { name: 'mlp', model: 'mlp', layers: [8], epochs: 10, batchSize: 8, learningRate: 0.02 },
        { name: 'knn', model: 'knn', k: 3 },
      ],
      { present: { report: true } },
    );
    (config.problem as Record<string, unknown>).holdout = 0.25;
    const dir = writeProject(tempDir('all'), config);
    writeBinaryCsv(join(dir, 'data', 'data.csv'), 80);
    const result = await runCli(['all', dir, '--json', '--workers', '1'], { timeoutMs: 180000 });
    assert.equal(result.code, 0, result.stderr);
    const json = result.json as {
      step: string;
      steps: Record<string, Record<string, unknown>>;
    };
    assert.equal(json.step, 'all');
    assert.deepEqual(Object.keys(json.steps), ['define', 'prepare', 'evaluate', 'present']);
    const define = json.steps.define as { holdoutRows: number; rows: number };
    assert.equal(define.holdoutRows, 20);
    const present = json.steps.present as {
      bundle: string;
      candidate: string;
      holdout: { score: number; size: number } | null;
      report: { markdown: string } | null;
    };
    assert.ok(['mlp', 'knn'].includes(present.candidate), present.candidate);
    assert.equal(present.holdout?.size, 20);
    assert.ok(present.holdout!.score > 0.8, `holdout ${present.holdout!.score}`);
    assert.ok(existsSync(join(present.bundle, 'bundle.json')));
    assert.match(readFileSync(present.report!.markdown, 'utf8'), /## Spot-check/);

    // New rows without the target: the bundle applies its own preparation and writes probabilities.
    const input = join(dir, 'new.csv');
    writeFileSync(input, 'a,b,noise1,noise2\n2.1,1.9,0.5,0.5\n-1.8,-2.2,0.5,0.5\n');
    const predicted = await runCli(['predict', present.bundle, input, '--json']);
    assert.equal(predicted.code, 0, predicted.stderr);
    const output = (predicted.json as { output: string; rows: number }).output;
    assert.equal((predicted.json as { rows: number }).rows, 2);
    const lines = readFileSync(output, 'utf8').trim().split('\n');
    assert.match(lines[0], /p_yes/);
    assert.match(lines[1], /yes/);
    assert.match(lines[2], /no/);

    // `--output -`: the same CSV on stdout alone (the summary on stderr), to pipe into another program.
    const piped = await runCli(['predict', present.bundle, input, '--output', '-']);
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stdout, readFileSync(output, 'utf8'));
    assert.match(piped.stderr, /Wrote 2 predictions to stdout/);
    const both = await runCli(['predict', present.bundle, input, '--output', '-', '--json']);
    assert.equal(both.code, 2);
    assert.equal((both.json as { error: { code: string } }).error.code, 'USAGE');
  });
});
