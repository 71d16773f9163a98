/**
 * Extension entry point. Activation is cheap: it registers contributions and reads the run index; the
 * runner (and TensorFlow.js) only ever run in child processes, and the panels load on first use.
 */
import * as vscode from 'vscode';
import { VIEWS } from './contributions';
import { registerCommands } from './commands';
import { registerStepCodeLens } from './editor/codeLens';
import { ProjectDiagnostics } from './editor/diagnostics';
import { WalkthroughProgress } from './walkthroughProgress';
import { RunManager } from './jobs/runManager';
import { createLog } from './log';
import { ProjectTracker } from './project';
import { Results } from './results';
import { RunActions } from './runsCommands';
import { PortfolioView } from './views/portfolioView';
import { ActiveProjectLabels } from './views/projectStatus';
import { ProjectView } from './views/projectView';
import { RunsView } from './views/runsView';
import { openPendingReadme } from './wizard/newProject';

/** Called by VS Code on activation. Everything created here is owned by context.subscriptions. */
export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  const project = new ProjectTracker(log, context.workspaceState);
  const results = new Results(context, log);
  const runs = new RunManager(context.extensionPath, log, results, (projectDir) =>
    project.projects.length > 1 ? project.label(projectDir) : undefined,
  );
  const projectView = new ProjectView(project, log);
  const runsView = new RunsView(project, log);
  const portfolio = new PortfolioView(project, log);
  const actions = new RunActions(project, runsView, results, runs);
  const diagnostics = new ProjectDiagnostics(log);
  const projectTree = vscode.window.createTreeView(VIEWS.project, { treeDataProvider: projectView });
  const showTrust = () => {
    projectTree.message = vscode.workspace.isTrusted
      ? undefined
      : 'Restricted Mode: running a step executes project code (custom models), so the run buttons are off until you trust this folder. Runs, reports and topdown.json can still be viewed.';
  };
  showTrust();
  context.subscriptions.push(
    log,
    project,
    results,
    runs,
    projectView,
    runsView,
    portfolio,
    projectTree,
    new ActiveProjectLabels(project, [projectTree, runsView.view]),
    runs.onDidChangeRuns(() => {
      runsView.refresh();
      projectView.refresh();
      portfolio.refresh();
    }),
    registerCommands({ context, log, project, runs, runsView, actions }),
    diagnostics,
    runs.onDidFinish(({ projectDir, outcome }) => {
      if (outcome.status !== 'cancelled') {
        diagnostics.showRunOutcome(projectDir, outcome.status === 'failed' ? outcome.error : undefined);
      }
    }),
    new WalkthroughProgress(project, log),
    registerStepCodeLens(),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      showTrust();
      projectView.refresh();
    }),
  );
  void project.refresh().then(() => openPendingReadme(context));
  log.info(
    `Topdown ${context.extension.packageJSON.version as string} activated (trusted: ${vscode.workspace.isTrusted})`,
  );
}

/** Called by VS Code on shutdown; disposing context.subscriptions cancels running jobs. */
export function deactivate(): void {}
