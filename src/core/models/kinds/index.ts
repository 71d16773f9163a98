/**
 * The registry of model kinds: one entry per kind, each in its own file of this folder (see spec.ts). Everything
 * that differs by kind reads it: defaults (resolveCandidate), checks (the zoo and the project file), the tasks a
 * kind serves (checks and the planner), what step 4 may tune, whether TensorFlow.js is needed, and saving.
 * Adding a kind: its file here, its entry below (the compiler asks for it once the kind is in `CandidateConfig`),
 * and its branch in `schemas/topdown.schema.json` (test/unit/model-kinds.test.ts compares the two).
 */
import type { CandidateConfig, ModelKind, Task } from '../../config';
import { denseFeatures, type Dataset } from '../../dataset';
import { baseline } from './baseline';
import { cnn } from './cnn';
import { custom } from './custom';
import { decisionTree } from './decision-tree';
import { embedding } from './embedding';
import { gru } from './gru';
import { knn } from './knn';
import { linear } from './linear';
import { logistic } from './logistic';
import { lstm } from './lstm';
import { mlp } from './mlp';
import { multinomialNb } from './multinomial-nb';
import { naiveBayes } from './naive-bayes';
import { randomForest } from './random-forest';
import type { ModelSpec, ParameterType } from './spec';

/** Every kind of the zoo, in the order the schema's `modelName` enum lists them. */
// `never`: each entry's `create` takes its own resolved candidate; resolveCandidate makes one for any kind.
export const MODEL_SPECS: { readonly [K in ModelKind]: ModelSpec<K, never> } = {
  baseline,
  linear,
  mlp,
  cnn,
  lstm,
  gru,
  embedding,
  knn,
  'decision-tree': decisionTree,
  'random-forest': randomForest,
  'naive-bayes': naiveBayes,
  logistic,
  'multinomial-nb': multinomialNb,
  custom,
};

/** The kinds, in registry order. */
export const MODEL_KINDS = Object.keys(MODEL_SPECS) as readonly ModelKind[];

/** Whether `kind` names a kind of the zoo (run records and bundles may hold anything). */
export function isModelKind(kind: string): kind is ModelKind {
  return Object.prototype.hasOwnProperty.call(MODEL_SPECS, kind);
}

/** The spec of a kind, or undefined for a name that is not one (a config that skipped the schema). */
export function modelSpec(kind: string): ModelSpec | undefined {
  return isModelKind(kind) ? (MODEL_SPECS[kind] as ModelSpec) : undefined;
}

/** Whether a model kind needs TensorFlow.js. */
export function needsTensorflow(kind: string): boolean {
  return modelSpec(kind)?.tensorflow ?? false;
}

/** The kinds that train with TensorFlow.js. */
export const NEURAL_MODELS: ReadonlySet<ModelKind> = new Set(MODEL_KINDS.filter(needsTensorflow));

/** Kinds trained for a number of epochs (the ones successive halving can schedule). */
export const EPOCH_MODEL_KINDS: readonly ModelKind[] = MODEL_KINDS.filter(
  (kind) => 'epochs' in MODEL_SPECS[kind].parameters,
);

/** The parameters step 4 may tune for `kind`, with their types (empty for an unknown kind). */
export function tunableParameterTypes(kind: string): Record<string, ParameterType> {
  const parameters = modelSpec(kind)?.parameters ?? {};
  return Object.fromEntries(
    Object.entries(parameters)
      .filter(([, parameter]) => parameter.tunable !== false)
      .map(([name, parameter]) => [name, parameter.type]),
  );
}

/**
 * Why `kind` cannot serve the problem, as a sentence naming the model (`model \`cnn\` needs task \`image\` (task
 * is \`binary\`); use \`mlp\` for tabular data`), or undefined when it can. `windowed`: whether `prepare` has a
 * `window` op; left out, it is not checked (the zoo sees no preparation, only the data's shape).
 */
export function kindProblem(kind: string, problem: { task: Task; windowed?: boolean }): string | undefined {
  const spec = modelSpec(kind);
  const rule = spec?.tasks;
  if (rule && !rule.allowed.includes(problem.task)) {
    const advice = rule.advice ? `; ${rule.advice}` : '';
    return `model \`${kind}\` needs ${rule.needs} (task is \`${problem.task}\`)${advice}`;
  }
  if (spec?.needsWindow && problem.windowed === false) {
    return `model \`${kind}\` needs a \`window\` op in \`prepare\` (time series), e.g. {"op": "window", "lookBack": 12}`;
  }
  return undefined;
}

/** Whether `kind` serves `task` (the planner proposes only kinds that do). */
export function suitsTask(kind: ModelKind, task: Task): boolean {
  return kindProblem(kind, { task }) === undefined;
}

/**
 * The candidate with every default filled in (what run records store). Unknown keys are kept as given; the
 * candidate itself is not changed. With `task` `time-series`, kinds with a `forecast` parameter also get
 * `forecast` (default `change`); without a task it is left as given.
 */
export function resolveCandidate(candidate: CandidateConfig, task?: Task): CandidateConfig {
  const spec = modelSpec(candidate.model);
  const resolved: Record<string, unknown> = { ...candidate };
  if (!spec) return resolved as CandidateConfig;
  for (const [name, parameter] of Object.entries(spec.parameters)) {
    if (resolved[name] === undefined && parameter.default !== undefined)
      resolved[name] = structuredClone(parameter.default);
  }
  return spec.resolve ? spec.resolve(resolved as CandidateConfig, task) : (resolved as CandidateConfig);
}

/**
 * The data as a kind reads it: sparse text features stay sparse for kinds that read them, and are made dense for
 * the others (MODEL_INVALID when too large to).
 */
export function modelInput(dataset: Dataset, kind: string): Dataset {
  return modelSpec(kind)?.sparseInput ? dataset : denseFeatures(dataset, `model "${kind}"`);
}
