/**
 * Validation folds (steps 3 and 4) and the final holdout (step 5). Every candidate of a project is scored on
 * the same folds, so the assignment is deterministic for a seed and recorded as a hash in each run.
 */
import { createHash } from 'node:crypto';
import type { ValidationConfig } from './config';
import { TopdownError } from './errors';
import { createRng, deriveSeed, shuffleInPlace } from './random';

/** One train/validation split. Indices are sample indices, ascending within each part. */
export interface Fold {
  index: number;
  train: number[];
  validation: number[];
}

/** Options for makeFolds. */
export interface FoldOptions {
  seed: number;
  /** Class index per sample; required by stratified-kfold, makes split stratified. */
  labels?: ArrayLike<number>;
  /** Names of the class indices, for error messages (index i is class i). */
  classNames?: string[];
  /** The project file, named in errors about validation settings. */
  file?: string;
}

const field = (name: string): string => `/evaluate/validation/${name}`;

function invalid(message: string, name: string, hint: string, file?: string): TopdownError {
  return new TopdownError('FOLDS_INVALID', message, { field: field(name), hint, file });
}

function checkFoldCount(folds: number, sampleCount: number, file?: string): void {
  if (!Number.isInteger(folds) || folds < 2) {
    throw invalid(
      `Validation needs at least 2 folds; got ${folds}.`,
      'folds',
      'Set "folds" to a whole number of 2 or more (10 is usual, 5 for small or slow problems).',
      file,
    );
  }
  if (folds > sampleCount) {
    throw invalid(
      `Cannot make ${folds} folds from ${sampleCount} samples.`,
      'folds',
      `Set "folds" to at most ${sampleCount}.`,
      file,
    );
  }
}

function checkFraction(value: number, name: string, low: number, high: number, file?: string): void {
  if (!Number.isFinite(value) || value <= low || value >= high) {
    throw invalid(
      `"${name}" must be between ${low} and ${high} (exclusive); got ${value}.`,
      name,
      `Use a fraction such as ${name === 'minTrainFraction' ? '0.5' : '0.2'}.`,
      file,
    );
  }
}

function range(start: number, end: number): number[] {
  const values: number[] = [];
  for (let index = start; index < end; index++) values.push(index);
  return values;
}

/** Builds folds from a fold number per sample (validation = samples of that fold, train = the rest). */
function foldsFromAssignment(assignment: Int32Array, folds: number, offset: number): Fold[] {
  const result: Fold[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const train: number[] = [];
    const validation: number[] = [];
    for (let sample = 0; sample < assignment.length; sample++) {
      (assignment[sample] === fold ? validation : train).push(sample);
    }
    result.push({ index: offset + fold, train, validation });
  }
  return result;
}

/** Deals the samples, in the given order, to folds round-robin: fold sizes differ by at most one. */
function dealInOrder(order: ArrayLike<number>, folds: number, sampleCount: number): Int32Array {
  const assignment = new Int32Array(sampleCount);
  for (let position = 0; position < order.length; position++) assignment[order[position]] = position % folds;
  return assignment;
}

/** Plain k-fold: contiguous blocks of the (optionally shuffled) order, sizes differing by at most one. */
function kfoldAssignment(sampleCount: number, folds: number, shuffle: boolean, seed: number): Int32Array {
  const order = Int32Array.from(range(0, sampleCount));
  if (shuffle) shuffleInPlace(order, createRng(seed));
  const assignment = new Int32Array(sampleCount);
  const base = Math.floor(sampleCount / folds);
  const extra = sampleCount % folds;
  let position = 0;
  for (let fold = 0; fold < folds; fold++) {
    const size = base + (fold < extra ? 1 : 0);
    for (let step = 0; step < size; step++) assignment[order[position++]] = fold;
  }
  return assignment;
}

/** Groups sample indices by class index, classes in ascending order. */
function groupByClass(labels: ArrayLike<number>, sampleCount: number): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (let sample = 0; sample < sampleCount; sample++) {
    const label = labels[sample];
    const members = groups.get(label);
    if (members) members.push(sample);
    else groups.set(label, [sample]);
  }
  return new Map([...groups.entries()].sort((left, right) => left[0] - right[0]));
}

function className(label: number, names?: string[]): string {
  return names?.[label] !== undefined ? `"${names[label]}"` : `with index ${label}`;
}

function checkLabels(
  labels: ArrayLike<number> | undefined,
  sampleCount: number,
  file?: string,
): ArrayLike<number> {
  if (!labels) {
    throw invalid(
      'Stratified folds need class labels, and this task has none.',
      'scheme',
      'Use "kfold" for regression, or "walk-forward" for time series.',
      file,
    );
  }
  if (labels.length !== sampleCount) {
    throw new TopdownError('INTERNAL', `Got ${labels.length} labels for ${sampleCount} samples.`);
  }
  return labels;
}

/** Stratified k-fold: each class is dealt round-robin across folds, so per-fold ratios differ by at most one. */
function stratifiedAssignment(
  labels: ArrayLike<number>,
  sampleCount: number,
  folds: number,
  shuffle: boolean,
  options: FoldOptions,
): Int32Array {
  const groups = groupByClass(labels, sampleCount);
  const rng = createRng(options.seed);
  const order: number[] = [];
  for (const [label, members] of groups) {
    if (members.length < folds) {
      throw new TopdownError(
        'CLASS_TOO_SMALL',
        `Class ${className(label, options.classNames)} has ${members.length} sample${members.length === 1 ? '' : 's'}, fewer than the ${folds} folds, so some folds would have none.`,
        {
          field: field('folds'),
          file: options.file,
          hint: `Use at most ${members.length} folds, or plain "kfold" instead of "stratified-kfold".`,
        },
      );
    }
    if (shuffle) shuffleInPlace(members, rng);
    // One run of all classes dealt cyclically keeps each class within one sample per fold and fold sizes too.
    order.push(...members);
  }
  return dealInOrder(order, folds, sampleCount);
}

/**
 * Per-class counts that sum to `total`, proportional to the class sizes (largest remainder; ties go to the
 * smaller class index so the result is deterministic).
 */
function allocate(sizes: number[], total: number): number[] {
  const sum = sizes.reduce((left, right) => left + right, 0);
  const exact = sizes.map((size) => (size * total) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left === 0) break;
    if (counts[index] < sizes[index]) {
      counts[index]++;
      left--;
    }
  }
  return counts;
}

/** Picks `count` samples for the small part: stratified when labels are given; shuffled unless told not to. */
function pickPart(
  sampleCount: number,
  count: number,
  seed: number,
  shuffle: boolean,
  labels?: ArrayLike<number>,
): { rest: number[]; part: number[] } {
  const rng = createRng(seed);
  const chosen = new Uint8Array(sampleCount);
  const groups = labels ? [...groupByClass(labels, sampleCount).values()] : [range(0, sampleCount)];
  const counts = allocate(
    groups.map((members) => members.length),
    count,
  );
  groups.forEach((members, group) => {
    if (shuffle) shuffleInPlace(members, rng);
    // Unshuffled, the part is the tail of each group (the latest samples).
    const picked = shuffle ? members.slice(0, counts[group]) : members.slice(members.length - counts[group]);
    for (const sample of picked) chosen[sample] = 1;
  });
  const rest: number[] = [];
  const part: number[] = [];
  for (let sample = 0; sample < sampleCount; sample++) (chosen[sample] ? part : rest).push(sample);
  return { rest, part };
}

/** Walk-forward: an expanding training window followed by consecutive validation blocks; never shuffled. */
function walkForward(validation: ValidationConfig, sampleCount: number, file?: string): Fold[] {
  const folds = validation.folds ?? 5;
  const minTrainFraction = validation.minTrainFraction ?? 0.5;
  checkFraction(minTrainFraction, 'minTrainFraction', 0, 1, file);
  if (!Number.isInteger(folds) || folds < 1) {
    throw invalid(
      `Walk-forward needs at least 1 step; got ${folds}.`,
      'folds',
      'Set "folds" to a whole number such as 5.',
      file,
    );
  }
  const initial = Math.max(1, Math.floor(sampleCount * minTrainFraction));
  const tail = sampleCount - initial;
  const sizes: number[] = [];
  if (validation.testFraction !== undefined) {
    checkFraction(validation.testFraction, 'testFraction', 0, 1, file);
    const step = Math.max(1, Math.round(sampleCount * validation.testFraction));
    if (initial + folds * step > sampleCount) {
      throw invalid(
        `Walk-forward with ${folds} steps of ${step} samples after a first window of ${initial} needs ${initial + folds * step} samples; there are ${sampleCount}.`,
        'testFraction',
        'Lower "testFraction", "folds" or "minTrainFraction".',
        file,
      );
    }
    for (let fold = 0; fold < folds; fold++) sizes.push(step);
  } else {
    if (tail < folds) {
      throw invalid(
        `Walk-forward cannot split the ${tail} samples after the first training window into ${folds} steps.`,
        'folds',
        `Set "folds" to at most ${Math.max(1, tail)}, or lower "minTrainFraction".`,
        file,
      );
    }
    // Larger blocks go last, so the first step trains on as much as the fraction promises.
    const base = Math.floor(tail / folds);
    const extra = tail % folds;
    for (let fold = 0; fold < folds; fold++) sizes.push(base + (fold >= folds - extra ? 1 : 0));
  }
  const result: Fold[] = [];
  let start = initial;
  sizes.forEach((size, index) => {
    result.push({ index, train: range(0, start), validation: range(start, start + size) });
    start += size;
  });
  return result;
}

/**
 * The folds of a validation scheme over `sampleCount` samples. Deterministic for a seed. Throws FOLDS_INVALID
 * for impossible settings and CLASS_TOO_SMALL when a stratified class has fewer samples than folds.
 * repeated-kfold reshuffles for each repeat; its fold indices run 0..repeats*folds-1.
 */
export function makeFolds(validation: ValidationConfig, sampleCount: number, options: FoldOptions): Fold[] {
  const { seed, file } = options;
  switch (validation.scheme) {
    case 'kfold': {
      const folds = validation.folds ?? 10;
      checkFoldCount(folds, sampleCount, file);
      return foldsFromAssignment(
        kfoldAssignment(sampleCount, folds, validation.shuffle ?? true, seed),
        folds,
        0,
      );
    }
    case 'stratified-kfold': {
      const folds = validation.folds ?? 10;
      checkFoldCount(folds, sampleCount, file);
      const labels = checkLabels(options.labels, sampleCount, file);
      const assignment = stratifiedAssignment(
        labels,
        sampleCount,
        folds,
        validation.shuffle ?? true,
        options,
      );
      return foldsFromAssignment(assignment, folds, 0);
    }
    case 'repeated-kfold': {
      const folds = validation.folds ?? 10;
      const repeats = validation.repeats ?? 3;
      checkFoldCount(folds, sampleCount, file);
      if (!Number.isInteger(repeats) || repeats < 1) {
        throw invalid(
          `"repeats" must be a whole number of 1 or more; got ${repeats}.`,
          'repeats',
          'Use 3 repeats.',
          file,
        );
      }
      const result: Fold[] = [];
      for (let repeat = 0; repeat < repeats; repeat++) {
        const assignment = kfoldAssignment(sampleCount, folds, true, deriveSeed(seed, 'repeat', repeat));
        result.push(...foldsFromAssignment(assignment, folds, repeat * folds));
      }
      return result;
    }
    case 'split': {
      const fraction = validation.testFraction ?? 0.2;
      checkFraction(fraction, 'testFraction', 0, 1, file);
      if (sampleCount < 2) {
        throw invalid(`Cannot split ${sampleCount} sample(s).`, 'scheme', 'Add more rows to the data.', file);
      }
      const count = Math.min(sampleCount - 1, Math.max(1, Math.round(sampleCount * fraction)));
      const { rest, part } = pickPart(sampleCount, count, seed, validation.shuffle ?? true, options.labels);
      return [{ index: 0, train: rest, validation: part }];
    }
    case 'walk-forward':
      return walkForward(validation, sampleCount, file);
    default: {
      const scheme: never = validation.scheme;
      throw invalid(
        `Unknown validation scheme ${JSON.stringify(scheme)}.`,
        'scheme',
        'Use kfold, stratified-kfold, repeated-kfold, split or walk-forward.',
        file,
      );
    }
  }
}

/** SHA-256 (hex) of a fold assignment: equal hashes mean candidates were scored on the same folds. */
export function foldHash(folds: Fold[]): string {
  const hash = createHash('sha256');
  for (const fold of folds) {
    hash.update(`${fold.index}|${fold.train.join(',')}|${fold.validation.join(',')}\n`);
  }
  return hash.digest('hex');
}

/** Options for splitHoldout. */
export interface HoldoutOptions {
  seed: number;
  /** Class index per sample: the holdout keeps the class ratios. */
  labels?: ArrayLike<number>;
  /** Time series: the holdout is the tail, never shuffled. */
  ordered?: boolean;
}

/**
 * Sets aside `fraction` of the samples for the final evaluation (step 5). Ordered data gives the tail;
 * otherwise a seeded random part, stratified when labels are given. Indices ascending.
 */
export function splitHoldout(
  sampleCount: number,
  fraction: number,
  options: HoldoutOptions,
): { rest: number[]; holdout: number[] } {
  if (!Number.isFinite(fraction) || fraction <= 0 || fraction >= 0.5) {
    throw new TopdownError(
      'FOLDS_INVALID',
      `"holdout" must be more than 0 and less than 0.5; got ${fraction}.`,
      {
        field: '/problem/holdout',
        hint: 'Use a fraction such as 0.2, or remove "holdout".',
      },
    );
  }
  const count = Math.max(1, Math.round(sampleCount * fraction));
  if (count >= sampleCount) {
    throw new TopdownError('FOLDS_INVALID', `Cannot hold out ${count} of ${sampleCount} samples.`, {
      field: '/problem/holdout',
      hint: 'Add more rows, or remove "holdout".',
    });
  }
  if (options.ordered) {
    return { rest: range(0, sampleCount - count), holdout: range(sampleCount - count, sampleCount) };
  }
  const { rest, part } = pickPart(sampleCount, count, options.seed, true, options.labels);
  return { rest, holdout: part };
}
