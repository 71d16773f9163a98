/**
 * What one model kind of the zoo is, in one place (scikit-learn's `_parameter_constraints` beside the estimator):
 * its hyperparameters with limits, defaults and whether step 4 may tune them; the tasks it serves; whether it
 * needs TensorFlow.js; how it is created; how a fitted one is saved in a model bundle. Each kind has one file in
 * this folder and one entry in `index.ts`; `test/unit/model-kinds.test.ts` checks them against the schema.
 */
import type { CandidateConfig, ModelKind, Task } from '../../config';
import { TopdownError } from '../../errors';
import type { Estimator, JsonObject, JsonValue, ModelContext } from '../types';

/** The type and limits of one hyperparameter. */
export type ParameterType =
  | { kind: 'integer'; min: number; max?: number }
  | { kind: 'number'; min: number; minExclusive?: boolean; max?: number; maxExclusive?: boolean }
  /** Whole numbers from 1 (each at most `max`). */
  | { kind: 'integer-list'; minLength: number; max?: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'boolean' }
  | { kind: 'string' }
  | { kind: 'object' }
  | { kind: 'any' };

/** One hyperparameter of a kind. */
export interface ParameterSpec {
  type: ParameterType;
  /** Filled in when a candidate leaves the parameter out (copied, never shared). */
  default?: JsonValue;
  /** A candidate must give it (the schema's `required`). */
  required?: boolean;
  /** Step 4 may search over it. Default true. */
  tunable?: boolean;
}

/** The candidate of one kind (lstm and gru share one member of the union). */
export type Candidate<K extends ModelKind> = CandidateConfig extends infer C
  ? C extends { model: infer M }
    ? K extends M
      ? C
      : never
    : never
  : never;

/** A candidate as resolveCandidate gives it to `create`: the parameters `Keys` (those with defaults) are set. */
export type WithDefaults<C, Keys extends keyof C> = C & { [P in Keys]-?: Exclude<C[P], undefined> };

/** How a fitted estimator of a kind is kept in a model bundle. */
export type Saving =
  /** A TensorFlow.js network: `model.json` + `weights.bin` beside `estimator.json` (persist.ts writes them). */
  | { format: 'network' }
  /** Plain JSON state inside `estimator.json`. */
  | {
      format: 'state';
      /** The fitted state of `estimator` (an estimator of this kind). */
      save(estimator: Estimator): JsonObject;
      /** Gives a new estimator of this kind the state save() returned; throws when it cannot be read. */
      load(estimator: Estimator, state: JsonObject): void;
    };

/** The tasks a kind serves, and how a problem says so. */
export interface TaskRule {
  allowed: readonly Task[];
  /** Completes "model `x` needs …": e.g. "task `image`", "a classification task". */
  needs: string;
  /** Appended after a semicolon: what to use instead. */
  advice?: string;
}

/** One model kind of the zoo; `Resolved` is its candidate with the defaults filled in (what `create` gets). */
export interface ModelSpec<K extends ModelKind = ModelKind, Resolved = Candidate<K>> {
  readonly kind: K;
  /** One line for people (the schema's enumDescriptions say the same). */
  readonly summary: string;
  /** Hyperparameters besides `name` and `model`, in the order a resolved candidate lists them. */
  readonly parameters: Readonly<Record<string, ParameterSpec>>;
  /** The tasks it serves; absent: every task. */
  readonly tasks?: TaskRule;
  /** Reads windows in order, so the project needs a `window` op in `prepare`. */
  readonly needsWindow?: boolean;
  /** Reads sparse features (`Dataset.sparse`, from the tfidf and counts ops) as they are; others get them dense. */
  readonly sparseInput?: boolean;
  /** Trains with TensorFlow.js, so it needs `context.tf` to be created or loaded. */
  readonly tensorflow: boolean;
  /**
   * A problem between parameters that each pass their own limits (one that applies only with another's value),
   * or undefined: the zoo refuses the candidate and the project checks point at `parameter`.
   */
  check?(candidate: Candidate<K>): { parameter: string; message: string } | undefined;
  /** What resolving adds beyond parameter defaults (networks: early stopping, forecast target). */
  resolve?(candidate: Candidate<K>, task: Task | undefined): Candidate<K>;
  /** A new estimator for a resolved, validated candidate. */
  create(candidate: Resolved, context: ModelContext): Estimator;
  readonly saving: Saving;
}

/** The most epochs a candidate may train for (the schema's `epochs` maximum). */
export const MAX_EPOCHS = 100_000;
/** The most units (or filters) one layer may have (the schema's `layerUnits` maximum). */
export const MAX_LAYER_UNITS = 16_384;

/** Whole numbers from 1. */
export const positiveInteger: ParameterType = { kind: 'integer', min: 1 };
/** Layer sizes: at least one whole number from 1 to MAX_LAYER_UNITS. */
export const layerList: ParameterType = { kind: 'integer-list', minLength: 1, max: MAX_LAYER_UNITS };
/** A rate from 0 to below 1. */
export const rate: ParameterType = { kind: 'number', min: 0, max: 1, maxExclusive: true };

/** The hooks a classic estimator (or the baseline) implements to be saved as JSON state. */
export interface Stateful {
  exportState(): JsonObject;
  importState(state: JsonObject): void;
}

/** JSON-state saving for estimators of class `type` (checked with instanceof: a wrong estimator is a bug). */
export function stateSaving(type: abstract new (...args: never[]) => Estimator & Stateful): Saving {
  const own = (estimator: Estimator): Estimator & Stateful => {
    if (estimator instanceof type) return estimator;
    throw new TopdownError('INTERNAL', `A ${estimator.kind} estimator cannot be saved as a ${type.name}.`);
  };
  return {
    format: 'state',
    save: (estimator) => own(estimator).exportState(),
    load: (estimator, state) => own(estimator).importState(state),
  };
}

/** Why `value` is not a valid value of `type`, or undefined when it is. */
export function describeInvalidValue(type: ParameterType, value: JsonValue): string | undefined {
  switch (type.kind) {
    case 'integer':
      if (type.max !== undefined && !isWholeNumberIn(value, type.min, type.max))
        return `must be a whole number from ${type.min} to ${type.max}`;
      if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be an integer';
      return value < type.min ? `must be at least ${type.min}` : undefined;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      if (type.minExclusive ? value <= type.min : value < type.min) {
        return `must be ${type.minExclusive ? 'greater than' : 'at least'} ${type.min}`;
      }
      if (type.max !== undefined && (type.maxExclusive ? value >= type.max : value > type.max)) {
        return `must be ${type.maxExclusive ? 'less than' : 'at most'} ${type.max}`;
      }
      return undefined;
    case 'integer-list':
      if (
        !Array.isArray(value) ||
        value.some((entry) => typeof entry !== 'number' || !Number.isInteger(entry) || entry < 1)
      ) {
        return 'must be a list of positive integers, e.g. [64, 32]';
      }
      if (type.max !== undefined && value.some((entry) => (entry as number) > type.max!))
        return `must hold whole numbers from 1 to ${type.max}`;
      return value.length < type.minLength ? `must hold at least ${type.minLength} size` : undefined;
    case 'enum':
      return typeof value === 'string' && type.values.includes(value)
        ? undefined
        : `must be one of ${type.values.map((entry) => `"${entry}"`).join(', ')}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'string':
      return typeof value === 'string' && value.length > 0 ? undefined : 'must be a non-empty string';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? undefined
        : 'must be an object';
    case 'any':
      return undefined;
  }
}

function isWholeNumberIn(value: JsonValue, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** The part of an invalid `value` to quote in a message: a list's first bad entry, else the value. */
export function offendingValue(type: ParameterType, value: JsonValue): JsonValue {
  if (type.kind !== 'integer-list' || !Array.isArray(value)) return value;
  const bad = value.find(
    (entry) => typeof entry !== 'number' || !isWholeNumberIn(entry, 1, type.max ?? Number.MAX_SAFE_INTEGER),
  );
  return bad === undefined ? value : bad;
}
