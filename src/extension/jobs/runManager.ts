/**
 * Starts and tracks jobs: one per project at a time, each with a cancellable progress notification, the
 * status-bar item, live events to the views and panels, and a notification that explains a failure.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { JobEvent } from '../../protocol/host';
import { CONTEXT_KEYS, SETTINGS } from '../contributions';
import { describeFailure, locateError } from '../editor/errorLocation';
import { formatDuration } from '../models/format';
import type { Results } from '../results';
import { openRunStore } from '../runStore';
import { percentDone, reduceActivity, type JobActivity } from './activity';
import { Job, type JobOutcome, type JobStep } from './job';
import { nodeOrSayWhy } from './editorNode';
import { JobStatusBar, SHOW_TRAINING_COMMAND } from './statusBar';
import { queueFlags } from './queueFlags';
import { resultsTarget } from './resultsTarget';

/** Titles for notifications. */
export const JOB_TITLES: Record<JobStep, string> = {
  define: 'Define Problem',
  prepare: 'Prepare Data',
  evaluate: 'Evaluate Algorithms',
  improve: 'Improve Results',
  present: 'Present Results',
  all: 'Run All Steps',
};

/** Extra options for one run (rerun of a candidate). */
export interface RunRequest {
  candidates?: string[];
}

/** The CLI's flags from the settings (workers, quick mode, queue) and the request (candidates to rerun). */
function cliFlags(settings: vscode.WorkspaceConfiguration, step: JobStep, request: RunRequest): string[] {
  const flags: string[] = [];
  const workers = settings.get<number>(SETTINGS.workers, 0);
  if (workers > 0) flags.push('--workers', String(workers));
  if (settings.get<boolean>(SETTINGS.quickMode, false)) flags.push('--quick');
  flags.push(
    ...queueFlags(
      step,
      settings.get<string>(SETTINGS.queue, ''),
      settings.get<string>(SETTINGS.queueData, ''),
    ),
  );
  if (request.candidates?.length) flags.push('--candidates', request.candidates.join(','));
  return flags;
}

interface ActiveJob {
  job: Job;
  activity: JobActivity;
}

/** Owns every running job; disposing it cancels them. */
export class RunManager implements vscode.Disposable {
  private readonly jobs = new Map<string, ActiveJob>();
  private readonly statusBar = new JobStatusBar();
  private readonly runsChanged = new vscode.EventEmitter<string>();
  /** Fires with the project folder when a run record changed (from job events). */
  readonly onDidChangeRuns = this.runsChanged.event;
  private readonly finished = new vscode.EventEmitter<{ projectDir: string; outcome: JobOutcome }>();
  /** Fires with the project folder and the outcome when a job has ended (completed, failed or cancelled). */
  readonly onDidFinish = this.finished.event;
  private readonly disposables: vscode.Disposable[] = [this.statusBar, this.runsChanged, this.finished];
  private lastProjectDir: string | undefined;

  /**
   * `projectName` gives a project's short name where the workspace holds several projects (undefined where it
   * holds one), so notifications and the status bar say which project a job runs for.
   */
  constructor(
    private readonly extensionPath: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly results: Results,
    private readonly projectName: (projectDir: string) => string | undefined = () => undefined,
  ) {
    this.disposables.push(vscode.commands.registerCommand(SHOW_TRAINING_COMMAND, () => this.showLive()));
  }

  /** Whether a job runs for this project. */
  isRunning(projectDir: string): boolean {
    return this.jobs.has(projectDir);
  }

  /** Runs a step (or all) for a project and reports how it ended; resolves when the process has exited. */
  async run(projectDir: string, step: JobStep, request: RunRequest = {}): Promise<JobOutcome | undefined> {
    if (!this.mayStart(projectDir)) return undefined;
    const settings = vscode.workspace.getConfiguration();
    const node = nodeOrSayWhy(this.log);
    if (!node) return undefined;
    const flags = cliFlags(settings, step, request);
    const cliPath = join(this.extensionPath, 'dist', 'cli.js');
    this.log.info(`Node.js for ${step}: ${node.execPath} (${node.reason})`);
    const project = this.projectName(projectDir);
    const active: ActiveJob = { activity: { step, project }, job: undefined as unknown as Job };
    const job = new Job({
      cliPath,
      step,
      projectDir,
      flags,
      node,
      onEvent: (event) => this.onEvent(projectDir, active, event),
      onStderr: (text) => {
        for (const line of text.split('\n')) if (line.trim()) this.log.debug(`[${job.pid}] ${line}`);
      },
    });
    active.job = job;
    this.jobs.set(projectDir, active);
    this.lastProjectDir = projectDir;
    this.log.info(
      `Started ${step} in ${projectDir}: pid ${job.pid}, backend ${node.backend}, flags ${flags.join(' ') || '(none)'}`,
    );
    await this.updateRunning(active);
    const title = `Topdown${project ? ` (${project})` : ''}: ${JOB_TITLES[step]}`;
    const outcome = await this.withProgress(projectDir, active, title);
    this.jobs.delete(projectDir);
    await this.updateRunning([...this.jobs.values()].at(-1));
    this.runsChanged.fire(projectDir);
    this.finished.fire({ projectDir, outcome });
    this.report(projectDir, step, outcome, job.pid);
    return outcome;
  }

  /** Steps run only in a trusted workspace, one job per project at a time; says why not otherwise. */
  private mayStart(projectDir: string): boolean {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(
        'Running a step executes project code (custom models), so Topdown runs steps only in a trusted workspace.',
      );
      return false;
    }
    if (this.jobs.has(projectDir)) {
      void vscode.window.showInformationMessage(
        `A Topdown job is already running for ${this.projectName(projectDir) ?? 'this project'}. Cancel it first.`,
      );
      return false;
    }
    return true;
  }

  /** Waits for the job under a cancellable progress notification that shows its activity twice a second. */
  private withProgress(projectDir: string, active: ActiveJob, title: string): Thenable<JobOutcome> {
    return vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title,
        cancellable: true,
      },
      async (progress, token) => {
        token.onCancellationRequested(() => this.cancel(projectDir));
        let reported = 0;
        const timer = setInterval(() => {
          const percent = percentDone(active.activity) ?? reported;
          progress.report({ message: active.activity.message, increment: percent - reported });
          reported = percent;
        }, 500);
        try {
          return await active.job.outcome;
        } finally {
          clearInterval(timer);
        }
      },
    );
  }

  /** Cancels the job of a project (or every job). */
  cancel(projectDir?: string): void {
    for (const [dir, active] of this.jobs) {
      if (projectDir === undefined || dir === projectDir) {
        this.log.info(`Cancelling ${active.job.step} (pid ${active.job.pid})`);
        active.job.cancel();
      }
    }
  }

  private showLive(): void {
    const active = this.lastProjectDir ? this.jobs.get(this.lastProjectDir) : undefined;
    if (this.lastProjectDir) this.results.get().showTraining(this.lastProjectDir, active?.activity.runId);
  }

  private onEvent(projectDir: string, active: ActiveJob, event: JobEvent): void {
    active.activity = reduceActivity(active.activity, event);
    if (event.type === 'job/backend') {
      this.log.info(
        `Backend: ${event.backend.name}${event.backend.reasons.length ? ` (${event.backend.reasons.join('; ')})` : ''}`,
      );
    } else if (event.type === 'log') {
      this.log[event.level](`[${active.job.pid}] ${event.message}`);
    } else if (event.type === 'run/updated') {
      this.runsChanged.fire(projectDir);
    }
    if (this.lastProjectDir === projectDir) this.statusBar.show(active.activity);
    this.results.forward(projectDir, event);
  }

  private async updateRunning(active: ActiveJob | undefined): Promise<void> {
    if (active) this.statusBar.show(active.activity);
    else this.statusBar.hide();
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.running, this.jobs.size > 0);
  }

  private report(projectDir: string, step: JobStep, outcome: JobOutcome, pid: number | undefined): void {
    const project = this.projectName(projectDir);
    const title = project ? `${JOB_TITLES[step]} (${project})` : JOB_TITLES[step];
    this.log.info(
      `${step} (pid ${pid}) ${outcome.status}: exit code ${outcome.exitCode}, ${formatDuration(outcome.durationMs)}`,
    );
    if (outcome.status === 'cancelled') {
      void vscode.window.showInformationMessage(
        `${title} was cancelled; finished folds are kept in the run.`,
      );
      return;
    }
    if (outcome.status === 'completed') {
      void vscode.window
        .showInformationMessage(`${title} finished in ${formatDuration(outcome.durationMs)}.`, 'Open Results')
        .then((choice) => {
          if (choice) this.openResults(projectDir, step, outcome.result);
        });
      return;
    }
    this.log.error(
      `${outcome.error.code}: ${outcome.error.message}${outcome.error.hint ? ` (${outcome.error.hint})` : ''}`,
    );
    const target = locateError(outcome.error, projectDir);
    const actions = target ? ['Show Log', 'Open'] : ['Show Log'];
    void vscode.window
      .showErrorMessage(describeFailure(title, outcome.error, projectDir), ...actions)
      .then(async (choice) => {
        if (choice === 'Show Log') this.log.show();
        if (choice === 'Open' && target) {
          const position = new vscode.Position(target.position.line, target.position.character);
          await vscode.window.showTextDocument(vscode.Uri.file(target.file), {
            selection: new vscode.Range(position, position),
          });
        }
      });
  }

  /**
   * Opens the panel of the step that just finished (for Run All Steps, the last step that ran): the session's
   * box plots for evaluate, else the run's own panel (data profile for define, trials for improve, final results
   * for present).
   */
  private openResults(projectDir: string, finished: JobStep, output: Record<string, unknown>): void {
    const target = resultsTarget(finished, output);
    if (!target) return;
    const { step, result } = target;
    const session = typeof result.session === 'string' ? result.session : undefined;
    const panels = this.results.get();
    if (step === 'evaluate') return panels.showEvaluate(projectDir, session);
    // An improve run without tuning results (an ensemble's) opens its session's trials: see showImprove.
    const runId =
      typeof result.runId === 'string'
        ? result.runId
        : openRunStore(projectDir)
            .list({ step })
            .find((entry) => session === undefined || entry.session === session)?.id;
    if (runId) panels.showRun(projectDir, runId);
  }

  dispose(): void {
    this.cancel();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
