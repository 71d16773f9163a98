/**
 * The learning-curve advisor: from a run's per-epoch logs (Keras-shaped: `loss`, `val_loss`, `acc`, ...), a
 * rule-based diagnosis with the next experiment to try, in one or two sentences. The rules run in order and
 * the first that matches wins: too short (no trend yet), diverging, overfitting, still improving,
 * underfitting, plateau, and otherwise a good fit.
 */
import type { MetricName, Task } from '../config';
import type { EpochLogs } from '../models/types';
import { mean } from '../stats';

/** What the curves say. */
export type Diagnosis =
  'underfitting' | 'overfitting' | 'diverging' | 'still-improving' | 'plateau' | 'good-fit' | 'too-short';

/** The advisor's output, stored with the run. */
export interface Advice {
  diagnosis: Diagnosis;
  /** What the curves show, with numbers. */
  message: string;
  /** The next experiment, naming the setting and a value ("raise epochs to 300"). */
  nextStep: string;
  /** The numbers the rule used (epochs are 1-based, as a chart shows them). */
  evidence: Record<string, number>;
}

/** What the advisor knows besides the curves. Settings make the next step concrete. */
export interface AdviceOptions {
  task: Task;
  metric: MetricName;
  higherIsBetter: boolean;
  /** The run's learning rate, to suggest a concrete new one. */
  learningRate?: number;
  /** The run's dropout, to suggest more. */
  dropout?: number;
  /** Loss of a constant prediction (entropy of the class priors; variance of a standardized target): a train loss near it means the model learned little. */
  baselineLoss?: number;
  /** Training accuracy of the majority-class baseline (classification): a train accuracy near it means the model learned little. */
  baselineAccuracy?: number;
}

/** Fewer epochs than this show no trend. */
export const minimumEpochs = 5;

function series(history: readonly EpochLogs[], ...keys: string[]): number[] | undefined {
  for (const key of keys) {
    if (history.every((logs) => typeof logs[key] === 'number')) return history.map((logs) => logs[key]);
  }
  return undefined;
}

/** One significant digit, printed plainly: 0.000333 → "0.0003". */
function roughly(value: number): string {
  return String(Number(value.toPrecision(1)));
}

function fixed(value: number): number {
  return Number(value.toPrecision(4));
}

function argMin(values: readonly number[]): number {
  let best = 0;
  for (let index = 1; index < values.length; index++) if (values[index] < values[best]) best = index;
  return best;
}

function lowerLearningRate(options: AdviceOptions, factor: number): string {
  return options.learningRate !== undefined
    ? `lower learningRate to ${roughly(options.learningRate / factor)}`
    : `lower learningRate ${factor}-fold (e.g. from 0.001 to ${roughly(0.001 / factor)})`;
}

/**
 * Diagnoses a run from its per-epoch logs (`loss`; `val_loss` and `acc`/`accuracy` when present). Thresholds:
 * fewer than 5 epochs is too short; a NaN/infinite loss, a loss that ends above where it started, or a loss
 * spike over 10× the first is diverging; a validation loss whose last tenth is over 10% above its minimum
 * (reached before that tenth) while the training loss kept falling is overfitting; a monitored loss
 * (validation if present, else training) whose last tenth is over 2% below the tenth before it is still
 * improving; a train loss within 80% of `baselineLoss`, a train accuracy within 0.02 of
 * `baselineAccuracy`, or a train loss that fell less than 5% overall is underfitting; a curve that reached
 * its final level in the first half of the run is a plateau; anything else is a good fit.
 */
export function adviseFromCurves(
  history: ReadonlyArray<Record<string, number>>,
  options: AdviceOptions,
): Advice {
  const epochs = history.length;
  const loss = series(history, 'loss');
  if (loss === undefined || epochs === 0) {
    return {
      diagnosis: 'too-short',
      message: 'This run recorded no training loss per epoch, so there is no learning curve to read.',
      nextStep: 'Train a neural candidate for at least 20 epochs to get a curve.',
      evidence: { epochs },
    };
  }
  const curves: Curves = {
    epochs,
    loss,
    validation: series(history, 'val_loss'),
    accuracy: series(history, 'acc', 'accuracy'),
    options,
  };
  const early = nonFinite(curves) ?? rising(curves) ?? tooShort(curves);
  if (early) return early;
  // Each reading adds its evidence, in this order, whether or not it is the diagnosis.
  const reading = readCurves(curves);
  return (
    overfitting(reading) ??
    stillImproving(reading) ??
    underfitting(reading) ??
    plateau(reading) ??
    goodFit(reading)
  );
}

/** A run's curves per epoch: training loss, and validation loss and training accuracy when recorded. */
interface Curves {
  epochs: number;
  loss: number[];
  validation?: number[];
  accuracy?: number[];
  options: AdviceOptions;
}

/** The curves with their last tenth (`window` epochs) summarized, and the evidence gathered so far. */
interface Reading extends Curves {
  window: number;
  /** Mean over the last `window` epochs. */
  recent: (values: number[]) => number;
  /** Mean over the `window` epochs before those. */
  before: (values: number[]) => number;
  /** Validation loss if recorded, else training loss. */
  monitored: number[];
  monitoredName: string;
  evidence: Record<string, number>;
}

/** A loss that became NaN or infinite: diverging. */
function nonFinite({ epochs, loss, validation, options }: Curves): Advice | undefined {
  const firstBad = loss.findIndex((value) => !Number.isFinite(value));
  const validationBad = validation?.findIndex((value) => !Number.isFinite(value)) ?? -1;
  if (firstBad < 0 && validationBad < 0) return undefined;
  const epoch = (firstBad >= 0 ? firstBad : validationBad) + 1;
  return {
    diagnosis: 'diverging',
    message: `The ${firstBad >= 0 ? 'training' : 'validation'} loss became ${firstBad >= 0 ? loss[firstBad] : validation?.[validationBad]} at epoch ${epoch}: the updates are too large and the weights blew up.`,
    nextStep: `${capitalize(lowerLearningRate(options, 10))}, and check that the inputs are standardized.`,
    evidence: { epochs, nonFiniteEpoch: epoch },
  };
}

/** A training loss that rose overall or spiked: diverging. */
function rising({ epochs, loss, options }: Curves): Advice | undefined {
  const firstLoss = loss[0];
  const lastLoss = loss[epochs - 1];
  const maxLoss = Math.max(...loss);
  if (!(epochs >= 2 && (lastLoss > firstLoss * 1.1 || maxLoss > firstLoss * 10))) return undefined;
  return {
    diagnosis: 'diverging',
    message: `The training loss rose from ${fixed(firstLoss)} to ${fixed(lastLoss)} (peak ${fixed(maxLoss)}) instead of falling: the steps overshoot.`,
    nextStep: `${capitalize(lowerLearningRate(options, 10))}.`,
    evidence: { epochs, firstLoss: fixed(firstLoss), lastLoss: fixed(lastLoss), maxLoss: fixed(maxLoss) },
  };
}

/** Too few epochs to see a trend. */
function tooShort({ epochs }: Curves): Advice | undefined {
  if (epochs >= minimumEpochs) return undefined;
  return {
    diagnosis: 'too-short',
    message: `Only ${epochs} epoch${epochs === 1 ? '' : 's'}: too few to see a trend.`,
    nextStep: 'Raise epochs to at least 20.',
    evidence: { epochs },
  };
}

/** Summarizes the last tenth of the curves and starts the evidence. */
function readCurves(curves: Curves): Reading {
  const { epochs, loss, validation, accuracy } = curves;
  const window = Math.max(2, Math.ceil(epochs / 10));
  const recent = (values: number[]): number => mean(values.slice(-window));
  const before = (values: number[]): number => mean(values.slice(-2 * window, -window));
  const evidence: Record<string, number> = { epochs, finalLoss: fixed(recent(loss)) };
  if (accuracy !== undefined) evidence.finalAccuracy = fixed(recent(accuracy));
  const monitored = validation ?? loss;
  const monitoredName = validation !== undefined ? 'validation loss' : 'training loss';
  return { ...curves, window, recent, before, monitored, monitoredName, evidence };
}

/** A validation loss that rose from its minimum while the training loss kept falling. */
function overfitting(reading: Reading): Advice | undefined {
  const { validation, loss, epochs, window, recent, evidence, options } = reading;
  if (validation === undefined) return undefined;
  const bestIndex = argMin(validation);
  const minimum = validation[bestIndex];
  const finalValidation = recent(validation);
  Object.assign(evidence, {
    finalValLoss: fixed(finalValidation),
    minValLoss: fixed(minimum),
    bestEpoch: bestIndex + 1,
  });
  const rise = (finalValidation - minimum) / Math.abs(minimum);
  const trainKeptFalling = recent(loss) < loss[bestIndex] * 0.97;
  // Negated as a whole, so a NaN (a zero minimum) reads as not overfitting.
  if (!(bestIndex < epochs - window && rise > 0.1 && trainKeptFalling)) return undefined;
  evidence.valLossRise = fixed(rise);
  const dropout =
    options.dropout !== undefined && options.dropout > 0 ? Math.min(0.5, options.dropout + 0.2) : 0.2;
  const patience = Math.max(5, Math.round(epochs / 10));
  return {
    diagnosis: 'overfitting',
    message: `The validation loss was lowest at epoch ${bestIndex + 1} (${fixed(minimum)}) and has since risen ${Math.round(rise * 100)}% while the training loss kept falling: the model is memorizing the training rows.`,
    nextStep: `Add dropout ${roughly(dropout)} (or l2 0.001), or stop earlier at epoch ${bestIndex + 1} (earlyStopping with patience ${patience}).`,
    evidence,
  };
}

/** The monitored loss still falling over the last tenth. */
function stillImproving(reading: Reading): Advice | undefined {
  const { monitored, monitoredName, recent, before, evidence, window, epochs } = reading;
  const recentDrop = (before(monitored) - recent(monitored)) / Math.abs(before(monitored));
  evidence.recentDrop = fixed(recentDrop);
  if (!(recentDrop > 0.02)) return undefined;
  return {
    diagnosis: 'still-improving',
    message: `The ${monitoredName} still fell ${Math.round(recentDrop * 100)}% over the last ${window} epochs: training stopped before the model finished learning.`,
    nextStep: `Raise epochs to ${epochs * 2}.`,
    evidence,
  };
}

/** Not fitting even the training data: near a constant prediction, or barely falling. */
function underfitting(reading: Reading): Advice | undefined {
  const { loss, accuracy, recent, evidence, options } = reading;
  const overallDrop = (loss[0] - recent(loss)) / Math.abs(loss[0]);
  evidence.overallDrop = fixed(overallDrop);
  const nearBaselineLoss = options.baselineLoss !== undefined && recent(loss) > 0.8 * options.baselineLoss;
  const nearBaselineAccuracy =
    accuracy !== undefined &&
    options.baselineAccuracy !== undefined &&
    recent(accuracy) < options.baselineAccuracy + 0.02;
  if (!(nearBaselineLoss || nearBaselineAccuracy || overallDrop < 0.05)) return undefined;
  if (options.baselineLoss !== undefined) evidence.baselineLoss = fixed(options.baselineLoss);
  if (options.baselineAccuracy !== undefined) evidence.baselineAccuracy = fixed(options.baselineAccuracy);
  const reason = nearBaselineAccuracy
    ? `the training accuracy (${fixed(recent(accuracy ?? []))}) is no better than always predicting the most common class (${fixed(options.baselineAccuracy ?? 0)})`
    : nearBaselineLoss
      ? `the training loss (${fixed(recent(loss))}) is close to that of a constant prediction (${fixed(options.baselineLoss ?? 0)})`
      : `the training loss fell only ${Math.round(overallDrop * 100)}% and is flat`;
  const learningRate =
    options.learningRate !== undefined
      ? `raise learningRate to ${roughly(options.learningRate * 3)}`
      : 'raise learningRate 3-fold';
  return {
    diagnosis: 'underfitting',
    message: `The model is not fitting even the training data: ${reason}.`,
    nextStep: `Use a bigger model (double the units or add a layer), or ${learningRate}.`,
    evidence,
  };
}

/** The monitored curve reached its final level in the first half of the run. */
function plateau(reading: Reading): Advice | undefined {
  const { monitored, monitoredName, recent, evidence, epochs, options } = reading;
  // The first epoch at which the monitored curve came within 5% of its total fall from its final level.
  const finalLevel = recent(monitored);
  const fall = monitored[0] - finalLevel;
  const settled = monitored.findIndex((value) => value - finalLevel <= 0.05 * fall);
  evidence.settledEpoch = settled + 1;
  if (!(settled + 1 <= epochs / 2)) return undefined;
  return {
    diagnosis: 'plateau',
    message: `The ${monitoredName} has been flat since epoch ${settled + 1} of ${epochs}: more epochs will not help.`,
    nextStep: `Try ${lowerLearningRate(options, 3)} to settle lower, or cut epochs to ${Math.max(minimumEpochs, Math.ceil((settled + 1) * 1.2))} to save time.`,
    evidence,
  };
}

/** Anything else: fell steadily and levelled off near the end. */
function goodFit(reading: Reading): Advice {
  const { validation, loss, recent, evidence, monitoredName } = reading;
  const gap = validation !== undefined ? recent(validation) / recent(loss) - 1 : Number.NaN;
  if (!Number.isNaN(gap)) evidence.gap = fixed(gap);
  return {
    diagnosis: 'good-fit',
    message: `The ${monitoredName} fell steadily and levelled off near the end${Number.isNaN(gap) ? '' : `, ${Math.round(gap * 100)}% above the training loss`}.`,
    nextStep: 'Keep these settings; to gain more, try a bigger model with dropout 0.2, or an ensemble.',
    evidence,
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
