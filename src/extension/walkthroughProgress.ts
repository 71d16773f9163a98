/**
 * The walkthrough's progress: each of its five steps completes (`onContext:topdown.ran.<step>`) once the step has a
 * completed run in a project of the workspace, however it was started (palette, Project view, Run All Steps).
 */
import * as vscode from 'vscode';
import type { StepName } from '../protocol/records';
import { stepRanKey } from './contributions';
import { STEP_ORDER } from './models/runsTree';
import { stepsRun } from './models/walkthrough';
import { openRunStore } from './runStore';

/** Sets the walkthrough's context keys from the workspace's projects whenever they or their runs change. */
export class WalkthroughProgress implements vscode.Disposable {
  /** Keys already set: a step once run stays complete. */
  private readonly done = new Set<StepName>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly projects: { readonly projects: readonly string[]; onDidChange: vscode.Event<void> },
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscription = projects.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    // Every step complete: the run indexes need not be read again on each project change.
    if (this.done.size === STEP_ORDER.length) return;
    for (const projectDir of this.projects.projects) {
      let ran: StepName[];
      try {
        ran = stepsRun(openRunStore(projectDir));
      } catch (error) {
        this.log.warn(`Walkthrough progress: the runs of ${projectDir} cannot be read (${String(error)}).`);
        continue;
      }
      for (const step of ran) {
        if (this.done.has(step)) continue;
        this.done.add(step);
        void vscode.commands.executeCommand('setContext', stepRanKey(step), true);
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
