/** Multinomial naive Bayes on token counts or TF-IDF (sparse), without TensorFlow.js. */
import { MultinomialNbEstimator, type ResolvedMultinomialNb } from '../sparse-linear';
import { stateSaving, type ModelSpec } from './spec';

/** The `multinomial-nb` kind. */
export const multinomialNb: ModelSpec<'multinomial-nb', ResolvedMultinomialNb> = {
  kind: 'multinomial-nb',
  summary: 'Multinomial naive Bayes on token counts (text), as scikit-learn MultinomialNB.',
  parameters: {
    alpha: { type: { kind: 'number', min: 0, minExclusive: true }, default: 1 },
  },
  tasks: {
    allowed: ['binary', 'multiclass'],
    needs: 'a classification task',
    advice: 'use knn, decision-tree, random-forest or a network for regression',
  },
  sparseInput: true,
  tensorflow: false,
  create: (candidate, context) => new MultinomialNbEstimator(candidate, context),
  saving: stateSaving(MultinomialNbEstimator),
};
