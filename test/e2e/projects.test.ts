/**
 * Scenarios 7–12b: a project from the user's own CSV through the wizard, a folder in Restricted Mode, a broken
 * topdown.json, a project from a folder of images, two projects in one workspace, the airline template's forecast
 * views and the spam template's text views, each in a real VS Code (code-server).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { scaffold, startServer, type VsCodeServer } from './server';
import { timed } from './timings';
import { canvasPixels, Workbench } from './workbench';

/** A small CSV unlike any template: two numeric features, a category and a yes/no target. */
function writeGreenhouseCsv(file: string): void {
  const lines = ['temperature,humidity,soil,flowered'];
  for (let row = 0; row < 90; row += 1) {
    const temperature = 15 + ((row * 7) % 20);
    const humidity = 30 + ((row * 13) % 60);
    const soil = ['clay', 'sand', 'loam'][row % 3];
    lines.push(`${temperature},${humidity},${soil},${temperature + humidity / 4 > 32 ? 'yes' : 'no'}`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

/** Three classes of 16×16 grey PNGs (a disc, a square, stripes), twelve each, in one subfolder per class. */
function writeShapeImages(folder: string): string[] {
  const classes = ['disc', 'square', 'stripes'];
  classes.forEach((name, index) => {
    mkdirSync(join(folder, name), { recursive: true });
    for (let image = 0; image < 12; image++) {
      const png = new PNG({ width: 16, height: 16 });
      for (let y = 0; y < 16; y++) {
        for (let x = 0; x < 16; x++) {
          const on =
            index === 0
              ? (x - 8) ** 2 + (y - 8) ** 2 < 20 + image
              : index === 1
                ? x > 3 && x < 12 && y > 3 && y < 12
                : (x + image) % 4 < 2;
          const at = (y * 16 + x) * 4;
          png.data.fill(on ? 230 : 20, at, at + 3);
          png.data[at + 3] = 255;
        }
      }
      writeFileSync(join(folder, name, `${name}-${image}.png`), PNG.sync.write(png));
    }
  });
  return classes;
}

describe('projects outside the happy path', () => {
  const servers: VsCodeServer[] = [];
  const workbenches: Workbench[] = [];
  after(async () => {
    for (const workbench of workbenches) await workbench.close();
    for (const server of servers) await server.stop();
  });

  async function open(name: string, trusted: boolean, folder?: string): Promise<Workbench> {
    const server =
      servers.find((item) => item.scratch.includes(`-${name}-`)) ?? (await startServer({ name, trusted }));
    if (!servers.includes(server)) servers.push(server);
    const workbench = await Workbench.open(server, name, folder?.replace('<workspaces>', server.workspaces));
    workbenches.push(workbench);
    return workbench;
  }

  it('7. creates a project from my own CSV with the wizard: target column, task, folder', () =>
    timed('7-own-csv', async () => {
      const page = await open('7-own-csv', true, '<workspaces>');
      const dataDir = join(page.server.scratch, 'my-data');
      mkdirSync(dataDir, { recursive: true });
      const csv = join(dataDir, 'greenhouse.csv');
      writeGreenhouseCsv(csv);
      await page.command('Topdown: New Project…');
      await page.pick(/Topdown: New Project/, /From my own CSV/);
      await page.answerFileDialog(/the CSV to learn from/, csv);
      await page.pick(/which column should the model predict/, /^flowered$/);
      await page.pick(/predicting "flowered" is a/, /^binary$/);
      await page.answerFileDialog(/where to create the project folder/, `${page.server.workspaces}/`);
      await page.answerInput(/project folder name/, 'greenhouse');
      // The plan is shown before anything is written: the target with its counts, then each decision.
      await page.visible(
        page.page.locator('.quick-input-list .monaco-list-row', { hasText: /target: flowered/ }),
        'the plan names the target',
        60_000,
      );
      assert.ok(!existsSync(join(page.server.workspaces, 'greenhouse')), 'nothing is written before Create');
      await page.pick(/the plan for greenhouse/, /Create the project with this plan/);
      const projectDir = join(page.server.workspaces, 'greenhouse');
      await page.until('topdown.json written by the wizard', async () =>
        existsSync(join(projectDir, 'topdown.json')),
      );
      const project = JSON.parse(readFileSync(join(projectDir, 'topdown.json'), 'utf8')) as {
        problem: { target: string; task: string; data: string };
      };
      assert.equal(project.problem.target, 'flowered');
      assert.equal(project.problem.task, 'binary');
      assert.ok(
        existsSync(join(projectDir, project.problem.data)),
        `the CSV is in the project: ${project.problem.data}`,
      );
      await page.visible(
        page.page.locator('.tab', { hasText: /Preview README/ }),
        "the project's README opens",
        60_000,
      );
      await page.showTopdown();
      await page.visible(page.pane('Project'), 'the Project view after the project opens', 60_000);
      await page.until('the Project view lists the five steps', async () =>
        (await page.treeLabels('Project')).includes('5 · Present Results'),
      );
      await page.screenshot('7-own-csv');
    }));

  it('10. creates a project from a folder of images with the wizard, and Define shows sample images per class', () =>
    timed('10-images', async () => {
      const page = await open('10-images', true, '<workspaces>');
      const images = join(page.server.scratch, 'my-images');
      const classes = writeShapeImages(images);
      await page.command('Topdown: New Project…');
      await page.pick(/Topdown: New Project/, /From a folder of images/);
      await page.answerFileDialog(/the image folder/, images);
      await page.answerFileDialog(/where to create the project folder/, `${page.server.workspaces}/`);
      await page.answerInput(/project folder name/, 'shapes');
      const projectDir = join(page.server.workspaces, 'shapes');
      await page.until(
        'topdown.json written by the wizard',
        async () => existsSync(join(projectDir, 'topdown.json')),
        60_000,
      );
      const project = JSON.parse(readFileSync(join(projectDir, 'topdown.json'), 'utf8')) as {
        problem: { task: string; classNames?: string[] };
      };
      assert.equal(project.problem.task, 'image');
      await page.showTopdown();
      await page.until('the Project view lists the five steps', async () =>
        (await page.treeLabels('Project')).includes('1 · Define Problem'),
      );
      await page.clearNotifications();
      await page.command('Topdown: Define Problem');
      await page.clickNotificationButton(/Define Problem finished/, 'Open Results');
      const frame = await page.panel('profile', 'the Data profile panel opens from the notification');
      const rows = frame.locator('[data-name="class-samples"] .image-row');
      const shown = await page.until('the profile shows a row of sample images per class', async () => {
        const names = await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-class')));
        return names.length === classes.length ? names : undefined;
      });
      assert.deepEqual([...shown].sort(), classes);
      const disc = frame.locator('[data-class="disc"] canvas');
      assert.ok((await disc.count()) > 0, 'the disc row has sample images');
      // Each sample is drawn from the image's own bytes: its canvas holds the bright shape on the dark ground.
      const pixels = await canvasPixels(frame, '[data-class="disc"] canvas');
      assert.deepEqual([pixels.width, pixels.height], [16, 16]);
      assert.ok((pixels.colours['230,230,230'] ?? 0) > 20, 'the disc is drawn');
      assert.ok((pixels.colours['20,20,20'] ?? 0) > 100, 'the ground is drawn');
      await page.screenshot('10-images');
    }));

  it('11. two projects in one workspace: the views name the active one, which follows the editor and the Portfolio', () =>
    timed('11-two-projects', async () => {
      const page = await open('11-two-projects', true);
      for (const name of ['iris', 'sonar']) scaffold(name, join(page.server.workspaces, name));
      await page.goto(page.server.workspaces);
      await page.showTopdown();
      await page.until('the Portfolio lists both projects', async () => {
        const labels = await page.treeLabels('Portfolio');
        return labels.includes('iris') && labels.includes('sonar');
      });
      const first = await page.until('the Project view names the active project', async () => {
        const name = await page.viewDescription('Project');
        return ['iris', 'sonar'].includes(name) ? name : undefined;
      });
      const other = first === 'iris' ? 'sonar' : 'iris';
      // A file of the other project in the editor makes it active: the views and the status bar follow.
      await page.openFile(`${other}/topdown.json`);
      await page.until(
        `the Project and Runs views name ${other}`,
        async () =>
          (await page.viewDescription('Project')) === other && (await page.viewDescription('Runs')) === other,
      );
      await page.visible(
        page.page.locator('.statusbar-item', { hasText: other }),
        `the status bar names ${other}`,
      );
      // A click on a Portfolio row makes its project active again.
      await page
        .treeItem('Portfolio', new RegExp(`^${first}$`))
        .first()
        .click();
      await page.until(
        `the Project view names ${first} after the Portfolio click`,
        async () => (await page.viewDescription('Project')) === first,
      );
      assert.ok((await page.treeLabels('Project')).includes('1 · Define Problem'));
      await page.screenshot('11-two-projects');
    }));

  it('8. in Restricted Mode the run commands are off and the views say why', () =>
    timed('8-restricted', async () => {
      const server = await startServer({ name: '8-restricted', trusted: false });
      servers.push(server);
      const projectDir = join(server.workspaces, 'untrusted-sonar');
      scaffold('sonar', projectDir);
      const page = await Workbench.open(server, '8-restricted', projectDir);
      workbenches.push(page);
      await page.visible(
        page.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }),
        'the Restricted Mode badge',
      );
      await page.showTopdown();
      await page.visible(
        page
          .pane('Project')
          .locator('.message', { hasText: /Restricted Mode: running a step executes project code/ }),
        'the Project view explains Restricted Mode',
      );
      await page.visible(
        page.pane('Runs').locator('.welcome-view-content', { hasText: /This folder is in Restricted Mode/ }),
        'the Runs view explains Restricted Mode',
      );
      // The project is open for the extension (a projectOpen command without trust is listed), yet the
      // palette hides the step commands, which need a trusted workspace.
      await page.until('the palette lists Topdown: Open Project File (the project is open)', () =>
        page.paletteOffers('Topdown: Open Project File'),
      );
      for (const title of [
        'Topdown: Define Problem',
        'Topdown: Run All Steps',
        'Topdown: Predict with Model…',
      ]) {
        assert.equal(
          await page.paletteOffers(title),
          false,
          `the palette offers ${title} in Restricted Mode`,
        );
      }
      assert.equal(existsSync(join(projectDir, 'runs')), false, 'a step ran in Restricted Mode');
      await page.screenshot('8-restricted');
    }));

  it('9. a schema error in topdown.json shows in the Problems panel at its line', () =>
    timed('9-broken-config', async () => {
      const server =
        servers.find((item) => item.scratch.includes('-7-own-csv-')) ??
        (await startServer({ name: '9-broken-config', trusted: true }));
      if (!servers.includes(server)) servers.push(server);
      const projectDir = join(server.workspaces, 'broken-sonar');
      scaffold('sonar', projectDir);
      const file = join(projectDir, 'topdown.json');
      const lines = readFileSync(file, 'utf8').split('\n');
      const index = lines.findIndex((line) => /"folds": \d+/.test(line));
      assert.ok(index >= 0, 'the Sonar template sets evaluate.validation.folds');
      lines[index] = lines[index].replace(/"folds": \d+/, '"folds": "ten"');
      writeFileSync(file, lines.join('\n'));
      const page = await Workbench.open(server, '9-broken-config', projectDir);
      workbenches.push(page);
      await page.command('Topdown: Open Project File');
      await page.visible(
        page.page.locator('.tab', { hasText: 'topdown.json' }),
        'topdown.json opens in an editor',
      );
      await page.page.keyboard.press('Control+Shift+M');
      const markers = page.page.locator('.markers-panel .monaco-list-row');
      const row = await page.until('the Problems panel lists the folds error from topdown', async () => {
        const texts = await markers.allTextContents();
        return texts.find((text) => /folds/i.test(text) && /topdown/.test(text));
      });
      assert.match(
        row,
        new RegExp(`\\[Ln ${index + 1}, Col \\d+\\]`),
        `the error points at line ${index + 1}: ${row}`,
      );
      await page.screenshot('9-broken-config');
    }));
  /**
   * Runs a step from the palette, waits for its "finished" notification (steps train: up to `timeout`) and opens
   * its results panel from the notification's Open Results.
   */
  async function stepResults(page: Workbench, step: string, kind: string, timeout = 180_000) {
    await page.clearNotifications();
    await page.command(`Topdown: ${step}`);
    await page.visible(page.notification(new RegExp(`${step} finished`)), `${step} to finish`, timeout);
    await page.clickNotificationButton(new RegExp(`${step} finished`), 'Open Results');
    return page.panel(kind, `the ${kind} panel opens from the notification`);
  }

  it("12. the airline forecast: the series and its folds, each fold's forecast vs actual, the holdout forecast", () =>
    timed('12-airline-forecast', async () => {
      const page = await open('12-airline-forecast', true);
      const projectDir = join(page.server.workspaces, 'airline');
      scaffold('airline', projectDir);
      await page.goto(projectDir);
      await page.showTopdown();
      await page.until('the Project view lists the five steps', async () =>
        (await page.treeLabels('Project')).includes('1 · Define Problem'),
      );
      const profile = await stepResults(page, 'Define Problem', 'profile', 60_000);
      const series = profile.locator('canvas[data-chart="series"]');
      await page.visible(series, 'the Data profile draws the series');
      assert.equal((await series.getAttribute('data-categories'))?.split('|')[0], '1949-01');
      const folds = profile.locator('canvas[data-chart="folds"]');
      assert.equal(await folds.getAttribute('data-labels'), 'training|validation');

      const evaluate = await stepResults(page, 'Evaluate Algorithms', 'evaluate');
      const forecast = evaluate.locator('canvas[data-chart="fold-forecast"]');
      await page.visible(forecast, 'the Evaluate panel draws the forecast per fold');
      // Actual, one line per walk-forward fold of the best candidate (quick mode: 3 folds), persistence dashed.
      const labels = (await forecast.getAttribute('data-labels'))?.split('|') ?? [];
      assert.equal(labels[0], 'actual');
      assert.equal(labels.at(-1), 'persistence forecast (baseline)');
      assert.deepEqual(
        labels.slice(1, -1).map((label) => label.replace(/^.* (fold \d+)$/, '$1')),
        ['fold 1', 'fold 2', 'fold 3'],
      );
      const months = (await forecast.getAttribute('data-categories'))?.split('|') ?? [];
      assert.ok(months.length > 10 && months.every((month) => /^19\d\d-\d\d$/.test(month)), months.join(' '));
      await page.screenshot('12-airline-fold-forecast');

      const final = await stepResults(page, 'Present Results', 'final');
      const holdout = final.locator('canvas[data-chart="forecast"]');
      await page.visible(holdout, 'the Final results panel draws the holdout forecast');
      assert.match(
        (await holdout.getAttribute('data-labels')) ?? '',
        /^actual\|.* forecast\|persistence forecast \(baseline\)$/,
      );
      await page.screenshot('12-airline-final-forecast');
    }));

  it('12b. a text project: the text profile, misclassified documents per fold, the words per class', () =>
    timed('12b-text', async () => {
      const page = await open('12b-text', true);
      const projectDir = join(page.server.workspaces, 'spam');
      scaffold('spam', projectDir);
      // Step 5 presents the logistic model, whose words per class the Final panel lists (the best of a quick
      // evaluate may be another candidate).
      const file = join(projectDir, 'topdown.json');
      const config = JSON.parse(readFileSync(file, 'utf8')) as { present: Record<string, unknown> };
      config.present.candidate = 'logistic';
      writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
      await page.goto(projectDir);
      await page.showTopdown();
      await page.until('the Project view lists the five steps', async () =>
        (await page.treeLabels('Project')).includes('1 · Define Problem'),
      );
      const profile = await stepResults(page, 'Define Problem', 'profile', 60_000);
      const text = profile.locator('section[data-name="text-profile"]');
      await page.visible(text, 'the Data profile shows the text column');
      assert.match((await text.locator('[data-fact="words"]').textContent()) ?? '', /^Words per document: /);
      const frequent = await text
        .locator('[data-name="frequent-words"] li[data-word]')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-word')));
      assert.ok(frequent.length > 0, 'the most frequent words are listed');
      await page.screenshot('12b-text-profile');

      const evaluate = await stepResults(page, 'Evaluate Algorithms', 'evaluate');
      const mistakes = evaluate.locator('section[data-name="misclassified-documents"]');
      await page.visible(mistakes, 'the Evaluate panel lists the misclassified documents');
      assert.match((await mistakes.locator('h2').textContent()) ?? '', /\(cross-validation\)/);
      const rows = mistakes.locator('table[data-table="misclassified"] tbody tr');
      if ((await rows.count()) > 0) {
        const snippet = (await rows.first().locator('td').last().textContent()) ?? '';
        assert.ok(snippet.length > 0, 'a misclassified document shows a snippet');
      }
      await page.screenshot('12b-text-misclassified');

      const final = await stepResults(page, 'Present Results', 'final');
      const spamWords = final.locator('section[data-name="class-words"] [data-list="spam"] li[data-word]');
      await page.until(
        'the Final panel lists the words that push towards spam',
        async () => (await spamWords.count()) > 0,
      );
      await page.screenshot('12b-text-final');
    }));
});
