/**
 * Limited-memory BFGS (Nocedal & Wright, Numerical Optimization, algorithm 7.5) with a backtracking line search
 * on the Armijo condition: the optimiser scikit-learn's LogisticRegression uses by default. Minimises a smooth
 * function given its value and gradient.
 */

/** The objective: fills `gradient` at `point` and returns the value there. */
export type Objective = (point: Float64Array, gradient: Float64Array) => number;

/** Options of {@link minimize}. */
export interface LbfgsOptions {
  /** Most iterations (scikit-learn's max_iter, default 100). */
  maxIterations: number;
  /** Stop when the largest gradient component is below this (scikit-learn's tol, 1e-4). */
  tolerance: number;
  /** Correction pairs kept (default 10). */
  memory?: number;
}

/** Where the search ended. */
export interface LbfgsResult {
  value: number;
  iterations: number;
  converged: boolean;
}

function dot(left: Float64Array, right: Float64Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index++) sum += left[index] * right[index];
  return sum;
}

function largestMagnitude(values: Float64Array): number {
  let largest = 0;
  for (let index = 0; index < values.length; index++) largest = Math.max(largest, Math.abs(values[index]));
  return largest;
}

/** The kept correction pairs: steps s, gradient changes y and their curvatures s·y, oldest first. */
interface Corrections {
  steps: Float64Array[];
  changes: Float64Array[];
  curvatures: number[];
}

/** The search direction −H·g by the two-loop recursion over the kept pairs, written into `result`. */
function direction(gradient: Float64Array, pairs: Corrections, result: Float64Array): Float64Array {
  const { steps, changes, curvatures } = pairs;
  for (let index = 0; index < result.length; index++) result[index] = -gradient[index];
  const alphas = new Float64Array(steps.length);
  for (let pair = steps.length - 1; pair >= 0; pair--) {
    alphas[pair] = dot(steps[pair], result) / curvatures[pair];
    const change = changes[pair];
    for (let index = 0; index < result.length; index++) result[index] -= alphas[pair] * change[index];
  }
  if (steps.length > 0) {
    const last = steps.length - 1;
    const scale = curvatures[last] / dot(changes[last], changes[last]);
    for (let index = 0; index < result.length; index++) result[index] *= scale;
  }
  for (let pair = 0; pair < steps.length; pair++) {
    const beta = dot(changes[pair], result) / curvatures[pair];
    const step = steps[pair];
    for (let index = 0; index < result.length; index++) result[index] += (alphas[pair] - beta) * step[index];
  }
  return result;
}

/**
 * Keeps the pair (point − previous, gradient − previous gradient) when its curvature is positive, dropping the
 * oldest beyond `memory`; computed in `spare`, whose arrays are swapped with the dropped pair's (no allocation).
 */
function remember(
  pairs: Corrections,
  memory: number,
  spare: { step: Float64Array; change: Float64Array },
  moves: {
    point: Float64Array;
    previous: Float64Array;
    gradient: Float64Array;
    previousGradient: Float64Array;
  },
): void {
  const { step, change } = spare;
  for (let index = 0; index < step.length; index++) {
    step[index] = moves.point[index] - moves.previous[index];
    change[index] = moves.gradient[index] - moves.previousGradient[index];
  }
  const curvature = dot(step, change);
  if (!(curvature > 1e-12)) return;
  pairs.steps.push(step);
  pairs.changes.push(change);
  pairs.curvatures.push(curvature);
  if (pairs.steps.length > memory) {
    spare.step = pairs.steps.shift() as Float64Array;
    spare.change = pairs.changes.shift() as Float64Array;
    pairs.curvatures.shift();
  } else {
    spare.step = new Float64Array(step.length);
    spare.change = new Float64Array(step.length);
  }
}

/** Minimises `objective` from `point` (changed in place to the minimiser found). */
export function minimize(objective: Objective, point: Float64Array, options: LbfgsOptions): LbfgsResult {
  const memory = options.memory ?? 10;
  const size = point.length;
  let gradient = new Float64Array(size);
  let value = objective(point, gradient);
  const pairs: Corrections = { steps: [], changes: [], curvatures: [] };
  const search = new Float64Array(size);
  const spare = { step: new Float64Array(size), change: new Float64Array(size) };
  const trial = new Float64Array(size);
  let trialGradient = new Float64Array(size);
  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    if (largestMagnitude(gradient) < options.tolerance)
      return { value, iterations: iteration, converged: true };
    direction(gradient, pairs, search);
    let slope = dot(gradient, search);
    if (!(slope < 0)) {
      // Not a descent direction (curvature lost): restart from steepest descent.
      pairs.steps.length = 0;
      pairs.changes.length = 0;
      pairs.curvatures.length = 0;
      for (let index = 0; index < size; index++) search[index] = -gradient[index];
      slope = dot(gradient, search);
    }
    let stepSize = iteration === 0 && pairs.steps.length === 0 ? 1 / Math.max(1, Math.sqrt(-slope)) : 1;
    let trialValue = Infinity;
    for (let halving = 0; halving < 40; halving++) {
      for (let index = 0; index < size; index++) trial[index] = point[index] + stepSize * search[index];
      trialValue = objective(trial, trialGradient);
      if (trialValue <= value + 1e-4 * stepSize * slope) break;
      stepSize /= 2;
    }
    if (!(trialValue < value) && !(trialValue <= value))
      return { value, iterations: iteration, converged: false };
    remember(pairs, memory, spare, {
      point: trial,
      previous: point,
      gradient: trialGradient,
      previousGradient: gradient,
    });
    point.set(trial);
    [gradient, trialGradient] = [trialGradient, gradient];
    const improvement = value - trialValue;
    value = trialValue;
    if (improvement <= 1e-12 * Math.max(1, Math.abs(value)))
      return { value, iterations: iteration + 1, converged: true };
  }
  return {
    value,
    iterations: options.maxIterations,
    converged: largestMagnitude(gradient) < options.tolerance,
  };
}
