/** Logistic regression on sparse or dense features (L2, L-BFGS), without TensorFlow.js. */
import { LogisticEstimator, type ResolvedLogistic } from '../sparse-linear';
import { stateSaving, type ModelSpec } from './spec';

/** The `logistic` kind. */
export const logistic: ModelSpec<'logistic', ResolvedLogistic> = {
  kind: 'logistic',
  summary: 'Logistic regression (L2, L-BFGS) on sparse text features or dense columns, as scikit-learn.',
  parameters: {
    C: { type: { kind: 'number', min: 0, minExclusive: true }, default: 1 },
    maxIterations: { type: { kind: 'integer', min: 1, max: 10_000 }, default: 100, tunable: false },
  },
  tasks: {
    allowed: ['binary', 'multiclass'],
    needs: 'a classification task',
    advice: 'use linear for regression',
  },
  sparseInput: true,
  tensorflow: false,
  create: (candidate, context) => new LogisticEstimator(candidate, context),
  saving: stateSaving(LogisticEstimator),
};
