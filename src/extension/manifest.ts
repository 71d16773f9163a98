/**
 * The `contributes`, `activationEvents` and `capabilities` sections of package.json, built from the ids in
 * contributions.ts. package.json holds a copy (VS Code reads it without running code); the unit test
 * test/unit/extension-contributions.test.ts keeps the two identical.
 */
import {
  COMMANDS,
  CONTEXT_KEYS,
  RUN_ENABLEMENT,
  SETTINGS,
  STEP_COMMANDS,
  VIEWS,
  VIEW_CONTAINER,
  WALKTHROUGH,
  stepRanKey,
  type CommandId,
} from './contributions';
import { PANEL_KINDS, panelViewType } from '../protocol/panels';

const CATEGORY = 'Topdown';

interface CommandEntry {
  command: CommandId;
  title: string;
  category: string;
  icon?: string;
  enablement?: string;
}

function command(
  id: CommandId,
  title: string,
  extra: Omit<Partial<CommandEntry>, 'command'> = {},
): CommandEntry {
  return { command: id, title, category: CATEGORY, ...extra };
}

const runCommand = { enablement: RUN_ENABLEMENT };

/** Commands, palette ones first. */
const commands: CommandEntry[] = [
  command(COMMANDS.newProject, 'New Project…', { icon: '$(add)' }),
  command(COMMANDS.define, 'Define Problem', runCommand),
  command(COMMANDS.prepare, 'Prepare Data', runCommand),
  command(COMMANDS.evaluate, 'Evaluate Algorithms', runCommand),
  command(COMMANDS.improve, 'Improve Results', runCommand),
  command(COMMANDS.present, 'Present Results', runCommand),
  command(COMMANDS.runAll, 'Run All Steps', { ...runCommand, icon: '$(run-all)' }),
  command(COMMANDS.cancelRun, 'Cancel Run', { enablement: CONTEXT_KEYS.running, icon: '$(debug-stop)' }),
  command(COMMANDS.compareRuns, 'Compare Runs'),
  command(COMMANDS.predict, 'Predict with Model…', runCommand),
  command(COMMANDS.openReport, 'Open Report'),
  command(COMMANDS.installNative, 'Install Native Acceleration', { enablement: 'isWorkspaceTrusted' }),
  command(COMMANDS.installGpu, 'Install GPU Acceleration', { enablement: 'isWorkspaceTrusted' }),
  command(COMMANDS.showLog, 'Show Log'),
  command(COMMANDS.openTemplate, 'Open a Template'),
  command(COMMANDS.learnSteps, 'Learn the Five Steps'),
  command(COMMANDS.openProjectFile, 'Open Project File', { icon: '$(go-to-file)' }),
  command(COMMANDS.refreshRuns, 'Refresh Runs', { icon: '$(refresh)' }),
  command(COMMANDS.filterRuns, 'Filter Runs…', { icon: '$(filter)' }),
  command(COMMANDS.runStep, 'Run Step', { ...runCommand, icon: '$(play)' }),
  command(COMMANDS.openResults, 'Open Results', { icon: '$(graph)' }),
  command(COMMANDS.compareSelected, 'Compare Selected Runs'),
  command(COMMANDS.rerun, 'Rerun', runCommand),
  command(COMMANDS.predictRun, 'Predict with This Model…', runCommand),
  command(COMMANDS.cancelSelected, 'Cancel', { enablement: CONTEXT_KEYS.running }),
  command(COMMANDS.rename, 'Rename…'),
  command(COMMANDS.addNote, 'Add a Note…'),
  command(COMMANDS.deleteRun, 'Delete'),
  command(COMMANDS.revealRun, 'Reveal Folder'),
  command(COMMANDS.copyConfig, 'Copy Configuration'),
  command(COMMANDS.chooseProject, 'Choose Active Project…', { icon: '$(folder-library)' }),
  command(COMMANDS.activateProject, 'Make Active Project', { icon: '$(target)' }),
  command(COMMANDS.refreshPortfolio, 'Refresh Portfolio', { icon: '$(refresh)' }),
];

/** Commands that only make sense on a tree item or with an argument: hidden from the palette. */
const contextOnly: CommandId[] = [
  COMMANDS.runStep,
  COMMANDS.openResults,
  COMMANDS.compareSelected,
  COMMANDS.rerun,
  COMMANDS.predictRun,
  COMMANDS.cancelSelected,
  COMMANDS.rename,
  COMMANDS.addNote,
  COMMANDS.deleteRun,
  COMMANDS.revealRun,
  COMMANDS.copyConfig,
  COMMANDS.refreshRuns,
  COMMANDS.filterRuns,
  COMMANDS.activateProject,
  COMMANDS.refreshPortfolio,
];

/** Palette commands that need an open project. */
const needProject: CommandId[] = [
  ...Object.values(STEP_COMMANDS),
  COMMANDS.runAll,
  COMMANDS.compareRuns,
  COMMANDS.predict,
  COMMANDS.openReport,
  COMMANDS.installNative,
  COMMANDS.installGpu,
  COMMANDS.openProjectFile,
  COMMANDS.chooseProject,
];

const runItem = 'view == topdown.runs && viewItem =~ /^run/';
const stepItem = 'view == topdown.project && viewItem =~ /^step/';
/** A completed Present Results run, which saved a model bundle (see runsTree.ts). */
const modelRun = 'view == topdown.runs && viewItem == run.completed.model';
/** The Present Results row once it has saved a model (`step.<status>.<step>`, see projectSteps.ts). */
const presentedStep = 'view == topdown.project && viewItem =~ /^step\\.(done|stale)\\.present$/';
const portfolioItem = `view == ${VIEWS.portfolio} && viewItem =~ /^portfolio\\.project/`;
const portfolioReport = `view == ${VIEWS.portfolio} && viewItem =~ /^portfolio\\.project.*\\.report/`;

const menus = {
  commandPalette: [
    ...contextOnly.map((id) => ({ command: id, when: 'false' })),
    ...needProject.map((id) => ({ command: id, when: CONTEXT_KEYS.projectOpen })),
    { command: COMMANDS.cancelRun, when: CONTEXT_KEYS.running },
  ],
  'view/title': [
    { command: COMMANDS.runAll, when: `view == ${VIEWS.project}`, group: 'navigation@1' },
    { command: COMMANDS.openProjectFile, when: `view == ${VIEWS.project}`, group: 'navigation@2' },
    { command: COMMANDS.newProject, when: `view == ${VIEWS.project}`, group: 'navigation@3' },
    { command: COMMANDS.predict, when: `view == ${VIEWS.project}`, group: '2_model@1' },
    {
      command: COMMANDS.chooseProject,
      when: `view == ${VIEWS.project} && ${CONTEXT_KEYS.manyProjects}`,
      group: 'navigation@0',
    },
    { command: COMMANDS.newProject, when: `view == ${VIEWS.portfolio}`, group: 'navigation@1' },
    { command: COMMANDS.refreshPortfolio, when: `view == ${VIEWS.portfolio}`, group: 'navigation@2' },
    {
      command: COMMANDS.cancelRun,
      when: `view == ${VIEWS.runs} && ${CONTEXT_KEYS.running}`,
      group: 'navigation@1',
    },
    { command: COMMANDS.refreshRuns, when: `view == ${VIEWS.runs}`, group: 'navigation@2' },
    { command: COMMANDS.filterRuns, when: `view == ${VIEWS.runs}`, group: 'navigation@3' },
  ],
  'view/item/context': [
    { command: COMMANDS.runStep, when: stepItem, group: 'inline' },
    { command: COMMANDS.runStep, when: stepItem, group: '1_run@1' },
    { command: COMMANDS.predict, when: presentedStep, group: '1_run@2' },
    { command: COMMANDS.openResults, when: `${runItem}`, group: 'inline' },
    { command: COMMANDS.openResults, when: runItem, group: '1_open@1' },
    { command: COMMANDS.compareSelected, when: `${runItem} && listMultiSelection`, group: '1_open@2' },
    { command: COMMANDS.rerun, when: runItem, group: '2_run@1' },
    { command: COMMANDS.predictRun, when: modelRun, group: '2_run@3' },
    {
      command: COMMANDS.cancelSelected,
      when: 'view == topdown.runs && viewItem == run.running',
      group: '2_run@2',
    },
    { command: COMMANDS.rename, when: runItem, group: '3_edit@1' },
    { command: COMMANDS.addNote, when: runItem, group: '3_edit@2' },
    { command: COMMANDS.copyConfig, when: runItem, group: '4_copy@1' },
    { command: COMMANDS.revealRun, when: runItem, group: '4_copy@2' },
    { command: COMMANDS.deleteRun, when: runItem, group: '9_delete@1' },
    { command: COMMANDS.openReport, when: portfolioReport, group: 'inline@1' },
    { command: COMMANDS.activateProject, when: portfolioItem, group: 'inline@2' },
    { command: COMMANDS.openReport, when: portfolioReport, group: '1_open@1' },
    { command: COMMANDS.activateProject, when: portfolioItem, group: '1_open@2' },
    { command: COMMANDS.openProjectFile, when: portfolioItem, group: '1_open@3' },
    { command: COMMANDS.predict, when: portfolioItem, group: '1_open@4' },
  ],
};

const stepLinks = [
  '[Define Problem](command:topdown.define)',
  '[Prepare Data](command:topdown.prepare)',
  '[Evaluate Algorithms](command:topdown.evaluate)',
];

const viewsWelcome = [
  {
    view: VIEWS.project,
    contents: [
      'No Topdown project is open. A project is a folder with a CSV and a topdown.json.',
      `[New Project…](command:${COMMANDS.newProject})`,
      `[Open a Template](command:${COMMANDS.openTemplate})`,
      `[Learn the Five Steps](command:${COMMANDS.learnSteps})`,
    ].join('\n'),
    when: `!${CONTEXT_KEYS.projectOpen}`,
  },
  {
    view: VIEWS.runs,
    contents: ['No runs yet. Each step you run is recorded here, newest first.', ...stepLinks].join('\n'),
    when: `${CONTEXT_KEYS.projectOpen} && isWorkspaceTrusted`,
  },
  {
    view: VIEWS.runs,
    contents: [
      'This folder is in Restricted Mode. You can browse runs and reports, but running a step executes the ' +
        "project's code (custom models, data preparation), so it needs a trusted workspace.",
      '[Manage Workspace Trust](command:workbench.trust.manage)',
    ].join('\n'),
    when: `${CONTEXT_KEYS.projectOpen} && !isWorkspaceTrusted`,
  },
  {
    view: VIEWS.portfolio,
    contents: [
      'Every Topdown project of this workspace appears here with its task, best model, score against the baseline and the published reference: your portfolio at a glance.',
      `[New Project…](command:${COMMANDS.newProject})`,
    ].join('\n'),
    when: `!${CONTEXT_KEYS.projectOpen}`,
  },
  {
    view: VIEWS.runs,
    contents: `Open a project to see its runs.\n[New Project…](command:${COMMANDS.newProject})`,
    when: `!${CONTEXT_KEYS.projectOpen}`,
  },
];

const walkthroughSteps = [
  [
    'define',
    'Define the problem',
    'Profile the data: columns, target balance, correlations.',
    STEP_COMMANDS.define,
  ],
  ['prepare', 'Prepare the data', 'Preview the preparation pipeline on fold 1.', STEP_COMMANDS.prepare],
  [
    'evaluate',
    'Evaluate algorithms',
    'Spot-check candidates with k-fold against a baseline.',
    STEP_COMMANDS.evaluate,
  ],
  ['improve', 'Improve results', 'Tune the best candidates and try ensembles.', STEP_COMMANDS.improve],
  ['present', 'Present results', 'Fit the final model, save it and write the report.', STEP_COMMANDS.present],
] as const;

const walkthroughs = [
  {
    id: WALKTHROUGH,
    title: 'Topdown: the five steps',
    description: 'From a CSV to a trained, compared, tuned and presented model, on the Sonar template.',
    steps: walkthroughSteps.map(([id, title, text, commandId], index) => ({
      id,
      title,
      description:
        (index === 0 ? `Start from a template: [Open a Template](command:${COMMANDS.openTemplate}).\n` : '') +
        `${text}\n[${title}](command:${commandId})`,
      media: { markdown: `media/walkthrough/${index + 1}-${id}.md` },
      completionEvents: [`onContext:${stepRanKey(id)}`],
    })),
  },
];

const configuration = {
  title: 'Topdown',
  properties: {
    [SETTINGS.backend]: {
      type: 'string',
      enum: ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'],
      enumDescriptions: [
        'The fastest for each job: when native TensorFlow or a GPU is installed, a few batches of the job’s models are timed on each backend first (cached per model); otherwise WebAssembly.',
        'Native TensorFlow (@tensorflow/tfjs-node; see "Install Native Acceleration"). Needs a real Node.js.',
        'The GPU through WebGPU (Vulkan, D3D12 or Metal; no CUDA): `topdown install gpu` adds it to the project. Fastest for larger networks and batches, slower than WebAssembly for small ones. Needs a real Node.js.',
        'WebAssembly: fast on every machine, no install.',
        'Plain JavaScript: slowest, for checking results.',
      ],
      default: 'auto',
      description: 'The TensorFlow.js backend that trains models.',
    },
    [SETTINGS.workers]: {
      type: 'integer',
      minimum: 0,
      default: 0,
      description:
        'Worker processes that train folds in parallel. 0: one per core (one for native TensorFlow).',
    },
    [SETTINGS.nodePath]: {
      type: 'string',
      default: '',
      scope: 'machine-overridable',
      description:
        'Path to the Node.js executable that runs the steps. Empty: `node` on PATH, else the editor’s own runtime (WebAssembly and JavaScript backends only).',
    },
    [SETTINGS.quickMode]: {
      type: 'boolean',
      default: false,
      description: 'Run with fewer epochs and folds, to check a project quickly (results are rougher).',
    },
    [SETTINGS.queue]: {
      type: 'string',
      default: '',
      scope: 'machine-overridable',
      pattern: '^(rediss?://.*)?$',
      description:
        'Train on a fleet: a Redis URL (`redis://host:6379`, `rediss://` for TLS) whose `topdown worker` processes run the folds and final fits of steps 3–5. Empty: train on this machine. Give the password in the TOPDOWN_REDIS_PASSWORD environment variable, not here.',
    },
    [SETTINGS.queueData]: {
      type: 'string',
      default: '',
      scope: 'machine-overridable',
      description:
        'With a queue: a folder every machine mounts, for data files larger than Redis takes (32 MiB). Empty: files travel through Redis only.',
    },
  },
};

/** package.json `contributes`. */
export const contributes = {
  commands,
  menus,
  viewsContainers: {
    activitybar: [{ id: VIEW_CONTAINER, title: 'Topdown', icon: 'media/topdown.svg' }],
  },
  views: {
    [VIEW_CONTAINER]: [
      { id: VIEWS.project, name: 'Project', icon: 'media/topdown.svg', contextualTitle: 'Topdown' },
      { id: VIEWS.runs, name: 'Runs', icon: 'media/topdown.svg', contextualTitle: 'Topdown' },
      { id: VIEWS.portfolio, name: 'Portfolio', icon: 'media/topdown.svg', contextualTitle: 'Topdown' },
    ],
  },
  viewsWelcome,
  walkthroughs,
  configuration,
  jsonValidation: [{ fileMatch: 'topdown.json', url: './schemas/topdown.schema.json' }],
};

/**
 * package.json `activationEvents`: commands and views activate implicitly (VS Code ≥ 1.74); result panels left
 * open activate the extension after a reload so their serializers can restore them.
 */
export const activationEvents = [
  'workspaceContains:topdown.json',
  'workspaceContains:*/topdown.json',
  'workspaceContains:*/*/topdown.json',
  `onWalkthrough:${WALKTHROUGH}`,
  ...PANEL_KINDS.map((kind) => `onWebviewPanel:${panelViewType(kind)}`),
];

/** package.json `capabilities`: restricted mode shows runs and reports but runs nothing. */
export const capabilities = {
  untrustedWorkspaces: {
    supported: 'limited',
    description:
      'Running a step executes project code (custom models, data preparation), so it needs a trusted workspace. Runs, reports and the project file can be viewed in Restricted Mode.',
    restrictedConfigurations: [SETTINGS.nodePath, SETTINGS.queue, SETTINGS.queueData],
  },
  virtualWorkspaces: {
    supported: false,
    description: 'Topdown trains models with local files and processes.',
  },
};
