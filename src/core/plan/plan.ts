/**
 * "New project from my own CSV": proposes a whole `topdown.json` for any table, and explains each choice. Pure:
 * the caller reads the CSV (readCsv) and writes the files. Guesses the target (the last usable column unless
 * told), the task, the columns to leave out (identifiers, constants, mostly empty), the missing values
 * (including zeros that stand far below a column's other values), the preparation, and candidates and a
 * validation scheme sized to the data.
 */
import { basename } from 'node:path';
import type { MetricName, ProblemConfig, ProjectConfig, Task } from '../config';
import { isClassification } from '../config';
import { closestName } from '../data/infer';
import type { Table } from '../data/table';
import { TopdownError } from '../errors';
import { HOLDOUT_MIN_ROWS, planCandidates, planImprove, planValidation, type PlanChoice } from './candidates';
import {
  allRowsIdentical,
  MOSTLY_EMPTY_FRACTION,
  summarizeColumns,
  unusableTargetReason,
  type ColumnSummary,
} from './columns';
import { chooseMissing, choosePreparation } from './preparation';
import { planText, planTextCandidates, planTextImprove } from './text';
import { planEmbedding } from './text-embedding';
import { classCounts, guessTask, imageShape, positiveClassOf } from './task';

export type { PlanChoice } from './candidates';

/** Options of {@link planProject}. */
export interface PlanOptions {
  /** The target column; default: the last column that can be one. */
  target?: string;
  /** The task; default: guessed from the target. `time-series` and `image` are never guessed, only confirmed. */
  task?: Task;
  /** Time series: the date column that orders the rows; default: the first date column in order. */
  timeColumn?: string;
  /** Where the CSV will live, relative to the project folder. Default `data/<file name>`. */
  dataPath?: string;
  /** Project name. Default: the CSV's file name without extension. */
  name?: string;
}

/** The proposed project and the reasons behind it. */
export interface ProjectPlan {
  config: ProjectConfig;
  /** Every decision, in the order of the five steps. */
  choices: PlanChoice[];
  /** The column summaries the choices rest on. */
  columns: ColumnSummary[];
}

/** Proposes a project for `table`. Throws TopdownError for a table nothing can be learned from. */
export function planProject(table: Table, options: PlanOptions = {}): ProjectPlan {
  const file = table.file;
  checkLearnable(table);
  const columns = summarizeColumns(table);
  const choices: PlanChoice[] = [];
  const target = chooseTarget(columns, options.target, file, choices);
  const { task, timeColumn } = chooseTask(table, columns, target, options, choices);

  const problem: ProblemConfig = {
    data: options.dataPath ?? `data/${basename(file)}`,
    target: target.name,
    task,
    metric: 'accuracy',
  };
  if (task === 'time-series' && timeColumn) problem.timeColumn = timeColumn.name;
  const features = columns.filter((column) => column !== target);
  const ignore = chooseIgnored(features, task, problem, choices);
  const kept = features.filter((column) => !ignore.includes(column.name));
  // Dates that only order the rows teach nothing but the position in time: that is a series, not a table.
  const learnable = kept.filter((column) => !(column.type === 'date' && column.ordered));
  if (learnable.length === 0 && task !== 'time-series') throw nothingToLearnFrom(file, target, columns);
  if (ignore.length > 0) problem.ignore = ignore;
  problem.metric = chooseMetric(table, target, task, problem, choices);
  const missing = chooseMissing(kept, task, problem, choices);
  const texts = textColumns(kept, task, choices);
  const prepared = choosePreparation(
    table,
    kept,
    target,
    task,
    missing,
    choices,
    problem.timeColumn,
    texts.length > 0,
  );
  const { lookBack, imageSide } = prepared;
  const text = texts.length > 0 ? planText(table, texts, prepared.featureCount) : undefined;
  const prepare = [...prepared.prepare, ...(text?.prepare ?? [])];
  const featureCount = text?.features ?? prepared.featureCount;
  if (text) choices.push(...text.choices);

  const counts = isClassification(task) ? classCounts(table, target.name) : new Map<string, number>();
  const samples = task === 'time-series' ? table.rowCount - (lookBack ?? 0) : table.rowCount;
  choices.push(chooseHoldout(samples, task, problem));
  const rows = Math.round(samples * (1 - (problem.holdout ?? 0)));
  const shape = {
    task,
    rows,
    features: featureCount,
    classes: counts.size,
    smallestClass: counts.size > 0 ? Math.min(...counts.values()) : 0,
    lookBack,
    imageSide,
  };
  const { validation, choice: validationChoice } = planValidation(shape);
  choices.push(validationChoice);
  const corpus = text?.corpus;
  const embedding = corpus
    ? planEmbedding(
        corpus.column,
        corpus.facts,
        kept.filter((column) => column.name !== corpus.column).map((column) => column.name),
        trainingRows(rows, validation.folds),
      )
    : undefined;
  const { candidates, choices: candidateChoices } = text
    ? planTextCandidates(featureCount, rows, embedding)
    : planCandidates(shape);
  choices.push(...candidateChoices);
  choices.push(improveChoice(text !== undefined));

  const name = options.name ?? basename(file).replace(/\.[^.]*$/, '');
  const config: ProjectConfig = {
    name,
    description: describe(task, target.name, kept.length, table.rowCount, counts.size),
    problem,
    ...(prepare.length > 0 ? { prepare } : {}),
    evaluate: { validation, seed: 7, candidates },
    improve: text ? planTextImprove() : planImprove(candidates),
    present: { predictions: true, report: true },
  };
  return { config, choices, columns };
}

/** The rows a fold trains on: all but one fold's share of `rows` (all of them without folds). */
function trainingRows(rows: number, folds: number | undefined): number {
  return folds && folds > 1 ? Math.round((rows * (folds - 1)) / folds) : rows;
}

/** Throws for a table nothing can be learned from: one column, or every row the same. */
function checkLearnable(table: Table): void {
  const file = table.file;
  if (table.columns.length < 2) throw singleColumnError(table);
  if (allRowsIdentical(table)) {
    throw new TopdownError(
      'TARGET_SINGLE_CLASS',
      `All ${table.rowCount} rows of ${file} are identical, so there is nothing to learn.`,
      {
        file,
        hint: 'Check that this is the right file (an export may have repeated one row); a model needs rows that differ.',
      },
    );
  }
}

/** The error for a target with no column left to learn it from (a date-ordered table may be a series). */
function nothingToLearnFrom(file: string, target: ColumnSummary, columns: ColumnSummary[]): TopdownError {
  return new TopdownError(
    'TARGET_MISSING',
    `${file} has no column left to learn "${target.name}" from: every other column is an identifier, a constant or empty.`,
    {
      file,
      column: target.name,
      hint: columns.some((column) => column.type === 'date' && column.ordered)
        ? `The rows are ordered by a date column: to forecast "${target.name}" from its own past, pass --task time-series.`
        : 'Add feature columns to the file, or choose another target with --target.',
    },
  );
}

/** A fifth of the samples held out for step 5 when there are enough of them (the most recent, for a series). */
function chooseHoldout(samples: number, task: Task, problem: ProblemConfig): PlanChoice {
  if (samples >= HOLDOUT_MIN_ROWS) {
    problem.holdout = 0.2;
    return {
      topic: 'holdout',
      choice: '20% of the rows held out for step 5',
      why: `With ${samples} samples there is enough to keep a fifth aside, unseen by steps 1–4, for an honest final score${task === 'time-series' ? ' (the most recent fifth, for a series)' : ''}.`,
    };
  } else {
    return {
      topic: 'holdout',
      choice: 'no holdout',
      why: `With ${samples} samples every row is needed for cross-validation; the fold scores are the estimate to trust (add "holdout": 0.2 to problem once you have 500 rows or more).`,
    };
  }
}

/** How step 4 tunes and combines: the logistic penalty for text, mlp-small and the forest otherwise. */
function improveChoice(text: boolean): PlanChoice {
  return text
    ? {
        topic: 'improve',
        choice: 'random search over the logistic penalty C; average of logistic and naive Bayes',
        why: 'How much to penalise large word weights is the one setting that matters most for a linear text model; the two text models err on different documents, so their average may beat both.',
      }
    : {
        topic: 'improve',
        choice: 'random search over mlp-small; average of mlp-small and the random forest',
        why: 'Tune the network that is cheap to train first, then see whether two different kinds of model do better together.',
      };
}

function singleColumnError(table: Table): TopdownError {
  const header = table.columns[0]?.name ?? '';
  const separator = [';', '\t', '|'].find((candidate) => header.includes(candidate));
  return new TopdownError(
    'CSV_MALFORMED',
    `${table.file} has a single column ("${header.slice(0, 60)}"): there is a target but nothing to predict it from.`,
    {
      file: table.file,
      column: header,
      hint: separator
        ? `The header contains "${separator === '\t' ? '\\t' : separator}": the file seems to use it instead of commas. Save it as comma-separated values.`
        : 'A project needs a target column and at least one feature column, separated by commas.',
    },
  );
}

function chooseTarget(
  columns: ColumnSummary[],
  requested: string | undefined,
  file: string,
  choices: PlanChoice[],
): ColumnSummary {
  if (requested !== undefined) {
    const column = columns.find((candidate) => candidate.name === requested);
    if (!column) {
      const closest = closestName(
        requested,
        columns.map((candidate) => candidate.name),
      );
      throw new TopdownError('TARGET_MISSING', `The target column "${requested}" is not in ${file}.`, {
        file,
        column: requested,
        suggestion: closest,
        hint: `${closest ? `Did you mean "${closest}"? ` : ''}The columns are: ${columns.map((candidate) => candidate.name).join(', ')}.`,
      });
    }
    const reason = unusableTargetReason(column);
    if (reason) {
      throw new TopdownError(
        column.constant && column.present > 0 ? 'TARGET_SINGLE_CLASS' : 'TARGET_MISSING',
        `"${requested}" cannot be the target of ${file}: ${reason}.`,
        {
          file,
          column: requested,
          hint: 'Choose the column you want to predict with --target.',
        },
      );
    }
    choices.push({ topic: 'target', choice: column.name, why: 'You chose it.' });
    return column;
  }
  const last = columns[columns.length - 1];
  for (let index = columns.length - 1; index >= 0; index--) {
    const column = columns[index];
    if (unusableTargetReason(column)) continue;
    choices.push({
      topic: 'target',
      choice: column.name,
      why:
        column === last
          ? 'It is the last column, where a target usually sits. Pass --target <column> to predict another one.'
          : `The last column, "${last.name}", cannot be a target (${unusableTargetReason(last)}); "${column.name}" is the last one that can. Pass --target <column> to choose.`,
    });
    return column;
  }
  const reasons = columns.map((column) => `"${column.name}": ${unusableTargetReason(column)}`).join('; ');
  throw new TopdownError('TARGET_MISSING', `${file} has no column that can be a target: ${reasons}.`, {
    file,
    column: last.name,
    hint: 'A target needs at least two different values; identifiers, dates and constant columns cannot be predicted.',
  });
}

/**
 * The date column that orders a series: the one asked for (USAGE when it is not a date column in order), else the
 * first date column in order.
 */
function chooseTimeColumn(
  table: Table,
  columns: ColumnSummary[],
  target: ColumnSummary,
  requested: string | undefined,
): ColumnSummary | undefined {
  if (requested === undefined) {
    return columns.find((column) => column.type === 'date' && column.ordered && column !== target);
  }
  const column = columns.find((candidate) => candidate.name === requested);
  if (column && column !== target && column.type === 'date' && column.ordered) return column;
  const dates = columns.filter(
    (candidate) => candidate.type === 'date' && candidate.ordered && candidate !== target,
  );
  throw new TopdownError(
    'USAGE',
    column
      ? `The time column "${requested}" of ${table.file} is not a date column in order${column === target ? ' (it is the target)' : ''}.`
      : `There is no column "${requested}" in ${table.file}.`,
    {
      file: table.file,
      column: requested,
      hint:
        dates.length > 0
          ? `Date columns in order: ${dates.map((candidate) => `"${candidate.name}"`).join(', ')}.`
          : 'Sort the file by a date column (YYYY-MM-DD or YYYY-MM).',
    },
  );
}

function chooseTask(
  table: Table,
  columns: ColumnSummary[],
  target: ColumnSummary,
  options: PlanOptions,
  choices: PlanChoice[],
): { task: Task; timeColumn?: ColumnSummary } {
  const requested = options.task;
  const guess = guessTask(target);
  const timeColumn = chooseTimeColumn(table, columns, target, options.timeColumn);
  const task = requested ?? guess.task;
  if (requested === 'time-series' && !timeColumn) {
    const dates = columns.filter((column) => column.type === 'date');
    throw new TopdownError(
      'COLUMN_NOT_FOUND',
      `Task time-series needs a date column that orders the rows of ${table.file}${dates.length > 0 ? `; ${dates.map((column) => `"${column.name}"`).join(', ')} ${dates.length > 1 ? 'are' : 'is'} not in order or has gaps` : ', and there is none'}.`,
      {
        file: table.file,
        hint: 'Sort the file by date (YYYY-MM-DD or YYYY-MM), or choose another task.',
      },
    );
  }
  if ((requested === 'regression' || requested === 'time-series') && target.type !== 'numeric') {
    throw new TopdownError(
      'TARGET_NOT_NUMERIC',
      `Task ${requested} predicts a number, but the target "${target.name}" holds text.`,
      {
        file: table.file,
        column: target.name,
        hint: 'Choose a numeric target, or a classification task (binary or multiclass).',
      },
    );
  }
  if (requested === 'binary' && target.distinct !== 2) {
    throw new TopdownError(
      'USAGE',
      `Task binary needs exactly two classes, but "${target.name}" has ${target.distinct}.`,
      {
        file: table.file,
        column: target.name,
        hint: target.distinct > 2 ? 'Use --task multiclass.' : 'Choose another target.',
      },
    );
  }
  choices.push({
    topic: 'task',
    choice: task,
    why: requested ? `You chose it (the guess was ${guess.task}: ${guess.why}).` : guess.why,
  });
  if (timeColumn && task !== 'time-series' && target.type === 'numeric') {
    choices.push({
      topic: 'time series?',
      choice: `not used (suggestion: --task time-series with "${timeColumn.name}")`,
      why: `"${timeColumn.name}" holds dates in order, so the rows may be a series. If you want to forecast "${target.name}" from its past, run again with --task time-series; until then the rows are treated as independent.`,
    });
  }
  const pixels = columns.filter((column) => column !== target);
  const square = imageShape(pixels.length);
  if (task !== 'image' && square && looksLikePixels(pixels)) {
    choices.push({
      topic: 'image?',
      choice: `not used (suggestion: --task image, ${square.side}×${square.side}×${square.channels})`,
      why: `The ${pixels.length} feature columns are whole numbers between 0 and 255, as many as the pixels of a square image. If each row is an image, run again with --task image to try a convolutional network.`,
    });
  }
  if (task === 'image' && !square) {
    throw new TopdownError(
      'USAGE',
      `Task image needs square pixel columns (8×8 = 64, 28×28 = 784, or 3 channels of those), but ${table.file} has ${columns.length - 1} feature columns.`,
      {
        file: table.file,
        hint: 'Use a binary or multiclass task for tabular data.',
      },
    );
  }
  return { task, timeColumn };
}

/** The free-text columns to learn from: those of a classification task (text regression is not planned yet). */
function textColumns(kept: ColumnSummary[], task: Task, choices: PlanChoice[]): ColumnSummary[] {
  const texts = kept.filter((column) => column.type === 'text');
  if (texts.length === 0 || isClassification(task)) return texts;
  choices.push({
    topic: 'columns',
    choice: `leave out the text in ${texts.map((column) => `"${column.name}"`).join(', ')}`,
    why: `Topdown plans text features for classification; for a ${task} target the text columns are left out (add a {"op": "tfidf"} and a model that reads dense features to try them).`,
  });
  return [];
}

function chooseIgnored(
  features: ColumnSummary[],
  task: Task,
  problem: ProblemConfig,
  choices: PlanChoice[],
): string[] {
  const ignore: string[] = [];
  for (const column of features) {
    let why: string | undefined;
    if (column.identifier)
      why = `an identifier: ${column.identifier}; a model would memorise it instead of learning`;
    else if (column.constant && task !== 'image')
      why = 'the same value in every row, so it tells the rows apart in no way';
    else if (column.missing >= MOSTLY_EMPTY_FRACTION * (column.present + column.missing))
      why = `${Math.round((100 * column.missing) / (column.present + column.missing))}% of its cells are empty`;
    else if (column.type === 'date' && task === 'time-series' && column.name === problem.timeColumn) {
      problem.timeColumn = column.name;
      choices.push({
        topic: 'columns',
        choice: `"${column.name}" orders the rows`,
        why: 'It is the date column of the series (problem.timeColumn): rows are sorted by it and it is not a feature.',
      });
      continue;
    } else if (column.type === 'date') continue; // The date op turns it into numbers (preparation.ts).
    if (why === undefined) continue;
    ignore.push(column.name);
    choices.push({ topic: 'columns', choice: `leave out "${column.name}"`, why: `It is ${why}.` });
  }
  return ignore;
}

function chooseMetric(
  table: Table,
  target: ColumnSummary,
  task: Task,
  problem: ProblemConfig,
  choices: PlanChoice[],
): MetricName {
  if (!isClassification(task)) {
    choices.push({
      topic: 'metric',
      choice: 'rmse',
      why: `Root mean squared error is in the units of "${target.name}", and punishes large misses.`,
    });
    return 'rmse';
  }
  const counts = classCounts(table, target.name);
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
  const smallest = Math.min(...counts.values());
  if (task === 'binary') {
    problem.positiveClass = positiveClassOf(counts);
    const share = smallest / total;
    if (share < 0.2) {
      choices.push({
        topic: 'metric',
        choice: `f1 (positive class "${problem.positiveClass}")`,
        why: `Only ${Math.round(share * 100)}% of the rows are "${problem.positiveClass}": a model that always says the other class would score ${Math.round((1 - share) * 100)}% accuracy. F1 rewards finding the rare class.`,
      });
      return 'f1';
    }
    choices.push({
      topic: 'metric',
      choice: `accuracy (positive class "${problem.positiveClass}")`,
      why: `The classes are balanced enough (the smaller is ${Math.round(share * 100)}%) for accuracy to mean something; precision, recall and F1 use "${problem.positiveClass}" as the positive class.`,
    });
    return 'accuracy';
  }
  choices.push({
    topic: 'metric',
    choice: 'accuracy',
    why: `The share of rows whose class is right, over ${counts.size} classes; the baseline shows what guessing the most frequent class scores.`,
  });
  return 'accuracy';
}

function describe(task: Task, target: string, features: number, rows: number, classes: number): string {
  const what: Record<Task, string> = {
    binary: `Binary classification of "${target}"`,
    multiclass: `Multiclass classification of "${target}" (${classes} classes)`,
    regression: `Regression: predict "${target}"`,
    'time-series': `Time-series forecasting of "${target}"`,
    image: `Image classification of "${target}" (${classes} classes)`,
  };
  return `${what[task]} from ${features} column${features === 1 ? '' : 's'} (${rows} rows), planned by topdown new --from-csv.`;
}

/** Fewest pixel columns that suggest an image (8×8, as the digits set). */
export const MIN_IMAGE_PIXELS = 64;

/**
 * Evidence that feature columns are pixels: at least {@link MIN_IMAGE_PIXELS} of them (a square count, checked by
 * the caller), every one a whole number in a pixel range (0–255). Statistical features (16 measurements that
 * happen to be a 4×4 square) are not images.
 */
function looksLikePixels(columns: ColumnSummary[]): boolean {
  return (
    columns.length >= MIN_IMAGE_PIXELS &&
    columns.every(
      (column) =>
        column.type === 'numeric' &&
        (column.integer || column.constant) &&
        !(column.min < 0) &&
        !(column.max > 255),
    )
  );
}
