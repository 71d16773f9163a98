/**
 * Slow (CI, `npm run test:slow`): the templates in full mode land in the published ranges of
 * ../shared/datasets/README.md — Sonar standardized MLP about 84–86%, Iris MLP about 97%, Pima logistic
 * regression about 77% (majority class about 65%). Bounds are loose: published results are single runs.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { requireBuild, runCli, tempDir } from '../helpers/cli';

before(requireBuild);

interface Evaluated {
  baseline: { mean: number };
  candidates: Array<{ name: string; status: string; mean: number; folds: number[] }>;
}

async function evaluateTemplate(template: string, candidates: string[]): Promise<Evaluated> {
  const dir = join(tempDir(`published-${template}`), template);
  const created = await runCli(['new', template, dir, '--json']);
  assert.equal(created.code, 0, created.stderr);
  const result = await runCli(
    ['evaluate', dir, '--json', '--backend', 'wasm', '--candidates', candidates.join(',')],
    {
      timeoutMs: 600000,
    },
  );
  assert.equal(result.code, 0, result.stderr);
  return result.json as unknown as Evaluated;
}

function score(result: Evaluated, name: string): number {
  const candidate = result.candidates.find((c) => c.name === name)!;
  assert.equal(candidate.status, 'completed');
  assert.equal(candidate.folds.length, 10);
  return candidate.mean;
}

describe('slow: templates in full mode land in the published ranges', () => {
  it('Sonar: the standardized MLP scores about 84–86% (10-fold), the majority class about 53%', async () => {
    const result = await evaluateTemplate('sonar', ['baseline', 'mlp-small']);
    const mlp = score(result, 'mlp-small');
    assert.ok(mlp >= 0.78 && mlp <= 0.93, `mlp-small ${mlp}`);
    assert.ok(Math.abs(result.baseline.mean - 0.534) < 0.02, `baseline ${result.baseline.mean}`);
  });

  it('Iris: the MLP scores about 97% (10-fold)', async () => {
    const result = await evaluateTemplate('iris', ['baseline', 'mlp-small']);
    const mlp = score(result, 'mlp-small');
    assert.ok(mlp >= 0.92, `mlp-small ${mlp}`);
    assert.ok(Math.abs(result.baseline.mean - 1 / 3) < 0.02, `baseline ${result.baseline.mean}`);
  });

  it('Pima: logistic regression scores about 77%, the majority class about 65%', async () => {
    const result = await evaluateTemplate('pima', ['baseline', 'logistic']);
    const logistic = score(result, 'logistic');
    assert.ok(logistic >= 0.73 && logistic <= 0.82, `logistic ${logistic}`);
    assert.ok(Math.abs(result.baseline.mean - 0.651) < 0.02, `baseline ${result.baseline.mean}`);
  });
});
