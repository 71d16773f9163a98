/**
 * Sizing step 3 and step 4 to the data: the validation scheme, the candidates (a baseline, a linear model, a
 * small and a larger network, a CNN or LSTM where it fits, classic algorithms where they scale) and the
 * improve section. Every choice comes with its reason, for the project's README.
 */
import type { CandidateConfig, Task, TrainingParams, ValidationConfig } from '../config';
import { isClassification } from '../config';
import { suitsTask } from '../models/kinds';

/** One explained decision of the planner. */
export interface PlanChoice {
  /** What was decided, e.g. `target`, `validation`, `candidates`. */
  topic: string;
  /** The decision, short. */
  choice: string;
  /** Why, in a sentence a newcomer can follow. */
  why: string;
}

/** Samples at or above which a fifth of the data (holdout 0.2) is kept for step 5. */
export const HOLDOUT_MIN_ROWS = 500;
/** Rows at or above which 5 folds replace 10 (each fold is big enough, and training costs less). */
export const FEWER_FOLDS_MIN_ROWS = 10_000;
/** k-NN keeps every training row and compares each prediction with all of them: only below this many rows. */
export const KNN_MAX_ROWS = 20_000;

/** What the candidate sizing looks at. */
export interface DataShape {
  task: Task;
  /** Samples the validation scheme splits (after the holdout). */
  rows: number;
  /** Input features after encoding (one-hot columns counted). */
  features: number;
  /** Classes of a classification target. */
  classes: number;
  /** Smallest class count (classification). */
  smallestClass: number;
  /** Time series: rows of history per window. */
  lookBack?: number;
  /** Image: pixels per side. */
  imageSide?: number;
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, Math.round(value)));
}

/** The validation scheme for the data, with its reason. */
export function planValidation(shape: DataShape): { validation: ValidationConfig; choice: PlanChoice } {
  if (shape.task === 'time-series') {
    return {
      validation: { scheme: 'walk-forward', folds: 5 },
      choice: {
        topic: 'validation',
        choice: 'walk-forward, 5 steps',
        why: 'A forecast must be scored on months (or days) that come after everything it trained on; k-fold would let models peek at the future.',
      },
    };
  }
  const big = shape.rows >= FEWER_FOLDS_MIN_ROWS;
  let folds = big ? 5 : 10;
  const reasons = [
    big
      ? `${shape.rows} rows make each of 5 folds large enough, and 5 folds train half as often as 10`
      : `with ${shape.rows} rows, 10 folds give the steadiest estimate`,
  ];
  if (isClassification(shape.task) && shape.smallestClass >= 2) {
    if (shape.smallestClass < folds) {
      folds = shape.smallestClass;
      reasons.push(`the smallest class has only ${shape.smallestClass} rows, so no more folds than that`);
    }
    return {
      validation: { scheme: 'stratified-kfold', folds },
      choice: {
        topic: 'validation',
        choice: `stratified ${folds}-fold cross-validation`,
        why: `Every candidate is scored on the same ${folds} folds, each keeping the class ratios; ${reasons.join('; ')}.`,
      },
    };
  }
  if (shape.rows < folds) folds = Math.max(2, shape.rows);
  if (isClassification(shape.task)) reasons.push('a class with a single row cannot be stratified');
  return {
    validation: { scheme: 'kfold', folds },
    choice: {
      topic: 'validation',
      choice: `${folds}-fold cross-validation`,
      why: `Every candidate is scored on the same ${folds} folds; ${reasons.join('; ')}.`,
    },
  };
}

/**
 * Epochs, batch size and early stopping for networks, by the number of training rows. Above 1,000 rows the epochs
 * are a ceiling that early stopping can actually reach: training stops once the loss on a held-out tenth has not
 * improved for `patience` epochs, and the best weights are kept. The ceiling falls as rows grow (each epoch costs
 * more and learns more), so a planned evaluate stays within minutes.
 */
export function trainingFor(rows: number): TrainingParams {
  if (rows <= 1_000) return { epochs: 100, batchSize: 16 };
  if (rows <= 10_000) return { epochs: 100, batchSize: 32, earlyStopping: { patience: 10 } };
  if (rows <= 30_000) return { epochs: 60, batchSize: 64, earlyStopping: { patience: 6 } };
  if (rows <= 100_000) return { epochs: 30, batchSize: 128, earlyStopping: { patience: 4 } };
  return { epochs: 15, batchSize: 256, earlyStopping: { patience: 3 } };
}

/** Rows up to which the forest grows {@link FOREST_TREES} trees; above, fewer (each tree costs more). */
export const FOREST_FULL_ROWS = 30_000;
/** Trees of a forest where they are affordable: scikit-learn's default. */
export const FOREST_TREES = 100;

/** Trees of the random forest, by the number of rows (scikit-learn's 100 while affordable, then fewer). */
export function forestTrees(rows: number): number {
  if (rows <= FOREST_FULL_ROWS) return FOREST_TREES;
  return rows <= 100_000 ? 50 : 20;
}

/**
 * Hidden widths from the inputs and the outputs: at least the inputs, and at least three units per class, so a
 * 16-feature table with 26 classes gets a layer of 78, not 16.
 */
export function hiddenWidths(inputs: number, classes: number): { small: number; large: number[] } {
  const small = clamp(Math.max(inputs, 3 * classes), 8, 128);
  return { small, large: [clamp(small * 2, 16, 256), small] };
}

/** Rows outside the holdout from which a table with many classes gets {@link WIDE_UNITS} units in mlp-large. */
export const WIDE_MIN_ROWS = 10_000;
/** Classes from which a table with many rows gets the wide mlp-large. */
export const WIDE_MIN_CLASSES = 10;
/** Units of the one hidden layer of the wide mlp-large. */
export const WIDE_UNITS = 256;

/** The larger network: two layers with dropout, or one wide layer without it for many rows and many classes. */
export interface LargeNetwork {
  layers: number[];
  dropout?: number;
  /** Why the wide layer, when it is planned. */
  why?: string;
}

/**
 * mlp-large for the data. Many classes (at least {@link WIDE_MIN_CLASSES}) draw many boundaries, and many rows (at
 * least {@link WIDE_MIN_ROWS}) are enough to learn them: there one wide layer of {@link WIDE_UNITS} units without
 * dropout learns more than two narrower layers with it, and costs less per epoch (bench/README.md, the planner: 0.885
 * against 0.858 on a 20,000-row, 26-class table; 0.958 against 0.932 with 10 classes). Elsewhere two layers, the
 * second half the first, with dropout.
 */
export function largeNetwork(rows: number, classes: number, large: number[]): LargeNetwork {
  if (rows < WIDE_MIN_ROWS || classes < WIDE_MIN_CLASSES) return { layers: large, dropout: 0.2 };
  return {
    layers: [WIDE_UNITS],
    why: `mlp-large is one wide layer of ${WIDE_UNITS} units without dropout: ${classes} classes need many boundaries between them, and ${rows} rows are enough to learn them without dropout, which would only slow the learning down.`,
  };
}

/** The baseline, the linear model and the two networks, and why. */
function planNetworks(
  shape: DataShape,
  training: TrainingParams,
): { candidates: CandidateConfig[]; choice: PlanChoice } {
  const inputs = shape.task === 'time-series' ? (shape.lookBack ?? 1) : shape.features;
  const classes = isClassification(shape.task) && shape.classes > 2 ? shape.classes : 0;
  const { small, large } = hiddenWidths(inputs, classes);
  const network = largeNetwork(shape.rows, classes, large);
  const candidates: CandidateConfig[] = [
    { name: 'baseline', model: 'baseline' },
    { name: 'linear', model: 'linear', ...training, learningRate: 0.01 },
    { name: 'mlp-small', model: 'mlp', layers: [small], ...training, learningRate: 0.003 },
    {
      name: 'mlp-large',
      model: 'mlp',
      layers: network.layers,
      ...(network.dropout === undefined ? {} : { dropout: network.dropout }),
      ...training,
      learningRate: 0.001,
    },
  ];
  const baselineWhy =
    shape.task === 'time-series'
      ? 'the persistence forecast: next value = last value'
      : isClassification(shape.task)
        ? 'always the most frequent class'
        : 'always the mean of the training target';
  const choice: PlanChoice = {
    topic: 'candidates',
    choice: `baseline, linear, mlp-small [${small}], mlp-large [${network.layers.join(', ')}]`,
    why: `The baseline (${baselineWhy}) is the number to beat; a linear model shows how far a straight line goes; the network widths follow the ${inputs} inputs${classes > 0 ? ` and the ${classes} classes (at least three units per class)` : ''}${network.why ? `; ${network.why}` : '.'} ${training.earlyStopping ? `Up to ${training.epochs} epochs with batches of ${training.batchSize}, stopping early once the loss on a held-out tenth of the training part has not improved for ${training.earlyStopping.patience} epochs (the best weights are kept),` : `${training.epochs} epochs with batches of ${training.batchSize}`} suit ${shape.rows} rows.`,
  };
  return { candidates, choice };
}

/** The candidates for the data, and why each group is there. */
export function planCandidates(shape: DataShape): { candidates: CandidateConfig[]; choices: PlanChoice[] } {
  const training = trainingFor(shape.rows);
  const networks = planNetworks(shape, training);
  const candidates = networks.candidates;
  const choices: PlanChoice[] = [networks.choice];
  if (suitsTask('cnn', shape.task) && shape.imageSide !== undefined) {
    candidates.push({
      name: 'cnn',
      model: 'cnn',
      filters: [16],
      kernelSize: 3,
      ...training,
      epochs: Math.min(training.epochs ?? 20, 20),
      learningRate: 0.003,
    });
    choices.push({
      topic: 'candidates',
      choice: 'cnn: 16 filters 3×3, pooling, dense output',
      why: 'Convolutions look at neighbouring pixels together, which a flat network cannot; a small CNN is the first model to try on images.',
    });
  }
  if (shape.task === 'time-series') {
    candidates.push({
      name: 'lstm',
      model: 'lstm',
      units: [shape.rows > 2_000 ? 32 : 50],
      ...training,
      learningRate: 0.003,
    });
    choices.push({
      topic: 'candidates',
      choice: 'lstm',
      why: 'An LSTM reads each window in order and keeps a memory of it; it is the recurrent model to compare with the networks on flat windows.',
    });
  }
  const classic: string[] = [];
  if (shape.task !== 'time-series' && shape.rows < KNN_MAX_ROWS) {
    candidates.push({ name: 'knn', model: 'knn', k: isClassification(shape.task) ? 5 : 7 });
    classic.push('k-NN');
  }
  const trees = forestTrees(shape.rows);
  candidates.push({ name: 'random-forest', model: 'random-forest', trees });
  classic.push(`a random forest of ${trees} trees`);
  // Naive Bayes serves image tasks too, but independent pixels make it a poor first try there.
  if (suitsTask('naive-bayes', shape.task) && shape.task !== 'image') {
    candidates.push({ name: 'naive-bayes', model: 'naive-bayes' });
    classic.push('naive Bayes');
  }
  choices.push({
    topic: 'candidates',
    choice: classic.join(', '),
    why: `Classic algorithms train in seconds and are often hard to beat on tables${shape.rows >= KNN_MAX_ROWS ? `; k-NN is left out because it compares every prediction with all ${shape.rows} rows` : ''}${shape.task === 'time-series' ? '; k-NN is left out for series' : ''}.`,
  });
  return { candidates, choices };
}

/** The improve section: tune the small network, and average it with the forest. */
export function planImprove(candidates: CandidateConfig[]): Record<string, unknown> {
  const network = candidates.find((candidate) => candidate.name === 'mlp-small');
  const width = network && network.model === 'mlp' ? network.layers[0] : 16;
  return {
    candidates: ['mlp-small'],
    search: { method: 'random', trials: 10, seed: 1 },
    space: {
      'mlp-small': {
        layers: { choice: [[Math.max(4, Math.round(width / 2))], [width], [width * 2]] },
        learningRate: { logUniform: [0.0003, 0.01] },
        dropout: { uniform: [0, 0.3] },
      },
    },
    ensembles: [{ name: 'ensemble-average', members: ['mlp-small', 'random-forest'], method: 'average' }],
  };
}
