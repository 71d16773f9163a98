/**
 * The model zoo: turns a candidate from topdown.json into an Estimator. Checks the candidate's hyperparameters
 * against its kind's limits and that the kind suits the task first (kinds/index.ts holds every kind), with
 * errors that name the candidate (the caller adds its field, `/evaluate/candidates/<i>`).
 */
import type { CandidateConfig } from '../config';
import { TopdownError } from '../errors';
import { kindProblem, modelSpec, resolveCandidate } from './kinds';
import { describeInvalidValue, offendingValue, type ModelSpec } from './kinds/spec';
import type { Estimator, JsonValue, ModelContext } from './types';

export { needsTensorflow, NEURAL_MODELS, resolveCandidate } from './kinds';
export { MAX_EPOCHS, MAX_LAYER_UNITS } from './kinds/spec';

function invalid(candidate: CandidateConfig, message: string, hint?: string): TopdownError {
  return new TopdownError('MODEL_INVALID', `Candidate "${candidate.name}" (${candidate.model}): ${message}`, {
    hint,
  });
}

/** The kind of a candidate, or MODEL_INVALID for a name that is none. */
function specOf(candidate: CandidateConfig): ModelSpec {
  const spec = modelSpec(candidate.model);
  if (!spec) throw invalid(candidate, `there is no model kind "${candidate.model}".`);
  return spec;
}

/** Hyperparameter and task checks that do not need data. */
function validate(candidate: CandidateConfig, spec: ModelSpec, context: ModelContext): void {
  const values = candidate as unknown as Record<string, JsonValue | undefined>;
  for (const [name, parameter] of Object.entries(spec.parameters)) {
    const value = values[name];
    if (value === undefined) {
      if (parameter.required) throw invalid(candidate, `${name} is required.`);
      continue;
    }
    const problem = describeInvalidValue(parameter.type, value);
    if (problem) {
      const got = JSON.stringify(offendingValue(parameter.type, value));
      throw invalid(candidate, `${name} ${problem}, got ${got}.`);
    }
  }
  const mismatch = spec.check?.(candidate);
  if (mismatch) throw invalid(candidate, `${mismatch.message}.`);
  const problem = kindProblem(candidate.model, { task: context.task });
  if (problem) throw invalid(candidate, `${problem}.`);
  if (spec.tensorflow && !context.tf) {
    throw new TopdownError(
      'BACKEND_UNAVAILABLE',
      `Candidate "${candidate.name}" (${candidate.model}) needs TensorFlow.js, but no backend was loaded.`,
    );
  }
}

/**
 * The Estimator for a candidate, with defaults resolved (see resolveCandidate). Throws MODEL_INVALID when the
 * model does not suit the task or the sample shape, CUSTOM_MODEL_FAILED / CUSTOM_MODEL_SHAPE for custom
 * modules. Neural models are built here, so these errors come before any training.
 */
export function createEstimator(candidate: CandidateConfig, context: ModelContext): Estimator {
  const spec = specOf(candidate);
  validate(candidate, spec, context);
  return spec.create(resolveCandidate(candidate, context.task), context);
}
