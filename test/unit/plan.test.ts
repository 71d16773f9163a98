/**
 * The from-CSV planner: its guesses on the six standard datasets and on real fixture files, the reasons it
 * gives, and the errors for tables nothing can be learned from.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCsv } from '../../src/core/data/csv';
import type { CandidateConfig, PrepareOp, Task } from '../../src/core/config';
import { TopdownError } from '../../src/core/errors';
import { planProject, type ProjectPlan } from '../../src/core/plan/plan';
import {
  forestTrees,
  hiddenWidths,
  largeNetwork,
  trainingFor,
  WIDE_MIN_CLASSES,
  WIDE_MIN_ROWS,
} from '../../src/core/plan/candidates';
import { planReadme } from '../../src/core/plan/readme';
import { guessTask, imageShape } from '../../src/core/plan/task';
import { summarizeColumns } from '../../src/core/plan/columns';
import type { Table } from '../../src/core/data/table';
import { validateProjectText } from '../../src/core/project';

const DATASETS = resolve(__dirname, '..', '..', 'templates');
const FIXTURES = resolve(__dirname, '..', 'fixtures', 'plan');

const datasetFiles: Record<string, string> = {
  sonar: join(DATASETS, 'sonar', 'data', 'sonar.csv'),
  pima: join(DATASETS, 'pima', 'data', 'pima_diabetes.csv'),
  iris: join(DATASETS, 'iris', 'data', 'iris.csv'),
  autoMpg: join(DATASETS, 'auto-mpg', 'data', 'auto_mpg.csv'),
  digits: join(DATASETS, 'digits', 'data', 'digits.csv'),
  airline: join(DATASETS, 'airline', 'data', 'airline_passengers.csv'),
};

async function plan(file: string, options: { target?: string; task?: Task } = {}): Promise<ProjectPlan> {
  return planProject(await readCsv(file), options);
}

function op<Name extends PrepareOp['op']>(
  plan: ProjectPlan,
  name: Name,
): Extract<PrepareOp, { op: Name }> | undefined {
  return plan.config.prepare?.find((candidate) => candidate.op === name) as
    Extract<PrepareOp, { op: Name }> | undefined;
}

function candidate(plan: ProjectPlan, name: string): CandidateConfig | undefined {
  return plan.config.evaluate.candidates.find((entry) => entry.name === name);
}

function assertValid(plan: ProjectPlan): void {
  const problems = validateProjectText(JSON.stringify(plan.config), 'topdown.json');
  assert.deepEqual(
    problems.filter((problem) => problem.severity === 'error'),
    [],
  );
}

/** A seeded table of `rows` rows, `features` whole-number columns 0-15 and a target of `classes` letters. */
function classTable(rows: number, features: number, classes: number): Table {
  const labels = Array.from({ length: rows }, (_, row) => String.fromCharCode(65 + (row % classes)));
  const columns: Table['columns'] = Array.from({ length: features }, (_, feature) => ({
    name: `f${feature}`,
    type: 'numeric' as const,
    values: Float32Array.from(
      { length: rows },
      (_, row) => ((row % classes) * (feature + 3) + ((row * 7919 + feature * 104729) % 5)) % 16,
    ),
  }));
  columns.push({ name: 'letter', type: 'categorical' as const, values: labels });
  return { file: 'letters.csv', rowCount: rows, columns };
}

async function rejects(
  file: string,
  code: string,
  options: { target?: string; task?: Task } = {},
): Promise<TopdownError> {
  let caught: unknown;
  try {
    await plan(file, options);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof TopdownError, `expected a TopdownError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.file, file);
  assert.ok(caught.hint && caught.hint.length > 0, 'the error says what to do next');
  return caught;
}

describe('planProject on the standard datasets', () => {
  it('plans Sonar as balanced binary classification of Class with every feature standardized', async () => {
    const result = await plan(datasetFiles.sonar);
    const { problem } = result.config;
    assert.equal(problem.target, 'Class');
    assert.equal(problem.task, 'binary');
    assert.equal(problem.metric, 'accuracy');
    assert.equal(problem.positiveClass, 'M');
    assert.equal(problem.missing, undefined, 'no Sonar energy is taken for a missing value');
    assert.equal(op(result, 'standardize')?.columns?.length, 60);
    assert.deepEqual(result.config.evaluate.validation, { scheme: 'stratified-kfold', folds: 10 });
    assert.equal(problem.holdout, undefined, '208 rows are too few for a holdout');
    assertValid(result);
  });

  it('reads Pima zeros in glucose, pressure, triceps, insulin and mass as missing, but not pregnancies', async () => {
    const result = await plan(datasetFiles.pima);
    const { problem } = result.config;
    assert.deepEqual(Object.keys(problem.missing ?? {}).sort(), [
      'glucose',
      'insulin',
      'mass',
      'pressure',
      'triceps',
    ]);
    assert.deepEqual(op(result, 'impute')?.columns?.sort(), [
      'glucose',
      'insulin',
      'mass',
      'pressure',
      'triceps',
    ]);
    assert.equal(op(result, 'impute')?.strategy, 'median');
    assert.equal(problem.positiveClass, 'pos');
    assert.equal(problem.holdout, 0.2, '768 rows are enough for a holdout');
    assert.ok(
      result.choices.some((choice) => choice.topic === 'missing values' && choice.why.includes('44')),
    );
    assertValid(result);
  });

  it('plans Iris as multiclass with a small network of three units per class', async () => {
    const result = await plan(datasetFiles.iris);
    assert.equal(result.config.problem.task, 'multiclass');
    const mlp = candidate(result, 'mlp-small');
    assert.ok(mlp && mlp.model === 'mlp');
    assert.deepEqual(mlp.layers, [9]);
    assert.ok(candidate(result, 'naive-bayes'), 'naive Bayes is a classification candidate');
    assertValid(result);
  });

  it('plans auto-mpg as rmse regression, ignoring the name and one-hot encoding the origin codes 1/2/3', async () => {
    const result = await plan(datasetFiles.autoMpg);
    const { problem } = result.config;
    assert.equal(problem.task, 'regression');
    assert.equal(problem.metric, 'rmse');
    assert.deepEqual(problem.ignore, ['name']);
    assert.deepEqual(
      op(result, 'onehot')?.columns,
      ['origin'],
      'cylinders (3–8) is a quantity, origin (1–3) a code',
    );
    assert.ok(op(result, 'standardize')?.columns?.includes('cylinders'));
    assert.equal(result.config.evaluate.validation.scheme, 'kfold');
    assert.equal(candidate(result, 'naive-bayes'), undefined, 'no naive Bayes for regression');
    assertValid(result);
  });

  it('plans digits as an image task only when confirmed, with an 8×8 image op and a CNN', async () => {
    const guessed = await plan(datasetFiles.digits);
    assert.equal(guessed.config.problem.task, 'multiclass');
    assert.ok(
      guessed.choices.some((choice) => choice.topic === 'image?' && choice.choice.includes('--task image')),
    );
    const confirmed = await plan(datasetFiles.digits, { task: 'image' });
    assert.deepEqual(op(confirmed, 'image'), { op: 'image', rows: 8, cols: 8, channels: 1, scale: 16 });
    assert.equal(
      confirmed.config.problem.ignore,
      undefined,
      'constant border pixels keep their place in the image',
    );
    assert.equal(candidate(confirmed, 'cnn')?.model, 'cnn');
    assertValid(confirmed);
  });

  it('suggests an image only from evidence: 64 or more whole-number pixel columns between 0 and 255', () => {
    const table = (features: number, value: (row: number, column: number) => number): Table => ({
      file: 'wide.csv',
      rowCount: 40,
      columns: [
        ...Array.from({ length: features }, (_, column) => ({
          name: `f${column}`,
          type: 'numeric' as const,
          values: Float32Array.from({ length: 40 }, (_, row) => value(row, column)),
        })),
        {
          name: 'label',
          type: 'categorical' as const,
          values: Array.from({ length: 40 }, (_, row) => (row % 2 ? 'a' : 'b')),
        },
      ],
    });
    const suggests = (result: ProjectPlan): boolean =>
      result.choices.some((choice) => choice.topic === 'image?');
    // 16 statistical features of whole numbers 0–15 (as the letter-recognition table): a 4×4 square, not an image.
    assert.equal(
      suggests(
        planProject(
          table(16, (row, column) => (row * 7 + column) % 16),
          {},
        ),
      ),
      false,
    );
    // 64 measurements with fractions: not pixels.
    assert.equal(
      suggests(
        planProject(
          table(64, (row, column) => ((row * 7 + column) % 16) / 3),
          {},
        ),
      ),
      false,
    );
    // 64 values above 255: not pixels.
    assert.equal(
      suggests(
        planProject(
          table(64, (row, column) => 300 + ((row + column) % 16)),
          {},
        ),
      ),
      false,
    );
    assert.equal(
      suggests(
        planProject(
          table(64, (row, column) => (row * 31 + column * 7) % 256),
          {},
        ),
      ),
      true,
    );
  });

  it('plans the airline series with Month as time column, 12-month windows and walk-forward validation', async () => {
    const result = await plan(datasetFiles.airline, { task: 'time-series' });
    const { problem } = result.config;
    assert.equal(problem.timeColumn, 'Month');
    assert.equal(problem.target, 'Passengers');
    assert.equal(op(result, 'window')?.lookBack, 12);
    assert.ok(op(result, 'minmax'));
    assert.equal(result.config.evaluate.validation.scheme, 'walk-forward');
    assert.equal(candidate(result, 'lstm')?.model, 'lstm');
    assert.equal(candidate(result, 'knn'), undefined);
    assertValid(result);
  });

  it('refuses the airline series without --task time-series and says how to ask for it', async () => {
    const error = await rejects(datasetFiles.airline, 'TARGET_MISSING');
    assert.match(error.hint ?? '', /--task time-series/);
  });
});

/** Step 5 of a README: a template's `## 5.` section, or a plan's `5. **Present Results**` item. */
function stepFive(readme: string): string {
  const start = readme.search(/^(## 5\.|5\. \*\*Present Results\*\*)/m);
  assert.ok(start >= 0, 'the README has a step 5');
  const rest = readme.slice(start);
  const end = rest.startsWith('## ') ? rest.indexOf('\n## ', 1) : rest.indexOf('\n\n');
  return end < 0 ? rest : rest.slice(0, end);
}

describe('step 5 in the README of a project with and without a holdout', () => {
  /** Words that say step 5 scores or writes predictions for held-out rows. */
  const HOLDOUT_PREDICTIONS =
    /scores it once|held[- ]out|writes the report and predictions|holdout-predictions/;

  it('a planned project with no holdout does not promise holdout predictions; one with a holdout does', async () => {
    const sonar = await plan(datasetFiles.sonar);
    assert.equal(sonar.config.problem.holdout, undefined);
    const without = stepFive(planReadme(sonar, 'sonar.csv'));
    assert.doesNotMatch(without, HOLDOUT_PREDICTIONS);
    assert.match(without, /no holdout/);
    const pima = await plan(datasetFiles.pima);
    assert.match(stepFive(planReadme(pima, 'pima.csv')), HOLDOUT_PREDICTIONS);
  });

  it('every template README matches its topdown.json: holdout predictions only where there is a holdout', () => {
    for (const name of readdirSync(DATASETS)) {
      const config = JSON.parse(readFileSync(join(DATASETS, name, 'topdown.json'), 'utf8')) as {
        problem: { holdout?: number };
      };
      const step = stepFive(readFileSync(join(DATASETS, name, 'README.md'), 'utf8'));
      if (config.problem.holdout) {
        assert.match(step, /held[- ]out|holdout|last third/, `${name}: step 5 scores the holdout`);
      } else {
        assert.doesNotMatch(step, HOLDOUT_PREDICTIONS, `${name}: no holdout, no holdout predictions`);
        assert.match(step, /no holdout/i, `${name}: says there is no holdout`);
      }
    }
  });
});

describe('planProject on generated and fixture CSVs', () => {
  it('drops identifiers and constants, turns dates into numbers and encodes categories with blanks', async () => {
    const result = await plan(join(FIXTURES, 'customers.csv'));
    const { problem } = result.config;
    assert.equal(problem.target, 'churn');
    assert.equal(problem.task, 'binary');
    assert.equal(problem.positiveClass, 'yes');
    assert.deepEqual(problem.ignore, ['row_number', 'customer_code', 'source']);
    assert.deepEqual(op(result, 'date'), { op: 'date', columns: ['signup'] });
    assert.ok(result.choices.some((choice) => choice.choice.includes('from "signup"')));
    assert.deepEqual(op(result, 'onehot')?.columns, ['plan_tier', 'country']);
    const imputes = result.config.prepare?.filter((entry) => entry.op === 'impute') ?? [];
    assert.deepEqual(
      imputes.map((entry) => (entry.op === 'impute' ? [entry.strategy, entry.columns] : [])),
      [['most-frequent', ['country']]],
    );
    const reasons = result.choices
      .filter((choice) => choice.topic === 'columns')
      .map((choice) => choice.choice);
    assert.equal(reasons.length, 3);
    assertValid(result);
  });

  it('takes the target it is told, and predicts a numeric column with few whole values as classes', async () => {
    const result = await plan(join(FIXTURES, 'customers.csv'), { target: 'plan_tier' });
    assert.equal(result.config.problem.target, 'plan_tier');
    assert.equal(result.config.problem.task, 'multiclass');
    assert.ok(result.config.problem.ignore?.includes('row_number'));
    assertValid(result);
  });

  it('suggests a time series for rows ordered by date, and plans one when confirmed', async () => {
    const file = join(FIXTURES, 'sales.csv');
    const guessed = await plan(file);
    assert.equal(guessed.config.problem.task, 'regression');
    assert.ok(
      guessed.choices.some((choice) => choice.topic === 'time series?' && choice.choice.includes('"day"')),
    );
    const series = await plan(file, { task: 'time-series' });
    assert.equal(series.config.problem.timeColumn, 'day');
    assert.equal(op(series, 'window')?.lookBack, 7, 'daily rows: one week of history');
    assertValid(series);
  });

  it('sizes candidates, folds and holdout to a large table', () => {
    const rows = 12_000;
    const values = Float32Array.from({ length: rows }, (_, index) => (index * 7919) % 1000);
    const noise = Float32Array.from({ length: rows }, (_, index) => ((index * 104729) % 997) / 10);
    const table = {
      file: 'big.csv',
      rowCount: rows,
      columns: [
        { name: 'x', type: 'numeric' as const, values },
        { name: 'z', type: 'numeric' as const, values: noise },
        {
          name: 'y',
          type: 'numeric' as const,
          values: Float32Array.from(values, (value, index) => value * 0.5 + noise[index]),
        },
      ],
    };
    const result = planProject(table);
    assert.equal(result.config.problem.holdout, 0.2);
    assert.deepEqual(
      result.config.evaluate.validation,
      { scheme: 'kfold', folds: 10 },
      '9,600 rows outside the holdout: still 10 folds',
    );
    const bigger = planProject({
      ...table,
      rowCount: rows * 3,
      columns: table.columns.map((column) => ({
        ...column,
        values: Float32Array.from([...column.values, ...column.values, ...column.values]),
      })),
    });
    assert.deepEqual(bigger.config.evaluate.validation, { scheme: 'kfold', folds: 5 });
    assert.equal(candidate(bigger, 'knn'), undefined, 'k-NN is left out above 20,000 rows');
    const forest = candidate(bigger, 'random-forest');
    assert.ok(forest && forest.model === 'random-forest' && forest.trees === 100, '28,800 rows: 100 trees');
    const mlp = candidate(bigger, 'mlp-small');
    assert.ok(mlp && mlp.model === 'mlp');
    assert.equal(mlp.epochs, 60);
    assert.deepEqual(mlp.earlyStopping, { patience: 6 });
  });

  it('sizes hidden layers from the inputs and the classes, and lets early stopping end training', () => {
    assert.deepEqual(hiddenWidths(16, 26), { small: 78, large: [156, 78] }, '16 features, 26 classes');
    assert.deepEqual(hiddenWidths(30, 0), { small: 30, large: [60, 30] }, 'binary: the inputs decide');
    assert.equal(hiddenWidths(2000, 0).small, 128, 'capped');
    for (const rows of [5_000, 20_000, 80_000, 500_000]) {
      const training = trainingFor(rows);
      const patience = training.earlyStopping?.patience ?? Infinity;
      assert.ok(
        patience * 4 <= (training.epochs ?? 0),
        `${rows} rows: the ceiling leaves room to stop early`,
      );
    }
    assert.equal(forestTrees(20_000), 100, "scikit-learn's 100 trees where affordable");
  });

  it('plans one wide layer without dropout for many rows and many classes, and says why in the README', () => {
    const table = classTable(20_000, 16, 26);
    const result = planProject(table);
    const large = candidate(result, 'mlp-large');
    const small = candidate(result, 'mlp-small');
    assert.ok(large && large.model === 'mlp' && small && small.model === 'mlp');
    assert.equal(large.layers.length, 1, 'one hidden layer');
    const twoLayers = hiddenWidths(16, 26).large;
    assert.ok(
      large.layers[0] > twoLayers[0],
      `wider (${large.layers[0]}) than the two-layer plan's first layer`,
    );
    assert.ok(large.layers[0] > small.layers[0], 'wider than mlp-small');
    assert.equal(large.dropout, undefined, 'no dropout');
    const why = result.choices.find(
      (choice) => choice.topic === 'candidates' && choice.choice.includes('mlp-large'),
    );
    assert.match(why?.choice ?? '', new RegExp(`mlp-large \\[${large.layers[0]}\\]`));
    assert.match(why?.why ?? '', /one wide layer .* without dropout: 26 classes .* 16000 rows/);
    assert.match(planReadme(result, 'letters.csv'), /one wide layer of \d+ units without dropout/);
    assertValid(result);
  });

  it('keeps two layers with dropout where rows or classes are few', async () => {
    for (const name of ['sonar', 'pima', 'iris', 'autoMpg']) {
      const large = candidate(await plan(datasetFiles[name]), 'mlp-large');
      assert.ok(large && large.model === 'mlp');
      assert.equal(large.layers.length, 2, `${name}: two layers`);
      assert.equal(large.dropout, 0.2, `${name}: dropout`);
    }
    const few = (rows: number, classes: number) => largeNetwork(rows, classes, [32, 16]);
    assert.deepEqual(
      few(WIDE_MIN_ROWS - 1, 26),
      { layers: [32, 16], dropout: 0.2 },
      'many classes, few rows',
    );
    assert.deepEqual(few(100_000, 0), { layers: [32, 16], dropout: 0.2 }, 'many rows, binary or regression');
    assert.deepEqual(few(100_000, WIDE_MIN_CLASSES - 1), { layers: [32, 16], dropout: 0.2 }, 'few classes');
    assert.equal(few(WIDE_MIN_ROWS, WIDE_MIN_CLASSES).layers.length, 1, 'the wide layer from both minimums');
    const binary = planProject(classTable(20_000, 16, 2));
    const large = candidate(binary, 'mlp-large');
    assert.ok(large && large.model === 'mlp');
    assert.deepEqual(
      [large.layers.length, large.dropout],
      [2, 0.2],
      'a 20,000-row binary table keeps its plan',
    );
  });

  it('picks F1 and the rare class as positive for an imbalanced binary target', () => {
    const labels = Array.from({ length: 100 }, (_, index) => (index % 10 === 0 ? 'fraud' : 'ok'));
    const table = {
      file: 'payments.csv',
      rowCount: 100,
      columns: [
        {
          name: 'amount',
          type: 'numeric' as const,
          values: Float32Array.from({ length: 100 }, (_, index) => index * 3.5),
        },
        { name: 'label', type: 'categorical' as const, values: labels },
      ],
    };
    const result = planProject(table);
    assert.equal(result.config.problem.metric, 'f1');
    assert.equal(result.config.problem.positiveClass, 'fraud');
    assertValid(result);
  });

  it('falls back to the last usable column when the last one is an identifier', () => {
    const table = {
      file: 'people.csv',
      rowCount: 20,
      columns: [
        {
          name: 'height',
          type: 'numeric' as const,
          values: Float32Array.from({ length: 20 }, (_, index) => 150 + index * 1.7),
        },
        {
          name: 'group',
          type: 'categorical' as const,
          values: Array.from({ length: 20 }, (_, index) => (index < 10 ? 'a' : 'b')),
        },
        {
          name: 'email',
          type: 'identifier' as const,
          values: Array.from({ length: 20 }, (_, index) => `p${index}@x.org`),
        },
      ],
    };
    const result = planProject(table);
    assert.equal(result.config.problem.target, 'group');
    assert.deepEqual(result.config.problem.ignore, ['email']);
    assert.match(result.choices[0].why, /"email", cannot be a target/);
  });
});

describe('planProject bad inputs', () => {
  it('refuses a file whose columns are all identifiers or constants (no usable target)', async () => {
    const file = join(FIXTURES, 'no-target.csv');
    const error = await rejects(file, 'TARGET_MISSING');
    assert.match(error.message, /no column that can be a target/);
    assert.match(error.message, /"id": it is an identifier/);
    assert.match(error.message, /"constant": it has a single value/);
  });

  it('refuses a file whose rows are all identical', async () => {
    const error = await rejects(join(FIXTURES, 'identical.csv'), 'TARGET_SINGLE_CLASS');
    assert.match(error.message, /All 12 rows .*identical\.csv are identical/);
  });

  it('refuses a single column, naming it', async () => {
    const error = await rejects(join(FIXTURES, 'single-column.csv'), 'CSV_MALFORMED');
    assert.equal(error.column, 'height');
    assert.match(error.message, /single column/);
  });

  it('recognises a semicolon-separated file by its single column and says so', async () => {
    const error = await rejects(join(FIXTURES, 'semicolon.csv'), 'CSV_MALFORMED');
    assert.match(error.hint ?? '', /";"/);
  });

  it('refuses an unknown target and suggests the closest column', async () => {
    const error = await rejects(join(FIXTURES, 'customers.csv'), 'TARGET_MISSING', { target: 'chrun' });
    assert.equal(error.column, 'chrun');
    assert.match(error.hint ?? '', /Did you mean "churn"/);
  });

  it('refuses a constant or identifier target it is told to use', async () => {
    const constant = await rejects(join(FIXTURES, 'customers.csv'), 'TARGET_SINGLE_CLASS', {
      target: 'source',
    });
    assert.equal(constant.column, 'source');
    const identifier = await rejects(join(FIXTURES, 'customers.csv'), 'TARGET_MISSING', {
      target: 'customer_code',
    });
    assert.match(identifier.message, /identifier/);
  });

  it('refuses regression on a text target and a time series without ordered dates', async () => {
    const text = await rejects(join(FIXTURES, 'customers.csv'), 'TARGET_NOT_NUMERIC', { task: 'regression' });
    assert.equal(text.column, 'churn');
    const series = await rejects(join(FIXTURES, 'customers.csv'), 'COLUMN_NOT_FOUND', {
      task: 'time-series',
      target: 'monthly_spend',
    });
    assert.match(series.message, /"signup" is not in order/);
  });

  it('refuses an image task when the pixels do not make a square', async () => {
    const error = await rejects(join(FIXTURES, 'customers.csv'), 'USAGE', { task: 'image' });
    assert.match(error.message, /square/);
  });
});

describe('planner helpers', () => {
  it('guesses classes for few whole numbers and regression otherwise', async () => {
    const columns = summarizeColumns(await readCsv(datasetFiles.autoMpg));
    const byName = new Map(columns.map((column) => [column.name, column]));
    assert.equal(guessTask(byName.get('mpg')!).task, 'regression');
    assert.equal(guessTask(byName.get('origin')!).task, 'multiclass');
    assert.equal(guessTask(byName.get('cylinders')!).task, 'multiclass');
    assert.equal(byName.get('name')!.identifier !== undefined, true);
  });

  it('finds square images of one or three channels', () => {
    assert.deepEqual(imageShape(64), { side: 8, channels: 1 });
    assert.deepEqual(imageShape(3072), { side: 32, channels: 3 });
    assert.equal(imageShape(60), undefined);
  });
});
