/**
 * The compiled validator of `topdown.json`. Compiling the schema with ajv costs about half a second of CPU, on
 * every start of the CLI: the bundles (esbuild.mjs) replace this module with the same validator compiled at build
 * time (scripts/schema-validator.mjs), and this runtime compile serves unbundled code (tsx, tests).
 */
import Ajv from 'ajv';
import type { Options, ValidateFunction } from 'ajv';
import options from './schema-validator-options.json';
import schema from '../../schemas/topdown.schema.json';

/**
 * ajv's options for the project schema (schema-validator-options.json, read by the build-time compile too):
 * every error, with the failing schema (`verbose`), and the editor-only annotation keywords of VS Code's JSON
 * language service allowed.
 */
export const AJV_OPTIONS = options as Options;

/** Compiles the project schema (the bundles get it precompiled). */
export function compileProjectValidator(): ValidateFunction {
  return new Ajv(AJV_OPTIONS).compile(schema);
}
