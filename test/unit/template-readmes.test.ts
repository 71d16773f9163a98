/** Template READMEs describe the candidates their topdown.json has: "`random-forest` (50 trees)" agrees with the file. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'jsonc-parser';

const templates = resolve(__dirname, '..', '..', 'templates');

describe('template READMEs', () => {
  it('give each candidate the number of trees and the k its topdown.json sets', () => {
    let checked = 0;
    for (const name of readdirSync(templates)) {
      const readme = readFileSync(join(templates, name, 'README.md'), 'utf8').replace(/\s+/g, ' ');
      const project = parse(readFileSync(join(templates, name, 'topdown.json'), 'utf8')) as {
        evaluate: { candidates: Array<Record<string, unknown>> };
      };
      const byName = new Map(project.evaluate.candidates.map((candidate) => [candidate.name, candidate]));
      for (const match of readme.matchAll(/`([\w-]+)` \((?:k = (\d+)|(\d+) trees)/g)) {
        const candidate = byName.get(match[1]);
        if (!candidate) continue;
        const [field, said] = match[2] ? ['k', match[2]] : ['trees', match[3]];
        assert.equal(String(candidate[field]), said, `${name}/README.md: ${match[0]}`);
        checked++;
      }
    }
    assert.ok(checked >= 4, `${checked} statements checked`);
  });
});
