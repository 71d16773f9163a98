/**
 * Step 5 with an ensemble of step 4: chosen as the best or by name, every member refitted (in real worker
 * processes) from the run its configuration comes from, the combination scored once on the holdout, a bundle
 * of member bundles that `predictJob` predicts with exactly as before saving, and clear errors when a member
 * has nothing to refit. Also: a bundle written by the Topdown before ensembles still loads and predicts.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunStore } from '../../src/core/runs/store';
import { BUNDLE_SCHEMA_VERSION, type BundleManifest } from '../../src/core/present/bundle';
import { presentJob, type PresentResult } from '../../src/runner/jobs/present';
import { predictJob } from '../../src/runner/jobs/predict';
import { newSessionId } from '../../src/runner/jobs/common';
import { memoryReporter } from '../../src/runner/reporter';
import { renderReport } from '../../src/runner/report';
import { finalResultsFromBundle } from '../../src/extension/panels/finalResults';
import { requireBuild, rng, runCli, tempDir, writeProject } from '../helpers/cli';
import { rejectsWith } from '../helpers/errors';
import { recordCompletedRun } from '../helpers/runs';

/** a, b separate the classes (three of them when `classes` is 3); color is a category; id names the row. */
function writeData(file: string, rows: number, seed: number, classes = 2): void {
  const random = rng(seed);
  const labels = ['no', 'yes', 'maybe'].slice(0, classes);
  const lines = ['id,a,b,color,label'];
  for (let row = 0; row < rows; row++) {
    const label = row % classes;
    const shift = (label - (classes - 1) / 2) * 2;
    const color = ['red', 'green', 'blue'][row % 3];
    lines.push(
      `s${row},${(shift + random() * 1.5).toFixed(3)},${(shift + random() * 1.5).toFixed(3)},${color},${labels[label]}`,
    );
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

const CANDIDATES = [
  { name: 'baseline', model: 'baseline' },
  { name: 'knn', model: 'knn', k: 3 },
  { name: 'forest', model: 'random-forest', trees: 5 },
  { name: 'bayes', model: 'naive-bayes' },
];

function projectConfig(
  ensembles: Array<Record<string, unknown>>,
  extra: Record<string, unknown> = {},
  problem: Record<string, unknown> = {},
) {
  return {
    name: 'present-ensemble-test',
    problem: {
      data: 'data/data.csv',
      target: 'label',
      task: 'binary',
      positiveClass: 'yes',
      holdout: 0.2,
      ...problem,
    },
    prepare: [{ op: 'standardize' }, { op: 'onehot' }],
    evaluate: { validation: { scheme: 'stratified-kfold', folds: 3 }, seed: 3, candidates: CANDIDATES },
    improve: { ensembles },
    ...extra,
  };
}

/** Records step 4's session: the members' runs and the ensemble's, all in one session. */
async function recordEnsemble(
  dir: string,
  ensemble: { name: string; members: Array<Record<string, unknown> & { name: string; model: string }> },
  scores: number[],
  method = 'average',
): Promise<void> {
  const session = newSessionId();
  for (const member of ensemble.members)
    await recordCompletedRun(dir, 'improve', member, [0.9, 0.9, 0.9], session);
  const members = ensemble.members.map((member) => member.name);
  await recordCompletedRun(
    dir,
    'improve',
    { name: ensemble.name, model: 'ensemble', members, method },
    scores,
    session,
  );
}

function readCsv(file: string): string[][] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(','));
}

/** The data rows the holdout predictions name (their `row` column is the 1-based line number) as a new CSV. */
function holdoutInput(dataFile: string, predictionsFile: string, target: string): string {
  const lines = readFileSync(dataFile, 'utf8').trim().split('\n');
  const rows = readCsv(predictionsFile)
    .slice(1)
    .map((cells) => Number(cells[0]));
  const header = lines[0].split(',');
  const keep = header.map((name, index) => (name === target ? -1 : index)).filter((index) => index >= 0);
  const pick = (line: string): string => keep.map((index) => line.split(',')[index]).join(',');
  const input = join(tempDir('holdout-input'), 'holdout.csv');
  // `row` counts data rows from 1: data row r is line r of the file (the header is line 0).
  writeFileSync(input, [pick(lines[0]), ...rows.map((row) => pick(lines[row]))].join('\n') + '\n');
  return input;
}

function manifestOf(bundle: string): BundleManifest {
  return JSON.parse(readFileSync(join(bundle, 'bundle.json'), 'utf8')) as BundleManifest;
}

describe('presentJob with an ensemble', () => {
  let dir: string;
  let result: PresentResult;
  before(async () => {
    dir = writeProject(
      tempDir('present-ensemble'),
      projectConfig([{ name: 'blend', members: ['knn', 'forest'], method: 'average' }]),
    );
    writeData(join(dir, 'data', 'data.csv'), 100, 1);
    await recordCompletedRun(dir, 'evaluate', { name: 'baseline', model: 'baseline' }, [0.5, 0.5, 0.5]);
    // Step 4 scored the ensemble with knn at k 5; a later step 3 run of knn at k 3 is not what it was scored with.
    await recordEnsemble(
      dir,
      {
        name: 'blend',
        members: [
          { name: 'knn', model: 'knn', k: 5 },
          { name: 'forest', model: 'random-forest', trees: 5 },
        ],
      },
      [0.98, 0.97, 0.99],
    );
    await recordCompletedRun(dir, 'evaluate', { name: 'knn', model: 'knn', k: 3 }, [0.96, 0.95, 0.96]);
    result = await presentJob(dir, { backend: 'cpu', workers: 1, reporter: memoryReporter(), renderReport });
  });

  it('presents the ensemble when it has the best CV mean, beside its CV estimate', () => {
    assert.equal(result.candidate, 'blend');
    assert.equal(result.model, 'ensemble');
    assert.equal(result.method, 'average');
    assert.equal(result.cv.mean, 0.98);
    assert.equal(result.holdout?.size, 20);
    assert.ok(result.holdout!.score >= 0.9, `holdout accuracy ${result.holdout!.score}`);
    assert.match(result.message, /final ensemble scores accuracy .*Alone, its members score knn .*, forest /);
    assert.deepEqual(
      result.members?.map((member) => [member.name, member.model, member.bundle]),
      [
        ['knn', 'knn', join(dir, 'models', 'blend', 'members', 'knn')],
        ['forest', 'random-forest', join(dir, 'models', 'blend', 'members', 'forest')],
      ],
    );
    for (const member of result.members!)
      assert.ok(member.holdout! >= 0.8, `${member.name} ${member.holdout}`);
  });

  it('refits each member with the configuration the ensemble was scored with', () => {
    const knn = manifestOf(join(result.bundle, 'members', 'knn'));
    assert.equal(knn.candidate.config.k, 5);
    const source = new RunStore(dir).get(result.members![0].sourceRunId);
    assert.equal(source.session, new RunStore(dir).get(result.sourceRunId).session);
  });

  it('writes an ensemble manifest (format 2) over member bundles that each load as before (format 1)', () => {
    const manifest = manifestOf(result.bundle);
    assert.equal(manifest.schemaVersion, 2);
    assert.equal(manifest.candidate.model, 'ensemble');
    assert.deepEqual(manifest.candidate.config.members, ['knn', 'forest']);
    assert.deepEqual(
      manifest.ensemble?.members.map((member) => member.path),
      ['members/knn', 'members/forest'],
    );
    assert.equal(manifest.ensemble?.method, 'average');
    assert.deepEqual(manifest.classes, ['no', 'yes']);
    assert.deepEqual(manifest.files.map((file) => file.path).sort(), [
      'holdout-predictions.csv',
      'members/forest/bundle.json',
      'members/knn/bundle.json',
      'metrics.json',
    ]);
    const member = manifestOf(join(result.bundle, 'members', 'forest'));
    assert.equal(member.schemaVersion, 1);
    assert.equal(member.candidate.name, 'forest');
    assert.equal(member.holdout?.size, 20);
    const record = new RunStore(dir).get(result.runId);
    assert.equal(record.model, 'ensemble');
    assert.deepEqual(record.config.members, ['knn', 'forest']);
    assert.equal(record.holdout?.score, manifest.holdout?.score);
  });

  it('says in the report and the Final results panel that the model is an ensemble, and of which members', () => {
    const markdown = readFileSync(result.report!.markdown, 'utf8');
    assert.match(
      markdown,
      /The final model is `blend`, an ensemble \(average of predictions\) of `knn` and `forest`, each refitted/,
    );
    const panel = finalResultsFromBundle(dir, new RunStore(dir).get(result.runId));
    assert.equal(panel?.candidate, 'blend');
    assert.deepEqual(panel?.ensemble, { method: 'average', members: ['knn', 'forest'] });
    assert.equal(panel?.predictions.length, 20);
  });

  it('predicts the holdout rows after saving exactly as the final fit did, and as the average of its members', async () => {
    const input = holdoutInput(
      join(dir, 'data', 'data.csv'),
      join(result.bundle, 'holdout-predictions.csv'),
      'label',
    );
    const predicted = await predictJob(result.bundle, input, { backend: 'cpu', reporter: memoryReporter() });
    assert.equal(predicted.rows, 20);
    assert.equal(predicted.candidate, 'blend');
    assert.deepEqual(predicted.members, ['knn', 'forest']);
    const saved = readCsv(join(result.bundle, 'holdout-predictions.csv'));
    const again = readCsv(predicted.output);
    assert.deepEqual(saved[0].slice(2), again[0].slice(2), 'prediction,p_no,p_yes');
    // Columns: saved row,label,prediction,p_no,p_yes; again row,id,prediction,p_no,p_yes.
    assert.deepEqual(
      again.slice(1).map((cells) => cells.slice(2)),
      saved.slice(1).map((cells) => cells.slice(2)),
    );
    const members = await Promise.all(
      result.members!.map(async (member) => {
        const output = join(tempDir('member'), `${member.name}.csv`);
        await predictJob(member.bundle, input, { backend: 'cpu', reporter: memoryReporter(), output });
        return readCsv(output);
      }),
    );
    again.slice(1).forEach((cells, row) => {
      const average = (Number(members[0][row + 1][3]) + Number(members[1][row + 1][3])) / 2;
      assert.ok(Math.abs(Number(cells[3]) - average) < 1e-6, `row ${row}: ${cells[3]} vs ${average}`);
    });
  });
});

describe('presentJob ensemble choices and errors', () => {
  it('presents an ensemble named in present.candidate even when a single candidate scored better', async () => {
    const dir = writeProject(
      tempDir('named-ensemble'),
      projectConfig([{ name: 'blend', members: ['knn', 'bayes'] }], {
        present: { candidate: 'blend', name: 'final' },
      }),
    );
    writeData(join(dir, 'data', 'data.csv'), 60, 2);
    await recordEnsemble(
      dir,
      {
        name: 'blend',
        members: [
          { name: 'knn', model: 'knn', k: 3 },
          { name: 'bayes', model: 'naive-bayes' },
        ],
      },
      [0.8, 0.8, 0.8],
    );
    await recordCompletedRun(
      dir,
      'evaluate',
      { name: 'forest', model: 'random-forest', trees: 5 },
      [0.95, 0.95, 0.95],
    );
    const result = await presentJob(dir, { backend: 'cpu', workers: 1, reporter: memoryReporter() });
    assert.equal(result.candidate, 'blend');
    assert.equal(result.bundle, join(dir, 'models', 'final'));
    assert.deepEqual(
      result.members?.map((member) => member.name),
      ['knn', 'bayes'],
    );
  });

  it('presents a vote ensemble of a multiclass task, its holdout predictions one-hot on the winning class', async () => {
    const dir = writeProject(
      tempDir('vote'),
      projectConfig(
        [{ name: 'vote', members: ['knn', 'forest', 'bayes'], method: 'vote' }],
        {},
        { task: 'multiclass', positiveClass: undefined, holdout: 0.25 },
      ),
    );
    writeData(join(dir, 'data', 'data.csv'), 96, 3, 3);
    await recordEnsemble(
      dir,
      {
        name: 'vote',
        members: [
          { name: 'knn', model: 'knn', k: 3 },
          { name: 'forest', model: 'random-forest', trees: 5 },
          { name: 'bayes', model: 'naive-bayes' },
        ],
      },
      [0.9, 0.9, 0.9],
      'vote',
    );
    const result = await presentJob(dir, {
      backend: 'cpu',
      workers: 1,
      candidate: 'vote',
      reporter: memoryReporter(),
    });
    assert.equal(result.method, 'vote');
    assert.equal(result.holdout?.size, 24);
    assert.ok(result.holdout!.score >= 0.75, `holdout accuracy ${result.holdout!.score}`);
    const saved = readCsv(join(result.bundle, 'holdout-predictions.csv'));
    assert.deepEqual(saved[0], ['row', 'label', 'prediction', 'p_maybe', 'p_no', 'p_yes']);
    for (const cells of saved.slice(1)) {
      assert.deepEqual(cells.slice(3).map(Number).sort(), [0, 0, 1]);
      assert.equal(cells[2], ['maybe', 'no', 'yes'][cells.slice(3).indexOf('1.000000')]);
    }
    const input = holdoutInput(
      join(dir, 'data', 'data.csv'),
      join(result.bundle, 'holdout-predictions.csv'),
      'label',
    );
    const predicted = await predictJob(result.bundle, input, { backend: 'cpu', reporter: memoryReporter() });
    assert.equal(predicted.method, 'vote');
    assert.deepEqual(
      readCsv(predicted.output)
        .slice(1)
        .map((cells) => cells.slice(2)),
      saved.slice(1).map((cells) => cells.slice(2)),
    );
  });

  it('names the member with no completed run and says what to run', async () => {
    const dir = writeProject(
      tempDir('no-member'),
      projectConfig([{ name: 'blend', members: ['knn', 'forest'] }]),
    );
    writeData(join(dir, 'data', 'data.csv'), 40, 4);
    await recordCompletedRun(dir, 'evaluate', { name: 'knn', model: 'knn', k: 3 }, [0.8, 0.8, 0.8]);
    await recordCompletedRun(
      dir,
      'improve',
      { name: 'blend', model: 'ensemble', members: ['knn', 'forest'], method: 'average' },
      [0.9, 0.9, 0.9],
    );
    const error = await rejectsWith('RUN_NOT_FOUND', () =>
      presentJob(dir, { backend: 'cpu', workers: 1, reporter: memoryReporter() }),
    );
    assert.match(error.message, /ensemble "blend".*member "forest" has no completed/);
    assert.match(error.hint ?? '', /topdown improve.*topdown evaluate --candidates forest/);
    assert.equal(error.field, '/improve/ensembles/0/members/1');
    assert.equal(new RunStore(dir).list({ step: 'present' }).length, 0);
  });

  it('names the member whose final fit failed, records the present run failed and writes no bundle', async () => {
    const broken = { name: 'broken', model: 'custom', module: 'models/broken.js', epochs: 1 };
    const dir = writeProject(
      tempDir('member-fails'),
      projectConfig([{ name: 'blend', members: ['knn', 'broken'] }], {
        evaluate: {
          validation: { scheme: 'stratified-kfold', folds: 3 },
          seed: 3,
          candidates: [...CANDIDATES, broken],
        },
      }),
    );
    writeData(join(dir, 'data', 'data.csv'), 40, 6);
    // Step 4 scored the ensemble; by step 5 the member's module is broken (a user edited it since).
    mkdirSync(join(dir, 'models'), { recursive: true });
    writeFileSync(
      join(dir, 'models', 'broken.js'),
      "exports.build = () => { throw new Error('no model today'); };\n",
    );
    await recordEnsemble(
      dir,
      { name: 'blend', members: [{ name: 'knn', model: 'knn', k: 3 }, broken] },
      [0.95, 0.95, 0.95],
    );
    const error = await rejectsWith('CUSTOM_MODEL_FAILED', () =>
      presentJob(dir, { backend: 'cpu', workers: 1, candidate: 'blend', reporter: memoryReporter() }),
    );
    assert.match(error.message, /final fit of "broken", a member of the ensemble "blend", failed/);
    assert.match(error.message, /no model today/);
    const present = new RunStore(dir).list({ step: 'present' });
    assert.deepEqual(
      present.map((entry) => entry.status),
      ['failed'],
    );
    assert.equal(existsSync(join(dir, 'models', 'blend')), false, 'no half-written bundle');
  });

  it('asks for step 4 when a named ensemble has no run, and suggests the closest ensemble name', async () => {
    const dir = writeProject(
      tempDir('no-ensemble'),
      projectConfig([{ name: 'blend', members: ['knn', 'forest'] }]),
    );
    writeData(join(dir, 'data', 'data.csv'), 40, 5);
    await recordCompletedRun(dir, 'evaluate', { name: 'knn', model: 'knn', k: 3 }, [0.8, 0.8, 0.8]);
    const missing = await rejectsWith('RUN_NOT_FOUND', () =>
      presentJob(dir, { backend: 'cpu', workers: 1, candidate: 'blend', reporter: memoryReporter() }),
    );
    assert.match(missing.hint ?? '', /Run `topdown improve` first \(it scores the ensemble "blend"\)/);
    const typo = await rejectsWith('RUN_NOT_FOUND', () =>
      presentJob(dir, { backend: 'cpu', workers: 1, candidate: 'blnd', reporter: memoryReporter() }),
    );
    assert.match(typo.hint ?? '', /Did you mean "blend"\?/);
  });
});

describe('bundles written before ensembles (format 1)', () => {
  const fixture = join(__dirname, '..', 'fixtures', 'bundles', 'v1-knn');

  it('still load and predict exactly what they predicted when they were written', async () => {
    assert.ok(BUNDLE_SCHEMA_VERSION > manifestOf(join(fixture, 'knn')).schemaVersion);
    const output = join(tempDir('v1'), 'predictions.csv');
    const predicted = await predictJob(join(fixture, 'knn'), join(fixture, 'input.csv'), {
      backend: 'cpu',
      reporter: memoryReporter(),
      output,
    });
    assert.equal(predicted.candidate, 'knn');
    assert.equal(predicted.members, undefined);
    assert.equal(
      readFileSync(output, 'utf8'),
      readFileSync(join(fixture, 'expected-predictions.csv'), 'utf8'),
    );
  });
});

describe('topdown improve then topdown present --candidate <ensemble> (child processes)', () => {
  before(requireBuild);

  it('presents the ensemble step 4 scored, and `topdown predict` predicts with it', async () => {
    const dir = writeProject(
      tempDir('cli-ensemble'),
      projectConfig(
        [{ name: 'trio', members: ['knn', 'forest', 'bayes'], method: 'vote' }],
        {},
        { holdout: 0.25 },
      ),
    );
    writeData(join(dir, 'data', 'data.csv'), 64, 6);
    const improve = await runCli(['improve', dir, '--json', '--workers', '1'], { timeoutMs: 120000 });
    assert.equal(improve.code, 0, improve.stderr);
    const scored = (improve.json as { ensembles: Array<{ name: string; runId: string; mean: number }> })
      .ensembles;
    assert.equal(scored[0].name, 'trio');
    const present = await runCli(['present', dir, '--candidate', 'trio', '--json', '--workers', '1'], {
      timeoutMs: 120000,
    });
    assert.equal(present.code, 0, present.stderr);
    const json = present.json as unknown as PresentResult;
    assert.equal(json.candidate, 'trio');
    assert.equal(json.sourceRunId, scored[0].runId);
    assert.equal(json.cv.mean, scored[0].mean);
    assert.equal(json.method, 'vote');
    assert.deepEqual(
      json.members?.map((member) => member.name),
      ['knn', 'forest', 'bayes'],
    );
    // Every member comes from step 4's own session, the one the ensemble was scored in.
    const store = new RunStore(dir);
    const session = store.get(json.sourceRunId).session;
    for (const member of json.members!) assert.equal(store.get(member.sourceRunId).session, session);
    assert.ok(json.holdout!.score >= 0.8, `holdout ${json.holdout!.score}`);

    const input = join(dir, 'new.csv');
    writeFileSync(input, 'id,a,b,color\nn1,1.8,1.5,red\nn2,-1.6,-1.9,blue\n');
    const predicted = await runCli(['predict', json.bundle, input, '--json']);
    assert.equal(predicted.code, 0, predicted.stderr);
    assert.deepEqual((predicted.json as { members: string[] }).members, ['knn', 'forest', 'bayes']);
    const lines = readCsv((predicted.json as { output: string }).output);
    assert.deepEqual(lines[0], ['row', 'id', 'prediction', 'p_no', 'p_yes']);
    assert.deepEqual(
      lines.slice(1).map((cells) => cells[2]),
      ['yes', 'no'],
    );
  });
});
