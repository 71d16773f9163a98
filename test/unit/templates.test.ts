/**
 * The conformance suite of the starter projects in templates/: every template goes through the same checks
 * (project file valid, data loads with its target, improve section valid, example custom model builds, README
 * walks the five steps and credits the data).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ProjectConfig, Task } from '../../src/core/config';
import { isClassification } from '../../src/core/config';
import { loadDataSource } from '../../src/core/data/source';
import { findColumn } from '../../src/core/data/table';
import { validateEnsembles } from '../../src/core/improve/ensemble';
import { validateSearchSpace } from '../../src/core/improve/search';
import type { ImproveConfig } from '../../src/core/improve/types';
import { validateProjectText } from '../../src/core/project';
import { requireBuild, runCli, tempDir } from '../helpers/cli';

const TEMPLATES = resolve(__dirname, '..', '..', 'templates');

/** What each template must hold: its task, classes, the shape its custom model sees, and the credit to give. */
const expected: Record<
  string,
  {
    task: Task;
    classes?: number;
    inputShape: number[];
    outputUnits: number;
    credit: RegExp;
    licence: RegExp;
    /** Free text: the process is a baseline and the sparse text models (networks need dense features). */
    text?: boolean;
  }
> = {
  sonar: { task: 'binary', classes: 2, inputShape: [60], outputUnits: 2, credit: /Gorman/, licence: /GPL-2/ },
  pima: {
    task: 'binary',
    classes: 2,
    inputShape: [8],
    outputUnits: 2,
    credit: /Diabetes and Digestive/,
    licence: /GPL-2/,
  },
  iris: {
    task: 'multiclass',
    classes: 3,
    inputShape: [4],
    outputUnits: 3,
    credit: /Fisher/,
    licence: /BSD-3-Clause/,
  },
  'auto-mpg': {
    task: 'regression',
    inputShape: [9],
    outputUnits: 1,
    credit: /Ramos/,
    licence: /public domain/i,
  },
  digits: {
    task: 'image',
    classes: 10,
    inputShape: [8, 8, 1],
    outputUnits: 10,
    credit: /Alpaydin/,
    licence: /BSD-3-Clause/,
  },
  fashion: {
    task: 'image',
    classes: 10,
    inputShape: [28, 28, 1],
    outputUnits: 10,
    credit: /Zalando/,
    licence: /MIT/,
  },
  spam: {
    task: 'binary',
    classes: 2,
    inputShape: [100],
    outputUnits: 2,
    credit: /SpamAssassin/,
    licence: /Apache-2\.0/,
    text: true,
  },
  airline: {
    task: 'time-series',
    inputShape: [12, 1],
    outputUnits: 1,
    credit: /Jenkins and G\. C\. Reinsel/,
    licence: /r-base-core/,
  },
};

function readConfig(name: string): { text: string; config: ProjectConfig } {
  const text = readFileSync(join(TEMPLATES, name, 'topdown.json'), 'utf8');
  return { text, config: JSON.parse(text) as ProjectConfig };
}

for (const [name, facts] of Object.entries(expected)) {
  describe(`template ${name}`, () => {
    it('has a topdown.json without errors or warnings, with a one-line description', () => {
      const { text, config } = readConfig(name);
      assert.deepEqual(validateProjectText(text, join(TEMPLATES, name, 'topdown.json')), []);
      assert.equal(config.problem.task, facts.task);
      assert.ok(config.description && !config.description.includes('\n') && config.description.length < 140);
      assert.equal(config.name, name);
    });

    it('loads its data file with the declared target', async () => {
      const { config } = readConfig(name);
      const { table } = await loadDataSource(join(TEMPLATES, name, config.problem.data), {
        missing: config.problem.missing,
        classNames: config.problem.classNames,
      });
      const target = findColumn(table, config.problem.target);
      assert.ok(target, `target ${config.problem.target} is a column`);
      if (isClassification(facts.task)) {
        const classes = new Set(Array.from(target.values as ArrayLike<unknown>, (value) => String(value)));
        assert.equal(classes.size, facts.classes);
        if (config.problem.positiveClass) assert.ok(classes.has(config.problem.positiveClass));
      } else {
        assert.equal(target.type, 'numeric');
      }
      for (const column of config.problem.ignore ?? []) assert.ok(findColumn(table, column), column);
      if (config.problem.timeColumn) assert.equal(findColumn(table, config.problem.timeColumn)?.type, 'date');
    });

    it('follows the process: a baseline, a linear model, two networks and a classic algorithm', () => {
      const { config } = readConfig(name);
      const models = config.evaluate.candidates.map((candidate) => candidate.model);
      assert.equal(models[0], 'baseline');
      if (facts.text) {
        assert.ok(models.includes('logistic') && models.includes('multinomial-nb'));
        assert.ok(models.includes('mlp'), 'a network on the sparse features');
        return;
      }
      assert.ok(models.includes('linear'));
      assert.ok(models.filter((model) => ['mlp', 'cnn', 'lstm', 'gru'].includes(model)).length >= 2);
      assert.ok(
        models.some((model) => ['knn', 'decision-tree', 'random-forest', 'naive-bayes'].includes(model)),
      );
      if (facts.task === 'image') assert.ok(models.includes('cnn'));
      if (facts.task === 'time-series') assert.ok(models.includes('lstm'));
    });

    it('has an improve section whose search spaces and ensembles validate, and a present section', () => {
      const { config } = readConfig(name);
      const improve = config.improve as ImproveConfig;
      const candidates = config.evaluate.candidates;
      assert.ok(improve.candidates && improve.candidates.length > 0);
      for (const tuned of improve.candidates) {
        const candidate = candidates.find((entry) => entry.name === tuned);
        assert.ok(candidate, `improve names candidate ${tuned}`);
        validateSearchSpace(
          improve.space?.[tuned],
          candidate,
          `/improve/space/${tuned}`,
          improve.search?.method,
        );
      }
      validateEnsembles(
        improve.ensembles,
        candidates.map((candidate) => candidate.name),
        { task: facts.task },
      );
      assert.deepEqual(config.present, { predictions: true, report: true });
    });

    it('ships an example custom model that builds with the shape Topdown passes in', () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the template is a CommonJS module, as the runner loads it
      const module = require(join(TEMPLATES, name, 'models', 'custom.js')) as {
        build: (tfModule: typeof tf, context: Record<string, unknown>) => tf.LayersModel;
      };
      const model = module.build(tf, {
        inputShape: facts.inputShape,
        outputUnits: facts.outputUnits,
        task: facts.task,
        options: {},
      });
      const output = tf.tidy(() => model.predict(tf.ones([3, ...facts.inputShape])) as tf.Tensor);
      assert.deepEqual(output.shape, [3, facts.outputUnits]);
      if (isClassification(facts.task)) {
        const sums = tf.tidy(() => output.sum(1).arraySync() as number[]);
        for (const sum of sums) assert.ok(Math.abs(sum - 1) < 1e-5, 'class probabilities sum to 1');
      }
      output.dispose();
      model.dispose();
    });

    it('has a README that walks the five steps, states the number to beat and credits the data', () => {
      const file = join(TEMPLATES, name, 'README.md');
      assert.ok(existsSync(file));
      const readme = readFileSync(file, 'utf8');
      for (const step of [
        'Define Problem',
        'Prepare Data',
        'Evaluate Algorithms',
        'Improve Results',
        'Present Results',
      ])
        assert.ok(readme.includes(step), `README covers ${step}`);
      assert.match(readme, /number to beat/i);
      assert.match(readme, /reference/i);
      assert.match(readme, facts.credit);
      assert.match(readme, facts.licence);
      assert.match(readme, /custom\.js/);
    });
  });
}

describe('templates end to end (slow, kept short with --quick)', () => {
  it('slow: the iris template scaffolds, defines and evaluates on wasm, and its candidates beat the baseline', async () => {
    requireBuild();
    const dir = join(tempDir('template-iris'), 'iris');
    const created = await runCli(['new', 'iris', dir, '--json']);
    assert.equal(created.code, 0, created.stderr);
    const flags = ['--json', '--quick', '--backend', 'wasm', '--workers', '1'];
    const defined = await runCli(['define', dir, ...flags], { timeoutMs: 60_000 });
    assert.equal(defined.code, 0, defined.stderr);
    const evaluated = await runCli(
      ['evaluate', dir, ...flags, '--candidates', 'baseline,softmax,knn,naive-bayes'],
      {
        timeoutMs: 120_000,
      },
    );
    assert.equal(evaluated.code, 0, evaluated.stderr);
    const result = evaluated.json as {
      metric: string;
      quick: boolean;
      baseline: { mean: number };
      candidates: Array<{ name: string; status: string; mean: number | null }>;
    };
    assert.equal(result.metric, 'accuracy');
    assert.equal(result.quick, true);
    assert.ok(
      Math.abs(result.baseline.mean - 1 / 3) < 0.05,
      `baseline ${result.baseline.mean} is about one class in three`,
    );
    for (const name of ['knn', 'naive-bayes']) {
      const candidate = result.candidates.find((entry) => entry.name === name);
      assert.equal(candidate?.status, 'completed', name);
      assert.ok((candidate?.mean ?? 0) > 0.85, `${name} scores ${candidate?.mean}, far above the baseline`);
    }
  });
});
