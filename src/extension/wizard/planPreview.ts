/**
 * New Project from a CSV shows its plan before anything is written: `topdown new --from-csv … --dry-run --json`
 * plans the project, and the wizard lists the target (with its distinct and missing counts), the task, metric,
 * folds and candidates, each with its reason, to accept or change. Plain data here (no `vscode`).
 */
import type { ColumnInfo, NewProjectPlan } from './plan';

/** One decision of the plan, as the CLI prints it. */
export interface PlannedChoice {
  topic: string;
  choice: string;
  why: string;
}

/** What the person can do with the plan. */
export type PlanAction = 'create' | 'target' | 'task';

/** One line of the review list: an action, or a decision of the plan. */
export interface PlanReviewItem {
  label: string;
  description?: string;
  detail?: string;
  action?: PlanAction;
}

/** The same `topdown new --from-csv` arguments, planning only: nothing is written. */
export function previewArguments(plan: NewProjectPlan): string[] {
  const args = [...plan.args];
  args.splice(args.length - 1, 0, '--dry-run', '--json');
  return args;
}

/** Reads the plan from `--dry-run --json` output; throws with the text when it is not that shape. */
export function parsePlanPreview(stdout: string): PlannedChoice[] {
  const line = stdout.trim().split('\n').pop() ?? '';
  const parsed = JSON.parse(line) as { choices?: unknown; dryRun?: unknown };
  if (!Array.isArray(parsed.choices) || parsed.dryRun !== true) {
    throw new Error(`Expected the plan of topdown new --dry-run, got: ${stdout.slice(0, 200)}`);
  }
  return parsed.choices.map((choice: { topic?: unknown; choice?: unknown; why?: unknown }) => ({
    topic: String(choice.topic ?? ''),
    choice: String(choice.choice ?? ''),
    why: String(choice.why ?? ''),
  }));
}

/** "127 distinct values, 0 missing". */
export function describeTargetColumn(column: ColumnInfo | undefined): string | undefined {
  if (!column) return undefined;
  const parts: string[] = [];
  if (column.distinct !== undefined)
    parts.push(`${column.distinct} distinct value${column.distinct === 1 ? '' : 's'}`);
  if (column.missing !== undefined) parts.push(`${column.missing} missing`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/**
 * The review list: create, change the target, change the task; then every decision with its reason (the
 * target's line also gives its distinct and missing counts).
 */
export function planReviewItems(
  choices: readonly PlannedChoice[],
  target: ColumnInfo | undefined,
): PlanReviewItem[] {
  const counts = describeTargetColumn(target);
  return [
    { label: '$(check) Create the project with this plan', action: 'create' },
    { label: '$(edit) Change the target column…', action: 'target' },
    { label: '$(edit) Change the task…', action: 'task' },
    ...choices.map((choice) => ({
      label: `${choice.topic}: ${choice.choice}`,
      description: choice.topic === 'target' && counts ? counts : undefined,
      detail: choice.why,
    })),
  ];
}
