import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, mock } from 'node:test';
import { savePng } from '../../src/extension/panels/actions';
import { contentSecurityPolicy, panelHtml } from '../../src/extension/panels/html';
import { EpochBatcher } from '../../src/extension/panels/throttle';
import { checkFromPanel, checkPanelContext, reportFile } from '../../src/extension/panels/validate';
import type { TrainingPoint } from '../../src/protocol/panels';

// The smallest valid PNG (1×1, transparent).
const png =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'topdown-panels-'));
  writeFileSync(
    join(dir, 'topdown.json'),
    '{\n  // the zoo\n  "evaluate": {\n    "candidates": [\n      { "name": "base", "model": "baseline" },\n      { "name": "mlp", "model": "mlp", "layers": [16] }\n    ]\n  }\n}\n',
  );
  return dir;
}

describe('checkFromPanel', () => {
  it('accepts the requests each panel may send', () => {
    assert.deepEqual(checkFromPanel({ type: 'panel/ready', protocolVersion: 1 }, 'evaluate'), {
      ok: true,
      value: { type: 'panel/ready', protocolVersion: 1 },
    });
    assert.equal(
      checkFromPanel({ type: 'panel/savePng', fileName: 'evaluate-s1.png', dataUrl: png }, 'evaluate').ok,
      true,
    );
    assert.equal(checkFromPanel({ type: 'improve/useTrial', trialIndex: 3 }, 'improve').ok, true);
    assert.equal(checkFromPanel({ type: 'final/open', target: 'model' }, 'final').ok, true);
    assert.deepEqual(checkFromPanel({ type: 'final/predict', bundle: '../x' }, 'final'), {
      ok: true,
      value: { type: 'final/predict' },
    });
    assert.equal(checkFromPanel({ type: 'final/predict' }, 'evaluate').ok, false);
    assert.equal(checkFromPanel({ type: 'evaluate/improve', candidate: 'mlp' }, 'evaluate').ok, true);
    assert.equal(checkFromPanel({ type: 'evaluate/improve', candidate: 'mlp' }, 'final').ok, false);
    assert.equal(checkFromPanel({ type: 'evaluate/improve', candidate: 7 }, 'evaluate').ok, false);
  });

  it('refuses file names that are paths, and runs ids that climb out of runs/', () => {
    for (const fileName of [
      '../x.png',
      '/etc/x.png',
      'a/b.png',
      '..png',
      'x.svg',
      '.hidden.png',
      'x\\y.png',
    ]) {
      const checked = checkFromPanel({ type: 'panel/savePng', fileName, dataUrl: png }, 'evaluate');
      assert.equal(checked.ok, false, fileName);
    }
    for (const runId of ['../other', 'a/b', '', 'x..y', 42]) {
      assert.equal(checkFromPanel({ type: 'panel/openRun', runId }, 'evaluate').ok, false, String(runId));
    }
  });

  it('refuses unknown types and requests that belong to another panel', () => {
    const unknown = checkFromPanel({ type: 'fs/write', path: '/tmp/x' }, 'evaluate');
    assert.deepEqual(unknown, { ok: false, reason: 'unknown message type "fs/write"' });
    assert.equal(checkFromPanel({ type: 'improve/useTrial', trialIndex: 0 }, 'evaluate').ok, false);
    assert.equal(checkFromPanel({ type: 'improve/useTrial', trialIndex: 1.5 }, 'improve').ok, false);
    assert.equal(checkFromPanel({ type: 'final/open', target: '/etc/passwd' }, 'final').ok, false);
    assert.equal(
      checkFromPanel({ type: 'panel/savePng', fileName: 'a.png', dataUrl: 'data:text/html,<b>' }, 'final').ok,
      false,
    );
    assert.equal(checkFromPanel(null, 'final').ok, false);
  });
});

describe('reportFile and savePng', () => {
  it('writes the chart into report/ of the project', () => {
    const dir = project();
    assert.equal(savePng(dir, 'evaluate-s1.png', png), 'report/evaluate-s1.png');
    const written = readFileSync(join(dir, 'report', 'evaluate-s1.png'));
    assert.deepEqual([...written.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  });

  it('refuses a report/ folder that is a link to somewhere outside the project', () => {
    const dir = project();
    const outside = mkdtempSync(join(tmpdir(), 'topdown-outside-'));
    symlinkSync(outside, join(dir, 'report'));
    assert.deepEqual(reportFile(dir, 'a.png'), { ok: false, reason: 'report/ leads outside the project' });
    assert.throws(() => savePng(dir, 'a.png', png), /outside the project/);
  });

  it('refuses data that is not a PNG', () => {
    const dir = project();
    const gif = `data:image/png;base64,${Buffer.from('GIF89a-not-a-png').toString('base64')}`;
    assert.throws(() => savePng(dir, 'a.png', gif), /not a PNG image/);
  });
});

describe('checkPanelContext', () => {
  it('reopens a panel only for a project inside the workspace with plain run ids', () => {
    const dir = project();
    const state = { context: { kind: 'training', projectDir: dir, runIds: ['20250301-run-a1b2'] } };
    assert.equal(checkPanelContext(state, [dir]).ok, true);
    assert.equal(checkPanelContext(state, [mkdtempSync(join(tmpdir(), 'topdown-other-'))]).ok, false);
    const climbing = { context: { ...state.context, runIds: ['../../etc'] } };
    assert.equal(checkPanelContext(climbing, [dir]).ok, false);
    assert.equal(checkPanelContext({ context: { ...state.context, kind: 'shell' } }, [dir]).ok, false);
  });
});

describe('panelHtml', () => {
  it('allows scripts only with the nonce and loads nothing from outside the webview', () => {
    const csp = contentSecurityPolicy('https://webview.test', 'abc');
    assert.equal(
      csp,
      "default-src 'none'; script-src 'nonce-abc'; style-src https://webview.test 'nonce-abc'; font-src https://webview.test; img-src https://webview.test data:",
    );
    const html = panelHtml({
      kind: 'evaluate',
      title: '<x>',
      cspSource: 'https://w',
      scriptUri: 'https://w/e.js',
      styleUri: 'https://w/p.css',
      nonce: 'abc',
    });
    assert.match(html, /<script nonce="abc" src="https:\/\/w\/e.js"><\/script>/);
    assert.match(html, /<title>&#60;x&#62;<\/title>/);
  });
});

describe('EpochBatcher', () => {
  it('sends at most one batch per 100 ms and keeps every point', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      let clock = 0;
      const batches: TrainingPoint[][] = [];
      const batcher = new EpochBatcher(
        (points) => batches.push(points),
        100,
        () => clock,
      );
      for (let epoch = 0; epoch < 50; epoch += 1) {
        batcher.add({ runId: 'r', fold: 0, epoch, logs: { loss: 1 / (epoch + 1) } });
        clock += 10;
        mock.timers.tick(10);
      }
      batcher.send();
      assert.equal(batches.flat().length, 50);
      assert.deepEqual(
        batches.flat().map((point) => point.epoch),
        [...Array(50).keys()],
      );
      assert.ok(batches.length <= (50 * 10) / 100 + 1, `${batches.length} batches in 500 ms`);
      assert.ok(batches.length >= 4);
    } finally {
      mock.timers.reset();
    }
  });
});
