/**
 * Which hyperparameters each model kind of the zoo can tune, and the values each accepts. Search spaces are
 * checked against this table, so a typo or an impossible range fails before any training starts.
 */
import type { ModelKind } from '../config';
import { EPOCH_MODEL_KINDS, MODEL_KINDS, tunableParameterTypes } from '../models/kinds';
import type { ParameterType } from '../models/kinds/spec';

// The types and limits of parameters are declared with each kind (kinds/<kind>.ts) and checked by kinds/spec.ts.
export { describeInvalidValue, type ParameterType } from '../models/kinds/spec';

/** Tunable parameters per model kind: the kind's parameters that step 4 may search (kinds/<kind>.ts). */
export const tunableParameters: Record<ModelKind, Record<string, ParameterType>> = Object.fromEntries(
  MODEL_KINDS.map((kind) => [kind, tunableParameterTypes(kind)]),
) as Record<ModelKind, Record<string, ParameterType>>;

/** Model kinds trained for a number of epochs (the ones successive halving can schedule). */
export const epochModelKinds: readonly ModelKind[] = EPOCH_MODEL_KINDS;

/** Prefix of the custom model's free-form options (`options.units` sets `options: { units }`). */
export const customOptionPrefix = 'options.';

/** The type of `parameter` for `kind`, or undefined when the kind cannot tune it. */
export function parameterType(kind: ModelKind, parameter: string): ParameterType | undefined {
  if (
    kind === 'custom' &&
    parameter.startsWith(customOptionPrefix) &&
    parameter.length > customOptionPrefix.length
  ) {
    return { kind: 'any' };
  }
  // An unknown kind (a config that skipped schema validation) has nothing to tune rather than crashing.
  const table: Record<string, ParameterType> = tunableParameters[kind] ?? {};
  return Object.prototype.hasOwnProperty.call(table, parameter) ? table[parameter] : undefined;
}

/** Whether a parameter type holds numbers, so ranges (`uniform`, `logUniform`, `int`) apply to it. */
export function isNumeric(
  type: ParameterType,
): type is Extract<ParameterType, { kind: 'integer' | 'number' }> {
  return type.kind === 'integer' || type.kind === 'number';
}
