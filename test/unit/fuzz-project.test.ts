/**
 * Fuzz: random and damaged project files end in a loaded project or located problems (PROJECT_INVALID), never
 * a crash or a stack overflow.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadProject, validateProjectText } from '../../src/core/project';
import { assertLocated, fuzzParameters, jsonPaths, withValueAt } from '../helpers/fuzz';

const SONAR_DIR = join(__dirname, '..', 'fixtures', 'project', 'sonar');
const SONAR_TEXT = readFileSync(join(SONAR_DIR, 'topdown.json'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'topdown-fuzz-project-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SONAR = JSON.parse(SONAR_TEXT) as Record<string, unknown>;
const SONAR_PATHS = jsonPaths(SONAR).filter((path) => path.length > 0);

/** Values that break validators: wrong types, huge and tiny numbers, deep nests, odd keys. */
const hostile = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(1e12, -1, 0, 0.5, 1e308, -0, '', '__proto__', 'constructor', null, [], {}),
  fc
    .integer({ min: 1, max: 300 })
    .map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown),
);

function checkProblems(text: string): void {
  const problems = validateProjectText(text, join(dir, 'topdown.json'));
  for (const problem of problems) {
    assert.ok(problem.line >= 1 && problem.character >= 1, JSON.stringify(problem));
    assert.equal(typeof problem.field, 'string');
    assert.ok(problem.message.length > 0);
  }
}

async function checkLoad(text: string): Promise<'loaded' | 'refused'> {
  writeFileSync(join(dir, 'topdown.json'), text);
  try {
    await loadProject(dir);
    return 'loaded';
  } catch (error) {
    assertLocated(error);
    assert.equal(error.code, 'PROJECT_INVALID');
    assert.ok(error.line !== undefined && error.line >= 1);
    return 'refused';
  }
}

describe('fuzz: project files', () => {
  it('validates the sonar project with any value at any field into located problems or a project', async (context) => {
    const outcomes = { loaded: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SONAR_PATHS),
        hostile,
        fc.option(fc.constantFrom('epoch', '__proto__', 'constructor', 'x'), { freq: 4 }),
        async (path, value, asNewKey) => {
          const text = JSON.stringify(
            withValueAt(SONAR, asNewKey ? [...path.slice(0, -1), asNewKey] : path, value),
            null,
            2,
          );
          checkProblems(text);
          outcomes[await checkLoad(text)]++;
        },
      ),
      fuzzParameters(300),
    );
    context.diagnostic(
      `fuzz project values: ${outcomes.loaded + outcomes.refused} inputs, ${outcomes.loaded} loaded`,
    );
    assert.ok(outcomes.refused > 0);
  });

  it('validates damaged text (cut, spliced, random characters) into located problems', async (context) => {
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat(SONAR_TEXT.length),
        fc.nat(40),
        fc.oneof(
          fc.string({ maxLength: 6 }),
          fc.constantFrom('{', '[', '"', '\\', '/*', ',', '\u0000', '\ufeff'),
        ),
        async (at, cut, insert) => {
          tried++;
          const text =
            SONAR_TEXT.slice(0, at) + insert + SONAR_TEXT.slice(Math.min(SONAR_TEXT.length, at + cut));
          checkProblems(text);
          await checkLoad(text);
        },
      ),
      fuzzParameters(300),
    );
    context.diagnostic(`fuzz project text: ${tried} inputs`);
  });
});
