/**
 * Checks the whole `improve` section against the project's candidates and fills in the defaults, so the
 * step-4 orchestration works from one resolved object. Every problem is a PROJECT_INVALID error naming the
 * field as a JSON pointer.
 */
import type { CandidateConfig, Task } from '../config';
import { TopdownError } from '../errors';
import { validateEnsembles } from './ensemble';
import { pointerSegment, suggestName } from './names';
import { epochModelKinds } from './parameters';
import { validateSearchSpace } from './search';
import type { EnsembleConfig, SearchMethod, SearchSpace } from './types';

/** The `improve` section with every default filled in. */
export interface ResolvedImproveConfig {
  /** Candidates to tune, in order; each has a space. */
  candidates: string[];
  method: SearchMethod;
  trials: number;
  seed: number;
  halving: { minEpochs: number; factor: number; maxEpochs?: number };
  space: Record<string, SearchSpace>;
  ensembles: EnsembleConfig[];
  repeats: number;
  alpha: number;
}

/** Defaults of the `improve` section. */
export const improveDefaults = {
  method: 'random',
  trials: 20,
  minEpochs: 5,
  factor: 3,
  repeats: 0,
  alpha: 0.05,
} as const;

const sectionKeys = ['candidates', 'search', 'space', 'ensembles', 'repeats', 'alpha'];
const searchKeys = ['method', 'trials', 'seed', 'halving'];
const halvingKeys = ['minEpochs', 'factor', 'maxEpochs'];

function invalid(message: string, field: string, hint?: string): TopdownError {
  return new TopdownError('PROJECT_INVALID', message, { field, hint });
}

function record(value: unknown, field: string, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(`${what} must be an object.`, field);
  return value as Record<string, unknown>;
}

function checkKeys(object: Record<string, unknown>, allowed: string[], pointer: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      throw invalid(
        `Unknown setting "${key}".`,
        `${pointer}/${pointerSegment(key)}`,
        suggestName(key, allowed, 'settings here'),
      );
    }
  }
}

function integer(value: unknown, field: string, name: string, minimum: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
    throw invalid(
      `"${name}" must be an integer of at least ${minimum}, got ${JSON.stringify(value)}.`,
      field,
    );
  }
  return value;
}

/**
 * Validates `improve` (undefined means: nothing to tune, no ensembles) against the project's candidates and
 * task, and returns it with defaults: method random, 20 trials, the evaluate seed, halving minEpochs 5 and
 * factor 3, no repeats, alpha 0.05, and the candidates to tune defaulting to every candidate with a space.
 * Throws PROJECT_INVALID naming the field: unknown settings, unknown candidate names (with the closest
 * name), a listed candidate without a space, an invalid space (see validateSearchSpace), halving on a model
 * that trains without epochs, bad numbers, and invalid ensembles (see validateEnsembles).
 */
export function resolveImproveConfig(
  improve: unknown,
  context: { candidates: readonly CandidateConfig[]; task: Task; seed: number },
  pointer = '/improve',
): ResolvedImproveConfig {
  const section = improve === undefined ? {} : record(improve, pointer, '"improve"');
  checkKeys(section, sectionKeys, pointer);
  const byName = new Map(context.candidates.map((candidate) => [candidate.name, candidate]));
  const search = resolveSearch(section.search, `${pointer}/search`, context.seed);
  const space = resolveSpaces(section.space, byName, search.method, `${pointer}/space`);
  const candidates = resolveTuned(section.candidates, byName, space, `${pointer}/candidates`);
  if (search.method === 'halving') checkHalvingModels(candidates, byName, `${pointer}/search/method`);
  const ensembles = section.ensembles ?? [];
  validateEnsembles(ensembles, [...byName.keys()], { task: context.task, pointer: `${pointer}/ensembles` });
  const repeats = integer(section.repeats, `${pointer}/repeats`, 'repeats', 0, improveDefaults.repeats);
  const alpha = section.alpha ?? improveDefaults.alpha;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha <= 0.5)) {
    throw invalid(
      `"alpha" must be a number above 0 and at most 0.5, got ${JSON.stringify(alpha)}.`,
      `${pointer}/alpha`,
      'The usual value is 0.05.',
    );
  }
  return { candidates, ...search, space, ensembles, repeats, alpha };
}

/** `improve.search`: the method, trials, seed and halving schedule, with defaults. */
function resolveSearch(
  value: unknown,
  pointer: string,
  evaluateSeed: number,
): Pick<ResolvedImproveConfig, 'method' | 'trials' | 'seed' | 'halving'> {
  const search = value === undefined ? {} : record(value, pointer, '"search"');
  checkKeys(search, searchKeys, pointer);
  const method = search.method ?? improveDefaults.method;
  if (method !== 'grid' && method !== 'random' && method !== 'halving') {
    throw invalid(
      `"method" must be "grid", "random" or "halving", got ${JSON.stringify(method)}.`,
      `${pointer}/method`,
    );
  }
  const trials = integer(search.trials, `${pointer}/trials`, 'trials', 1, improveDefaults.trials);
  const seed = integer(search.seed, `${pointer}/seed`, 'seed', 0, evaluateSeed);
  const halvingSection =
    search.halving === undefined ? {} : record(search.halving, `${pointer}/halving`, '"halving"');
  checkKeys(halvingSection, halvingKeys, `${pointer}/halving`);
  const minEpochs = integer(
    halvingSection.minEpochs,
    `${pointer}/halving/minEpochs`,
    'minEpochs',
    1,
    improveDefaults.minEpochs,
  );
  const factor = integer(
    halvingSection.factor,
    `${pointer}/halving/factor`,
    'factor',
    2,
    improveDefaults.factor,
  );
  const halving: ResolvedImproveConfig['halving'] = { minEpochs, factor };
  if (halvingSection.maxEpochs !== undefined) {
    halving.maxEpochs = integer(
      halvingSection.maxEpochs,
      `${pointer}/halving/maxEpochs`,
      'maxEpochs',
      minEpochs,
      minEpochs,
    );
  }
  return { method, trials, seed, halving };
}

/** `improve.space`: one valid search space per named candidate. */
function resolveSpaces(
  value: unknown,
  byName: ReadonlyMap<string, CandidateConfig>,
  method: SearchMethod,
  pointer: string,
): Record<string, SearchSpace> {
  const spaceSection = value === undefined ? {} : record(value, pointer, '"space"');
  const space: Record<string, SearchSpace> = {};
  for (const [name, candidateSpace] of Object.entries(spaceSection)) {
    const field = `${pointer}/${pointerSegment(name)}`;
    const candidate = byName.get(name);
    if (candidate === undefined) {
      throw invalid(
        `"space" names an unknown candidate "${name}".`,
        field,
        suggestName(name, [...byName.keys()], 'candidates'),
      );
    }
    validateSearchSpace(candidateSpace, candidate, field, method);
    space[name] = candidateSpace;
  }
  return space;
}

/** `improve.candidates`: known names that have a space; by default every candidate with a space. */
function resolveTuned(
  value: unknown,
  byName: ReadonlyMap<string, CandidateConfig>,
  space: Readonly<Record<string, SearchSpace>>,
  pointer: string,
): string[] {
  if (value === undefined) return Object.keys(space);
  if (!Array.isArray(value)) throw invalid('"candidates" must be a list of candidate names.', pointer);
  return value.map((name: unknown, index: number) => {
    const field = `${pointer}/${index}`;
    if (typeof name !== 'string' || !byName.has(name)) {
      throw invalid(
        `"candidates" names an unknown candidate ${JSON.stringify(name)}.`,
        field,
        suggestName(String(name), [...byName.keys()], 'candidates'),
      );
    }
    if (space[name] === undefined) {
      throw invalid(
        `Candidate "${name}" is listed for tuning but has no search space.`,
        field,
        `Add "space": { "${name}": { ... } }, or remove it from "candidates".`,
      );
    }
    return name;
  });
}

/** Successive halving schedules epochs: every tuned candidate must train with epochs. */
function checkHalvingModels(
  candidates: readonly string[],
  byName: ReadonlyMap<string, CandidateConfig>,
  field: string,
): void {
  for (const name of candidates) {
    const model = byName.get(name)?.model;
    if (model !== undefined && !epochModelKinds.includes(model)) {
      throw invalid(
        `Successive halving schedules epochs, but "${name}" is a ${model} model, which trains without epochs.`,
        field,
        'Use "method": "random" or "grid" for classic models.',
      );
    }
  }
}
