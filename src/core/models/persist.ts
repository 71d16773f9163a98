/**
 * Saving a fitted estimator to a folder and loading it back, so a model bundle predicts exactly as the
 * estimator did before saving. Every kind writes `estimator.json` (kind, resolved params, shapes, and the
 * fitted state of classic models: trees and forests as flat arrays (forest.ts), k-NN's training samples, naive
 * Bayes' statistics, the baseline's constant). TensorFlow.js networks also write the standard tfjs layers
 * format, `model.json` + `weights.bin`, through a custom `tf.io` handler on `fs` (the `file://` handler
 * needs tfjs-node). Custom models load from their topology, so their layers must be built-in tfjs layers.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import type { CandidateConfig, Task } from '../config';
import type { Dataset } from '../dataset';
import { TopdownError } from '../errors';
import { customClassesIn } from './custom';
import { addPersistence } from './forecast';
import { invalidFile, readJsonFile } from './bundle-json';
import { modelSpec } from './kinds';
import type { ModelSpec } from './kinds/spec';
import { NeuralEstimator, networkOutputs, type FittedNetwork } from './neural';
import { createEstimator, needsTensorflow } from './zoo';
import type { Estimator, FitResult, JsonObject, TF } from './types';

/** The estimator description every saved model has. */
export const ESTIMATOR_FILE = 'estimator.json';
/** A network's topology and weights manifest (tfjs layers format). */
export const TOPOLOGY_FILE = 'model.json';
/** A network's weights, as the manifest in model.json describes them. */
export const WEIGHTS_FILE = 'weights.bin';
export { readJsonFile } from './bundle-json';

/** Version of estimator.json; a newer one is refused with SCHEMA_TOO_NEW. */
export const ESTIMATOR_STATE_VERSION = 1;

/** What a model needs to know about its problem to predict again. */
export interface SavedContext {
  task: Task;
  inputShape: number[];
  outputUnits: number;
  classes?: string[];
  seed: number;
}

/** `estimator.json`. */
export interface SavedEstimator {
  version: number;
  kind: CandidateConfig['model'];
  /** The resolved candidate. */
  params: JsonObject;
  context: SavedContext;
  /** Classic models and the baseline: their fitted state (exportState()). */
  state?: JsonObject;
  /**
   * Networks: the target scaling predict() undoes; `forecast: 'change'` when the network forecasts the change
   * over persistence (added back when predicting). Absent (bundles saved before it existed): the level.
   */
  network?: { targetMean?: number[]; targetScale?: number[]; forecast?: 'change' };
}

/** The kind of a saved or fitted model, or `fail` with a message when there is none by that name. */
function specFor(kind: string, fail: (message: string) => TopdownError): ModelSpec {
  const spec = modelSpec(kind);
  if (!spec) throw fail(`There is no model kind "${kind}".`);
  return spec;
}

/** The network inside a fitted estimator of a TensorFlow.js kind. */
function fittedNetwork(estimator: Estimator): FittedNetwork {
  if (estimator instanceof NeuralEstimator) return estimator.exportFitted();
  throw new TopdownError(
    'INTERNAL',
    `A ${estimator.kind} estimator is not a network and cannot be saved as one.`,
  );
}

/**
 * Writes a fitted estimator into `dir` (which exists) and returns the names of the files written.
 * `params` is the resolved candidate (estimator.getParams()).
 */
export async function saveEstimator(
  estimator: Estimator,
  context: SavedContext,
  dir: string,
): Promise<string[]> {
  const saved: SavedEstimator = {
    version: ESTIMATOR_STATE_VERSION,
    kind: estimator.kind,
    params: estimator.getParams(),
    context: JSON.parse(JSON.stringify(context)) as SavedContext,
  };
  const files = [ESTIMATOR_FILE];
  const { saving } = specFor(estimator.kind, (message) => new TopdownError('INTERNAL', message));
  if (saving.format === 'network') {
    const fitted = fittedNetwork(estimator);
    saved.network = {};
    if (fitted.targetMean) saved.network.targetMean = fitted.targetMean;
    if (fitted.targetScale) saved.network.targetScale = fitted.targetScale;
    if (fitted.forecast) saved.network.forecast = fitted.forecast;
    await saveNetwork(fitted.model, dir, estimator.kind === 'custom' ? estimator.getParams() : undefined);
    files.push(TOPOLOGY_FILE, WEIGHTS_FILE);
  } else {
    saved.state = saving.save(estimator);
  }
  writeFileSync(join(dir, ESTIMATOR_FILE), JSON.stringify(saved) + '\n');
  return files;
}

/**
 * Writes model.json + weights.bin in the tfjs layers format. A custom model (`custom` its params) whose layers
 * include a class its module registered is refused: the bundle could not load it without running that code.
 */
async function saveNetwork(model: tfTypes.LayersModel, dir: string, custom?: JsonObject): Promise<void> {
  await model.save({
    save: async (artifacts: tfTypes.io.ModelArtifacts) => {
      if (custom) checkLoadableTopology(artifacts.modelTopology, custom);
      const weights = weightBytes(artifacts.weightData);
      writeFileSync(join(dir, WEIGHTS_FILE), weights);
      const topology = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileSync(join(dir, TOPOLOGY_FILE), JSON.stringify(topology) + '\n');
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weights.byteLength,
        },
      };
    },
  });
}

function checkLoadableTopology(topology: unknown, params: JsonObject): void {
  const classes = customClassesIn(topology);
  if (classes.length === 0) return;
  throw new TopdownError(
    'CUSTOM_MODEL_FAILED',
    `The custom model "${String(params.name)}" (${String(params.module)}) uses the layer class ${classes.join(', ')}, which its module registered: a model bundle holds no code, so it could not be loaded to predict.`,
    {
      hint: 'Build the model from built-in TensorFlow.js layers (tf.layers.*) so it can be saved and shared.',
    },
  );
}

/** tfjs 4 hands weights as one ArrayBuffer or as several (large models); the file holds them in order. */
function weightBytes(data: tfTypes.io.ModelArtifacts['weightData']): Buffer {
  if (data === undefined) return Buffer.alloc(0);
  const parts = Array.isArray(data) ? data : [data];
  return Buffer.concat(parts.map((part) => Buffer.from(part)));
}

/** The description in `dir`/estimator.json, checked for its version. */
export function readSavedEstimator(dir: string): SavedEstimator {
  const file = join(dir, ESTIMATOR_FILE);
  const saved = readJsonFile<SavedEstimator>(file);
  if (typeof saved !== 'object' || saved === null || typeof saved.kind !== 'string' || !saved.context) {
    throw invalidFile(file, `The model file ${file} does not describe a model.`);
  }
  if (!(saved.version <= ESTIMATOR_STATE_VERSION)) {
    throw new TopdownError(
      'SCHEMA_TOO_NEW',
      `${file} has version ${saved.version}; this Topdown reads up to ${ESTIMATOR_STATE_VERSION}.`,
      { file, hint: 'Update Topdown to load this model.' },
    );
  }
  return saved;
}

/**
 * A bundle is data: its model is either a tfjs network (topology + weights) or a classic model's JSON state.
 * The kind and `params.model` must agree and be a kind of the zoo that saves one of those, so no saved JSON can
 * make the loader build a custom model, whose builder would load a module. Returns the kind's spec.
 */
function checkSavedKind(saved: SavedEstimator, file: string): ModelSpec {
  const kind = String(saved.kind);
  const model = typeof saved.params === 'object' && saved.params !== null ? saved.params.model : undefined;
  const spec = specFor(kind, () =>
    invalidFile(file, `The model file ${file} names an unknown model kind "${kind}".`),
  );
  if (model !== kind) {
    throw invalidFile(
      file,
      `The model file ${file} is of kind "${kind}" but its parameters describe a "${String(model)}" model.`,
    );
  }
  return spec;
}

/** Whether the model saved in `dir` needs TensorFlow.js to predict. */
export function savedModelNeedsTensorflow(dir: string): boolean {
  return needsTensorflow(readSavedEstimator(dir).kind);
}

/**
 * Loads the estimator saved in `dir`. It predicts as the saved one did; it cannot be fitted again.
 * Networks need `tf` (BACKEND_UNAVAILABLE otherwise).
 */
export async function loadEstimator(dir: string, options: { tf?: TF } = {}): Promise<Estimator> {
  const saved = readSavedEstimator(dir);
  const file = join(dir, ESTIMATOR_FILE);
  const { saving } = checkSavedKind(saved, file);
  const context = { ...saved.context, tf: options.tf, projectDir: dir };
  if (saving.format === 'network') {
    if (!options.tf) {
      throw new TopdownError(
        'BACKEND_UNAVAILABLE',
        `The ${saved.kind} model in ${dir} needs TensorFlow.js, but no backend was loaded.`,
      );
    }
    const model = await loadNetwork(options.tf, dir);
    return new LoadedNetwork(saved, options.tf, model);
  }
  let estimator: Estimator;
  try {
    estimator = createEstimator(saved.params as unknown as CandidateConfig, context);
  } catch (error) {
    // Saved parameters are data: any that the kind refuses (a string for `k`, say) make the file invalid.
    const reason = error instanceof Error ? error.message : String(error);
    throw invalidFile(file, `The ${saved.kind} model in ${dir} has parameters it cannot use (${reason}).`);
  }
  if (!saved.state) throw invalidFile(file, `The ${saved.kind} model in ${dir} has no saved state.`);
  try {
    saving.load(estimator, saved.state);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalidFile(file, `The ${saved.kind} model in ${dir} cannot be read (${reason}).`);
  }
  return estimator;
}

interface TopologyFile {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: object;
  weightsManifest: Array<{ paths: string[]; weights: tfTypes.io.WeightsManifestEntry[] }>;
}

async function loadNetwork(tf: TF, dir: string): Promise<tfTypes.LayersModel> {
  const topologyFile = join(dir, TOPOLOGY_FILE);
  const weightsFile = join(dir, WEIGHTS_FILE);
  const topology = readJsonFile<TopologyFile>(topologyFile);
  if (!topology.modelTopology || !Array.isArray(topology.weightsManifest)) {
    throw invalidFile(topologyFile, `${topologyFile} is not a TensorFlow.js layers model.`);
  }
  if (!existsSync(weightsFile)) throw invalidFile(weightsFile, `The model file ${weightsFile} is missing.`);
  const bytes = readFileSync(weightsFile);
  const weightSpecs = topology.weightsManifest.flatMap((group) => group.weights);
  const expected = weightSpecs.reduce((total, spec) => total + weightSpecByteLength(spec), 0);
  if (bytes.byteLength !== expected) {
    throw invalidFile(
      weightsFile,
      `${weightsFile} holds ${bytes.byteLength} bytes; model.json describes ${expected}.`,
    );
  }
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  try {
    return await tf.loadLayersModel({
      load: async () => ({
        modelTopology: topology.modelTopology,
        format: topology.format,
        generatedBy: topology.generatedBy,
        convertedBy: topology.convertedBy ?? undefined,
        weightSpecs,
        weightData,
      }),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalidFile(
      topologyFile,
      `The network in ${topologyFile} cannot be loaded: ${reason}`,
      'A custom model must use built-in TensorFlow.js layers to be saved; otherwise run `topdown present` again.',
    );
  }
}

const DTYPE_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

function weightSpecByteLength(spec: tfTypes.io.WeightsManifestEntry): number {
  const count = spec.shape.reduce((product, dimension) => product * dimension, 1);
  const quantized = spec.quantization?.dtype;
  return count * (DTYPE_BYTES[quantized ?? spec.dtype] ?? 4);
}

/** A network loaded from a bundle: predicts exactly as NeuralEstimator.predict did (same ops, same scaling). */
class LoadedNetwork implements Estimator {
  readonly kind: CandidateConfig['model'];
  private model?: tfTypes.LayersModel;

  constructor(
    private readonly saved: SavedEstimator,
    private readonly tf: TF,
    model: tfTypes.LayersModel,
  ) {
    this.kind = saved.kind;
    this.model = model;
  }

  getParams(): JsonObject {
    return JSON.parse(JSON.stringify(this.saved.params)) as JsonObject;
  }

  async fit(): Promise<FitResult> {
    throw new TopdownError(
      'INTERNAL',
      'A model loaded from a bundle predicts only; fit a new estimator instead.',
    );
  }

  async predict(data: Dataset): Promise<Float32Array> {
    const model = this.model;
    if (!model) throw new TopdownError('INTERNAL', 'The loaded model was used after dispose().');
    const values = await networkOutputs(this.tf, model, data);
    const { targetMean, targetScale, forecast } = this.saved.network ?? {};
    if (targetMean && targetScale) {
      const width = targetMean.length;
      for (let index = 0; index < values.length; index++)
        values[index] = values[index] * targetScale[index % width] + targetMean[index % width];
    }
    if (forecast === 'change') addPersistence(values, data, String(this.saved.params.name ?? this.kind));
    return values;
  }

  dispose(): void {
    this.model?.dispose();
    this.model = undefined;
  }
}
