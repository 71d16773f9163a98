/**
 * The training settings of a resolved network candidate. Defaults are filled in by `resolveCandidate`
 * (kinds/index.ts) from each kind's parameters (kinds/<kind>.ts), so a run record stores exactly what was trained
 * and the estimators read one complete config.
 */
import type { CandidateConfig, TrainingParams } from '../config';
import { TopdownError } from '../errors';

/** Default share of the training part held out to watch for early stopping. */
export const EARLY_STOPPING_FRACTION = 0.1;

/** The candidates trained with TensorFlow.js. */
export type NeuralCandidate = Extract<
  CandidateConfig,
  { model: 'linear' | 'mlp' | 'cnn' | 'lstm' | 'gru' | 'embedding' | 'custom' }
>;

/** Training settings with every default filled in. */
export type ResolvedTraining = Required<Omit<TrainingParams, 'earlyStopping' | 'forecast'>> &
  Pick<TrainingParams, 'earlyStopping' | 'forecast'>;

/** The training settings of a resolved neural candidate (see resolveCandidate). */
export function resolveTraining(candidate: NeuralCandidate): ResolvedTraining {
  const { epochs, batchSize, optimizer, learningRate, l2, earlyStopping, forecast } = candidate;
  if (
    epochs === undefined ||
    batchSize === undefined ||
    optimizer === undefined ||
    learningRate === undefined ||
    l2 === undefined
  ) {
    throw new TopdownError(
      'INTERNAL',
      `Candidate "${candidate.name}" reached training without its defaults.`,
    );
  }
  return { epochs, batchSize, optimizer, learningRate, l2, earlyStopping, forecast };
}
