/**
 * Step 5 for a text classifier: the holdout documents the final model got wrong, with a readable snippet each,
 * and for a linear model the words that push towards each class (its largest coefficients over the text
 * column's vocabulary features). The Final results panel and the report show both beside the confusion matrix.
 */
import type { ClassWord, MisclassifiedDocument, TextResults } from '../../protocol/profile';
import { argmax, type ClassifiedHoldout } from '../data/images/confused';
import type { SavedEstimator } from '../models/persist';
import type { FoldPredictions } from '../../protocol/out-of-fold';

/** Misclassified documents kept, the most confident first. */
export const MISCLASSIFIED_SHOWN = 20;
/** Characters of a snippet, before the "…". */
export const SNIPPET_CHARACTERS = 240;
/** Words listed per class. */
export const CLASS_WORDS = 15;

/**
 * A readable start of a document: control characters dropped, runs of whitespace made one space, cut at the last
 * word boundary before `length` characters with "…" (a single longer word is cut inside).
 */
export function snippet(text: string, length = SNIPPET_CHARACTERS): string {
  const clean = text
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length <= length) return clean;
  const cut = clean.slice(0, length + 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > 0 ? cut.slice(0, space) : clean.slice(0, length)).trimEnd()}…`;
}

/** A misclassified sample: its table row, true and predicted class, and the predicted class's probability. */
export interface Mistake {
  row: number;
  truth: number;
  predicted: number;
  probability: number;
}

/** The mistakes of a holdout's full probabilities, in holdout order. */
function holdoutMistakes(holdout: ClassifiedHoldout, width: number): Mistake[] {
  const mistakes: Mistake[] = [];
  for (let sample = 0; sample < holdout.truth.length; sample++) {
    const predicted = argmax(holdout.predictions, sample * width, width);
    if (predicted === holdout.truth[sample]) continue;
    const probability = holdout.predictions[sample * width + predicted];
    mistakes.push({ row: holdout.rows[sample], truth: holdout.truth[sample], predicted, probability });
  }
  return mistakes;
}

/** The mistakes of a run's out-of-fold predictions, in fold then sample order. */
export function outOfFoldMistakes(folds: readonly FoldPredictions[]): Mistake[] {
  const mistakes: Mistake[] = [];
  for (const fold of folds) {
    fold.rows.forEach((row, sample) => {
      const predicted = fold.predicted[sample];
      if (predicted === fold.truth[sample]) return;
      mistakes.push({
        row,
        truth: fold.truth[sample],
        predicted,
        probability: fold.probability?.[sample] ?? NaN,
      });
    });
  }
  return mistakes;
}

/**
 * The documents of `mistakes`, the most confident first (ties in the order given), at most `shown`.
 * `documents[row]` is the text of table row `row` (null when missing).
 */
export function rankedDocuments(
  documents: ReadonlyArray<string | null>,
  mistakes: readonly Mistake[],
  classes: readonly string[],
  shown = MISCLASSIFIED_SHOWN,
): { misclassified: number; documents: MisclassifiedDocument[] } {
  const ranked = mistakes
    .map((mistake, order) => ({ mistake, order }))
    .sort((a, b) => b.mistake.probability - a.mistake.probability || a.order - b.order);
  return {
    misclassified: mistakes.length,
    documents: ranked.slice(0, shown).map(({ mistake }) => ({
      row: mistake.row + 1,
      actual: classes[mistake.truth],
      predicted: classes[mistake.predicted],
      probability: mistake.probability,
      snippet: snippet(documents[mistake.row] ?? ''),
    })),
  };
}

/**
 * The misclassified holdout documents, the most confident mistakes first (ties in holdout order), at most `shown`.
 * `documents[row]` is the text of table row `row` (null when missing).
 */
export function misclassifiedDocuments(
  documents: ReadonlyArray<string | null>,
  holdout: ClassifiedHoldout,
  classes: readonly string[],
  shown = MISCLASSIFIED_SHOWN,
): { misclassified: number; documents: MisclassifiedDocument[] } {
  return rankedDocuments(documents, holdoutMistakes(holdout, classes.length), classes, shown);
}

/** A fitted linear model's weights: `outputs` rows of `featureNames.length` (one row for two classes). */
export interface LinearWeights {
  weights: ArrayLike<number>;
  outputs: number;
  featureNames: readonly string[];
}

/**
 * Per class, the `count` words of `column` (features named `<column>:<word>`) with the largest weights towards
 * it: for two classes the single weight row is the positive (second) class's log-odds, so its negative weights
 * push towards the first class; for more classes each class has its row. Words with weight ≤ 0 are left out.
 */
export function classWords(
  model: LinearWeights,
  column: string,
  classes: readonly string[],
  count = CLASS_WORDS,
): Array<{ value: string; words: ClassWord[] }> {
  const prefix = `${column}:`;
  const features = model.featureNames.length;
  const words: Array<{ feature: number; word: string }> = [];
  model.featureNames.forEach((name, feature) => {
    if (name.startsWith(prefix)) words.push({ feature, word: name.slice(prefix.length) });
  });
  const towards = (row: number, sign: number): ClassWord[] =>
    words
      .map(({ feature, word }) => ({ word, weight: sign * model.weights[row * features + feature] }))
      .filter((entry) => entry.weight > 0)
      .sort((a, b) => b.weight - a.weight || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
      .slice(0, count);
  return classes.map((value, classIndex) => ({
    value,
    words: model.outputs === 1 ? towards(0, classIndex === 1 ? 1 : -1) : towards(classIndex, 1),
  }));
}

/** The text results of a classifier's holdout over one text column; `model` when the final model is linear. */
export function textResults(
  column: { name: string; values: ReadonlyArray<string | null> },
  holdout: ClassifiedHoldout,
  classes: readonly string[],
  model?: LinearWeights,
): TextResults {
  const results: TextResults = {
    column: column.name,
    holdout: holdout.truth.length,
    ...misclassifiedDocuments(column.values, holdout, classes),
  };
  if (model) results.classWords = classWords(model, column.name, classes);
  return results;
}

/**
 * The text results of a run's out-of-fold predictions over one text column: every validated document the
 * candidate got wrong in its folds (no class words: step 3 keeps no fitted model).
 */
export function outOfFoldTextResults(
  column: { name: string; values: ReadonlyArray<string | null> },
  folds: readonly FoldPredictions[],
  classes: readonly string[],
): TextResults {
  return {
    column: column.name,
    scope: 'cross-validation',
    holdout: folds.reduce((total, fold) => total + fold.rows.length, 0),
    ...rankedDocuments(column.values, outOfFoldMistakes(folds), classes),
  };
}

/**
 * The weights of a saved logistic model (its estimator.json), or undefined for any other kind or a state that
 * does not match its features (then the results carry no class words rather than wrong ones).
 */
export function savedLinearWeights(
  saved: Pick<SavedEstimator, 'kind' | 'state'>,
  featureNames: readonly string[],
  classes: readonly string[],
): LinearWeights | undefined {
  if (saved.kind !== 'logistic' || !saved.state) return undefined;
  const { parameters, features } = saved.state;
  const outputs = classes.length === 2 ? 1 : classes.length;
  if (!Array.isArray(parameters) || features !== featureNames.length) return undefined;
  if (parameters.length !== outputs * (featureNames.length + 1)) return undefined;
  return { weights: parameters as number[], outputs, featureNames };
}
