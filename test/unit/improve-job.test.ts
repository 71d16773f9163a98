/**
 * `topdown improve` end to end: a random search and an ensemble on the same folds as step 3, the untuned
 * candidate kept in the comparison, verdicts and learning-curve advice stored with the runs, and clear errors
 * for a bad `improve` section.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { binaryProject, requireBuild, runCli, tempDir, writeBinaryCsv, writeProject } from '../helpers/cli';

before(requireBuild);

const candidates = [
  { name: 'baseline', model: 'baseline' },
  { name: 'mlp', model: 'mlp', layers: [8], epochs: 8, batchSize: 8, learningRate: 0.01 },
  { name: 'knn', model: 'knn', k: 3 },
];

function improveProject(improve: Record<string, unknown>): string {
  const dir = writeProject(tempDir('improve'), binaryProject(candidates, { improve }));
  writeBinaryCsv(join(dir, 'data', 'data.csv'), 48);
  return dir;
}

interface ImproveJson {
  step: string;
  baseline: { mean: number };
  candidates: Array<{
    name: string;
    runId: string;
    role: string;
    status: string;
    mean: number | null;
    verdict?: string;
    baselineVerdict?: string;
  }>;
  tuning: Array<{
    candidate: string;
    trials: number;
    keep: string;
    chosen: string;
    message: string;
    untuned: { runId: string };
  }>;
  ensembles: Array<{
    name: string;
    runId: string;
    status: string;
    mean: number;
    members: string[];
    versusBestSingle?: { name: string; mean: number; verdict: string; explanation: string };
  }>;
  best: string;
  folds: number;
}

describe('topdown improve', () => {
  it('tunes on the same folds, keeps the untuned candidate in the comparison, and scores an ensemble', async () => {
    const dir = improveProject({
      search: { method: 'random', trials: 3, seed: 2 },
      space: { mlp: { learningRate: { logUniform: [0.001, 0.05] } } },
      ensembles: [{ name: 'blend', members: ['mlp', 'knn'], method: 'average' }],
    });
    const evaluate = await runCli(['evaluate', dir, '--json', '--workers', '1'], { timeoutMs: 120000 });
    assert.equal(evaluate.code, 0, evaluate.stderr);
    const result = await runCli(['improve', dir, '--json', '--workers', '1'], { timeoutMs: 180000 });
    assert.equal(result.code, 0, result.stderr);
    const json = result.json as unknown as ImproveJson;
    assert.equal(json.step, 'improve');
    assert.equal(json.folds, 3);

    const [tuning] = json.tuning;
    assert.equal(tuning.candidate, 'mlp');
    assert.equal(tuning.trials, 3);
    assert.ok(['tuned', 'untuned'].includes(tuning.keep));
    assert.equal(tuning.chosen, tuning.keep === 'untuned' ? 'mlp' : tuning.chosen);
    assert.match(tuning.message, /corrected t-test over 3 folds/);
    // Step 3's run of the untuned mlp (same folds, data and config) is reused, not retrained.
    const evaluated = (evaluate.json as { candidates: Array<{ name: string; runId: string }> }).candidates;
    assert.equal(tuning.untuned.runId, evaluated.find((c) => c.name === 'mlp')!.runId);
    const untuned = json.candidates.find((candidate) => candidate.name === 'mlp')!;
    assert.ok(untuned.verdict, 'the untuned candidate is judged with the rest');

    const trials = json.candidates.filter((candidate) => candidate.role === 'trial');
    assert.deepEqual(trials.map((trial) => trial.name).sort(), ['mlp#1', 'mlp#2', 'mlp#3']);
    const trialRecord = JSON.parse(readFileSync(join(dir, 'runs', trials[0].runId, 'run.json'), 'utf8')) as {
      step: string;
      params: { learningRate: number };
      advice?: { diagnosis: string; nextStep: string };
      verdict?: { explanation: string };
      outputs: { improve: string };
    };
    assert.equal(trialRecord.step, 'improve');
    assert.ok(trialRecord.params.learningRate >= 0.001 && trialRecord.params.learningRate <= 0.05);
    assert.ok(trialRecord.advice?.nextStep, 'learning-curve advice is stored with the run');
    assert.match(trialRecord.verdict!.explanation, /baseline/);

    // The Improve panel's file carries the engine's decision, the same words the CLI printed.
    const improveFile = JSON.parse(readFileSync(join(dir, trialRecord.outputs.improve), 'utf8')) as {
      bestIndex: number;
      trials: Array<{ index: number; untuned?: boolean }>;
      decision: { keep: string; chosenIndex: number; message: string };
    };
    assert.equal(improveFile.decision.keep, tuning.keep);
    assert.equal(improveFile.decision.message, tuning.message);
    const untunedIndex = improveFile.trials.find((trial) => trial.untuned)!.index;
    assert.equal(
      improveFile.decision.chosenIndex,
      tuning.keep === 'untuned' ? untunedIndex : improveFile.bestIndex,
    );

    const [blend] = json.ensembles;
    assert.equal(blend.status, 'completed');
    assert.deepEqual(blend.members, ['mlp', 'knn']);
    assert.ok(blend.mean > json.baseline.mean + 0.3, `ensemble ${blend.mean}`);
    // The ensemble against the best single model compared in step 4: recorded on its run, printed by the CLI.
    const singles = json.candidates.filter(
      (candidate) => candidate.role !== 'ensemble' && candidate.verdict !== undefined,
    );
    const topMean = Math.max(...singles.map((candidate) => candidate.mean!));
    const named = singles.find((candidate) => candidate.name === blend.versusBestSingle?.name);
    assert.equal(named?.mean, topMean, 'the single model with the best mean (ties: the first compared)');
    assert.match(blend.versusBestSingle?.verdict ?? '', /the best single model$/);
    assert.match(
      blend.versusBestSingle?.explanation ?? '',
      /^blend \(.*\) is .* corrected t-test over 3 folds\): /,
    );
    const blendRecord = JSON.parse(readFileSync(join(dir, 'runs', blend.runId, 'run.json'), 'utf8')) as {
      verdict?: { versusBestSingle?: { explanation: string } };
    };
    assert.equal(blendRecord.verdict?.versusBestSingle?.explanation, blend.versusBestSingle?.explanation);
    assert.ok(
      json.candidates.some((candidate) => candidate.name === json.best && candidate.verdict === 'best'),
    );
  });

  it('names an ensemble member that does not exist, with the closest name and its line', async () => {
    const dir = improveProject({ ensembles: [{ name: 'blend', members: ['mlp', 'knnn'] }] });
    const result = await runCli(['improve', dir, '--json']);
    assert.equal(result.code, 1);
    const error = result.json?.error as {
      code: string;
      field: string;
      line: number;
      message: string;
      hint?: string;
    };
    assert.equal(error.code, 'PROJECT_INVALID');
    assert.match(error.field, /^\/improve\/ensembles\/0\/members/);
    assert.match(`${error.message} ${error.hint ?? ''}`, /knn/);
    const text = readFileSync(join(dir, 'topdown.json'), 'utf8').split('\n');
    assert.ok(
      text[error.line - 1].includes('members') || text[error.line - 1].includes('knnn'),
      `line ${error.line}`,
    );
  });

  it('refuses an empty search range and says how to fix it', async () => {
    const dir = improveProject({ space: { mlp: { learningRate: { uniform: [0.1, 0.01] } } } });
    const result = await runCli(['improve', dir, '--json']);
    assert.equal(result.code, 1);
    const error = result.json?.error as { code: string; field: string; message: string };
    assert.equal(error.code, 'PROJECT_INVALID');
    assert.match(error.field, /^\/improve\/space\/mlp\/learningRate/);
    assert.match(error.message, /low must be below high/);
  });
});
