/** Gaussian naive Bayes. */
import { NaiveBayesEstimator } from '../classic';
import { stateSaving, type ModelSpec } from './spec';

/** The `naive-bayes` kind. */
export const naiveBayes: ModelSpec<'naive-bayes'> = {
  kind: 'naive-bayes',
  summary: 'Gaussian naive Bayes (classification).',
  parameters: {},
  tasks: {
    allowed: ['binary', 'multiclass', 'image'],
    needs: 'a classification task',
    advice: 'use knn, decision-tree, random-forest or a network for regression',
  },
  tensorflow: false,
  create: (candidate, context) => new NaiveBayesEstimator(candidate, context),
  saving: stateSaving(NaiveBayesEstimator),
};
