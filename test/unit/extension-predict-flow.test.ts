// The stand-in answers `require('vscode')`, so it is imported before any host module.
import { fake } from '../helpers/vscode';
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject } from '../../src/core/project';
import { RunStore } from '../../src/core/runs/store';
import { registerCommands, type CommandServices } from '../../src/extension/commands';
import { COMMANDS } from '../../src/extension/contributions';
import { bundleItem, listBundles } from '../../src/extension/models/predictChoices';
import { buildRunsTree } from '../../src/extension/models/runsTree';
import { predictWithModel, type PredictServices } from '../../src/extension/predictCommand';
import { RunActions } from '../../src/extension/runsCommands';
import { finishRecord, newSessionId, startRecord } from '../../src/runner/jobs/common';

const root = join(__dirname, '..', '..');

/**
 * A stand-in `dist/cli.js`: it records its arguments and answers as `topdown predict --json` does: an input
 * without V1 is refused with COLUMN_NOT_FOUND, one with Class is scored, one named hang*.csv never ends.
 */
const FAKE_CLI = `
const fs = require('fs');
const args = process.argv.slice(2);
fs.writeFileSync(__dirname + '/argv.json', JSON.stringify(args));
const input = args[2];
if (input.endsWith('hang.csv')) setInterval(() => {}, 1000);
else {
  const out = args[args.indexOf('--output') + 1];
  const header = fs.readFileSync(input, 'utf8').split('\\n')[0].split(',');
  const say = (value) => process.stdout.write(JSON.stringify(value) + '\\n');
  if (!header.includes('V1')) {
    say({ error: { code: 'COLUMN_NOT_FOUND', message: 'The input ' + input + ' has no column "V1", which the model needs.',
      file: input, column: 'V1', suggestion: 'X1', hint: 'Did you mean "X1"? The model reads: V1, V2.' } });
    process.exitCode = 1;
  } else {
    fs.writeFileSync(out, 'prediction\\nR\\nM\\n');
    const score = header.includes('Class')
      ? { target: 'Class', metric: 'accuracy', value: 0.861, rows: 208, skipped: 0,
          metrics: { accuracy: 0.861, f1: 0.85, logLoss: 0.331 } }
      : undefined;
    say({ step: 'predict', output: out, rows: 2, ...(score ? { score } : {}) });
  }
}`;

/** A bundle.json with the fields the picker reads. */
function writeBundle(projectDir: string, name: string, fields: Record<string, unknown>): void {
  mkdirSync(join(projectDir, 'models', name), { recursive: true });
  const manifest = {
    name,
    candidate: { name, model: 'mlp', config: {} },
    task: 'binary',
    target: 'Class',
    metric: 'accuracy',
    inputs: [
      { name: 'V1', type: 'numeric' },
      { name: 'V2', type: 'numeric' },
      { name: 'Class', type: 'categorical' },
    ],
    cv: null,
    holdout: null,
    createdAt: '2026-12-01T10:00:00.000Z',
    ...fields,
  };
  writeFileSync(join(projectDir, 'models', name, 'bundle.json'), JSON.stringify(manifest));
}

/** Records a completed Present Results run that wrote models/<bundle>. */
async function recordPresent(projectDir: string, bundle: string): Promise<void> {
  const store = new RunStore(projectDir);
  const record = startRecord(await loadProject(projectDir), store, 'present', newSessionId(), {
    candidate: bundle,
    model: 'mlp',
  });
  record.bundle = `models/${bundle}`;
  record.outputs = { bundle: record.bundle };
  finishRecord(record, 'completed');
  store.create(record);
}

describe('Predict with Model… (the editor flow)', () => {
  let folder: string;
  let projectDir: string;
  let services: PredictServices;
  let logged: string[];
  let offered: Array<{ label: string; description?: string; detail?: string }>;

  const argv = (): string[] => JSON.parse(readFileSync(join(folder, 'dist', 'argv.json'), 'utf8'));
  const csv = (name: string, text: string): string => {
    const file = join(projectDir, name);
    writeFileSync(file, text);
    return file;
  };

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'topdown-predict-flow-'));
    mkdirSync(join(folder, 'dist'));
    writeFileSync(join(folder, 'dist', 'cli.js'), FAKE_CLI);
    projectDir = join(folder, 'sonar');
    cpSync(join(root, 'templates', 'sonar'), projectDir, { recursive: true });
    // The presented model is the older one: it still comes first.
    writeBundle(projectDir, 'mlp-large', {
      holdout: { score: 0.861, metrics: {}, size: 42 },
      cv: { runId: 'r', step: 'evaluate', mean: 0.85, std: 0.02, folds: 5 },
      createdAt: '2026-12-01T10:00:00.000Z',
    });
    writeBundle(projectDir, 'linear', {
      candidate: { name: 'linear', model: 'linear', config: {} },
      cv: { runId: 'r', step: 'evaluate', mean: 0.78, std: 0.03, folds: 5 },
      createdAt: '2026-12-02T10:00:00.000Z',
    });
    mkdirSync(join(projectDir, 'models', 'not-a-bundle'));
    await recordPresent(projectDir, 'mlp-large');
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  beforeEach(() => {
    fake.reset();
    rmSync(join(folder, 'dist', 'argv.json'), { force: true });
    logged = [];
    const log = (text: string) => void logged.push(text);
    services = { extensionPath: folder, log: { info: log, error: log } };
    offered = [];
    fake.pick = (items) => {
      offered = items;
      return items.find((item) => item.label === 'mlp-large');
    };
  });

  it('offers the bundles with the presented one first, each with its candidate and score in words', () => {
    const items = listBundles(projectDir, 'mlp-large').map(bundleItem);
    assert.deepEqual(items, [
      {
        label: 'mlp-large',
        description: 'presented · mlp-large (mlp)',
        detail: 'accuracy 0.861 on the holdout (cross-validation 0.850 ± 0.020) · predicts Class (binary)',
      },
      {
        label: 'linear',
        description: 'linear (linear)',
        detail: 'accuracy: cross-validation 0.780 ± 0.030 · predicts Class (binary)',
      },
    ]);
    // Without a presented model the newest comes first.
    assert.deepEqual(
      listBundles(projectDir, undefined).map((choice) => choice.name),
      ['linear', 'mlp-large'],
    );
  });

  it('runs on the chosen model and CSV, writes <name>.predictions.csv beside it, opens it and gives its score', async () => {
    const input = csv('labelled.csv', 'V1,V2,Class\n0.1,0.2,R\n0.3,0.4,M\n');
    let dialog: Record<string, unknown> = {};
    fake.openDialog = (options) => {
      dialog = options;
      return [input];
    };
    await predictWithModel(services, projectDir);
    assert.deepEqual(
      offered.map((item) => item.label),
      ['mlp-large', 'linear'],
      'the presented model first; a folder without bundle.json is not offered',
    );
    assert.match(String(dialog.title), /CSV to predict \(columns V1, V2; with Class it is scored\)/);
    const output = join(projectDir, 'labelled.predictions.csv');
    assert.deepEqual(argv().slice(0, 5), [
      'predict',
      join(projectDir, 'models', 'mlp-large'),
      input,
      '--output',
      output,
    ]);
    assert.deepEqual(fake.progress, [
      { title: 'Topdown: predicting labelled.csv with mlp-large…', cancellable: true },
    ]);
    assert.deepEqual(fake.opened, [output]);
    assert.deepEqual(fake.messages.at(-1), {
      level: 'info',
      text: 'Wrote 2 predictions to labelled.predictions.csv. Scored 208 rows against "Class": accuracy 0.861.',
    });
    assert.match(
      logged.at(-1) ?? '',
      /Scored 208 rows against Class \(0 left out\): accuracy 0\.861, F1 0\.850, log loss 0\.331\./,
    );
  });

  it('never replaces an existing predictions file without asking: cancel, replace or another name', async () => {
    const input = csv('again.csv', 'V1,V2\n0.1,0.2\n');
    const existing = join(projectDir, 'again.predictions.csv');
    writeFileSync(existing, 'kept\n');
    fake.openDialog = () => [input];
    const asked: string[] = [];
    fake.answer = (text) => void asked.push(text);
    await predictWithModel(services, projectDir);
    assert.match(asked[0] ?? '', /^again\.predictions\.csv already exists in .*\. Replace it/);
    assert.equal(readFileSync(existing, 'utf8'), 'kept\n', 'dismissed: the file is untouched');
    assert.equal(existsSync(join(folder, 'dist', 'argv.json')), false, 'dismissed: nothing ran');
    const other = join(projectDir, 'other.csv');
    fake.answer = () => 'Choose Another Name…';
    fake.saveDialog = () => other;
    await predictWithModel(services, projectDir);
    assert.equal(argv()[4], other);
    assert.equal(readFileSync(existing, 'utf8'), 'kept\n');
    assert.deepEqual(fake.opened, [other]);
    fake.answer = () => 'Replace';
    await predictWithModel(services, projectDir);
    assert.equal(argv()[4], existing);
    assert.equal(readFileSync(existing, 'utf8'), 'prediction\nR\nM\n');
  });

  it('says in one sentence which column the CSV lacks, naming the file, and opens nothing', async () => {
    const input = csv('wrong.csv', 'X1,V2\n0.1,0.2\n');
    fake.openDialog = () => [input];
    await predictWithModel(services, projectDir);
    const shown = fake.messages.at(-1);
    assert.equal(shown?.level, 'error');
    assert.equal(
      shown?.text,
      'Predict failed: The input wrong.csv has no column "V1", which the model needs; did you mean "X1"?',
    );
    assert.doesNotMatch(shown?.text ?? '', /\n|\bat /);
    assert.match(logged.at(-1) ?? '', /COLUMN_NOT_FOUND: .*The model reads: V1, V2\.$/);
    assert.deepEqual(fake.opened, []);
  });

  it('stops the prediction on Cancel and says nothing more', async () => {
    fake.openDialog = () => [csv('hang.csv', 'V1,V2\n0.1,0.2\n')];
    fake.cancelProgress = true;
    await predictWithModel(services, projectDir);
    assert.deepEqual(fake.messages, []);
    assert.deepEqual(fake.opened, []);
    assert.match(logged.at(-1) ?? '', /cancelled\.$/);
  });

  it('skips the model question for a bundle the caller names (the Final panel), and says when there is none', async () => {
    fake.pick = (items) => assert.fail(`asked which model among ${items.length}`);
    fake.openDialog = () => [csv('named.csv', 'V1,V2\n0.1,0.2\n')];
    await predictWithModel(services, projectDir, 'linear');
    assert.equal(argv()[1], join(projectDir, 'models', 'linear'));
    assert.equal(fake.messages.at(-1)?.text, 'Wrote 2 predictions to named.predictions.csv.');
    const empty = join(folder, 'empty');
    mkdirSync(empty);
    await predictWithModel(services, empty);
    assert.match(fake.messages.at(-1)?.text ?? '', /^No saved model yet: Present Results/);
  });

  it('runs from the command with the bundle the Final panel names, on the project it names', async () => {
    const registered = registerCommands({
      context: { extensionPath: folder },
      log: services.log,
      project: { projects: [projectDir], projectDir: undefined },
    } as unknown as CommandServices);
    try {
      fake.pick = (items) => assert.fail(`asked which model among ${items.length}`);
      fake.openDialog = () => [csv('from-panel.csv', 'V1,V2\n0.1,0.2\n')];
      await fake.executeCommand(COMMANDS.predict, { projectDir, bundle: 'linear' });
      assert.equal(argv()[1], join(projectDir, 'models', 'linear'));
      assert.deepEqual(fake.opened, [join(projectDir, 'from-panel.predictions.csv')]);
    } finally {
      registered.dispose();
    }
  });

  it('asks an image model for a folder of images, image files or an IDX file, then for that', async () => {
    writeBundle(projectDir, 'cnn', { task: 'image', target: 'label', createdAt: '2026-12-03T10:00:00.000Z' });
    const photos = join(projectDir, 'photos');
    mkdirSync(photos);
    const sources: string[] = [];
    fake.pick = (items) => {
      if (items.some((item) => item.label === 'cnn')) return items.find((item) => item.label === 'cnn');
      sources.push(...items.map((item) => item.label));
      return items[0];
    };
    let dialog: Record<string, unknown> = {};
    fake.openDialog = (options) => {
      dialog = options;
      return undefined;
    };
    await predictWithModel(services, projectDir);
    assert.deepEqual(sources, ['A folder of images', 'Image files', 'An IDX images file']);
    assert.equal(dialog.canSelectFolders, true);
    assert.equal(dialog.canSelectFiles, false);
    assert.equal(
      existsSync(join(folder, 'dist', 'argv.json')),
      false,
      'the dialog was cancelled: nothing ran',
    );
    // IDX files (`train-images-idx3-ubyte`) have no extension to filter on: one file, any name.
    fake.pick = (items) =>
      items.find((item) => item.label === 'cnn') ?? items.find((item) => item.label === 'An IDX images file');
    await predictWithModel(services, projectDir);
    assert.deepEqual([dialog.canSelectFiles, dialog.canSelectMany, dialog.filters], [true, false, undefined]);
    rmSync(join(projectDir, 'models', 'cnn'), { recursive: true });
  });

  it('runs from a Present Results run of the Runs view on the model it saved, and says when that model is gone', async () => {
    await recordPresent(projectDir, 'linear');
    const entries = new RunStore(projectDir).list({ step: 'present' });
    const node = buildRunsTree(entries)
      .flatMap((group) => group.sessions.flatMap((session) => session.runs))
      .find((run) => run.entry.candidate === 'linear')!;
    assert.equal(node.contextValue, 'run.completed.model');
    const project = { projects: [projectDir], projectDir };
    const actions = new RunActions(project as never, {} as never, {} as never, {} as never);
    const registered = registerCommands({
      context: { extensionPath: folder },
      log: services.log,
      project,
      actions,
    } as unknown as CommandServices);
    try {
      fake.pick = (items) => assert.fail(`asked which model among ${items.length}`);
      fake.openDialog = () => [csv('from-run.csv', 'V1,V2\n0.1,0.2\n')];
      await fake.executeCommand(COMMANDS.predictRun, node);
      assert.equal(argv()[1], join(projectDir, 'models', 'linear'));
      assert.deepEqual(fake.opened, [join(projectDir, 'from-run.predictions.csv')]);

      rmSync(join(folder, 'dist', 'argv.json'));
      rmSync(join(projectDir, 'models', 'linear'), { recursive: true });
      await fake.executeCommand(COMMANDS.predictRun, node);
      assert.match(
        fake.messages.at(-1)?.text ?? '',
        /^The run "linear" has no saved model in models\/ any more/,
      );
      assert.equal(existsSync(join(folder, 'dist', 'argv.json')), false, 'nothing ran');
    } finally {
      registered.dispose();
    }
  });
});
