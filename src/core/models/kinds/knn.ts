/** k nearest neighbours. */
import { KnnEstimator, type ResolvedKnn } from '../classic';
import { positiveInteger, stateSaving, type ModelSpec } from './spec';

/** The `knn` kind. */
export const knn: ModelSpec<'knn', ResolvedKnn> = {
  kind: 'knn',
  summary: 'k nearest neighbours.',
  parameters: { k: { type: positiveInteger, default: 5 } },
  tensorflow: false,
  create: (candidate, context) => new KnnEstimator(candidate, context),
  saving: stateSaving(KnnEstimator),
};
