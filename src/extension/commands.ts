/** Registers every command in COMMANDS; the Record type makes a missing handler a compile error. */
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { StepName } from '../protocol/records';
import { COMMANDS, WALKTHROUGH, type CommandKey } from './contributions';
import type { RunManager } from './jobs/runManager';
import type { StepNode } from './models/projectSteps';
import type { RunsTreeNode } from './models/runsTree';
import { installAcceleration } from './native';
import { projectOfArgument } from './models/projects';
import type { ProjectTracker } from './project';
import { openReport, pickProject, predictWithModel } from './projectCommands';
import type { RunActions, RunTarget } from './runsCommands';
import type { RunsView } from './views/runsView';
import { newProject } from './wizard/newProject';

/** What the handlers need. */
export interface CommandServices {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  project: ProjectTracker;
  runs: RunManager;
  runsView: RunsView;
  actions: RunActions;
}

// Handlers receive whatever VS Code passes (tree nodes, CodeLens arguments), hence unknown[].
type Handler = (...args: unknown[]) => unknown;

/** Registers the commands and returns one Disposable for all of them. */
export function registerCommands(services: CommandServices): vscode.Disposable {
  const { context, log, project, runs, runsView, actions } = services;
  // A command acts on the project its argument names (a Portfolio row, a CodeLens, a file), else the active one.
  const withProject =
    (action: (projectDir: string) => unknown) =>
    (...args: unknown[]) => {
      const named = projectOfArgument(args[0], project.projects);
      if (named.kind === 'outside') {
        void vscode.window.showWarningMessage(
          `${named.path} is not in a Topdown project of this workspace (a folder with topdown.json).`,
        );
        return;
      }
      const projectDir = named.kind === 'project' ? named.projectDir : project.projectDir;
      if (projectDir) return action(projectDir);
      void vscode.window
        .showInformationMessage('Open a Topdown project (a folder with topdown.json) first.', 'New Project…')
        .then((choice) => choice && vscode.commands.executeCommand(COMMANDS.newProject));
    };
  const step = (name: StepName) => withProject((projectDir) => runs.run(projectDir, name));
  const target = (args: unknown[]) => args[0] as RunTarget;
  const selection = (args: unknown[]) => args[1] as RunsTreeNode[] | undefined;

  const handlers: Record<CommandKey, Handler> = {
    newProject: () => newProject(context, log, false, (projectDir) => project.refresh(projectDir)),
    openTemplate: () => newProject(context, log, true, (projectDir) => project.refresh(projectDir)),
    learnSteps: () =>
      vscode.commands.executeCommand(
        'workbench.action.openWalkthrough',
        `${context.extension.id}#${WALKTHROUGH}`,
        false,
      ),
    define: step('define'),
    prepare: step('prepare'),
    evaluate: step('evaluate'),
    improve: step('improve'),
    present: step('present'),
    runAll: withProject((projectDir) => runs.run(projectDir, 'all')),
    runStep: (...args) => {
      const argument = args[0] as StepNode | StepName | undefined;
      const name = typeof argument === 'string' ? argument : argument?.step;
      // A CodeLens passes its file's project after the step; a Project view row carries its own.
      const where = typeof argument === 'string' ? args[1] : argument;
      return name ? vscode.commands.executeCommand(COMMANDS[name], where) : undefined;
    },
    cancelRun: () => runs.cancel(project.projectDir),
    compareRuns: (...args) => actions.compare(target(args), selection(args)),
    predict: withProject((projectDir) => predictWithModel(context.extensionPath, projectDir)),
    openReport: withProject((projectDir) => openReport(projectDir)),
    installNative: withProject((projectDir) =>
      installAcceleration('native', context.extensionPath, projectDir, log),
    ),
    installGpu: withProject((projectDir) =>
      installAcceleration('gpu', context.extensionPath, projectDir, log),
    ),
    showLog: () => log.show(),
    openProjectFile: withProject((projectDir) =>
      vscode.window.showTextDocument(vscode.Uri.file(join(projectDir, 'topdown.json'))),
    ),
    refreshRuns: () => runsView.refresh(),
    filterRuns: () => runsView.chooseFilter(),
    openResults: (...args) => actions.openResults(target(args)),
    compareSelected: (...args) => actions.compare(target(args), selection(args)),
    rerun: (...args) => actions.rerun(target(args)),
    cancelSelected: () => actions.cancel(),
    rename: (...args) => actions.rename(target(args)),
    addNote: (...args) => actions.addNote(target(args)),
    deleteRun: (...args) => actions.delete(target(args), selection(args)),
    revealRun: (...args) => actions.reveal(target(args)),
    copyConfig: (...args) => actions.copyConfig(target(args)),
    chooseProject: () => pickProject(project),
    activateProject: withProject((projectDir) => project.choose(projectDir)),
    refreshPortfolio: () => project.refresh(),
  };
  const registrations = (Object.keys(handlers) as CommandKey[]).map((key) =>
    vscode.commands.registerCommand(COMMANDS[key], async (...args: unknown[]) => {
      try {
        return await handlers[key](...args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log.error(`${COMMANDS[key]} failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
        void vscode.window
          .showErrorMessage(`Topdown: ${message}`, 'Show Log')
          .then((choice) => choice && log.show());
      }
    }),
  );
  return vscode.Disposable.from(...registrations);
}
