import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROJECT_SCHEMA } from '../../src/core/project';

type SchemaNode = Record<string, unknown>;

const definitions = PROJECT_SCHEMA.definitions as Record<string, SchemaNode>;

function resolveReference(node: SchemaNode): SchemaNode {
  const reference = node.$ref;
  if (typeof reference !== 'string') return node;
  const name = reference.replace('#/definitions/', '');
  assert.ok(definitions[name], `dangling $ref ${reference}`);
  return resolveReference(definitions[name]);
}

/** Every object schema in the file with the path that leads to it. */
function objectSchemas(): Array<[string, SchemaNode]> {
  const found: Array<[string, SchemaNode]> = [['(root)', PROJECT_SCHEMA]];
  for (const [name, node] of Object.entries(definitions)) {
    if (node.type === 'object') found.push([`definitions/${name}`, node]);
  }
  return found;
}

describe('topdown.schema.json', () => {
  it('is draft-07, so VS Code jsonValidation understands it', () => {
    assert.equal(PROJECT_SCHEMA.$schema, 'http://json-schema.org/draft-07/schema#');
  });

  it('gives every property a description for editor hovers', () => {
    const missing: string[] = [];
    for (const [path, node] of objectSchemas()) {
      for (const [name, property] of Object.entries((node.properties as Record<string, SchemaNode>) ?? {})) {
        if (typeof resolveReference(property).description !== 'string') missing.push(`${path}.${name}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('closes every object except the open sections and free-form maps', () => {
    const open = ['improve', 'present', 'missing', 'order', 'options'];
    const unclosed: string[] = [];
    for (const [path, node] of objectSchemas()) {
      for (const [name, property] of Object.entries((node.properties as Record<string, SchemaNode>) ?? {})) {
        const resolved = resolveReference(property);
        if (
          resolved.type === 'object' &&
          resolved.additionalProperties === undefined &&
          !open.includes(name)
        ) {
          if (!(resolved.allOf && resolved.required)) unclosed.push(`${path}.${name}`);
        }
      }
    }
    assert.deepEqual(unclosed, []);
    assert.equal(PROJECT_SCHEMA.additionalProperties, false);
  });

  it('has a discriminated branch for every op and every model it lists', () => {
    const ops = (definitions.opName.enum as string[]).slice().sort();
    const opBranches = (definitions.prepareOp.allOf as SchemaNode[]).map(
      (branch) => ((branch.if as SchemaNode).properties as Record<string, SchemaNode>).op.const as string,
    );
    assert.deepEqual(opBranches.slice().sort(), ops);
    const models = (definitions.modelName.enum as string[]).slice().sort();
    const modelBranches = (definitions.candidate.allOf as SchemaNode[]).flatMap((branch) => {
      const condition = ((branch.if as SchemaNode).properties as Record<string, SchemaNode>).model;
      return (condition.enum as string[] | undefined) ?? [condition.const as string];
    });
    assert.deepEqual(modelBranches.slice().sort(), models);
  });
});
