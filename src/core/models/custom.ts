/**
 * Custom models: a CommonJS module in the project exporting
 * `build(tf, { inputShape, outputUnits, task, options })` that returns a tf.LayersModel (compiled or not).
 * The module must use the `tf` it is given, so it runs on whichever backend the runner loaded.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import type { Task } from '../config';
import { TopdownError } from '../errors';
import { isContainedRelativePath, isInsideFolder } from '../paths';
import type { Candidate, WithDefaults } from './kinds/spec';
import type { ModelBuilder } from './neural';
import type { TF } from './types';

/** What a custom module's build() receives besides tf. */
export interface CustomBuildArguments {
  inputShape: number[];
  outputUnits: number;
  task: Task;
  options: Record<string, unknown>;
}

/** The signature a custom module exports. */
export type CustomBuild = (tf: TF, args: CustomBuildArguments) => tfTypes.LayersModel;

const MODULE_HINT =
  'Export `build(tf, { inputShape, outputUnits, task, options })` from a CommonJS module that returns a tf.LayersModel.';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Loads the module's build function; PATH_OUTSIDE_PROJECT when the path (or a link on it) leads outside the
 * project, CUSTOM_MODEL_FAILED when the file is missing, fails to load or exports no build().
 */
export function loadCustomBuild(modulePath: string, projectDir: string): CustomBuild {
  const file = resolve(projectDir, modulePath);
  // A project runs its own code only: a module (or a link to one) elsewhere is not the project's.
  if (!isContainedRelativePath(modulePath) || !isInsideFolder(projectDir, file)) {
    throw new TopdownError(
      'PATH_OUTSIDE_PROJECT',
      `The custom model module ${modulePath} is outside the project folder ${projectDir}.`,
      {
        file,
        hint: 'Put the module in the project (e.g. models/my-model.js) and give its path relative to the project.',
      },
    );
  }
  if (!existsSync(file)) {
    throw new TopdownError(
      'CUSTOM_MODEL_FAILED',
      `The custom model module ${modulePath} was not found (looked for ${file}).`,
      {
        file,
        hint: 'Check the `module` path of the candidate; it is relative to the project folder.',
      },
    );
  }
  let loaded: unknown;
  try {
    // Resolve from the project, so the module's own require() calls find the project's node_modules.
    loaded = createRequire(join(projectDir, 'package.json'))(file);
  } catch (error) {
    throw new TopdownError(
      'CUSTOM_MODEL_FAILED',
      `The custom model module ${modulePath} failed to load: ${messageOf(error)}`,
      {
        file,
        hint: MODULE_HINT,
      },
    );
  }
  const exported = loaded as { build?: unknown; default?: { build?: unknown } } | undefined;
  const build = exported?.build ?? exported?.default?.build;
  if (typeof build !== 'function') {
    throw new TopdownError(
      'CUSTOM_MODEL_FAILED',
      `The custom model module ${modulePath} does not export a build() function.`,
      {
        file,
        hint: MODULE_HINT,
      },
    );
  }
  return build as CustomBuild;
}

/**
 * For each tfjs class registry (one per loaded tfjs), the class names it held before any custom module ran:
 * those are the classes a bundle can load without code.
 */
const builtinClasses = new Map<object, ReadonlySet<string>>();

/** Notes the classes tfjs knows by itself, once, before a custom module may register its own. */
function noteBuiltinClasses(tf: TF): void {
  const registry = tf.serialization.SerializationMap.getMap().classNameMap;
  if (!builtinClasses.has(registry)) builtinClasses.set(registry, new Set(Object.keys(registry)));
}

/**
 * The classes a custom module registered (`tf.serialization.registerClass`) that `topology` uses: a bundle holds
 * no code, so a model with them could not be loaded to predict. Empty when no custom module was loaded.
 */
export function customClassesIn(topology: unknown): string[] {
  const added = new Set<string>();
  for (const [registry, builtin] of builtinClasses)
    for (const name of Object.keys(registry)) if (!builtin.has(name)) added.add(name);
  if (added.size === 0) return [];
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'class_name' && typeof inner === 'string' && added.has(inner)) found.add(inner);
        else visit(inner);
      }
    }
  };
  visit(topology);
  return [...found];
}

/** The resolved custom candidate (resolveCandidate gives `options` its default, `{}`). */
export type ResolvedCustom = WithDefaults<Candidate<'custom'>, 'options'>;

/** A builder that calls the module and checks that its output is [null, outputUnits]. */
export function customBuilder(candidate: ResolvedCustom): ModelBuilder {
  return (tf, context) => {
    noteBuiltinClasses(tf);
    const build = loadCustomBuild(candidate.module, context.projectDir);
    const file = resolve(context.projectDir, candidate.module);
    let model: tfTypes.LayersModel;
    try {
      model = build(tf, {
        inputShape: [...context.inputShape],
        outputUnits: context.outputUnits,
        task: context.task,
        options: candidate.options,
      });
    } catch (error) {
      throw new TopdownError(
        'CUSTOM_MODEL_FAILED',
        `build() in ${candidate.module} threw: ${messageOf(error)}`,
        { file, hint: MODULE_HINT },
      );
    }
    if (!model || typeof (model as { fit?: unknown }).fit !== 'function' || !Array.isArray(model.outputs)) {
      throw new TopdownError(
        'CUSTOM_MODEL_FAILED',
        `build() in ${candidate.module} did not return a tf.LayersModel.`,
        { file, hint: MODULE_HINT },
      );
    }
    const got = model.outputs.map((output) => output.shape);
    const shape = got.length === 1 ? got[0] : undefined;
    if (!shape || shape.length !== 2 || shape[1] !== context.outputUnits) {
      const shown = got
        .map((outputShape) => `[${outputShape.map((size) => (size === null ? 'null' : size)).join(', ')}]`)
        .join(', ');
      model.dispose();
      throw new TopdownError(
        'CUSTOM_MODEL_SHAPE',
        `The model from ${candidate.module} outputs ${shown}, expected [null, ${context.outputUnits}] (one output of ${context.outputUnits} units).`,
        { file, hint: 'End the model with a dense layer of `outputUnits` units (softmax for classes).' },
      );
    }
    return model;
  };
}
