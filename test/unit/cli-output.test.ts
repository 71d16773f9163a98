/** The CLI's human output (stdout without --json). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PrepareResult } from '../../src/runner/jobs/prepare';
import { printPrepare } from '../../src/runner/output';

/** What `print` wrote to stdout. */
function captured(print: () => void): string {
  const original = process.stdout.write.bind(process.stdout);
  let text = '';
  process.stdout.write = ((chunk: string) => {
    text += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    print();
  } finally {
    process.stdout.write = original;
  }
  return text;
}

describe('printPrepare', () => {
  it("prints the pipeline and the shapes of fold 1's parts, read from the preview as it is typed", () => {
    const result = {
      step: 'prepare',
      runId: 'r1',
      status: 'completed',
      fold: 0,
      file: 'runs/r1/preview.json',
      preview: {
        describe: ['standardize: x1, x2'],
        shapes: { train: { x: [120, 2], y: [120, 1] }, validation: { x: [30, 2], y: [30, 1] } },
      },
    } as unknown as PrepareResult;
    assert.equal(
      captured(() => printPrepare(result)),
      [
        "Preparation fitted on fold 1's training part:",
        '  standardize: x1, x2',
        'Train x: [120, 2]',
        'Validation x: [30, 2]',
        'Preview: runs/r1/preview.json',
        '',
      ].join('\n'),
    );
  });
});
