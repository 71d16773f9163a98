/**
 * Every id the extension contributes (commands, views, settings, context keys, walkthrough), in one place.
 * Plain TypeScript without `vscode`, so a unit test can compare it with package.json `contributes`.
 */

/** Command ids. Handlers are registered in commands.ts against this map, so none can be forgotten. */
export const COMMANDS = {
  newProject: 'topdown.newProject',
  openTemplate: 'topdown.openTemplate',
  learnSteps: 'topdown.learnSteps',
  define: 'topdown.define',
  prepare: 'topdown.prepare',
  evaluate: 'topdown.evaluate',
  improve: 'topdown.improve',
  present: 'topdown.present',
  runAll: 'topdown.runAll',
  runStep: 'topdown.runStep',
  cancelRun: 'topdown.cancelRun',
  compareRuns: 'topdown.compareRuns',
  predict: 'topdown.predict',
  openReport: 'topdown.openReport',
  installNative: 'topdown.installNative',
  installGpu: 'topdown.installGpu',
  showLog: 'topdown.showLog',
  openProjectFile: 'topdown.openProjectFile',
  refreshRuns: 'topdown.refreshRuns',
  filterRuns: 'topdown.runs.filter',
  openResults: 'topdown.runs.openResults',
  compareSelected: 'topdown.runs.compareSelected',
  rerun: 'topdown.runs.rerun',
  cancelSelected: 'topdown.runs.cancel',
  rename: 'topdown.runs.rename',
  addNote: 'topdown.runs.addNote',
  deleteRun: 'topdown.runs.delete',
  revealRun: 'topdown.runs.reveal',
  copyConfig: 'topdown.runs.copyConfig',
  predictRun: 'topdown.runs.predict',
  chooseProject: 'topdown.chooseProject',
  activateProject: 'topdown.portfolio.activate',
  refreshPortfolio: 'topdown.portfolio.refresh',
} as const;

/** A key of COMMANDS. */
export type CommandKey = keyof typeof COMMANDS;
/** A command id. */
export type CommandId = (typeof COMMANDS)[CommandKey];

/** The activity-bar container and its three views. */
export const VIEW_CONTAINER = 'topdown';
/** View ids. */
export const VIEWS = {
  project: 'topdown.project',
  runs: 'topdown.runs',
  portfolio: 'topdown.portfolio',
} as const;

/** Setting keys (full names). */
export const SETTINGS = {
  backend: 'topdown.backend',
  workers: 'topdown.workers',
  nodePath: 'topdown.nodePath',
  quickMode: 'topdown.quickMode',
  queue: 'topdown.queue',
  queueData: 'topdown.queueData',
} as const;

/** Context keys set with `setContext`, used in `when` and `enablement` clauses. */
export const CONTEXT_KEYS = {
  projectOpen: 'topdown.projectOpen',
  /** The workspace holds more than one project (the project picker shows). */
  manyProjects: 'topdown.manyProjects',
  running: 'topdown.running',
} as const;

/**
 * The context key set once a step has a completed run in a project of the workspace; the walkthrough's step for it
 * completes on it (`onContext:`), whether the step ran from the palette, the Project view or Run All Steps.
 */
export function stepRanKey(step: string): string {
  return `topdown.ran.${step}`;
}

/** The walkthrough's id inside this extension (`<publisher>.<name>#<id>` to open it). */
export const WALKTHROUGH = 'fiveSteps';

/** The five steps as commands, in order. */
export const STEP_COMMANDS = {
  define: COMMANDS.define,
  prepare: COMMANDS.prepare,
  evaluate: COMMANDS.evaluate,
  improve: COMMANDS.improve,
  present: COMMANDS.present,
} as const;

/** Where a run command may run: a trusted workspace with a project. */
export const RUN_ENABLEMENT = `isWorkspaceTrusted && ${CONTEXT_KEYS.projectOpen}`;
