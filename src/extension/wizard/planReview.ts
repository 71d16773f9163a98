/**
 * Shows the plan of a project from a CSV before anything is written (`topdown new --from-csv … --dry-run`): the
 * target with its distinct and missing counts, the task, metric, folds and candidates, each with its reason.
 * The person creates the project, or changes the target or the task and sees the new plan.
 */
import * as vscode from 'vscode';
import { runCli } from '../jobs/cli';
import { changeCsvChoice, csvSource, type CsvChoices } from './csvChoices';
import { planNewProject } from './plan';
import { parsePlanPreview, planReviewItems, previewArguments } from './planPreview';

/** The accepted choices, or undefined when the person cancelled or the plan could not be made. */
export async function reviewPlan(
  extensionPath: string,
  log: vscode.LogOutputChannel,
  initial: CsvChoices,
  folder: { parent: string; name: string },
): Promise<CsvChoices | undefined> {
  let choices: CsvChoices | undefined = initial;
  while (choices) {
    const { source, guess } = csvSource(choices);
    const plan = planNewProject(source, folder.parent, folder.name, guess);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Topdown: planning the project…' },
      () => runCli(extensionPath, previewArguments(plan), log),
    );
    if (result.exitCode !== 0) {
      void vscode.window.showErrorMessage(
        `Could not plan the project: ${result.stderr.trim().split('\n')[0] || `exit code ${result.exitCode}`}`,
      );
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      planReviewItems(parsePlanPreview(result.stdout), choices.target),
      {
        title: `Topdown: the plan for ${folder.name} (nothing is written until you create it)`,
        matchOnDetail: true,
      },
    );
    if (!picked?.action) {
      // A click on a decision only shows its reason: the list opens again.
      if (picked) continue;
      return undefined;
    }
    if (picked.action === 'create') return choices;
    choices = await changeCsvChoice(choices, picked.action);
  }
  return undefined;
}
