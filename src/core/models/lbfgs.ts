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

/** The search direction −H·g by the two-loop recursion over the kept pairs (s, y). */
function direction(gradient: Float64Array, steps: Float64Array[], changes: Float64Array[]): Float64Array {
  const result = Float64Array.from(gradient, (value) => -value);
  const alphas = new Float64Array(steps.length);
  for (let pair = steps.length - 1; pair >= 0; pair--) {
    alphas[pair] = dot(steps[pair], result) / dot(changes[pair], steps[pair]);
    for (let index = 0; index < result.length; index++) result[index] -= alphas[pair] * changes[pair][index];
  }
  if (steps.length > 0) {
    const last = steps.length - 1;
    const scale = dot(steps[last], changes[last]) / dot(changes[last], changes[last]);
    for (let index = 0; index < result.length; index++) result[index] *= scale;
  }
  for (let pair = 0; pair < steps.length; pair++) {
    const beta = dot(changes[pair], result) / dot(changes[pair], steps[pair]);
    for (let index = 0; index < result.length; index++)
      result[index] += (alphas[pair] - beta) * steps[pair][index];
  }
  return result;
}

/** Minimises `objective` from `point` (changed in place to the minimiser found). */
export function minimize(objective: Objective, point: Float64Array, options: LbfgsOptions): LbfgsResult {
  const memory = options.memory ?? 10;
  const size = point.length;
  let gradient = new Float64Array(size);
  let value = objective(point, gradient);
  const steps: Float64Array[] = [];
  const changes: Float64Array[] = [];
  const trial = new Float64Array(size);
  let trialGradient = new Float64Array(size);
  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    if (largestMagnitude(gradient) < options.tolerance)
      return { value, iterations: iteration, converged: true };
    let search = direction(gradient, steps, changes);
    let slope = dot(gradient, search);
    if (!(slope < 0)) {
      // Not a descent direction (curvature lost): restart from steepest descent.
      steps.length = 0;
      changes.length = 0;
      search = Float64Array.from(gradient, (component) => -component);
      slope = dot(gradient, search);
    }
    let stepSize = iteration === 0 && steps.length === 0 ? 1 / Math.max(1, Math.sqrt(-slope)) : 1;
    let trialValue = Infinity;
    for (let halving = 0; halving < 40; halving++) {
      for (let index = 0; index < size; index++) trial[index] = point[index] + stepSize * search[index];
      trialValue = objective(trial, trialGradient);
      if (trialValue <= value + 1e-4 * stepSize * slope) break;
      stepSize /= 2;
    }
    if (!(trialValue < value) && !(trialValue <= value))
      return { value, iterations: iteration, converged: false };
    const step = new Float64Array(size);
    const change = new Float64Array(size);
    for (let index = 0; index < size; index++) {
      step[index] = trial[index] - point[index];
      change[index] = trialGradient[index] - gradient[index];
    }
    point.set(trial);
    [gradient, trialGradient] = [trialGradient, gradient];
    const improvement = value - trialValue;
    value = trialValue;
    if (dot(step, change) > 1e-12) {
      steps.push(step);
      changes.push(change);
      if (steps.length > memory) {
        steps.shift();
        changes.shift();
      }
    }
    if (improvement <= 1e-12 * Math.max(1, Math.abs(value)))
      return { value, iterations: iteration + 1, converged: true };
  }
  return {
    value,
    iterations: options.maxIterations,
    converged: largestMagnitude(gradient) < options.tolerance,
  };
}
