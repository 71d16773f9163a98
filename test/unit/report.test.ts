import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadProject } from '../../src/core/project';
import { RunStore } from '../../src/core/runs/store';
import { extractCredit, REPORT_SECTIONS, renderHtml, renderMarkdown } from '../../src/core/report';
import { buildReportData, describeValidation, renderReport } from '../../src/runner/report';
import { copyProject, record, recordStepsFourAndFive, recordStepsOneToThree } from './report-helpers';

const NOW = new Date('2025-03-02T12:00:00.000Z');

/** The markdown between a `## heading` and the next `## `. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`## ${heading}\n`);
  assert.notEqual(start, -1, `no section "${heading}"`);
  const end = markdown.indexOf('\n## ', start + 3);
  return markdown.slice(start, end === -1 ? undefined : end);
}

/** The table row that starts with `| <first cell> |`. */
function row(markdown: string, firstCell: string): string {
  const line = markdown.split('\n').find((text) => text.startsWith(`| ${firstCell} |`));
  assert.ok(line, `no row for ${firstCell}`);
  return line;
}

async function fullProjectData(): Promise<{ dir: string; markdown: string; html: string }> {
  const dir = copyProject();
  const store = recordStepsOneToThree(dir);
  recordStepsFourAndFive(dir, store);
  const data = buildReportData(store, await loadProject(dir), { topdownVersion: '9.9.9', now: NOW });
  return {
    dir,
    markdown: renderMarkdown(data, {
      'fold-scores': 'fold-scores.png',
      'learning-curves': 'learning-curves.png',
    }),
    html: renderHtml(data, {}),
  };
}

describe('renderMarkdown from recorded runs', () => {
  it('states the problem from topdown.json with the profiled size', async () => {
    const problem = section((await fullProjectData()).markdown, REPORT_SECTIONS.problem);
    assert.match(row(problem, 'Target'), /label/);
    assert.match(row(problem, 'Task'), /binary/);
    assert.match(row(problem, 'Metric'), /accuracy \(higher is better\)/);
    assert.match(row(problem, 'Size'), /18 rows × 4 columns \(outside the holdout\)/);
    assert.match(row(problem, 'Validation'), /stratified 3-fold cross-validation/);
    assert.match(row(problem, 'Holdout'), /25% of rows/);
  });

  it('summarises the profile: classes, correlations and warnings', async () => {
    const data = section((await fullProjectData()).markdown, REPORT_SECTIONS.data);
    assert.match(data, /18 rows profiled/);
    assert.match(data, /4 columns \(3 numeric, 1 categorical\), of which 3 features/);
    assert.match(data, /1 missing cell\./);
    assert.match(row(data, 'yes'), /\| 9 \| 50\.0% \|/);
    // Strongest correlation first, sign kept.
    assert.match(data, /`x2` \(−0\.71\), `x1` \(\+0\.62\)/);
    assert.match(data, /- Only 18 rows: fold scores will vary a lot\./);
  });

  it('keeps the last spot-check with results when a newer evaluate session was cancelled before any completed', async () => {
    const dir = copyProject();
    const store = recordStepsOneToThree(dir);
    // A rerun cancelled at once: its baseline completed, its candidates did not.
    record(store, 'evaluate', 'session-cancelled', {
      candidate: 'baseline',
      model: 'baseline',
      scores: [0.5, 0.5, 0.6],
    });
    record(store, 'evaluate', 'session-cancelled', {
      candidate: 'logistic',
      model: 'linear',
      status: 'cancelled',
    });
    const data = buildReportData(store, await loadProject(dir), { topdownVersion: '9.9.9', now: NOW });
    assert.equal(data.spotCheck?.session, 'session-evaluate');
    assert.deepEqual(data.spotCheck?.candidates.find((c) => c.name === 'logistic')?.scores, [0.8, 0.9, 0.85]);
  });

  it('has no fold-score chart, rather than a missing one, when no candidate of the only session has scores', async () => {
    const dir = copyProject();
    const store = new RunStore(dir);
    record(store, 'evaluate', 'session-failed', {
      candidate: 'logistic',
      model: 'linear',
      status: 'failed',
      error: { code: 'INTERNAL', message: 'no' },
    });
    const data = buildReportData(store, await loadProject(dir), { topdownVersion: '9.9.9', now: NOW });
    const markdown = renderMarkdown(data, {});
    assert.match(section(markdown, REPORT_SECTIONS.spotCheck), /\| logistic \|/);
    assert.doesNotMatch(markdown, /Chart not rendered: accuracy per fold/);
  });

  it('gives the baseline from the session baseline run as the number to beat', async () => {
    const baseline = section((await fullProjectData()).markdown, REPORT_SECTIONS.baseline);
    assert.match(baseline, /\*\*0\.533 ± 0\.058 accuracy\*\*/);
    assert.match(baseline, /most frequent class/);
  });

  it('lists each candidate with mean ± std, the difference to the baseline and a tested verdict', async () => {
    const spotCheck = section((await fullProjectData()).markdown, REPORT_SECTIONS.spotCheck);
    const logistic = row(spotCheck, 'logistic');
    assert.match(logistic, /\| linear \| 0\.850 ± 0\.050 \| \+0\.317 \|/);
    assert.match(logistic, /better than baseline; best/);
    assert.match(
      row(spotCheck, 'knn'),
      /0\.750 ± 0\.050 \| \+0\.217 \|.*; 3 folds cannot separate it from the best/,
    );
    assert.match(row(spotCheck, 'forest'), /failed: the forest fell over/);
    assert.doesNotMatch(spotCheck, /^\| baseline \|/m);
    assert.match(
      spotCheck,
      /!\[accuracy per fold for each candidate, with the baseline\]\(fold-scores\.png\)/,
    );
  });

  it('describes the learning curves of the best neural candidate', async () => {
    const { markdown } = await fullProjectData();
    assert.match(
      markdown,
      /### Learning curves\n\nMean loss per epoch across 3 folds of `logistic` \(linear\)/,
    );
    assert.match(markdown, /After 3 epochs: training 0\.510, validation 0\.560\./);
    assert.match(markdown, /\]\(learning-curves\.png\)/);
  });

  it("gives each network's learning-curve advice: the diagnosis in words and the next experiment", async () => {
    const spotCheck = section((await fullProjectData()).markdown, REPORT_SECTIONS.spotCheck);
    assert.match(
      spotCheck,
      /- \*\*logistic\*\* \(still improving\): Validation loss was still falling at the last epoch \(0\.560\)\. Next: raise epochs to 6/,
    );
    assert.doesNotMatch(spotCheck, /\*\*knn\*\* \(/, 'no advice for a model without curves');
  });

  it('shows the tuning trials, untuned vs best tuned and the recorded decision', async () => {
    const tuning = section((await fullProjectData()).markdown, REPORT_SECTIONS.tuning);
    assert.match(tuning, /\| Configuration \| learningRate \| accuracy \(mean ± std\) \| vs untuned \|/);
    assert.match(row(tuning, 'logistic (untuned)'), /as configured \| 0\.850 ± 0\.050 \| \+0\.000 \|/);
    assert.match(row(tuning, 'logistic#2 (best)'), /\| 0\.05 \| 0\.867 ± 0\.029 \| \+0\.017 \|/);
    assert.match(row(tuning, 'logistic#1'), /\| 0\.002 \| 0\.750 ± 0\.050 \| −0\.100 \|/);
    assert.match(tuning, /\*\*Decision: keep the untuned configuration\.\*\* Tuning/);
    assert.match(tuning, /Tuning did not beat the untuned logistic/);
    // The ensemble's verdict is the one against the best single model (not the baseline's), with its numbers.
    assert.match(
      tuning,
      /\| Ensemble \| accuracy \(mean ± std\) \| vs baseline \| Best single model \| vs best single \| Verdict \|/,
    );
    assert.match(
      row(tuning, 'avg'),
      /^\| avg \| 0\.850 ± 0\.050 \| \+0\.317 \| logistic 0\.850 ± 0\.050 \| \+0\.000 \| not better than the best single model \(p = 1\.000\) \|/,
    );
    assert.doesNotMatch(row(tuning, 'avg'), /better than baseline/);
    // Step 4's verdict of the ensemble against the best single model, in its own words.
    assert.match(
      tuning,
      /- avg \(0\.850 ± 0\.050\) is not better than the best single model, logistic \(0\.850 ± 0\.050\) \(p = 1\.000, corrected t-test over 3 folds\): the single model is as good and simpler\./,
    );
  });

  it('puts the holdout score beside the cross-validation estimate', async () => {
    const final = section((await fullProjectData()).markdown, REPORT_SECTIONS.final);
    assert.match(final, /The final model is `logistic`.*saved in `models\/logistic`/);
    assert.match(row(final, 'Cross-validation (3 folds)'), /0\.850 ± 0\.050/);
    assert.match(row(final, 'Holdout (6 rows)'), /0\.875/);
    assert.match(row(final, 'F1'), /0\.800/, 'metric names in words');
  });

  it('says how to reproduce: commands, version, seed and data hash', async () => {
    const reproduce = section((await fullProjectData()).markdown, REPORT_SECTIONS.reproduce);
    assert.match(
      reproduce,
      /```sh\ntopdown define\ntopdown prepare\ntopdown evaluate\ntopdown improve\ntopdown present\n```/,
    );
    assert.match(reproduce, /Topdown version: `0\.1\.0`/);
    assert.match(reproduce, /Seed: `7`/);
    assert.match(reproduce, new RegExp(`Data SHA-256: \`${'a'.repeat(64)}\``));
    assert.match(reproduce, /Backend: `cpu \(tfjs 4\.22\.0\)`/);
  });

  it('adds --quick to the commands when the runs used fewer folds than topdown.json configures', async () => {
    const dir = copyProject();
    const file = join(dir, 'topdown.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"folds": 3', '"folds": 10'));
    const store = recordStepsOneToThree(dir);
    const data = buildReportData(store, await loadProject(dir), { topdownVersion: '9.9.9', now: NOW });
    assert.deepEqual(data.reproduce.commands, [
      'topdown define --quick',
      'topdown prepare --quick',
      'topdown evaluate --quick',
      'topdown improve --quick',
      'topdown present',
    ]);
  });

  it('credits the dataset from the README section about credit, not "Prepare Data"', async () => {
    const credit = section((await fullProjectData()).markdown, REPORT_SECTIONS.credit);
    assert.match(credit, /synthetic rows drawn for the tests/);
    assert.doesNotMatch(credit, /Standardize/);
  });
});

describe('renderHtml', () => {
  it('is self-contained: no scripts and no external src or href', async () => {
    const { html } = await fullProjectData();
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<link/i);
    for (const match of html.matchAll(/\b(?:src|href)\s*=\s*"([^"]*)"/gi)) {
      assert.ok(match[1].startsWith('data:') || match[1].startsWith('#'), `external reference ${match[1]}`);
    }
    // The credit's link becomes text with the address, not a link.
    assert.match(html, /the generator \(https:\/\/example\.org\/generator\)/);
  });

  it('escapes what the data says and shows the same numbers as the markdown', async () => {
    const { html } = await fullProjectData();
    assert.match(html, /<td>logistic<\/td><td>linear<\/td><td class="number">0\.850 ± 0\.050<\/td>/);
    assert.match(html, /Free to use \| no rights reserved\./);
    assert.match(html, /<h2 id="spot-check">Spot-check<\/h2>/);
  });
});

describe('extractCredit', () => {
  it('takes the "Data credit and licence" section of a template README', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'templates', 'sonar', 'README.md'), 'utf8');
    const credit = extractCredit(readme);
    assert.ok(credit);
    assert.match(credit, /Gorman and T\. J\. Sejnowski/);
    assert.doesNotMatch(credit, /^#/m);
  });

  it('finds nothing in a README without a credit or data section', () => {
    assert.equal(extractCredit('# Title\n\n## 2. Prepare Data\n\ntext\n\n## Usage\n\nrun it\n'), undefined);
  });
});

describe('renderReport', () => {
  it('writes REPORT.md, report.html and PNG charts that decode and are not blank', async () => {
    const dir = copyProject();
    const store = recordStepsOneToThree(dir);
    recordStepsFourAndFive(dir, store);
    const result = await renderReport(dir, { now: NOW });
    assert.equal(result.chartsUnavailable, undefined);
    assert.deepEqual(
      result.charts.map((file) => file.slice(join(dir, 'report').length + 1)),
      ['fold-scores.png', 'learning-curves.png'],
    );
    const { createCanvas, loadImage } = await import('@napi-rs/canvas');
    for (const file of result.charts) {
      const png = readFileSync(file);
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      // IHDR: width and height at bytes 16 and 20, twice the CSS size (devicePixelRatio 2).
      assert.equal(png.readUInt32BE(16), 1600);
      assert.equal(png.readUInt32BE(20), 840);
      const image = await loadImage(png);
      const canvas = createCanvas(image.width, image.height);
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, image.width, image.height).data;
      let painted = 0;
      for (let index = 0; index < pixels.length; index += 4 * 7) {
        if (pixels[index] < 200 || pixels[index + 1] < 200 || pixels[index + 2] < 200) painted++;
      }
      const sampled = pixels.length / (4 * 7);
      assert.ok(painted / sampled > 0.01, `${file}: only ${painted} of ${sampled} sampled pixels are drawn`);
      assert.equal(pixels[3], 255, 'the background is opaque');
    }
    const markdown = readFileSync(result.markdown, 'utf8');
    assert.match(markdown, /!\[[^\]]+\]\(fold-scores\.png\)/);
    const html = readFileSync(result.html, 'utf8');
    assert.equal((html.match(/<img src="data:image\/png;base64,/g) ?? []).length, 2);
  });

  it('renders a project with only steps 1–3, saying which steps have not run yet', async () => {
    const dir = copyProject();
    recordStepsOneToThree(dir);
    const result = await renderReport(dir, { now: NOW });
    const markdown = readFileSync(result.markdown, 'utf8');
    assert.match(section(markdown, REPORT_SECTIONS.tuning), /Not run yet: run `topdown improve`/);
    assert.match(section(markdown, REPORT_SECTIONS.final), /Not run yet: run `topdown present`/);
    assert.match(row(section(markdown, REPORT_SECTIONS.spotCheck), 'logistic'), /0\.850 ± 0\.050/);
    assert.equal(result.charts.length, 2);
  });

  it('renders an empty project with every step not run yet', async () => {
    const dir = copyProject();
    const result = await renderReport(dir, { now: NOW });
    const markdown = readFileSync(result.markdown, 'utf8');
    for (const heading of [REPORT_SECTIONS.data, REPORT_SECTIONS.baseline, REPORT_SECTIONS.spotCheck]) {
      assert.match(section(markdown, heading), /Not run yet/);
    }
    assert.deepEqual(result.charts, []);
  });

  it('writes the report without images, and says why, when the canvas cannot be loaded', async () => {
    const dir = copyProject();
    recordStepsOneToThree(dir);
    const reason = 'the chart renderer @napi-rs/canvas could not be loaded (test).';
    const result = await renderReport(dir, { now: NOW, canvas: { reason } });
    assert.equal(result.chartsUnavailable, reason);
    assert.deepEqual(result.charts, []);
    assert.equal(existsSync(join(dir, 'report', 'fold-scores.png')), false);
    const markdown = readFileSync(result.markdown, 'utf8');
    assert.match(markdown, /> This report has no chart images: the chart renderer/);
    assert.match(markdown, /> Chart not rendered: accuracy per fold/);
    assert.doesNotMatch(readFileSync(result.html, 'utf8'), /<img/);
  });

  it('fails with PROJECT_NOT_FOUND naming the folder when there is no topdown.json', async () => {
    const dir = copyProject();
    await assert.rejects(
      renderReport(join(dir, 'report')),
      (error: Error & { code?: string; file?: string }) => {
        assert.equal(error.code, 'PROJECT_NOT_FOUND');
        assert.match(error.file ?? '', /report/);
        return true;
      },
    );
  });
});

describe('the report names its baseline', () => {
  it('says persistence for a time series, and puts the baseline’s holdout score and the warning beside the final model', async () => {
    const dir = copyProject();
    const store = recordStepsOneToThree(dir);
    const data = buildReportData(store, await loadProject(dir), { topdownVersion: '9.9.9', now: NOW });
    data.problem.task = 'time-series';
    data.final = {
      candidate: 'lstm',
      crossValidation: { mean: 24.7, std: 5 },
      holdout: { score: 45, metrics: {} },
      baseline: { name: 'persistence', holdout: 48 },
      notReliablyBetter: 'lstm is not reliably better than the baseline (persistence): within the noise.',
    };
    const markdown = renderMarkdown(data, {});
    const baseline = section(markdown, REPORT_SECTIONS.baseline);
    assert.match(baseline, /persistence: each next value is the last observed one/);
    assert.doesNotMatch(baseline, /training mean/);
    const final = section(markdown, REPORT_SECTIONS.final);
    assert.match(row(final, 'Baseline (persistence) on the same holdout'), /48/);
    assert.match(final, /\*\*Not reliably better than the baseline\.\*\* lstm is not reliably better/);
    // The headline says it too, with the baseline's holdout score beside the model's.
    const summary = markdown.slice(0, markdown.indexOf('\n## '));
    assert.match(
      summary,
      /holdout: \*\*45\.00\*\* \w+ \(the baseline, persistence, on the same holdout: 48\.00\)/,
    );
    assert.match(summary, /\*\*Not reliably better than the baseline:\*\* lstm is not reliably better/);
    assert.doesNotMatch(markdown, /persistence: persistence/);
  });
});

describe('describeValidation', () => {
  it('names the folds that ran in quick mode and the folds the project asks for', () => {
    const stratified = { scheme: 'stratified-kfold', folds: 10 } as const;
    assert.equal(describeValidation(stratified), 'stratified 10-fold cross-validation');
    assert.equal(describeValidation(stratified, 10), 'stratified 10-fold cross-validation');
    assert.equal(
      describeValidation(stratified, 3),
      'stratified 3-fold cross-validation (quick mode; the project asks for 10 folds)',
    );
    assert.equal(
      describeValidation({ scheme: 'repeated-kfold', folds: 10, repeats: 3 }, 3),
      '3-fold cross-validation (quick mode; the project asks for 30 folds)',
    );
    assert.equal(
      describeValidation({ scheme: 'walk-forward' }, 3),
      'walk-forward validation, 3 steps (quick mode; the project asks for 5 folds)',
    );
  });
});
