/** The status-bar item shown while a job runs; clicking it opens the live training panel. */
import * as vscode from 'vscode';
import { formatActivity, type JobActivity } from './activity';

/** The command the item runs (internal; not in the palette). */
export const SHOW_TRAINING_COMMAND = 'topdown.internal.showTraining';

/** One item for all jobs: it shows the most recently active one. */
export class JobStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'topdown.job',
    vscode.StatusBarAlignment.Left,
    10,
  );

  constructor() {
    this.item.name = 'Topdown Run';
    this.item.command = SHOW_TRAINING_COMMAND;
  }

  /** Shows the activity of a running job. */
  show(activity: JobActivity): void {
    this.item.text = `$(sync~spin) ${formatActivity(activity)}`;
    this.item.tooltip = `Topdown is running ${activity.step}${activity.backend ? ` on ${activity.backend}` : ''}. Click to open the live training panel.`;
    this.item.show();
  }

  /** Hides the item when no job runs. */
  hide(): void {
    this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}
