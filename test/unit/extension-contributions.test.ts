import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  COMMANDS,
  CONTEXT_KEYS,
  SETTINGS,
  STEP_COMMANDS,
  VIEWS,
  VIEW_CONTAINER,
  stepRanKey,
} from '../../src/extension/contributions';
import { activationEvents, capabilities, contributes } from '../../src/extension/manifest';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('package.json contributions', () => {
  it('match the contributions built in src/extension/manifest.ts exactly', () => {
    assert.deepEqual(manifest.contributes, JSON.parse(JSON.stringify(contributes)));
    assert.deepEqual(manifest.activationEvents, activationEvents);
    assert.deepEqual(manifest.capabilities, capabilities);
  });

  it('give the activity bar a monochrome SVG of its own that takes the theme colour', () => {
    const [container] = manifest.contributes.viewsContainers.activitybar as Array<{ icon: string }>;
    assert.match(container.icon, /^media\/[\w-]+\.svg$/);
    const svg = readFileSync(join(root, container.icon), 'utf8');
    assert.match(svg, /viewBox="0 0 24 24"/);
    assert.match(svg, /currentColor/);
    // No colour of its own (VS Code paints activity-bar icons with the theme's colour), no image, no script.
    assert.doesNotMatch(svg, /#[0-9a-f]{3,8}\b|rgb\(|<image|<script|href=/i);
  });

  it('declare every command id in COMMANDS, and no other', () => {
    const declared = manifest.contributes.commands.map((entry: { command: string }) => entry.command).sort();
    assert.deepEqual(declared, Object.values(COMMANDS).sort());
  });

  it('put the issue’s palette commands under the Topdown category', () => {
    const titles = new Map(
      manifest.contributes.commands.map((entry: { command: string; title: string; category: string }) => [
        entry.command,
        `${entry.category}: ${entry.title}`,
      ]),
    );
    const expected = [
      [COMMANDS.newProject, 'Topdown: New Project…'],
      [COMMANDS.define, 'Topdown: Define Problem'],
      [COMMANDS.prepare, 'Topdown: Prepare Data'],
      [COMMANDS.evaluate, 'Topdown: Evaluate Algorithms'],
      [COMMANDS.improve, 'Topdown: Improve Results'],
      [COMMANDS.present, 'Topdown: Present Results'],
      [COMMANDS.runAll, 'Topdown: Run All Steps'],
      [COMMANDS.cancelRun, 'Topdown: Cancel Run'],
      [COMMANDS.compareRuns, 'Topdown: Compare Runs'],
      [COMMANDS.predict, 'Topdown: Predict with Model…'],
      [COMMANDS.openReport, 'Topdown: Open Report'],
      [COMMANDS.installNative, 'Topdown: Install Native Acceleration'],
      [COMMANDS.showLog, 'Topdown: Show Log'],
    ];
    for (const [id, title] of expected) assert.equal(titles.get(id), title, id);
  });

  it('offer Predict… on the Present Results row once it saved a model, in the Project view title and on portfolio rows', () => {
    const menus = manifest.contributes.menus;
    const predictOn = (menu: string) =>
      menus[menu]
        .filter((entry: { command: string }) => entry.command === COMMANDS.predict)
        .map((entry: { when: string }) => entry.when);
    assert.deepEqual(predictOn('view/title'), ['view == topdown.project']);
    const [onStep] = predictOn('view/item/context').filter((when: string) =>
      when.includes('topdown.project'),
    );
    const pattern = new RegExp(/viewItem =~ \/(.*)\/$/.exec(onStep)?.[1] ?? '$^');
    for (const contextValue of ['step.done.present', 'step.stale.present'])
      assert.match(contextValue, pattern);
    for (const contextValue of ['step.not-started.present', 'step.failed.present', 'step.done.evaluate'])
      assert.doesNotMatch(contextValue, pattern);
    assert.ok(predictOn('view/item/context').some((when: string) => when.includes('topdown.portfolio')));
  });

  it('offer Predict with This Model… on completed Present Results runs of the Runs view only', () => {
    const menus = manifest.contributes.menus;
    const onRuns = menus['view/item/context'].filter(
      (entry: { command: string }) => entry.command === COMMANDS.predictRun,
    );
    assert.deepEqual(
      onRuns.map((entry: { when: string }) => entry.when),
      ['view == topdown.runs && viewItem == run.completed.model'],
    );
    const title = manifest.contributes.commands.find(
      (entry: { command: string }) => entry.command === COMMANDS.predictRun,
    ).title;
    assert.equal(title, 'Predict with This Model…');
    // Every other run command still shows on it (they match viewItem =~ /^run/), and it stays off the palette.
    assert.match('run.completed.model', /^run/);
    assert.ok(
      menus.commandPalette.some(
        (entry: { command: string; when: string }) =>
          entry.command === COMMANDS.predictRun && entry.when === 'false',
      ),
    );
  });

  it('disable every step command outside a trusted workspace', () => {
    for (const id of [...Object.values(STEP_COMMANDS), COMMANDS.runAll, COMMANDS.rerun, COMMANDS.runStep]) {
      const entry = manifest.contributes.commands.find(
        (command: { command: string }) => command.command === id,
      );
      assert.match(entry.enablement, /isWorkspaceTrusted/, id);
    }
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  it('never activate on every event, and activate on a topdown.json workspace', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
    assert.ok(manifest.activationEvents.includes('workspaceContains:topdown.json'));
  });

  it('declare the three views (Project, Runs, Portfolio) in the Topdown container with an icon that exists', () => {
    const views = manifest.contributes.views[VIEW_CONTAINER].map((view: { id: string }) => view.id);
    assert.deepEqual(views, [VIEWS.project, VIEWS.runs, VIEWS.portfolio]);
    const container = manifest.contributes.viewsContainers.activitybar[0];
    assert.equal(container.id, VIEW_CONTAINER);
    assert.ok(existsSync(join(root, container.icon)), container.icon);
  });

  it('declare the settings with the backend choices', () => {
    const properties = manifest.contributes.configuration.properties;
    assert.deepEqual(Object.keys(properties).sort(), Object.values(SETTINGS).sort());
    assert.deepEqual(properties[SETTINGS.backend].enum, ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu']);
  });

  it('keep the queue settings out of untrusted workspaces, which could send the data elsewhere', () => {
    const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    assert.ok(restricted.includes(SETTINGS.queue) && restricted.includes(SETTINGS.queueData));
    const pattern = new RegExp(manifest.contributes.configuration.properties[SETTINGS.queue].pattern);
    assert.ok(pattern.test('redis://host:6379') && pattern.test('rediss://h/2') && pattern.test(''));
    assert.equal(pattern.test('http://host'), false);
  });

  it('give the walkthrough five steps whose markdown exists, that run their step and complete once it has run', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.equal(walkthrough.steps.length, 5);
    for (const step of walkthrough.steps) {
      assert.ok(existsSync(join(root, step.media.markdown)), step.media.markdown);
      const stepName = step.id as keyof typeof STEP_COMMANDS;
      assert.ok(step.description.includes(`(command:${STEP_COMMANDS[stepName]})`), step.description);
      // Not onCommand: the step completes when a run of it completed, from the palette, the view or Run All Steps.
      assert.deepEqual(step.completionEvents, [`onContext:${stepRanKey(stepName)}`]);
    }
  });

  it('only use context keys the extension sets (and its view ids) in when and enablement clauses', () => {
    const clauses: string[] = [];
    JSON.stringify(manifest.contributes, (key, value) => {
      if ((key === 'when' || key === 'enablement') && typeof value === 'string') clauses.push(value);
      return value;
    });
    const known = new Set<string>([...Object.values(CONTEXT_KEYS), ...Object.values(VIEWS)]);
    const used = clauses.flatMap((clause) => clause.match(/\btopdown\.[\w.]+/g) ?? []);
    assert.ok(used.length > 10);
    assert.deepEqual(
      used.filter((key) => !known.has(key)),
      [],
    );
  });
});

describe('the Runs view welcome', () => {
  it('speaks of workspace trust only in Restricted Mode', () => {
    const runs = (
      manifest.contributes.viewsWelcome as Array<{ view: string; contents: string; when: string }>
    ).filter((entry) => entry.view === VIEWS.runs);
    const trusted = runs.find((entry) => /&& isWorkspaceTrusted$/.test(entry.when));
    const restricted = runs.find((entry) => entry.when.includes('!isWorkspaceTrusted'));
    assert.ok(trusted && restricted);
    assert.doesNotMatch(trusted.contents, /trust/i);
    assert.match(restricted.contents, /Restricted Mode/);
  });
});
