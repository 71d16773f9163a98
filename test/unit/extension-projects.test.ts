// The stand-in answers `require('vscode')`, so it is imported before any host module.
import { fake, memento, standIn, type FakeTreeView } from '../helpers/vscode';
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { loadProject } from '../../src/core/project';
import { RunStore } from '../../src/core/runs/store';
import { registerCommands, type CommandServices } from '../../src/extension/commands';
import { COMMANDS, CONTEXT_KEYS, VIEWS } from '../../src/extension/contributions';
import { registerStepCodeLens } from '../../src/extension/editor/codeLens';
import type { RunManager } from '../../src/extension/jobs/runManager';
import {
  chooseActive,
  projectDirs,
  projectLabel,
  projectOf,
  projectOfArgument,
} from '../../src/extension/models/projects';
import {
  describePortfolioRow,
  portfolioDetails,
  publishedReference,
} from '../../src/extension/models/portfolio';
import type { StepNode } from '../../src/extension/models/projectSteps';
import type { RunsTreeNode } from '../../src/extension/models/runsTree';
import { ACTIVE_PROJECT_KEY, ProjectTracker } from '../../src/extension/project';
import { RunActions } from '../../src/extension/runsCommands';
import { PortfolioView, type PortfolioNode } from '../../src/extension/views/portfolioView';
import { ActiveProjectLabels } from '../../src/extension/views/projectStatus';
import { ProjectView } from '../../src/extension/views/projectView';
import type { Results } from '../../src/extension/results';
import { RunsView } from '../../src/extension/views/runsView';
import { finishRecord, newSessionId, startRecord } from '../../src/runner/jobs/common';
import { recordCompletedRun } from '../helpers/runs';

const root = join(__dirname, '..', '..');

describe('the projects of a workspace (models/projects)', () => {
  it('takes every topdown.json folder, once each, in path order', () => {
    assert.deepEqual(projectDirs(['/w/b/topdown.json', '/w/a/topdown.json', '/w/b/topdown.json']), [
      '/w/a',
      '/w/b',
    ]);
  });

  it('gives a file to the deepest project that holds it, and none outside every project', () => {
    const projects = ['/w/housing', '/w/housing/sub', '/w/airline'];
    assert.equal(projectOf('/w/housing/data/x.csv', projects), '/w/housing');
    assert.equal(projectOf('/w/housing/sub/topdown.json', projects), '/w/housing/sub');
    assert.equal(projectOf('/w/housing2/topdown.json', projects), undefined);
    assert.equal(projectOf('/w/README.md', projects), undefined);
  });

  it('keeps the current project on a refresh, else follows the editor, the remembered choice, the root', () => {
    const projects = ['/w/airline', '/w/housing'];
    assert.equal(
      chooseActive({ projects, current: '/w/housing', editorFile: '/w/airline/topdown.json' }),
      '/w/housing',
    );
    assert.equal(
      chooseActive({ projects, editorFile: '/w/airline/README.md', remembered: '/w/housing' }),
      '/w/airline',
    );
    assert.equal(chooseActive({ projects, remembered: '/w/housing' }), '/w/housing');
    assert.equal(chooseActive({ projects, current: '/w/gone', remembered: '/w/gone' }), '/w/airline');
    assert.equal(chooseActive({ projects, current: '/w/housing', preferred: '/w/airline' }), '/w/airline');
    assert.equal(chooseActive({ projects: [] }), undefined);
  });

  it('names a project by its path inside its workspace folder, with the folder when there are several roots', () => {
    assert.equal(projectLabel('/w/demos/airline', ['/w']), 'demos/airline');
    assert.equal(projectLabel('/w', ['/w']), 'w');
    assert.equal(projectLabel('/x/housing', ['/w', '/x']), 'x/housing');
    assert.equal(projectLabel('/x', ['/w', '/x']), 'x');
  });

  it('reads the project a command argument names: a node, a file URI, or nothing', () => {
    const projects = ['/w/airline', '/w/housing'];
    assert.deepEqual(projectOfArgument({ projectDir: '/w/housing' }, projects), {
      kind: 'project',
      projectDir: '/w/housing',
    });
    assert.deepEqual(projectOfArgument({ fsPath: '/w/airline/data/a.csv' }, projects), {
      kind: 'project',
      projectDir: '/w/airline',
    });
    assert.deepEqual(projectOfArgument({ projectDir: '/elsewhere' }, projects), {
      kind: 'outside',
      path: '/elsewhere',
    });
    assert.deepEqual(projectOfArgument('evaluate', projects), { kind: 'none' });
    assert.deepEqual(projectOfArgument({ step: 'define' }, projects), { kind: 'none' });
  });
});

describe('publishedReference', () => {
  it('quotes the sentences with bold figures of the README section', () => {
    const readme =
      '# X\n\n## Published reference results\n\nFrom tutorials (single runs): 10-fold, MLP 4 → 8 → 3:\n**97.3% (4.4)**. Source: the shared README.\n\n## Your own model\nno **1**.';
    assert.deepEqual(publishedReference(readme), [
      'From tutorials (single runs): 10-fold, MLP 4 → 8 → 3: 97.3% (4.4).',
    ]);
  });

  it('quotes each row of a results table', () => {
    const readme =
      '## Published reference results\n\nFrom tutorials:\n\n| model | accuracy (std) |\n|---|---|\n| MLP raw | 81.7% (7.3) |\n| MLP standardized | 84.6% (5.7) |\n';
    assert.deepEqual(publishedReference(readme), ['MLP raw: 81.7% (7.3)', 'MLP standardized: 84.6% (5.7)']);
  });

  it('gives the first sentence of a section without figures, and nothing without the section', () => {
    assert.deepEqual(
      publishedReference(
        '## Published reference results\n\nNone is published. The baseline is the reference.\n',
      ),
      ['None is published.'],
    );
    assert.deepEqual(publishedReference('# Just a title\n'), []);
  });

  it('finds a reference in every shipped template README', async () => {
    const { readFileSync } = await import('node:fs');
    for (const template of ['airline', 'auto-mpg', 'iris', 'pima', 'sonar', 'digits']) {
      const lines = publishedReference(readFileSync(join(root, 'templates', template, 'README.md'), 'utf8'));
      assert.ok(lines.length > 0, template);
    }
  });
});

/** Records a completed present run with a holdout score. */
async function recordPresent(dir: string, candidate: string, holdout: number): Promise<void> {
  const project = await loadProject(dir);
  const store = new RunStore(dir);
  const record = startRecord(project, store, 'present', newSessionId(), { candidate, model: 'mlp' });
  record.holdout = { score: holdout, metrics: {}, size: 10 };
  record.bundle = `models/${candidate}`;
  record.outputs = { bundle: record.bundle };
  finishRecord(record, 'completed');
  store.create(record);
}

/** A workspace with the auto-mpg template as `housing` (evaluated, presented) and `airline` (evaluated). */
async function twoProjectWorkspace(): Promise<{ workspace: string; housing: string; airline: string }> {
  const workspace = mkdtempSync(join(tmpdir(), 'topdown-portfolio-'));
  const housing = join(workspace, 'housing');
  const airline = join(workspace, 'airline');
  cpSync(join(root, 'templates', 'auto-mpg'), housing, { recursive: true });
  cpSync(join(root, 'templates', 'airline'), airline, { recursive: true });
  const session = newSessionId();
  await recordCompletedRun(housing, 'evaluate', { name: 'baseline', model: 'baseline' }, [7.8, 7.9], session);
  await recordCompletedRun(housing, 'evaluate', { name: 'mlp-small', model: 'mlp' }, [2.9, 3.1], session);
  await recordCompletedRun(housing, 'evaluate', { name: 'linear', model: 'linear' }, [3.3, 3.5], session);
  await recordPresent(housing, 'mlp-small', 2.75);
  await recordCompletedRun(airline, 'evaluate', { name: 'baseline', model: 'baseline' }, [48, 50]);
  await recordCompletedRun(airline, 'evaluate', { name: 'lstm', model: 'lstm' }, [52, 56]);
  mkdirSync(join(housing, 'report'));
  writeFileSync(join(housing, 'report', 'REPORT.md'), '# Report\n');
  fake.workspaceFolders = [workspace];
  fake.files = [join(housing, 'topdown.json'), join(airline, 'topdown.json')];
  return { workspace, housing, airline };
}

const log = { info() {}, warn() {}, error() {}, debug() {}, show() {} } as unknown as vscode.LogOutputChannel;

describe('two projects in one workspace', () => {
  let workspace: string;
  let housing: string;
  let airline: string;
  let state: ReturnType<typeof memento>;
  let tracker: ProjectTracker;
  let disposables: Array<{ dispose(): unknown }>;
  let started: Array<{ projectDir: string; step: string }>;

  before(async () => {
    fake.reset();
    ({ workspace, housing, airline } = await twoProjectWorkspace());
  });
  after(() => rmSync(workspace, { recursive: true, force: true }));

  beforeEach(async () => {
    fake.reset();
    fake.workspaceFolders = [workspace];
    fake.files = [join(housing, 'topdown.json'), join(airline, 'topdown.json')];
    state = memento();
    tracker = new ProjectTracker(log, state as unknown as vscode.Memento);
    started = [];
    const runs = {
      run: async (projectDir: string, step: string) => void started.push({ projectDir, step }),
      cancel() {},
    } as unknown as RunManager;
    const services = {
      context: { extensionPath: root, extension: { id: 'topdown.topdown' } },
      log,
      project: tracker,
      runs,
      runsView: { refresh() {} },
      actions: {} as unknown as RunActions,
    } as unknown as CommandServices;
    disposables = [tracker, registerCommands(services)];
    await tracker.refresh();
  });

  const views = () => {
    const projectView = new ProjectView(tracker, log);
    const runsView = new RunsView(tracker, log);
    const portfolio = new PortfolioView(tracker, log);
    const projectTree = standIn.window.createTreeView(VIEWS.project, { treeDataProvider: projectView });
    const labels = new ActiveProjectLabels(tracker, [
      projectTree as unknown as vscode.TreeView<unknown>,
      runsView.view,
    ]);
    disposables.push(projectView, runsView, portfolio, labels);
    return { projectView, runsView, portfolio, labels, projectTree: projectTree as FakeTreeView };
  };

  it('finds both projects, makes the one nearest the root active and says there are several', () => {
    assert.deepEqual(tracker.projects, [airline, housing]);
    assert.equal(tracker.projectDir, airline);
    assert.equal(fake.contextKeys.get(CONTEXT_KEYS.projectOpen), true);
    assert.equal(fake.contextKeys.get(CONTEXT_KEYS.manyProjects), true);
    for (const disposable of disposables) disposable.dispose();
  });

  it('follows the editor: a file of the other project makes it active, and the views show that project', async () => {
    const { projectView, runsView, projectTree } = views();
    assert.equal(projectTree.description, 'airline');
    fake.openEditor(join(housing, 'data', 'auto_mpg.csv'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(tracker.projectDir, housing);
    assert.equal(projectTree.description, 'housing');
    assert.equal(runsView.view.description, 'housing');
    const evaluate = projectView.getChildren().find((step) => step.step === 'evaluate');
    assert.equal(evaluate?.projectDir, housing);
    assert.equal(evaluate?.best?.name, 'mlp-small');
    const runLabels = runsView.getChildren().flatMap((group) => runsView.getChildren(group));
    assert.ok(runLabels.length > 0);
    const status = fake.statusBarItems.find((item) => item.id === 'topdown.project');
    assert.equal(status?.visible, true);
    assert.match(status?.text ?? '', /housing/);
    // A file outside every project leaves the active one as it is.
    fake.openEditor(join(workspace, 'notes.md'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(tracker.projectDir, housing);
    for (const disposable of disposables) disposable.dispose();
  });

  it('runs a palette step on the active project and a CodeLens or row step on its own project', async () => {
    await fake.executeCommand(COMMANDS.evaluate);
    assert.deepEqual(started.at(-1), { projectDir: airline, step: 'evaluate' });
    // The CodeLens of housing/topdown.json passes its project after the step.
    disposables.push(registerStepCodeLens());
    const lens = fake.codeLenses(join(housing, 'topdown.json'), '{\n  "evaluate": {}\n}\n');
    assert.deepEqual(lens[0]?.command?.arguments, ['evaluate', { projectDir: housing }]);
    await fake.executeCommand(COMMANDS.runStep, ...(lens[0]?.command?.arguments ?? []));
    assert.deepEqual(started.at(-1), { projectDir: housing, step: 'evaluate' });
    assert.equal(
      tracker.projectDir,
      airline,
      'running another project’s lens does not switch the active one',
    );
    const row = { step: 'define', projectDir: housing } as StepNode;
    await fake.executeCommand(COMMANDS.runStep, row);
    assert.deepEqual(started.at(-1), { projectDir: housing, step: 'define' });
    await fake.executeCommand(COMMANDS.present, { projectDir: join(workspace, 'not-a-project') });
    assert.equal(started.length, 3, 'a folder that is not a project of the workspace runs nothing');
    assert.match(fake.messages.at(-1)?.text ?? '', /not in a Topdown project/);
    for (const disposable of disposables) disposable.dispose();
  });

  it('lets the user choose the active project, remembers it, and a new project becomes active', async () => {
    fake.pick = (items) => items.find((item) => item.label === 'housing');
    await fake.executeCommand(COMMANDS.chooseProject);
    assert.equal(tracker.projectDir, housing);
    assert.equal(state.get(ACTIVE_PROJECT_KEY), housing);
    const again = new ProjectTracker(log, state as unknown as vscode.Memento);
    await again.refresh();
    assert.equal(again.projectDir, housing, 'a new window starts on the remembered project');
    again.dispose();
    const created = join(workspace, 'iris');
    cpSync(join(root, 'templates', 'iris'), created, { recursive: true });
    fake.files.push(join(created, 'topdown.json'));
    await tracker.refresh(created);
    assert.equal(tracker.projectDir, created);
    assert.equal(tracker.projects.length, 3);
    rmSync(created, { recursive: true });
    for (const disposable of disposables) disposable.dispose();
  });

  it('lists every project in the Portfolio with task, best model against its baseline, final and reference', async () => {
    const { portfolio } = views();
    const rows = portfolio.getChildren() as Array<Extract<PortfolioNode, { kind: 'project' }>>;
    assert.deepEqual(
      rows.map((node) => node.row.name),
      ['airline', 'housing'],
    );
    const [airlineRow, housingRow] = rows.map((node) => node.row);
    assert.equal(housingRow.task, 'regression');
    assert.equal(housingRow.baselineName, 'mean');
    assert.equal(housingRow.best?.name, 'mlp-small');
    assert.equal(housingRow.final?.holdout, 2.75);
    assert.equal(housingRow.report, 'report/REPORT.md');
    assert.match(
      describePortfolioRow(housingRow),
      /best mlp-small 3\.000 ± .* rmse vs mean 7\.850 · holdout 2\.750/,
    );
    assert.equal(airlineRow.baselineName, 'persistence');
    assert.ok(airlineRow.reference.some((line) => /47\.5/.test(line)));
    const airlineDetails = portfolioDetails(airlineRow);
    assert.match(
      airlineDetails.find((detail) => detail.label.startsWith('Best'))?.description ?? '',
      /not better than the baseline/,
    );
    const item = portfolio.getTreeItem(rows[1]);
    assert.equal(item.contextValue, 'portfolio.project.report');
    assert.equal(portfolio.getTreeItem(rows[0]).contextValue, 'portfolio.project');
    assert.match(String(portfolio.getTreeItem(rows[0]).description), /^active · /);
    // The report line of housing opens housing's report, whichever project is active.
    const reportLine = portfolio
      .getChildren(rows[1])
      .find((node) => node.kind === 'detail' && node.detail.opens === 'report');
    const reportItem = portfolio.getTreeItem(reportLine!);
    await fake.executeCommand(reportItem.command!.command, ...(reportItem.command!.arguments ?? []));
    const preview = fake.executed.find((call) => call.command === 'markdown.showPreview');
    assert.equal((preview?.args[0] as { fsPath: string }).fsPath, join(housing, 'report', 'REPORT.md'));
    // A click on a row makes its project active.
    await fake.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    assert.equal(tracker.projectDir, housing);
    for (const disposable of disposables) disposable.dispose();
  });

  it("reveals a run's folder in the Explorer (works in a browser-based editor), not in the OS file manager", async () => {
    const { runsView } = views();
    fake.openEditor(join(housing, 'data', 'auto_mpg.csv'));
    await new Promise((resolve) => setImmediate(resolve));
    const all = (nodes: RunsTreeNode[]): RunsTreeNode[] =>
      nodes.flatMap((node) => [node, ...all(runsView.getChildren(node))]);
    const run = all(runsView.getChildren()).find((node) => node.kind === 'run');
    assert.ok(run && run.kind === 'run');
    const actions = new RunActions(tracker, runsView, {} as never, {} as never);
    await actions.reveal(run);
    assert.equal(
      fake.executed.some((call) => call.command === 'revealFileInOS'),
      false,
    );
    const reveal = fake.executed.find((call) => call.command === 'revealInExplorer');
    assert.equal((reveal?.args[0] as { fsPath: string }).fsPath, join(housing, 'runs', run.entry.id));
    for (const disposable of disposables) disposable.dispose();
  });

  it('opens the results of a step row from its own project, reading its newest run at the click, or says there is none', async () => {
    const { projectView, runsView } = views();
    const opened: string[] = [];
    const panels = {
      showFinal: (dir: string, id: string) => opened.push(`final ${dir} ${id}`),
      showEvaluate: (dir: string, session: string) => opened.push(`evaluate ${dir} ${session}`),
    };
    const actions = new RunActions(
      tracker,
      runsView,
      { get: () => panels } as unknown as Results,
      {} as RunManager,
    );
    // A row made before its step ran (the view had not redrawn yet) still opens the run made since.
    const before = { step: 'present', projectDir: airline, label: '5 · Present Results' } as StepNode;
    assert.equal(projectView.getTreeItem(before).command?.command, COMMANDS.openResults, 'every row opens');
    actions.openResults(before);
    assert.deepEqual(opened, []);
    assert.match(fake.messages.at(-1)?.text ?? '', /5 · Present Results: no run yet/);
    await recordPresent(airline, 'lstm', 47);
    actions.openResults(before);
    const present = new RunStore(airline).latest('present');
    assert.deepEqual(opened, [`final ${airline} ${present?.id}`]);
    // The housing row opens housing's evaluate session while airline is the active project.
    assert.equal(tracker.projectDir, airline);
    fake.openEditor(join(housing, 'data', 'auto_mpg.csv'));
    await new Promise((resolve) => setImmediate(resolve));
    const evaluate = projectView.getChildren().find((step) => step.step === 'evaluate')!;
    fake.openEditor(join(airline, 'topdown.json'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(tracker.projectDir, airline);
    actions.openResults(evaluate);
    const session = new RunStore(housing).latest('evaluate')?.session;
    assert.equal(opened.at(-1), `evaluate ${housing} ${session}`);
    for (const disposable of disposables) disposable.dispose();
  });
});
