/**
 * The `improve` section of topdown.json (step 4): which candidates to tune, how to search their
 * hyperparameters, which ensembles to build, and how many repeats show run-to-run noise. The JSON Schema
 * fragment in ./schema.json mirrors these types; the semantic checks (names exist, ranges make sense, grid
 * size) live in ./search.ts and ./ensemble.ts.
 *
 * Example:
 * ```json
 * "improve": {
 *   "candidates": ["mlp-small"],
 *   "search": { "method": "halving", "trials": 27, "seed": 1, "halving": { "minEpochs": 5, "factor": 3 } },
 *   "space": {
 *     "mlp-small": {
 *       "learningRate": { "logUniform": [0.0001, 0.01] },
 *       "layers": { "choice": [[30], [60, 30]] },
 *       "dropout": { "uniform": [0, 0.5] },
 *       "batchSize": { "choice": [8, 16] }
 *     }
 *   },
 *   "ensembles": [{ "name": "avg", "members": ["mlp-small", "forest"], "method": "average" }],
 *   "repeats": 3
 * }
 * ```
 */
import type { JsonValue } from '../models/types';

/** How configurations are chosen. */
export type SearchMethod = 'grid' | 'random' | 'halving';

/**
 * The values one hyperparameter may take.
 * - `choice`: an explicit list (any JSON values of the parameter's type; e.g. layer lists `[[30], [60, 30]]`).
 * - `uniform`: a real number in [low, high]. `steps`: the grid takes that many evenly spaced values, ends included.
 * - `logUniform`: a positive real in [low, high], uniform in log space (learning rates, L2). `steps`: the grid
 *   takes that many geometrically spaced values, ends included.
 * - `int`: an integer in [low, high], ends included, every `step` (default 1). The grid takes every value.
 * Random search samples `uniform` and `logUniform` continuously (rounded to 3 significant digits) and ignores
 * `steps`; grid search needs `steps` on them.
 */
export type ParameterDomain =
  | { choice: JsonValue[] }
  | { uniform: [number, number]; steps?: number }
  | { logUniform: [number, number]; steps?: number }
  | { int: [number, number]; step?: number };

/**
 * Search space of one candidate: parameter name → domain. Names are the candidate's own config fields
 * (`learningRate`, `layers`, `k`, `trees`, ...); custom models may also tune `options.<name>`.
 */
export type SearchSpace = Record<string, ParameterDomain>;

/** Successive halving: start many configurations on few epochs, keep the best 1/factor, give them more. */
export interface HalvingConfig {
  /** Epochs of the first rung. Default 5. */
  minEpochs?: number;
  /** Keep 1/factor of the configurations at each rung and multiply their epochs by factor. Default 3. */
  factor?: number;
  /** Epochs of the last rung. Default: the candidate's own `epochs` (so the winner trains as long as the untuned one). */
  maxEpochs?: number;
}

/** How to search. */
export interface SearchConfig {
  /** Default `random`. `halving` samples `trials` configurations at random, then runs the halving rungs. */
  method?: SearchMethod;
  /** Configurations to try (random and halving). Default 20. Grid tries every point (at most 1000). */
  trials?: number;
  /** Seed for sampling configurations. Default: `evaluate.seed`. */
  seed?: number;
  /** Settings for `method: "halving"`. */
  halving?: HalvingConfig;
}

/** How an ensemble combines its members' predictions. */
export type EnsembleMethod = 'average' | 'vote';

/** An ensemble of candidates, evaluated on the same folds as the candidates themselves. */
export interface EnsembleConfig {
  /** Unique among candidates and ensembles. */
  name: string;
  /** Names of at least two candidates (from `evaluate.candidates`). */
  members: string[];
  /**
   * `average`: mean of predicted probabilities (classification) or values (regression). `vote`: majority of the
   * members' predicted classes, ties broken by summed probability (classification only). Default `average`.
   */
  method?: EnsembleMethod;
}

/** The whole `improve` section. */
export interface ImproveConfig {
  /** Candidates to tune, by name. Default: every candidate that has a `space`. */
  candidates?: string[];
  search?: SearchConfig;
  /** Search space per candidate name. */
  space?: Record<string, SearchSpace>;
  ensembles?: EnsembleConfig[];
  /** Extra runs of the best configurations with other seeds, to show run-to-run noise. Default 0. */
  repeats?: number;
  /** Significance level of the verdicts. Default 0.05. */
  alpha?: number;
}

/** One point of a search space: parameter name → value. */
export type ParameterValues = Record<string, JsonValue>;

/** One rung of successive halving: how many configurations train, and for how many epochs. */
export interface HalvingRung {
  configs: number;
  epochs: number;
}
