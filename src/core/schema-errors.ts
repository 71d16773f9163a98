/**
 * Validates `topdown.json` against schemas/topdown.schema.json with ajv and turns ajv's errors into one clear
 * problem per location: the message names the field, says what is allowed, and suggests the closest name for
 * a misspelling ("unknown field `epoch` in /evaluate/candidates/2; did you mean `epochs`?").
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { nearestName } from './names';
import schema from '../../schemas/topdown.schema.json';
import { parsePointer, toPointer } from './json-text';
import { compileProjectValidator } from './schema-validator';
import type { JsonText, ProjectProblem } from './json-text';

/** The JSON Schema of topdown.json, as shipped in schemas/ (and used by VS Code's jsonValidation). */
export const PROJECT_SCHEMA: Record<string, unknown> = schema;

let compiled: ValidateFunction | undefined;

/** The validator, made once on first use (precompiled in the bundles; see schema-validator.ts). */
function validator(): ValidateFunction {
  compiled ??= compileProjectValidator();
  return compiled;
}

/** Schema problems of a parsed project file (empty when it conforms), in text order. */
export function schemaProblems(document: JsonText, value: unknown): ProjectProblem[] {
  const validate = validator();
  if (validate(value)) return [];
  const errors = collapse(validate.errors ?? []);
  const problems: ProjectProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const problem = toProblem(document, value, error);
    const key = `${problem.field}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems.sort((a, b) => a.line - b.line || a.character - b.character);
}

/**
 * Removes ajv's cascades: the `if` errors of a discriminator (the `then` branch's own errors say what is
 * wrong) and every branch error under a failed `oneOf`/`anyOf` (reported once, at its location).
 */
function collapse(errors: ErrorObject[]): ErrorObject[] {
  const alternatives = errors.filter((error) => error.keyword === 'oneOf' || error.keyword === 'anyOf');
  return errors.filter((error) => {
    if (error.keyword === 'if') return false;
    return !alternatives.some(
      (alternative) => alternative !== error && error.schemaPath.startsWith(alternative.schemaPath + '/'),
    );
  });
}

/** Names a field for a message: "`epochs` in /evaluate/candidates/2", "`problem`", "`/prepare/1`". */
export function describeField(pointer: string): string {
  const segments = parsePointer(pointer);
  if (segments.length === 0) return 'topdown.json';
  const last = segments[segments.length - 1];
  if (/^\d+$/.test(last)) return `\`${pointer}\``;
  const parent = toPointer(segments.slice(0, -1));
  return parent === '' ? `\`${last}\`` : `\`${last}\` in ${parent}`;
}

/** The closest allowed name to a misspelt one, when it is close enough to be a likely typo. */
export function closestName(word: string, allowed: readonly string[]): string | undefined {
  const nearest = nearestName(word, allowed);
  const tolerance = Math.max(1, Math.floor(word.length / 3));
  return nearest && nearest.distance <= tolerance ? nearest.name : undefined;
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const segment of parsePointer(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** " (op `impute`)" or " (model `mlp`)" for an object that is a prepare op or a candidate. */
function kindOf(object: unknown): string {
  if (object === null || typeof object !== 'object') return '';
  const record = object as Record<string, unknown>;
  if (typeof record.op === 'string') return ` (op \`${record.op}\`)`;
  if (typeof record.model === 'string') return ` (model \`${record.model}\`)`;
  return '';
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? text.slice(0, 37) + '...' : text;
}

function typeName(type: string): string {
  const names: Record<string, string> = {
    integer: 'an integer',
    number: 'a number',
    string: 'a string in double quotes',
    boolean: 'true or false',
    array: 'an array',
    object: 'an object',
    null: 'null',
  };
  return names[type] ?? type;
}

function actualType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'string') return `the string ${show(value)}`;
  return `${typeof value} ${show(value)}`;
}

/** "greater than 0 and less than 0.5", from the bounds the schema declares. */
function bounds(schemaNode: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof schemaNode.minimum === 'number') parts.push(`at least ${schemaNode.minimum}`);
  if (typeof schemaNode.exclusiveMinimum === 'number')
    parts.push(`greater than ${schemaNode.exclusiveMinimum}`);
  if (typeof schemaNode.maximum === 'number') parts.push(`at most ${schemaNode.maximum}`);
  if (typeof schemaNode.exclusiveMaximum === 'number') parts.push(`less than ${schemaNode.exclusiveMaximum}`);
  return parts.join(' and ');
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function toProblem(document: JsonText, root: unknown, error: ErrorObject): ProjectProblem {
  const pointer = error.instancePath;
  const params = error.params as Record<string, unknown>;
  const data: unknown = error.data;
  const where = pointer === '' ? '' : ` in ${pointer}`;
  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      const message = `missing required field \`${missing}\`${where}${kindOf(data)}`;
      return finish(document, `${pointer}/${missing}`, pointer, 'key', message);
    }
    case 'additionalProperties': {
      const unknown = String(params.additionalProperty);
      const parentSchema = (error.parentSchema ?? {}) as Record<string, unknown>;
      const allowed = Object.keys((parentSchema.properties as Record<string, unknown> | undefined) ?? {});
      const suggestion = closestName(unknown, allowed);
      const message =
        `unknown field \`${unknown}\`${where}; ` +
        (suggestion ? `did you mean \`${suggestion}\`?` : `allowed fields: ${allowed.join(', ')}`);
      const target = `${pointer}/${unknown}`;
      return finish(document, target, target, 'key', message);
    }
    default:
      return finish(document, pointer, pointer, 'value', keywordMessage(root, error));
  }
}

/** The message for a schema error at the field's value (a wrong value, type, bound, length or form). */
function keywordMessage(root: unknown, error: ErrorObject): string {
  const pointer = error.instancePath;
  const field = describeField(pointer);
  const parentSchema = (error.parentSchema ?? {}) as Record<string, unknown>;
  const params = error.params as Record<string, unknown>;
  const data: unknown = error.data;
  switch (error.keyword) {
    case 'enum':
      return enumMessage(pointer, field, ((params.allowedValues as unknown[]) ?? []).map(String), data);
    case 'type': {
      const expected = String(params.type)
        .split(',')
        .map((type) => typeName(type))
        .join(' or ');
      return `${field} must be ${expected}, not ${actualType(data)}`;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${field} must be ${bounds(parentSchema)} (got ${show(data)})`;
    case 'minItems':
    case 'maxItems': {
      const exact = parentSchema.minItems !== undefined && parentSchema.minItems === parentSchema.maxItems;
      const limit = Number(params.limit);
      const quantity = exact ? 'exactly' : error.keyword === 'minItems' ? 'at least' : 'at most';
      return `${field} must have ${quantity} ${plural(limit, 'item')} (has ${Array.isArray(data) ? data.length : 0})`;
    }
    case 'minLength':
      return Number(params.limit) === 1
        ? `${field} must not be empty`
        : `${field} must have at least ${plural(Number(params.limit), 'character')}`;
    case 'uniqueItems':
      return `${field} must not repeat items (items ${params.j} and ${params.i} are the same)`;
    case 'oneOf':
    case 'anyOf':
      return `${field} does not match any allowed form${kindOf(valueAt(root, pointer))}`;
    case 'const':
      return `${field} must be ${show(params.allowedValue)} (got ${show(data)})`;
    default:
      return `${field} ${error.message ?? 'is not valid'}`;
  }
}

/** A value outside an enum: an unknown op or model names its parent; any other field lists what it allows. */
function enumMessage(pointer: string, field: string, allowed: string[], data: unknown): string {
  const segments = parsePointer(pointer);
  const name = segments[segments.length - 1];
  const suggestion = typeof data === 'string' ? closestName(data, allowed) : undefined;
  const didYouMean = suggestion ? `did you mean \`${suggestion}\`? ` : '';
  if ((name === 'op' || name === 'model') && typeof data === 'string') {
    const parent = toPointer(segments.slice(0, -1));
    return `unknown ${name} \`${data}\` in ${parent}; ${didYouMean}allowed ${name}s: ${allowed.join(', ')}`;
  }
  const message = `${field} must be one of: ${allowed.join(', ')} (got ${show(data)})`;
  return suggestion ? `${message}; did you mean \`${suggestion}\`?` : message;
}

function finish(
  document: JsonText,
  field: string,
  locate: string,
  part: 'key' | 'value',
  message: string,
): ProjectProblem {
  return { message, field, severity: 'error', ...document.rangeOf(locate, part) };
}
