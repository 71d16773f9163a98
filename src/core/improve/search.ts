/**
 * Hyperparameter search for step 4: checking a search space, enumerating a grid, sampling random
 * configurations with a seed, the successive-halving schedule, and turning a configuration into a
 * candidate config the evaluation step can run on the same folds as step 3.
 */
import type { CandidateConfig } from '../config';
import { TopdownError } from '../errors';
import type { JsonValue } from '../models/types';
import { createRng } from '../random';
import { pointerSegment, suggestName } from './names';
import {
  customOptionPrefix,
  describeInvalidValue,
  isNumeric,
  parameterType,
  tunableParameters,
  type ParameterType,
} from './parameters';
import type { HalvingRung, ParameterDomain, ParameterValues, SearchMethod, SearchSpace } from './types';
import { trialCandidateName } from '../../shared/trials';

/** Grid search refuses spaces with more points than this. */
export const maxGridPoints = 1000;

const domainKeys = ['choice', 'uniform', 'logUniform', 'int'] as const;

function invalid(message: string, field: string, hint?: string): TopdownError {
  return new TopdownError('PROJECT_INVALID', message, { field, hint });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rounds to `digits` significant digits (removes float noise such as 0.30000000000000004). */
export function roundSignificant(value: number, digits: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(digits));
}

function readRange(
  domain: Record<string, unknown>,
  key: string,
  field: string,
  parameter: string,
): [number, number] {
  const range = domain[key];
  if (
    !Array.isArray(range) ||
    range.length !== 2 ||
    range.some((bound) => typeof bound !== 'number' || !Number.isFinite(bound))
  ) {
    throw invalid(`"${parameter}": ${key} needs [low, high], two numbers.`, field);
  }
  const [low, high] = range as [number, number];
  if (low >= high) {
    throw invalid(
      `"${parameter}": ${key} range [${low}, ${high}] is empty: low must be below high.`,
      field,
      'Swap the bounds, or use { "choice": [value] } for a single value.',
    );
  }
  if (key === 'logUniform' && low <= 0) {
    throw invalid(
      `"${parameter}": logUniform needs a positive low bound, got ${low}.`,
      field,
      'Use uniform for ranges that include 0, or start at a small positive value such as 0.0001.',
    );
  }
  if (key === 'int' && (!Number.isInteger(low) || !Number.isInteger(high))) {
    throw invalid(`"${parameter}": int range [${low}, ${high}] needs integer bounds.`, field);
  }
  return [low, high];
}

/** Number of values a domain contributes to a grid; Infinity for a continuous range without `steps`. */
function domainGridSize(domain: ParameterDomain): number {
  if ('choice' in domain) return domain.choice.length;
  if ('int' in domain) return Math.floor((domain.int[1] - domain.int[0]) / (domain.step ?? 1)) + 1;
  return domain.steps ?? Infinity;
}

/**
 * Checks one candidate's search space and throws PROJECT_INVALID naming the field (a JSON pointer under
 * `pointer`, e.g. `/improve/space/mlp-small/dropout/uniform`) for: a parameter the model kind cannot tune
 * (with the closest known name), a domain that is not exactly one of choice/uniform/logUniform/int, an empty
 * choice or a choice value of the wrong type, low ≥ high, logUniform with low ≤ 0, bounds outside the
 * parameter's limits, and, for grid search, a continuous range without `steps` or more than 1000 points.
 */
export function validateSearchSpace(
  space: unknown,
  candidate: CandidateConfig,
  pointer: string,
  method: SearchMethod = 'random',
): asserts space is SearchSpace {
  if (!isRecord(space))
    throw invalid(
      `The search space of "${candidate.name}" must be an object of parameter → domain.`,
      pointer,
    );
  const names = Object.keys(space);
  if (names.length === 0) {
    throw invalid(
      `The search space of "${candidate.name}" is empty.`,
      pointer,
      'Add a parameter, e.g. "learningRate": { "logUniform": [0.0001, 0.01] }.',
    );
  }
  for (const parameter of names) {
    const field = `${pointer}/${pointerSegment(parameter)}`;
    const type = tunableType(candidate, parameter, field);
    validateDomain(space[parameter], parameter, type, field, method);
  }
  if (method === 'grid') {
    const points = gridSize(space as SearchSpace);
    if (points > maxGridPoints) {
      throw invalid(
        `The grid of "${candidate.name}" has ${points} points; the limit is ${maxGridPoints}.`,
        pointer,
        'Use fewer values or steps, or "method": "random" with a number of trials.',
      );
    }
  }
}

/** The type of a parameter the candidate's model kind can tune; else PROJECT_INVALID with the closest name. */
function tunableType(candidate: CandidateConfig, parameter: string, field: string): ParameterType {
  const type = parameterType(candidate.model, parameter);
  if (type !== undefined) return type;
  const known = Object.keys(tunableParameters[candidate.model] ?? {});
  const hint =
    known.length === 0
      ? `A ${candidate.model} model has no hyperparameters to tune.`
      : suggestName(
          parameter,
          candidate.model === 'custom' ? [...known, `${customOptionPrefix}<name>`] : known,
          `parameters of a ${candidate.model} model`,
        );
  throw invalid(
    `"${parameter}" is not a parameter of "${candidate.name}" (a ${candidate.model} model).`,
    field,
    hint,
  );
}

/** One parameter's domain: exactly one of choice/uniform/logUniform/int, with only its own extra keys. */
function validateDomain(
  domain: unknown,
  parameter: string,
  type: ParameterType,
  field: string,
  method: SearchMethod,
): void {
  if (!isRecord(domain))
    throw invalid(
      `"${parameter}" needs a domain such as { "choice": [...] } or { "uniform": [low, high] }.`,
      field,
    );
  const kinds = domainKeys.filter((key) => key in domain);
  if (kinds.length !== 1) {
    throw invalid(
      `"${parameter}" needs exactly one of choice, uniform, logUniform or int; found ${kinds.length === 0 ? 'none' : kinds.join(' and ')}.`,
      field,
    );
  }
  const kind = kinds[0];
  const allowedExtras = kind === 'int' ? ['step'] : kind === 'choice' ? [] : ['steps'];
  for (const key of Object.keys(domain)) {
    if (key !== kind && !allowedExtras.includes(key))
      throw invalid(
        `"${parameter}": unexpected key "${key}" in a ${kind} domain.`,
        `${field}/${pointerSegment(key)}`,
      );
  }
  if (kind === 'choice') validateChoice(domain.choice, parameter, type, field);
  else validateRange(domain, kind, parameter, type, field, method);
}

/** A choice: a non-empty list of values of the parameter's type. */
function validateChoice(values: unknown, parameter: string, type: ParameterType, field: string): void {
  if (!Array.isArray(values) || values.length === 0)
    throw invalid(`"${parameter}": choice must be a non-empty list.`, `${field}/choice`);
  values.forEach((value: JsonValue, index: number) => {
    const problem = describeInvalidValue(type, value);
    if (problem !== undefined)
      throw invalid(
        `"${parameter}": choice value ${JSON.stringify(value)} ${problem}.`,
        `${field}/choice/${index}`,
      );
  });
}

/** A uniform, logUniform or int range of a numeric parameter, within its limits, enumerable for grid search. */
function validateRange(
  domain: Record<string, unknown>,
  kind: Exclude<(typeof domainKeys)[number], 'choice'>,
  parameter: string,
  type: ParameterType,
  field: string,
  method: SearchMethod,
): void {
  if (!isNumeric(type))
    throw invalid(
      `"${parameter}" is not numeric; list its values with { "choice": [...] }.`,
      `${field}/${kind}`,
    );
  const [low, high] = readRange(domain, kind, `${field}/${kind}`, parameter);
  if (type.kind === 'integer' && kind !== 'int') {
    throw invalid(
      `"${parameter}" takes integers; use { "int": [${low}, ${high}] } instead of ${kind}.`,
      `${field}/${kind}`,
    );
  }
  for (const bound of [low, high]) {
    const problem = describeInvalidValue(type, bound);
    if (problem !== undefined)
      throw invalid(`"${parameter}": bound ${bound} ${problem}.`, `${field}/${kind}`);
  }
  if (
    kind === 'int' &&
    domain.step !== undefined &&
    !(Number.isInteger(domain.step) && (domain.step as number) >= 1)
  ) {
    throw invalid(`"${parameter}": step must be a positive integer.`, `${field}/step`);
  }
  if (
    kind !== 'int' &&
    domain.steps !== undefined &&
    !(Number.isInteger(domain.steps) && (domain.steps as number) >= 2)
  ) {
    throw invalid(`"${parameter}": steps must be an integer of at least 2.`, `${field}/steps`);
  }
  if (method === 'grid' && kind !== 'int' && domain.steps === undefined) {
    throw invalid(
      `Grid search cannot enumerate the continuous range of "${parameter}".`,
      `${field}/${kind}`,
      `Add "steps" (e.g. "steps": 3) or list values with { "choice": [...] }.`,
    );
  }
}

/** Number of points in the grid of a space (a product of the domains' sizes); Infinity if a range lacks steps. */
export function gridSize(space: SearchSpace): number {
  return Object.values(space).reduce((product, domain) => product * domainGridSize(domain), 1);
}

/** The values a domain contributes to a grid, in increasing order (choice: as listed). */
export function gridValues(domain: ParameterDomain): JsonValue[] {
  if ('choice' in domain) return [...domain.choice];
  if ('int' in domain) {
    const step = domain.step ?? 1;
    const values: number[] = [];
    for (let value = domain.int[0]; value <= domain.int[1]; value += step) values.push(value);
    return values;
  }
  if (domain.steps === undefined) {
    throw new TopdownError('PROJECT_INVALID', 'Grid search needs "steps" on continuous ranges.');
  }
  const steps = domain.steps;
  if ('uniform' in domain) {
    const [low, high] = domain.uniform;
    return Array.from({ length: steps }, (_, index) =>
      roundSignificant(low + ((high - low) * index) / (steps - 1), 12),
    );
  }
  const [low, high] = domain.logUniform;
  const logLow = Math.log(low);
  const logHigh = Math.log(high);
  return Array.from({ length: steps }, (_, index) =>
    roundSignificant(Math.exp(logLow + ((logHigh - logLow) * index) / (steps - 1)), 6),
  );
}

/**
 * Every point of the grid, in a fixed order: parameters in the space's declared order, the last one varying
 * fastest. Throws PROJECT_INVALID beyond 1000 points (validateSearchSpace reports it with the field).
 */
export function gridConfigurations(space: SearchSpace): ParameterValues[] {
  const size = gridSize(space);
  if (size > maxGridPoints) {
    throw new TopdownError('PROJECT_INVALID', `The grid has ${size} points; the limit is ${maxGridPoints}.`);
  }
  let configurations: ParameterValues[] = [{}];
  for (const [parameter, domain] of Object.entries(space)) {
    const values = gridValues(domain);
    configurations = configurations.flatMap((partial) =>
      values.map((value) => ({ ...partial, [parameter]: value })),
    );
  }
  return configurations;
}

function sampleDomain(domain: ParameterDomain, random: () => number): JsonValue {
  if ('choice' in domain) return domain.choice[Math.floor(random() * domain.choice.length)];
  if ('int' in domain) {
    const step = domain.step ?? 1;
    const count = Math.floor((domain.int[1] - domain.int[0]) / step) + 1;
    return domain.int[0] + step * Math.floor(random() * count);
  }
  if ('uniform' in domain) {
    const [low, high] = domain.uniform;
    return Math.min(high, Math.max(low, roundSignificant(low + random() * (high - low), 3)));
  }
  const [low, high] = domain.logUniform;
  const value = Math.exp(Math.log(low) + random() * (Math.log(high) - Math.log(low)));
  return Math.min(high, Math.max(low, roundSignificant(value, 3)));
}

/**
 * `trials` configurations drawn at random from the space with the given seed: choices and integers uniformly,
 * `uniform` ranges uniformly, `logUniform` uniformly in log space; real values rounded to 3 significant
 * digits so names and records stay readable. Duplicates are skipped, so a small discrete space can give
 * fewer than `trials` configurations (never more than its grid). The same seed gives the same list.
 */
export function randomConfigurations(space: SearchSpace, trials: number, seed: number): ParameterValues[] {
  const random = createRng(seed);
  const entries = Object.entries(space);
  // Continuous ranges are sampled continuously (steps apply to grids only), so only discrete spaces cap the count.
  const discrete = Object.values(space).every((domain) => 'choice' in domain || 'int' in domain);
  const limit = discrete ? Math.min(trials, gridSize(space)) : trials;
  const seen = new Set<string>();
  const configurations: ParameterValues[] = [];
  // Bounded attempts: a space with few points fills up, and then duplicates would loop forever.
  for (let attempt = 0; configurations.length < limit && attempt < trials * 50; attempt++) {
    const configuration: ParameterValues = {};
    for (const [parameter, domain] of entries) configuration[parameter] = sampleDomain(domain, random);
    const key = JSON.stringify(configuration);
    if (seen.has(key)) continue;
    seen.add(key);
    configurations.push(configuration);
  }
  return configurations;
}

/**
 * The rungs of successive halving for `configCount` configurations: rung i trains ⌊n / factor^i⌋
 * configurations (at least 1) for minEpochs·factor^i epochs; the last rung always trains for `maxEpochs`, so
 * the survivors are compared at the candidate's full training length. Rungs stop when one configuration
 * remains or the epochs reach maxEpochs. Each rung trains from scratch (every fold, like step 3).
 */
export function halvingSchedule(
  configCount: number,
  options: { minEpochs: number; maxEpochs: number; factor: number },
): HalvingRung[] {
  const { minEpochs, maxEpochs, factor } = options;
  if (
    !(Number.isInteger(configCount) && configCount >= 1) ||
    !(minEpochs >= 1) ||
    !(maxEpochs >= 1) ||
    !(factor > 1)
  ) {
    throw new TopdownError(
      'INTERNAL',
      `halvingSchedule: invalid arguments (configs ${configCount}, minEpochs ${minEpochs}, maxEpochs ${maxEpochs}, factor ${factor}).`,
    );
  }
  const rungs: HalvingRung[] = [];
  let configs = configCount;
  let epochs = Math.min(minEpochs, maxEpochs);
  for (;;) {
    // The epsilon keeps 9 / 3 from landing just below 3 with a non-integer factor.
    const nextConfigs = Math.floor(configs / factor + 1e-9);
    if (nextConfigs < 1 || epochs >= maxEpochs) {
      rungs.push({ configs, epochs: maxEpochs });
      return rungs;
    }
    rungs.push({ configs, epochs: Math.round(epochs) });
    configs = nextConfigs;
    epochs = Math.min(epochs * factor, maxEpochs);
  }
}

/**
 * The best results first, cut to ⌊n·fraction⌋ (at least 1): by `score` descending when higher is better,
 * else ascending. NaN scores (diverged trials) rank last; ties keep their input order.
 */
export function selectTop<T extends { score: number }>(
  results: readonly T[],
  fraction: number,
  higherIsBetter: boolean,
): T[] {
  const keep = Math.max(1, Math.floor(results.length * fraction + 1e-9));
  const ranked = results
    .map((result, index) => ({ result, index }))
    .sort((left, right) => {
      const leftNaN = Number.isNaN(left.result.score);
      const rightNaN = Number.isNaN(right.result.score);
      if (leftNaN !== rightNaN) return leftNaN ? 1 : -1;
      const order = higherIsBetter
        ? right.result.score - left.result.score
        : left.result.score - right.result.score;
      return order !== 0 && !Number.isNaN(order) ? order : left.index - right.index;
    });
  return ranked.slice(0, keep).map((entry) => entry.result);
}

/**
 * The candidate with one configuration applied, named `<name>#<trial>` (trial numbers start at 1). Custom
 * models' `options.<key>` parameters go into `options`. The untuned candidate is left unchanged.
 */
export function applyConfiguration(
  candidate: CandidateConfig,
  params: ParameterValues,
  trial: number,
): CandidateConfig {
  const applied: Record<string, unknown> = { ...candidate };
  const options: Record<string, unknown> =
    candidate.model === 'custom' ? { ...(candidate.options ?? {}) } : {};
  let hasOptions = false;
  for (const [parameter, value] of Object.entries(params)) {
    if (candidate.model === 'custom' && parameter.startsWith(customOptionPrefix)) {
      options[parameter.slice(customOptionPrefix.length)] = value;
      hasOptions = true;
    } else {
      applied[parameter] = value;
    }
  }
  if (hasOptions) applied.options = options;
  applied.name = trialCandidateName(candidate.name, trial);
  return applied as CandidateConfig;
}
