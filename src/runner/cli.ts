/**
 * The `topdown` command line: the same engine the VS Code extension drives, headless. Every command takes
 * `--json` and then prints exactly one JSON object on stdout (progress and logs go to stderr).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { TopdownError } from '../core/errors';
import { failureReport } from './failure';
import type { JobCommand } from '../protocol/host';
import { HOST_PROTOCOL_VERSION } from '../protocol/host';
import type { BackendName, StepName } from '../protocol/records';
import { createReporter, PROGRESS_MODES, type ProgressMode, type Reporter } from './reporter';
import { TOPDOWN_VERSION } from './version';
import { defineJob } from './jobs/define';
import { prepareJob } from './jobs/prepare';
import { evaluateJob } from './jobs/evaluate';
import { improveJob } from './jobs/improve';
import { presentJob } from './jobs/present';
import { describeScore, predictJob, STDOUT } from './jobs/predict';
import { STDIN, stdinInput } from './jobs/predict-stdin';
import { renderReport } from './report';
import { loadProject } from '../core/project';
import type { Task } from '../core/config';
import { newFromCsv } from './commands/new-from-csv';
import { newFromImages } from './commands/new-from-images';
import { coreCount, type JobOptions } from './jobs/common';
import { parseArgsUsageError, unknownCommandError, workerCount } from './usage';
import { listTemplates, scaffoldTemplate } from './scaffold';
import {
  printDefine,
  printEvaluate,
  printImprove,
  printPrepare,
  printPresent,
  printRuns,
  printColumns,
} from './output';
import { listRuns } from './commands/runs';
import { describeColumns } from './commands/columns';
import { installGpu, installNative } from './commands/install';
import { workerCommand } from './commands/worker';
import { parseQueueUrl, type QueueTarget } from './queue/connection';
import { QueueSession } from './queue/remote-pool';
import { defaultPoolSize } from './pool';

const USAGE = `topdown ${TOPDOWN_VERSION}: from a CSV to a compared deep-learning model, in five steps.

Usage:
  topdown new <template> <dir> [--force]     scaffold a project (templates: topdown new --list)
  topdown new --from-csv <file> [--target <column>] [--task <task>] [--time-column <column>] [--dry-run] <dir>
  topdown new --from-images <image folder | IDX images file> <dir>
                                             propose a project for your own CSV, each choice explained
  topdown define   [dir]                     step 1: profile the data, score the baseline
  topdown prepare  [dir]                     step 2: preview the preparation pipeline on fold 1
  topdown evaluate [dir]                     step 3: spot-check every candidate with the same folds
  topdown improve  [dir]                     step 4: tune, ensemble, and test whether gains are real
  topdown present  [dir] [--candidate <name>]  step 5: final model on all data, holdout score, bundle, report
  topdown all      [dir]                     steps 1–5 in order (4 and 5 when topdown.json has them)
  topdown predict  <bundle> <input.csv | images… | -> [--output <file|->] predictions with a saved model bundle (-: stdin)
  topdown report   [dir]                     write report/REPORT.md and report/report.html again
  topdown runs     [dir] [--step <step>]     the run history
  topdown columns  <file.csv>                columns of a CSV with their types and sample values
  topdown install native [dir]               add @tensorflow/tfjs-node to a project (faster training)
  topdown install gpu [dir]                  add webgpu (Dawn) to a project: GPU training, no CUDA needed
  topdown worker --queue <redis-url>         take training tasks from a Redis queue until stopped (SIGTERM)

Options:
  --json                one JSON object on stdout (an API for scripts and CI)
  --backend <name>      auto | tensorflow | webgpu | wasm | cpu (default auto: measures, then picks)
  --workers <n>         worker processes (default: one per core; one for tensorflow)
  --quick               3 folds and at most 5 epochs: same code path, for a first look
  --candidates <a,b>    only these candidates
  --queue <redis-url>   evaluate/improve/present/all: train on queue workers (redis://host:6379[/db], rediss://
                        for TLS; password in the URL or TOPDOWN_REDIS_PASSWORD); worker: the queue to serve
  --queue-data <dir>    a folder every machine mounts, for files larger than Redis takes (32 MiB)
  --concurrency <n>     worker: tasks at once (default: one per core)
  --lock-ms <ms>        worker: a task whose worker is silent this long is retried elsewhere (default 30000)
  --verbose             log more on stderr
  --progress <mode>     bar (default on a terminal), ndjson (one JSON line per fold/epoch event on stderr,
                        for scripts and CI, also with --json) or none
  --version, --help
`;

const TASKS: Task[] = ['binary', 'multiclass', 'regression', 'time-series', 'image'];

const BACKENDS: Array<BackendName | 'auto'> = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

/** Parsed command line. */
interface Cli {
  command: string;
  positionals: string[];
  json: boolean;
  ipc: boolean;
  verbose: boolean;
  progress?: ProgressMode;
  force: boolean;
  list: boolean;
  step?: string;
  candidate?: string;
  output?: string;
  fromCsv?: string;
  fromImages?: string;
  /** `new --from-csv --dry-run`: plan the project and print the plan, writing nothing. */
  dryRun: boolean;
  target?: string;
  task?: Task;
  /** `new --from-csv --task time-series`: the date column that orders the rows. */
  timeColumn?: string;
  /** `topdown worker`: tasks at once. */
  concurrency?: number;
  /** `topdown worker`: BullMQ lock of a running task (ms). */
  lockMs?: number;
  options: Omit<JobOptions, 'reporter' | 'signal'>;
}

/** A flag's whole number of at least 1, or undefined when the flag is absent. */
function positiveInteger(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new TopdownError('USAGE', `${flag} must be a whole number of at least 1, not "${text}".`);
  return value;
}

/** `--queue` and `--queue-data`, checked. */
function queueTarget(url: string | undefined, dataDir: string | undefined): QueueTarget | undefined {
  if (url === undefined) {
    if (dataDir !== undefined)
      throw new TopdownError('USAGE', '--queue-data goes with --queue.', {
        hint: 'Add --queue redis://host:6379.',
      });
    return undefined;
  }
  const target: QueueTarget = { connection: parseQueueUrl(url) };
  if (dataDir !== undefined) target.sharedDir = resolve(dataDir);
  return target;
}

/** The options every command accepts (node's parseArgs format). */
const OPTIONS = {
  json: { type: 'boolean', default: false },
  ipc: { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  progress: { type: 'string' },
  force: { type: 'boolean', default: false },
  list: { type: 'boolean', default: false },
  quick: { type: 'boolean', default: false },
  backend: { type: 'string', default: 'auto' },
  workers: { type: 'string' },
  candidates: { type: 'string' },
  candidate: { type: 'string' },
  output: { type: 'string' },
  'from-csv': { type: 'string' },
  'from-images': { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  target: { type: 'string' },
  'time-column': { type: 'string' },
  task: { type: 'string' },
  step: { type: 'string' },
  queue: { type: 'string' },
  'queue-data': { type: 'string' },
  concurrency: { type: 'string' },
  'lock-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

function parse(argv: string[]): Cli {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    throw parseArgsUsageError(error, argv, OPTIONS);
  }
  const { values, positionals } = parsed;
  const backend = values.backend as BackendName | 'auto';
  if (!BACKENDS.includes(backend)) {
    throw new TopdownError('USAGE', `Unknown backend "${values.backend}".`, {
      hint: `Use one of: ${BACKENDS.join(', ')}.`,
    });
  }
  const workers =
    values.workers === undefined
      ? undefined
      : workerCount(values.workers, coreCount(), (message) => process.stderr.write(`topdown: ${message}\n`));
  if (values.progress !== undefined && !PROGRESS_MODES.includes(values.progress as ProgressMode)) {
    throw new TopdownError('USAGE', `Unknown progress mode "${values.progress}".`, {
      hint: `Use one of: ${PROGRESS_MODES.join(', ')}.`,
    });
  }
  if (values.task !== undefined && !TASKS.includes(values.task as Task)) {
    throw new TopdownError('USAGE', `Unknown task "${values.task}".`, {
      hint: `Use one of: ${TASKS.join(', ')}.`,
    });
  }
  const command = values.help ? 'help' : values.version ? 'version' : (positionals[0] ?? 'help');
  return {
    command,
    positionals: positionals.slice(1),
    json: values.json,
    ipc: values.ipc,
    verbose: values.verbose,
    progress: values.progress as ProgressMode | undefined,
    force: values.force,
    list: values.list,
    step: values.step,
    candidate: values.candidate,
    output: values.output,
    fromCsv: values['from-csv'],
    fromImages: values['from-images'],
    dryRun: values['dry-run'],
    target: values.target,
    task: values.task as Task | undefined,
    timeColumn: values['time-column'],
    concurrency: positiveInteger('--concurrency', values.concurrency),
    lockMs: positiveInteger('--lock-ms', values['lock-ms']),
    options: {
      backend,
      workers,
      queue: queueTarget(values.queue, values['queue-data']),
      quick: values.quick,
      candidates: values.candidates
        ?.split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    },
  };
}

/** Aborts the job on Ctrl-C (twice: exit now) or on `job/cancel` from the host. */
function cancellation(reporter: Reporter): AbortController {
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    reporter.emit({
      type: 'log',
      level: 'warn',
      message: 'Cancelling: stopping at the next batch (Ctrl-C again to quit now).',
    });
    controller.abort();
  });
  process.on('SIGTERM', () => controller.abort());
  process.on('message', (message: JobCommand) => {
    if (message?.type === 'job/cancel') controller.abort();
  });
  return controller;
}

/** Tells the host which job this process runs (the first IPC message). */
function hello(reporter: Reporter, step: StepName | 'all', projectDir: string): void {
  reporter.emit({
    type: 'hello',
    protocolVersion: HOST_PROTOCOL_VERSION,
    step,
    projectDir,
    pid: process.pid,
  });
}

async function runStep(
  cli: Cli,
  step: StepName,
  reporter: Reporter,
  controller: AbortController,
  showNext = true,
  session?: QueueSession,
): Promise<Record<string, unknown>> {
  const projectDir = resolve(cli.positionals[0] ?? '.');
  const options: JobOptions = { ...cli.options, reporter, signal: controller.signal };
  if (session) options.createPool = (poolOptions) => session.createPool(poolOptions);
  const next = showNext ? { dir: cli.positionals[0] ?? '.' } : undefined;
  switch (step) {
    case 'define': {
      const result = await defineJob(projectDir, options);
      if (!cli.json) printDefine(result, next);
      return { ...result };
    }
    case 'prepare': {
      const result = await prepareJob(projectDir, options);
      if (!cli.json) printPrepare(result, next);
      return { ...result };
    }
    case 'evaluate': {
      const result = await evaluateJob(projectDir, options);
      if (!cli.json) printEvaluate(result, next);
      return { ...result };
    }
    case 'improve': {
      const result = await improveJob(projectDir, options);
      if (!cli.json) printImprove(result, next);
      return { ...result };
    }
    case 'present': {
      const result = await presentJob(projectDir, { ...options, candidate: cli.candidate, renderReport });
      if (!cli.json) printPresent(result, next);
      return { ...result };
    }
    default:
      throw new TopdownError('USAGE', `The step "${step}" is not available in this version.`, {
        hint: 'See `topdown --help`.',
      });
  }
}

const STEP_TITLES: Record<StepName, string> = {
  define: 'Define Problem',
  prepare: 'Prepare Data',
  evaluate: 'Evaluate Algorithms',
  improve: 'Improve Results',
  present: 'Present Results',
};

/** `topdown all`: the five steps in order; 4 and 5 run when topdown.json has their sections. Stops at a failure. */
async function runAll(
  cli: Cli,
  reporter: Reporter,
  controller: AbortController,
  session?: QueueSession,
): Promise<Record<string, unknown>> {
  const projectDir = resolve(cli.positionals[0] ?? '.');
  const project = await loadProject(projectDir);
  const steps: StepName[] = ['define', 'prepare', 'evaluate'];
  if (project.config.improve) steps.push('improve');
  if (project.config.present) steps.push('present');
  const results: Record<string, unknown> = {};
  for (const [index, step] of steps.entries()) {
    if (controller.signal.aborted) break;
    if (!cli.json)
      process.stdout.write(
        `\n== Step ${['define', 'prepare', 'evaluate', 'improve', 'present'].indexOf(step) + 1}/5: ${STEP_TITLES[step]} ==\n`,
      );
    reporter.emit({ type: 'job/progress', done: index, total: steps.length, message: STEP_TITLES[step] });
    // Inside `all`, only the last step says what comes next (not "Next: present" just before present runs).
    results[step] = await runStep(cli, step, reporter, controller, index === steps.length - 1, session);
  }
  return { step: 'all', steps: results, quick: cli.options.quick ?? false };
}

/** What a command's handler reads. */
interface CommandContext {
  cli: Cli;
  reporter: Reporter;
}

/** Runs one command; resolves to what `--json` prints (nothing when undefined). */
type CommandHandler = (context: CommandContext) => Promise<Record<string, unknown> | undefined>;

/** The commands of `topdown`. */
type CommandName =
  | 'help'
  | 'version'
  | 'new'
  | StepName
  | 'all'
  | 'predict'
  | 'report'
  | 'runs'
  | 'columns'
  | 'install'
  | 'worker';

/** `topdown new --from-csv <file> <dir>` or `--from-images <folder> <dir>`: a project proposed for the user's data. */
async function newFromDataCommand({ cli }: CommandContext): Promise<Record<string, unknown>> {
  const flag = cli.fromImages ? '--from-images' : '--from-csv';
  const source = (cli.fromImages ?? cli.fromCsv)!;
  const dir = cli.positionals[0];
  if (!dir) {
    throw new TopdownError(
      'USAGE',
      `Say where to create the project: topdown new ${flag} <${cli.fromImages ? 'folder' : 'file'}> <dir>.`,
    );
  }
  const created = cli.fromImages
    ? await newFromImages(resolve(source), dir, { force: cli.force })
    : await newFromCsv(resolve(source), dir, {
        target: cli.target,
        task: cli.task,
        timeColumn: cli.timeColumn,
        force: cli.force,
        dryRun: cli.dryRun,
      });
  if (!cli.json && cli.dryRun && !cli.fromImages) {
    process.stdout.write(`The plan for ${created.dir} from ${source} (nothing written):\n`);
    for (const choice of created.choices)
      process.stdout.write(`  ${choice.topic}: ${choice.choice} (${choice.why})\n`);
  } else if (!cli.json) {
    process.stdout.write(`Created ${created.dir} from ${source}:\n`);
    for (const choice of created.choices)
      process.stdout.write(`  ${choice.topic}: ${choice.choice} (${choice.why})\n`);
    process.stdout.write(
      `Every choice is explained in ${created.dir}/README.md. Next: topdown define ${dir}\n`,
    );
  }
  return { ...created };
}

/** `topdown new`: the template list, a project from a template, or one from a CSV. */
async function newCommand(context: CommandContext): Promise<Record<string, unknown>> {
  const { cli } = context;
  if (cli.fromCsv || cli.fromImages) return newFromDataCommand(context);
  if (cli.list || cli.positionals.length === 0) {
    const templates = listTemplates().map(({ name, description }) => ({ name, description }));
    if (!cli.json) for (const t of templates) process.stdout.write(`${t.name.padEnd(12)} ${t.description}\n`);
    return { templates };
  }
  const [template, dir] = cli.positionals;
  if (!dir) throw new TopdownError('USAGE', 'Say where to create the project: topdown new <template> <dir>.');
  const target = scaffoldTemplate(template, dir, { force: cli.force });
  if (!cli.json)
    process.stdout.write(`Created ${target} from the ${template} template. Next: topdown define ${dir}\n`);
  return { template, dir: target };
}

/** The exit code of a job that ran to its end while one of its candidates failed (its status is `failed`). */
const CANDIDATE_FAILED_EXIT = 3;

/**
 * Names of the candidates a job's result reports as failed (in `candidates`, or in each step's result of
 * `all`); candidates improve only shows from step 3 (role `evaluated`) are not this job's.
 */
function failedCandidates(result: Record<string, unknown>): string[] {
  const steps = (result.steps ?? { [String(result.step)]: result }) as Record<
    string,
    { candidates?: unknown }
  >;
  const names: string[] = [];
  for (const step of Object.values(steps)) {
    if (!Array.isArray(step.candidates)) continue;
    for (const candidate of step.candidates as Array<{ name: string; status: string; role?: string }>) {
      if (candidate.status === 'failed' && candidate.role !== 'evaluated') names.push(candidate.name);
    }
  }
  return names;
}

/** A job (one step, or all of them): says hello, runs it cancellably, and ends with job/completed or job/cancelled. */
function jobCommand(step: StepName | 'all'): CommandHandler {
  return async ({ cli, reporter }) => {
    const controller = cancellation(reporter);
    hello(reporter, step, resolve(cli.positionals[0] ?? '.'));
    const session = await openQueue(cli, reporter);
    let result: Record<string, unknown>;
    try {
      result =
        step === 'all'
          ? await runAll(cli, reporter, controller, session)
          : await runStep(cli, step, reporter, controller, true, session);
    } finally {
      await session?.close();
    }
    if (controller.signal.aborted) {
      reporter.emit({ type: 'job/cancelled' });
      process.exitCode = 130;
    } else {
      reporter.emit({ type: 'job/completed', result });
      const failed = failedCandidates(result);
      if (failed.length > 0) {
        process.stderr.write(`topdown: ${failed.length} candidate(s) failed: ${failed.join(', ')}\n`);
        process.exitCode = CANDIDATE_FAILED_EXIT;
      }
    }
    return result;
  };
}

/**
 * With `--queue`, the connection every step of the command shares, opened before any run is recorded: an
 * unreachable Redis fails the command with the URL (password hidden) and nothing written.
 */
async function openQueue(cli: Cli, reporter: Reporter): Promise<QueueSession | undefined> {
  const target = cli.options.queue;
  if (!target) return undefined;
  return QueueSession.open({
    ...target,
    onLog: (message) => reporter.emit({ type: 'log', level: 'warn', message }),
  });
}

/** `topdown worker --queue <url>`: serves the queue until SIGTERM/SIGINT. */
async function workerCommandHandler({ cli, reporter }: CommandContext): Promise<Record<string, unknown>> {
  const queue = cli.options.queue;
  if (!queue) {
    throw new TopdownError('USAGE', 'Name the queue: topdown worker --queue redis://host:6379.', {
      hint: 'Start Redis first (redis-server), then one worker per machine.',
    });
  }
  const stopped = await workerCommand({
    connection: queue.connection,
    sharedDir: queue.sharedDir,
    concurrency: cli.concurrency ?? defaultPoolSize(cli.options.backend, coreCount()),
    backend: cli.options.backend,
    lockMs: cli.lockMs,
    reporter,
  });
  return { ...stopped };
}

/** `topdown predict <bundle> <input.csv | image folder | image files… | IDX file>`. */
async function predictCommand({ cli, reporter }: CommandContext): Promise<Record<string, unknown>> {
  const [bundle, ...inputs] = cli.positionals;
  if (!bundle || inputs.length === 0) {
    throw new TopdownError(
      'USAGE',
      'Usage: topdown predict <bundle folder> <input.csv | image folder | image files… | IDX file> [--output <file>].',
      { hint: 'Bundles are written by `topdown present` under models/<name>/.' },
    );
  }
  const fromStdin = inputs.length === 1 && inputs[0] === STDIN;
  // Predictions for stdin go to stdout unless --output names a file.
  const output = cli.output ?? (fromStdin && !cli.json ? STDOUT : undefined);
  const toStdout = output === STDOUT;
  if ((toStdout || (fromStdin && output === undefined)) && cli.json) {
    throw new TopdownError('USAGE', '`--output -` and `--json` both want stdout.', {
      hint: 'Write the predictions to a file with `--output <file>`, or drop `--json`.',
    });
  }
  const stdin = fromStdin ? stdinInput(resolve(bundle), readFileSync(0, 'utf8')) : undefined;
  const predicted = await predictJob(
    resolve(bundle),
    stdin ? [stdin.file] : inputs.map((input) => resolve(input)),
    {
      output: output && !toStdout ? resolve(output) : output,
      backend: cli.options.backend,
      reporter,
    },
  ).finally(() => stdin?.dispose());
  // With `--output -` stdout holds the CSV alone; the summary goes to stderr.
  const scored = predicted.score ? `${describeScore(predicted.score)}\n` : '';
  const summary = `Wrote ${predicted.rows} predictions to ${toStdout ? 'stdout' : predicted.output}\n${scored}`;
  if (toStdout) process.stderr.write(summary);
  else if (!cli.json) process.stdout.write(summary);
  return { ...predicted };
}

/** `topdown report`: REPORT.md and report.html again. */
async function reportCommand({ cli }: CommandContext): Promise<Record<string, unknown>> {
  const report = await renderReport(resolve(cli.positionals[0] ?? '.'));
  if (!cli.json) process.stdout.write(`Wrote ${report.markdown} and ${report.html}\n`);
  return {
    markdown: report.markdown,
    html: report.html,
    charts: report.charts,
    chartsUnavailable: report.chartsUnavailable ?? null,
  };
}

/** `topdown columns <file.csv>`. */
async function columnsCommand({ cli }: CommandContext): Promise<Record<string, unknown>> {
  if (!cli.positionals[0]) throw new TopdownError('USAGE', 'Name a CSV file: topdown columns <file.csv>.');
  const columns = await describeColumns(resolve(cli.positionals[0]));
  if (!cli.json) printColumns(columns);
  return { ...columns };
}

/** `topdown install native|gpu [dir]`. */
async function installCommand({ cli, reporter }: CommandContext): Promise<Record<string, unknown>> {
  const what = cli.positionals[0];
  if (what !== 'native' && what !== 'gpu') {
    throw new TopdownError('USAGE', 'Usage: topdown install native [dir], or topdown install gpu [dir].');
  }
  const target = resolve(cli.positionals[1] ?? '.');
  const result = what === 'gpu' ? await installGpu(target, reporter) : await installNative(target, reporter);
  if (!cli.json) process.stdout.write(`${String(result.message)}\n`);
  return result;
}

/** Every command's handler; the Record type makes a missing one a compile error. */
const COMMAND_HANDLERS: Record<CommandName, CommandHandler> = {
  help: () => {
    process.stdout.write(USAGE);
    return Promise.resolve(undefined);
  },
  version: ({ cli }) => {
    if (!cli.json) process.stdout.write(`${TOPDOWN_VERSION}\n`);
    return Promise.resolve({ version: TOPDOWN_VERSION });
  },
  new: newCommand,
  define: jobCommand('define'),
  prepare: jobCommand('prepare'),
  evaluate: jobCommand('evaluate'),
  improve: jobCommand('improve'),
  present: jobCommand('present'),
  all: jobCommand('all'),
  predict: predictCommand,
  report: reportCommand,
  runs: ({ cli }) => {
    const runs = listRuns(resolve(cli.positionals[0] ?? '.'), cli.step);
    if (!cli.json) printRuns(runs);
    return Promise.resolve({ ...runs });
  },
  columns: columnsCommand,
  install: installCommand,
  worker: workerCommandHandler,
};

/** The handler of a command name, or a usage error for an unknown one. */
function commandHandler(command: string): CommandHandler {
  if (Object.hasOwn(COMMAND_HANDLERS, command)) return COMMAND_HANDLERS[command as CommandName];
  throw unknownCommandError(command, Object.keys(COMMAND_HANDLERS));
}

/** Prints a failure (and, with --json, the error object) and sets the exit code: 2 for usage errors, else 1. */
function reportFailure(error: unknown, cli: Cli | undefined, reporter: Reporter | undefined): void {
  // A usage error can come before the flags are parsed: look for --json and --verbose themselves.
  const report = failureReport(error, cli?.verbose ?? process.argv.includes('--verbose'));
  reporter?.emit({ type: 'job/failed', error: report.info });
  if (cli?.json ?? process.argv.includes('--json'))
    process.stdout.write(`${JSON.stringify({ error: report.info })}\n`);
  process.stderr.write(report.stderr);
  process.exitCode = report.exitCode;
}

async function main(): Promise<void> {
  let cli: Cli | undefined;
  let reporter: Reporter | undefined;
  try {
    cli = parse(process.argv.slice(2));
    reporter = createReporter({
      ipc: cli.ipc,
      progress: cli.progress ?? (!cli.json && !cli.ipc && process.stderr.isTTY ? 'bar' : 'none'),
      // A worker is a service: its lines are its log.
      verbose: cli.verbose || cli.command === 'worker',
    });
    const result = await commandHandler(cli.command)({ cli, reporter });
    if (cli.json && result) process.stdout.write(`${JSON.stringify(result)}\n`);
  } catch (error) {
    reportFailure(error, cli, reporter);
  } finally {
    if (cli?.ipc && process.connected) process.disconnect();
  }
}

void main();
