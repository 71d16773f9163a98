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
import { predictWithModel } from './predictCommand';
import { openReport, pickProject } from './projectCommands';
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

type ProjectAction = (action: (projectDir: string) => unknown) => Handler;

/**
 * Makes a handler act on the project its argument names (a Portfolio row, a CodeLens, a file), else the active
 * one; without a project it says so and offers a new one.
 */
function projectCommand(project: ProjectTracker): ProjectAction {
  return (action) =>
    (...args) => {
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
}

type Handlers = Partial<Record<CommandKey, Handler>>;

/** The bundle folder name (under models/) a command argument names, when it names one. */
function bundleArgument(argument: unknown): string | undefined {
  const bundle =
    typeof argument === 'object' && argument !== null ? (argument as { bundle?: unknown }).bundle : undefined;
  return typeof bundle === 'string' ? bundle : undefined;
}

/** The five steps, all of them, a step by name (Project view, CodeLens) and cancelling. */
function stepHandlers({ project, runs }: CommandServices, withProject: ProjectAction) {
  const step = (name: StepName) => withProject((projectDir) => runs.run(projectDir, name));
  return {
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
  } satisfies Handlers;
}

/** New projects, the walkthrough, the project's files, model and report, acceleration and the log. */
function projectHandlers({ context, log, project }: CommandServices, withProject: ProjectAction) {
  return {
    newProject: () => newProject(context, log, false, (projectDir) => project.refresh(projectDir)),
    openTemplate: () => newProject(context, log, true, (projectDir) => project.refresh(projectDir)),
    learnSteps: () =>
      vscode.commands.executeCommand(
        'workbench.action.openWalkthrough',
        `${context.extension.id}#${WALKTHROUGH}`,
        false,
      ),
    // The Final results panel names its own bundle (`{ projectDir, bundle }`): the model question is skipped.
    predict: (...args) =>
      withProject((projectDir) =>
        predictWithModel({ extensionPath: context.extensionPath, log }, projectDir, bundleArgument(args[0])),
      )(...args),
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
    chooseProject: () => pickProject(project),
    activateProject: withProject((projectDir) => project.choose(projectDir)),
    refreshPortfolio: () => project.refresh(),
  } satisfies Handlers;
}

/** The Runs view's commands: each acts on the clicked run and the selection. */
function runsHandlers({ runsView, actions }: CommandServices) {
  const target = (args: unknown[]) => args[0] as RunTarget;
  const selection = (args: unknown[]) => args[1] as RunsTreeNode[] | undefined;
  return {
    compareRuns: (...args) => actions.compare(target(args), selection(args)),
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
    predictRun: (...args) => actions.predict(target(args)),
  } satisfies Handlers;
}

/** Registers one command; an error it throws goes to the log and to an error message with "Show Log". */
function register(key: CommandKey, handler: Handler, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS[key], async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.error(`${COMMANDS[key]} failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
      void vscode.window
        .showErrorMessage(`Topdown: ${message}`, 'Show Log')
        .then((choice) => choice && log.show());
    }
  });
}

/** Registers the commands and returns one Disposable for all of them. */
export function registerCommands(services: CommandServices): vscode.Disposable {
  const withProject = projectCommand(services.project);
  const handlers: Record<CommandKey, Handler> = {
    ...stepHandlers(services, withProject),
    ...projectHandlers(services, withProject),
    ...runsHandlers(services),
  };
  return vscode.Disposable.from(
    ...(Object.keys(handlers) as CommandKey[]).map((key) => register(key, handlers[key], services.log)),
  );
}
