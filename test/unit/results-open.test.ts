/**
 * What "Open Results" and the Final panel's buttons open: after Run All Steps the last step's results (the Final
 * panel after step 5), and the report as its Markdown preview; and metric names in words for the panels.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunStore } from '../../src/core/runs/store';
import { resultsTarget } from '../../src/extension/jobs/resultsTarget';
import { improveResultsRun } from '../../src/extension/models/improveSession';
import { openFileCommand } from '../../src/extension/panels/provider';
import { metricLabel } from '../../src/shared/format';
import { tempDir } from '../helpers/cli';
import { record } from '../helpers/records';

describe('resultsTarget', () => {
  it("opens a single step's own results", () => {
    assert.deepEqual(resultsTarget('evaluate', { session: 's1' }), {
      step: 'evaluate',
      result: { session: 's1' },
    });
  });

  it('opens the last step Run All Steps ran: present, else improve, else evaluate', () => {
    const steps = {
      define: { runId: 'd' },
      prepare: { runId: 'p' },
      evaluate: { session: 's3' },
      improve: { session: 's4' },
      present: { runId: 'final-run' },
    };
    assert.deepEqual(resultsTarget('all', { step: 'all', steps }), {
      step: 'present',
      result: { runId: 'final-run' },
    });
    const { present: _present, ...noPresent } = steps;
    assert.deepEqual(resultsTarget('all', { step: 'all', steps: noPresent })?.step, 'improve');
    const { improve: _improve, ...threeSteps } = noPresent;
    assert.deepEqual(resultsTarget('all', { step: 'all', steps: threeSteps }), {
      step: 'evaluate',
      result: { session: 's3' },
    });
    assert.equal(resultsTarget('all', { step: 'all' }), undefined);
    assert.equal(resultsTarget('all', { step: 'all', steps: { present: null } }), undefined);
  });
});

describe('openFileCommand', () => {
  it('previews a Markdown report, opens other files in the editor, and reveals folders', () => {
    assert.equal(openFileCommand('/p/report/REPORT.md', 'preview'), 'markdown.showPreview');
    assert.equal(openFileCommand('/p/report/report.html', 'preview'), 'vscode.open');
    assert.equal(openFileCommand('/p/topdown.json', 'editor'), 'vscode.open');
    assert.equal(openFileCommand('/p/REPORT.md', 'editor'), 'vscode.open');
    assert.equal(openFileCommand('/p/models/knn', 'reveal'), 'revealInExplorer');
  });
});

describe('metricLabel', () => {
  it('writes metric names as words', () => {
    assert.equal(metricLabel('rocAuc'), 'ROC AUC');
    assert.equal(metricLabel('logLoss'), 'log loss');
    assert.equal(metricLabel('f1'), 'F1');
    assert.equal(metricLabel('r2'), 'R²');
    assert.equal(metricLabel('rmse'), 'RMSE');
    assert.equal(metricLabel('accuracy'), 'accuracy');
    assert.equal(metricLabel('meanAbsolutePercentError'), 'mean absolute percent error');
  });
});

describe('improveResultsRun', () => {
  it("opens step 4's session on the run that links improve.json, not the session's newest run (an ensemble's)", () => {
    const store = new RunStore(tempDir('improve-open'));
    const improve = (id: string, session: string, minute: number, linked: boolean) =>
      store.create(
        record({
          id,
          step: 'improve',
          session,
          createdAt: `2025-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`,
          ...(linked ? { outputs: { improve: `runs/${id}/improve.json` } } : {}),
        }),
      );
    improve('old-trial', 's1', 1, true);
    improve('trial-1', 's2', 10, true);
    improve('trial-2', 's2', 11, true);
    improve('ensemble', 's2', 12, false);
    assert.equal(improveResultsRun(store), 'trial-2', 'the newest session, its newest linked run');
    assert.equal(improveResultsRun(store, 's1'), 'old-trial');
    improve('only-ensemble', 's3', 20, false);
    assert.equal(improveResultsRun(store), 'only-ensemble', 'a session without trials opens its newest run');
    assert.equal(improveResultsRun(new RunStore(tempDir('improve-none'))), undefined);
  });
});
