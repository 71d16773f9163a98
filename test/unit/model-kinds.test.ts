/**
 * The registry of model kinds against the project schema, and a conformance suite that runs every registered
 * kind through the same checks (scikit-learn's check_estimator): defaults, limits, tasks, fit, save and load.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { CandidateConfig, ModelKind, Task } from '../../src/core/config';
import { TopdownError } from '../../src/core/errors';
import { kindProblem, MODEL_KINDS, MODEL_SPECS, resolveCandidate } from '../../src/core/models/kinds';
import { describeInvalidValue, type Candidate, type ParameterSpec } from '../../src/core/models/kinds/spec';
import { loadEstimator, saveEstimator } from '../../src/core/models/persist';
import { createEstimator } from '../../src/core/models/zoo';
import { loadBackend } from '../../src/runner/backend';
import {
  blobs,
  contextFor,
  halves,
  plane,
  sine,
  wordCounts,
  type Problem,
  tokenSequences,
} from '../fixtures/models/datasets';

interface SchemaNode {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  enumDescriptions?: string[];
  const?: string;
  default?: unknown;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  minLength?: number;
  items?: SchemaNode;
  required?: string[];
  properties?: Record<string, SchemaNode>;
  allOf?: Array<{ if: { properties: { model: SchemaNode } }; then: SchemaNode }>;
}

const schema = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'schemas', 'topdown.schema.json'), 'utf8'),
) as { definitions: Record<string, SchemaNode> };

function definition(node: SchemaNode): SchemaNode {
  return node.$ref ? definition(schema.definitions[node.$ref.replace('#/definitions/', '')]) : node;
}

/** The schema's definition of one kind's candidate (the `then` of its branch in `candidate`). */
function candidateSchema(kind: ModelKind): SchemaNode {
  const branch = schema.definitions.candidate.allOf!.find(({ if: condition }) => {
    const model = condition.properties.model;
    return model.const === kind || (model.enum ?? []).includes(kind);
  });
  assert.ok(branch, `the schema has a branch for ${kind}`);
  return definition(branch.then);
}

/** What the schema says about one parameter that disagrees with its spec, or undefined. */
function disagreement(name: string, spec: ParameterSpec, node: SchemaNode): string | undefined {
  const { type } = spec;
  const expected: Partial<SchemaNode> = (() => {
    switch (type.kind) {
      case 'integer':
        return { type: 'integer', minimum: type.min, maximum: type.max };
      case 'number':
        return {
          type: 'number',
          [type.minExclusive ? 'exclusiveMinimum' : 'minimum']: type.min,
          ...(type.max === undefined
            ? {}
            : { [type.maxExclusive ? 'exclusiveMaximum' : 'maximum']: type.max }),
        };
      case 'integer-list':
        return { type: 'array', ...(type.minLength > 0 ? { minItems: type.minLength } : {}) };
      case 'enum':
        return { type: 'string', enum: [...type.values] };
      case 'boolean':
        return { type: 'boolean' };
      case 'string':
        return { type: 'string', minLength: 1 };
      case 'object':
        return { type: 'object' };
      case 'any':
        return {};
    }
  })();
  for (const [key, value] of Object.entries(expected)) {
    if (JSON.stringify(node[key as keyof SchemaNode]) !== JSON.stringify(value))
      return `${name}.${key}: schema ${JSON.stringify(node[key as keyof SchemaNode])}, spec ${JSON.stringify(value)}`;
  }
  if (type.kind === 'integer-list') {
    const { type: itemType, minimum, maximum } = definition(node.items!);
    const items = JSON.stringify({ itemType, minimum, maximum });
    if (items !== JSON.stringify({ itemType: 'integer', minimum: 1, maximum: type.max }))
      return `${name}.items: ${items}, spec maximum ${type.max}`;
  }
  if (
    node.default !== undefined &&
    spec.default !== undefined &&
    JSON.stringify(node.default) !== JSON.stringify(spec.default)
  )
    return `${name}.default: schema ${JSON.stringify(node.default)}, spec ${JSON.stringify(spec.default)}`;
  return undefined;
}

describe('model kind registry and the schema', () => {
  it('lists the kinds of the schema’s modelName enum, in its order, with its descriptions', () => {
    const modelName = schema.definitions.modelName;
    assert.deepEqual(MODEL_KINDS, modelName.enum);
    assert.deepEqual(
      MODEL_KINDS.map((kind) => MODEL_SPECS[kind].summary),
      modelName.enumDescriptions,
    );
  });

  for (const kind of MODEL_KINDS) {
    it(`${kind}: declares exactly the schema’s parameters, with its types, limits, defaults and required ones`, () => {
      const node = candidateSchema(kind);
      const { parameters } = MODEL_SPECS[kind];
      // `prepare` is every candidate's own pipeline (candidatePrepare), not a parameter of its kind.
      const shared = new Set(['name', 'model', 'prepare']);
      const schemaNames = Object.keys(node.properties!).filter((name) => !shared.has(name));
      assert.deepEqual(Object.keys(parameters).sort(), schemaNames.sort());
      assert.deepEqual(
        Object.keys(parameters).filter((name) => parameters[name].required),
        (node.required ?? []).filter((name) => name !== 'name' && name !== 'model'),
      );
      const problems = Object.entries(parameters)
        .map(([name, spec]) => disagreement(name, spec, definition(node.properties![name])))
        .filter((problem) => problem !== undefined);
      assert.deepEqual(problems, []);
    });
  }
});

/** A small problem each kind learns on, and a candidate with as few epochs as will do. */
const conformance: {
  [K in ModelKind]: { candidate: Candidate<K>; problem: () => Problem };
} = {
  baseline: { candidate: { name: 'base', model: 'baseline' }, problem: plane },
  linear: { candidate: { name: 'lin', model: 'linear', epochs: 2 }, problem: () => blobs(3) },
  mlp: { candidate: { name: 'net', model: 'mlp', layers: [3], epochs: 2 }, problem: plane },
  cnn: { candidate: { name: 'conv', model: 'cnn', filters: [2], epochs: 1 }, problem: halves },
  lstm: { candidate: { name: 'rnn', model: 'lstm', units: [3], epochs: 1 }, problem: sine },
  gru: { candidate: { name: 'rnn', model: 'gru', units: [3], epochs: 1 }, problem: sine },
  embedding: {
    candidate: { name: 'words', model: 'embedding', embeddingDim: 4, epochs: 2 },
    problem: tokenSequences,
  },
  knn: { candidate: { name: 'nn', model: 'knn' }, problem: () => blobs(2) },
  'decision-tree': { candidate: { name: 'tree', model: 'decision-tree' }, problem: sine },
  'random-forest': { candidate: { name: 'rf', model: 'random-forest', trees: 3 }, problem: () => blobs(3) },
  'naive-bayes': { candidate: { name: 'nb', model: 'naive-bayes' }, problem: () => blobs(3) },
  logistic: { candidate: { name: 'logistic', model: 'logistic' }, problem: wordCounts },
  'multinomial-nb': { candidate: { name: 'mnb', model: 'multinomial-nb' }, problem: wordCounts },
  custom: {
    candidate: { name: 'mine', model: 'custom', module: 'custom-dense.js', epochs: 1 },
    problem: () => blobs(2),
  },
};

const FIXTURES = join(__dirname, '..', 'fixtures', 'models');
const TASKS: Task[] = ['binary', 'multiclass', 'regression', 'time-series', 'image'];

describe('every registered model kind', () => {
  before(async () => {
    await loadBackend('cpu');
  });

  for (const kind of MODEL_KINDS) {
    const spec = MODEL_SPECS[kind];
    const { candidate, problem: makeProblem } = conformance[kind];

    it(`${kind}: its defaults pass its own limits, and resolving fills in every one`, () => {
      const resolved = resolveCandidate(candidate as CandidateConfig) as unknown as Record<string, unknown>;
      for (const [name, parameter] of Object.entries(spec.parameters)) {
        if (parameter.default === undefined) continue;
        assert.equal(describeInvalidValue(parameter.type, parameter.default), undefined, name);
        if ((candidate as unknown as Record<string, unknown>)[name] === undefined)
          assert.deepEqual(resolved[name], parameter.default, name);
      }
    });

    it(`${kind}: fits, predicts, and predicts the same after save and load`, async () => {
      const problem = makeProblem();
      const context = contextFor(problem, tf, 3, FIXTURES);
      const estimator = createEstimator(candidate as CandidateConfig, context);
      assert.equal(estimator.kind, kind);
      assert.deepEqual(
        estimator.getParams(),
        JSON.parse(
          JSON.stringify({
            ...resolveCandidate(candidate as CandidateConfig, problem.task),
            ...pick(estimator.getParams(), 'strategy'),
          }),
        ),
      );
      await estimator.fit(problem.train);
      const before = await estimator.predict(problem.test);
      assert.equal(before.length, problem.test.xShape[0] * problem.outputUnits);
      const dir = mkdtempSync(join(tmpdir(), 'topdown-kinds-'));
      const { task, inputShape, outputUnits, classes, seed } = context;
      const files = await saveEstimator(estimator, { task, inputShape, outputUnits, classes, seed }, dir);
      estimator.dispose();
      assert.deepEqual(
        files,
        spec.saving.format === 'network'
          ? ['estimator.json', 'model.json', 'weights.bin']
          : ['estimator.json'],
      );
      if (spec.tensorflow) {
        await assert.rejects(
          () => loadEstimator(dir),
          (error: unknown) => error instanceof TopdownError && error.code === 'BACKEND_UNAVAILABLE',
        );
      }
      const loaded = await loadEstimator(dir, { tf: spec.tensorflow ? tf : undefined });
      const after = await loaded.predict(problem.test);
      loaded.dispose();
      assert.equal(after.length, before.length);
      before.forEach((value, index) => assert.ok(Math.abs(after[index] - value) <= 1e-6, `value ${index}`));
    });

    it(`${kind}: refuses exactly the tasks it does not serve, in the zoo as in the project checks`, () => {
      for (const task of TASKS) {
        const problem = kindProblem(kind, { task });
        const serves = spec.tasks === undefined || spec.tasks.allowed.includes(task);
        assert.equal(problem === undefined, serves, `${kind} on ${task}`);
        if (serves) continue;
        assert.match(problem!, new RegExp(`^model \`${kind}\` needs `));
        const context = { ...contextFor(makeProblem(), tf), task };
        assert.throws(
          () => createEstimator(candidate as CandidateConfig, context),
          (error: unknown) =>
            error instanceof TopdownError &&
            error.code === 'MODEL_INVALID' &&
            error.message.includes(problem!),
        );
      }
    });
  }

  it('rejects a parameter outside its limits with MODEL_INVALID naming the parameter and the value', () => {
    assert.throws(
      () => createEstimator({ name: 'rf', model: 'random-forest', maxFeatures: 0 }, contextFor(blobs(2))),
      (error: unknown) =>
        error instanceof TopdownError &&
        error.code === 'MODEL_INVALID' &&
        error.message === 'Candidate "rf" (random-forest): maxFeatures must be greater than 0, got 0.',
    );
  });
});

function pick(object: Record<string, unknown>, key: string): Record<string, unknown> {
  return key in object ? { [key]: object[key] } : {};
}
