/**
 * Scenarios 7–9: a project from the user's own CSV through the wizard, a folder in Restricted Mode, and a
 * broken topdown.json, each in a real VS Code (code-server).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { scaffold, startServer, type VsCodeServer } from './server';
import { timed } from './timings';
import { Workbench } from './workbench';

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
});
