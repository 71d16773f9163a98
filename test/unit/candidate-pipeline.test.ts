/**
 * A candidate with its own preparation pipeline (its `prepare`, in place of the project's): each candidate's
 * folds go through its own pipeline on the shared folds; improve averages members whose pipelines differ; step 5
 * saves the candidate's pipeline in its bundle, which `predict` applies to a CSV and to documents on stdin; the
 * Prepare step and the report name it.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CandidateConfig, PrepareOp } from '../../src/core/config';
import { applyConfiguration } from '../../src/core/improve/search';
import { loadProject } from '../../src/core/project';
import { RunStore } from '../../src/core/runs/store';
import { readProjectTable } from '../../src/core/steps/data';
import { prepareFit } from '../../src/core/steps/fold';
import type { RunRecord } from '../../src/protocol/records';
import { evaluateJob } from '../../src/runner/jobs/evaluate';
import { improveJob } from '../../src/runner/jobs/improve';
import { predictJob, type PredictResult } from '../../src/runner/jobs/predict';
import { stdinInput } from '../../src/runner/jobs/predict-stdin';
import { prepareJob } from '../../src/runner/jobs/prepare';
import { presentJob } from '../../src/runner/jobs/present';
import { renderReport } from '../../src/runner/report';
import { memoryReporter } from '../../src/runner/reporter';
import { requireBuild, tempDir, writeProject } from '../helpers/cli';
import { corpusRows } from '../helpers/text';

/** The embedding network's own pipeline: token ids of "text", 12 per document. */
const SEQUENCES: PrepareOp[] = [{ op: 'sequences', columns: ['text'], length: 12, maxTokens: 40 }];

/** `rows` of the seeded corpus as a CSV of the given columns (`text`, `rating`, `label`). */
function writeCorpus(file: string, columns: Array<'text' | 'rating' | 'label'>, rows = 60): void {
  const index = { text: 1, rating: 2, label: 3 };
  const lines = corpusRows(rows).map((row) => columns.map((column) => row[index[column]]).join(','));
  writeFileSync(file, [columns.join(','), ...lines].join('\n') + '\n');
}

/** `topdown predict <bundle> -` with `text` on stdin: the result and the predictions CSV. */
async function predictStdin(bundle: string, text: string): Promise<{ result: PredictResult; csv: string }> {
  const stdin = stdinInput(bundle, text);
  try {
    const output = join(tempDir('candidate-prepare-output'), 'stdin.csv');
    const result = await predictJob(bundle, stdin.file, {
      backend: 'cpu',
      output,
      reporter: memoryReporter(),
    });
    return { result, csv: readFileSync(output, 'utf8') };
  } finally {
    stdin.dispose();
  }
}

describe('prepareFit with a candidate pipeline', () => {
  it("prepares each candidate's rows through its own pipeline, else the project's", async () => {
    const dir = writeProject(tempDir('candidate-prepare-fit'), {
      problem: { data: 'data/data.csv', target: 'label', task: 'binary' },
      prepare: [
        { op: 'minmax', columns: ['rating'] },
        { op: 'tfidf', columns: ['text'] },
      ],
      evaluate: {
        validation: { scheme: 'stratified-kfold', folds: 3 },
        candidates: [
          { name: 'logistic', model: 'logistic' },
          {
            name: 'counts',
            model: 'multinomial-nb',
            prepare: [
              { op: 'drop', columns: ['rating'] },
              { op: 'counts', columns: ['text'], maxTokens: 5 },
            ],
          },
        ],
      },
    });
    writeCorpus(join(dir, 'data', 'data.csv'), ['text', 'rating', 'label'], 30);
    const project = await loadProject(dir);
    const { table } = await readProjectTable(project);
    const rows = Array.from({ length: 30 }, (_, row) => row);
    const task = {
      taskId: 't',
      projectDir: dir,
      projectHash: project.hash,
      foldIndex: 0,
      trainRows: rows.slice(0, 20),
      validationRows: rows.slice(20),
      seed: 1,
    };
    const shapeOf = (candidate: CandidateConfig) => {
      const fit = prepareFit(project, table, { ...task, candidate }, candidate, undefined);
      fit.estimator.dispose();
      return { input: fit.context.inputShape, names: fit.train.featureNames };
    };
    const [logistic, counts] = project.config.evaluate.candidates;
    const projectShape = shapeOf(logistic);
    // The project's: the rating and every word of the 20 training documents (the corpus has 26 words, most in 20).
    assert.ok(projectShape.names.includes('rating'));
    assert.ok(projectShape.input[0] > 10);
    assert.equal(projectShape.input[0], projectShape.names.length);
    // Its own: the rating dropped, 5 word counts.
    const own = shapeOf(counts);
    assert.deepEqual(own.input, [5]);
    assert.ok(!own.names.includes('rating'));
  });
});

describe('tuning a candidate with its own pipeline', () => {
  it('keeps the pipeline in every trial, the tuned values applied beside it', () => {
    const base: CandidateConfig = {
      name: 'embedding',
      model: 'embedding',
      embeddingDim: 8,
      prepare: SEQUENCES,
    };
    const trial = applyConfiguration(base, { embeddingDim: 32 }, 2);
    assert.equal(trial.name, 'embedding#2');
    assert.deepEqual(trial.prepare, SEQUENCES);
    assert.equal((trial as { embeddingDim?: number }).embeddingDim, 32);
  });
});

describe('a project whose candidates have different pipelines, through every step', () => {
  let dir: string;
  let runs: RunRecord[];
  before(async () => {
    requireBuild();
    dir = writeProject(tempDir('candidate-prepare'), {
      problem: {
        data: 'data/data.csv',
        target: 'label',
        task: 'binary',
        positiveClass: 'spam',
        holdout: 0.2,
      },
      prepare: [{ op: 'tfidf', columns: ['text'] }],
      evaluate: {
        validation: { scheme: 'stratified-kfold', folds: 3 },
        seed: 5,
        candidates: [
          { name: 'baseline', model: 'baseline' },
          { name: 'logistic', model: 'logistic', C: 10 },
          {
            name: 'embedding',
            model: 'embedding',
            embeddingDim: 8,
            epochs: 3,
            batchSize: 16,
            learningRate: 0.01,
            prepare: SEQUENCES,
          },
        ],
      },
      improve: { ensembles: [{ name: 'blend', members: ['logistic', 'embedding'], method: 'average' }] },
      present: { report: true },
    });
    writeCorpus(join(dir, 'data', 'data.csv'), ['text', 'label']);
    await evaluateJob(dir, { backend: 'cpu', workers: 1, reporter: memoryReporter() });
    runs = new RunStore(dir).list({ step: 'evaluate' }).map((summary) => new RunStore(dir).get(summary.id)!);
  });

  it('evaluates every candidate on the same folds, each through its own pipeline', () => {
    const byName = new Map(runs.map((run) => [run.candidate!, run]));
    assert.deepEqual([...byName.keys()].sort(), ['baseline', 'embedding', 'logistic']);
    for (const run of runs) assert.equal(run.status, 'completed', `${run.candidate}: ${run.error?.message}`);
    assert.equal(new Set(runs.map((run) => run.foldHash)).size, 1, 'one fold hash');
    const sizes = (run: RunRecord) =>
      run.folds.map((fold) => [fold.index, fold.trainSize, fold.validationSize]);
    assert.deepEqual(sizes(byName.get('embedding')!), sizes(byName.get('logistic')!));
    assert.deepEqual(byName.get('embedding')!.config.prepare, SEQUENCES);
    assert.equal(byName.get('logistic')!.config.prepare, undefined);
    // An embedding layer only trains on token ids: on the project's TF-IDF it is refused (MODEL_INVALID).
    assert.ok(byName.get('embedding')!.folds.every((fold) => fold.epochs > 0));
  });

  it("previews the project's pipeline and names the candidate's own, with its shapes", async () => {
    const result = await prepareJob(dir, { backend: 'cpu', reporter: memoryReporter() });
    const [own] = result.preview.candidatePipelines!;
    assert.deepEqual(own.candidates, ['embedding']);
    assert.equal(own.shapes.train.x[1], 12, '12 token ids per document');
    assert.match(own.describe.join('\n'), /sequences/);
    assert.match(result.preview.describe.join('\n'), /tfidf|TF-IDF/i);
    assert.equal(result.preview.candidatePipelines!.length, 1);
  });

  /** Step 5 for one candidate or ensemble of the project, on the cpu backend. */
  const present = (candidate: string) =>
    presentJob(dir, { backend: 'cpu', workers: 1, candidate, reporter: memoryReporter() });

  it('averages an ensemble whose members have different pipelines, then predicts through each', async () => {
    const improved = await improveJob(dir, { backend: 'cpu', workers: 1, reporter: memoryReporter() });
    const blend = improved.ensembles.find((ensemble) => ensemble.name === 'blend')!;
    assert.equal(blend.status, 'completed');
    const presented = await present('blend');
    const members = JSON.parse(readFileSync(join(presented.bundle, 'bundle.json'), 'utf8')) as {
      ensemble: { members: Array<{ name: string; path: string }> };
    };
    const pipelineOps = (name: string) => {
      const member = members.ensemble.members.find((entry) => entry.name === name)!;
      const state = JSON.parse(
        readFileSync(join(presented.bundle, member.path, 'pipeline.json'), 'utf8'),
      ) as {
        ops: Array<{ op: string }>;
      };
      return state.ops.map((op) => op.op);
    };
    assert.deepEqual(pipelineOps('embedding'), ['sequences']);
    assert.deepEqual(pipelineOps('logistic'), ['tfidf']);
    const input = join(tempDir('candidate-prepare-input'), 'new.csv');
    writeFileSync(input, 'text\nfree cash prize now click\nteam meeting notes for the project review\n');
    const fromCsv = await predictJob(presented.bundle, input, { backend: 'cpu', reporter: memoryReporter() });
    assert.equal(fromCsv.rows, 2);
    assert.deepEqual(fromCsv.members, ['logistic', 'embedding']);
    const fromStdin = await predictStdin(
      presented.bundle,
      'free cash prize now click\nteam meeting notes for the project review\n',
    );
    assert.equal(fromStdin.result.rows, 2);
    assert.equal(fromStdin.csv, readFileSync(fromCsv.output, 'utf8'));
  });

  it('presents the embedding candidate with its own pipeline, and the report names it', async () => {
    const presented = await present('embedding');
    const state = JSON.parse(readFileSync(join(presented.bundle, 'pipeline.json'), 'utf8')) as {
      ops: Array<{ op: string; length?: number }>;
    };
    assert.deepEqual(
      state.ops.map((op) => [op.op, op.length]),
      [['sequences', 12]],
    );
    const fromStdin = await predictStdin(
      presented.bundle,
      'win money now\nlunch with the team\nplease review the report\n',
    );
    assert.equal(fromStdin.result.rows, 3);
    assert.match(fromStdin.csv.split('\n')[0], /p_spam/);
    const markdown = readFileSync((await renderReport(dir)).markdown, 'utf8');
    assert.match(markdown, /embedding \(own pipeline: sequences\)/);
    assert.doesNotMatch(markdown, /logistic \(own pipeline/);
  });
});
