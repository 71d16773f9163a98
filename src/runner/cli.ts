/**
 * The `topdown` command line: the same engine the VS Code extension drives, headless. Every command takes
 * `--json` and then prints exactly one JSON object on stdout (progress and logs go to stderr).
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { formatError, toErrorInfo, TopdownError } from '../core/errors';
import type { JobCommand } from '../protocol/host';
import { HOST_PROTOCOL_VERSION } from '../protocol/host';
import type { BackendName, StepName } from '../protocol/records';
import { createReporter, type Reporter } from './reporter';
import { TOPDOWN_VERSION } from './version';
import { defineJob } from './jobs/define';
import { prepareJob } from './jobs/prepare';
import { evaluateJob } from './jobs/evaluate';
import { improveJob } from './jobs/improve';
import type { JobOptions } from './jobs/common';
import { listTemplates, scaffoldTemplate } from './scaffold';
import { printDefine, printEvaluate, printImprove, printPrepare, printRuns, printColumns } from './output';
import { listRuns } from './commands/runs';
import { describeColumns } from './commands/columns';
import { installNative } from './commands/install';

const USAGE = `topdown ${TOPDOWN_VERSION}: from a CSV to a compared deep-learning model, in five steps.

Usage:
  topdown new <template> <dir> [--force]     scaffold a project (templates: topdown new --list)
  topdown define   [dir]                     step 1: profile the data, score the baseline
  topdown prepare  [dir]                     step 2: preview the preparation pipeline on fold 1
  topdown evaluate [dir]                     step 3: spot-check every candidate with the same folds
  topdown improve  [dir]                     step 4: tune, ensemble, and test whether gains are real
  topdown runs     [dir] [--step <step>]     the run history
  topdown columns  <file.csv>                columns of a CSV with their types and sample values
  topdown install native [dir]               add @tensorflow/tfjs-node to a project (faster training)

Options:
  --json                one JSON object on stdout (an API for scripts and CI)
  --backend <name>      auto | tensorflow | wasm | cpu (default auto)
  --workers <n>         worker processes (default: one per core; one for tensorflow)
  --quick               3 folds and at most 5 epochs: same code path, for a first look
  --candidates <a,b>    only these candidates
  --verbose             log more on stderr
  --version, --help
`;

const BACKENDS: Array<BackendName | 'auto'> = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

/** Parsed command line. */
interface Cli {
  command: string;
  positionals: string[];
  json: boolean;
  ipc: boolean;
  verbose: boolean;
  force: boolean;
  list: boolean;
  step?: string;
  options: Omit<JobOptions, 'reporter' | 'signal'>;
}

function parse(argv: string[]): Cli {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      ipc: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      backend: { type: 'string', default: 'auto' },
      workers: { type: 'string' },
      candidates: { type: 'string' },
      step: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'v', default: false },
    },
  });
  const backend = values.backend as BackendName | 'auto';
  if (!BACKENDS.includes(backend)) {
    throw new TopdownError('USAGE', `Unknown backend "${values.backend}".`, {
      hint: `Use one of: ${BACKENDS.join(', ')}.`,
    });
  }
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1) {
      throw new TopdownError(
        'USAGE',
        `--workers must be a whole number of at least 1, not "${values.workers}".`,
      );
    }
  }
  const command = values.help ? 'help' : values.version ? 'version' : (positionals[0] ?? 'help');
  return {
    command,
    positionals: positionals.slice(1),
    json: values.json,
    ipc: values.ipc,
    verbose: values.verbose,
    force: values.force,
    list: values.list,
    step: values.step,
    options: {
      backend,
      workers,
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

async function runStep(
  cli: Cli,
  step: StepName,
  reporter: Reporter,
  controller: AbortController,
): Promise<Record<string, unknown>> {
  const projectDir = resolve(cli.positionals[0] ?? '.');
  reporter.emit({
    type: 'hello',
    protocolVersion: HOST_PROTOCOL_VERSION,
    step,
    projectDir,
    pid: process.pid,
  });
  const options: JobOptions = { ...cli.options, reporter, signal: controller.signal };
  switch (step) {
    case 'define': {
      const result = await defineJob(projectDir, options);
      if (!cli.json) printDefine(result);
      return { ...result };
    }
    case 'prepare': {
      const result = await prepareJob(projectDir, options);
      if (!cli.json) printPrepare(result);
      return { ...result };
    }
    case 'evaluate': {
      const result = await evaluateJob(projectDir, options);
      if (!cli.json) printEvaluate(result);
      return { ...result };
    }
    case 'improve': {
      const result = await improveJob(projectDir, options);
      if (!cli.json) printImprove(result);
      return { ...result };
    }
    default:
      throw new TopdownError('USAGE', `The step "${step}" is not available in this version.`, {
        hint: 'See `topdown --help`.',
      });
  }
}

async function main(): Promise<void> {
  let cli: Cli | undefined;
  let reporter: Reporter | undefined;
  try {
    cli = parse(process.argv.slice(2));
    reporter = createReporter({
      ipc: cli.ipc,
      progressBar: !cli.json && !cli.ipc && Boolean(process.stderr.isTTY),
      verbose: cli.verbose,
    });
    let result: Record<string, unknown> | undefined;
    switch (cli.command) {
      case 'help':
        process.stdout.write(USAGE);
        return;
      case 'version':
        result = { version: TOPDOWN_VERSION };
        if (!cli.json) process.stdout.write(`${TOPDOWN_VERSION}\n`);
        break;
      case 'new': {
        if (cli.list || cli.positionals.length === 0) {
          const templates = listTemplates().map(({ name, description }) => ({ name, description }));
          result = { templates };
          if (!cli.json)
            for (const t of templates) process.stdout.write(`${t.name.padEnd(12)} ${t.description}\n`);
          break;
        }
        const [template, dir] = cli.positionals;
        if (!dir)
          throw new TopdownError('USAGE', 'Say where to create the project: topdown new <template> <dir>.');
        const target = scaffoldTemplate(template, dir, { force: cli.force });
        result = { template, dir: target };
        if (!cli.json)
          process.stdout.write(
            `Created ${target} from the ${template} template. Next: topdown define ${dir}\n`,
          );
        break;
      }
      case 'define':
      case 'prepare':
      case 'evaluate':
      case 'improve': {
        const controller = cancellation(reporter);
        result = await runStep(cli, cli.command, reporter, controller);
        if (controller.signal.aborted) {
          reporter.emit({ type: 'job/cancelled' });
          process.exitCode = 130;
        } else {
          reporter.emit({ type: 'job/completed', result });
        }
        break;
      }
      case 'runs': {
        const runs = listRuns(resolve(cli.positionals[0] ?? '.'), cli.step);
        result = { ...runs };
        if (!cli.json) printRuns(runs);
        break;
      }
      case 'columns': {
        if (!cli.positionals[0])
          throw new TopdownError('USAGE', 'Name a CSV file: topdown columns <file.csv>.');
        const columns = await describeColumns(resolve(cli.positionals[0]));
        result = { ...columns };
        if (!cli.json) printColumns(columns);
        break;
      }
      case 'install': {
        if (cli.positionals[0] !== 'native') {
          throw new TopdownError('USAGE', 'Usage: topdown install native [dir].');
        }
        result = await installNative(resolve(cli.positionals[1] ?? '.'), reporter);
        if (!cli.json) process.stdout.write(`${String(result.message)}\n`);
        break;
      }
      default:
        throw new TopdownError('USAGE', `Unknown command "${cli.command}".`, {
          hint: 'See `topdown --help`.',
        });
    }
    if (cli.json && result) process.stdout.write(`${JSON.stringify(result)}\n`);
  } catch (error) {
    const info = toErrorInfo(error);
    reporter?.emit({ type: 'job/failed', error: info });
    if (cli?.json) process.stdout.write(`${JSON.stringify({ error: info })}\n`);
    process.stderr.write(`topdown: ${formatError(info)}\n`);
    if (info.code === 'INTERNAL' && error instanceof Error && error.stack)
      process.stderr.write(`${error.stack}\n`);
    process.exitCode = info.code === 'USAGE' ? 2 : 1;
  } finally {
    if (cli?.ipc && process.connected) process.disconnect();
  }
}

void main();
