/** What a running job is doing, folded from its events, and its one-line form for the status bar. */
import type { JobEvent } from '../../protocol/host';
import { assertNever } from '../../core/assert';
import type { StepName } from '../../protocol/records';
import type { JobStep } from './job';

/** The latest known position of a job. */
export interface JobActivity {
  step: JobStep;
  /** The project's short name, set when the workspace holds several projects. */
  project?: string;
  backend?: string;
  runId?: string;
  /** The step of the run now training (under Run All Steps, the step that runs now). */
  runStep?: StepName;
  candidate?: string;
  /** 0-based fold index, as events carry it. */
  fold?: number;
  epoch?: number;
  epochs?: number;
  done?: number;
  total?: number;
  message?: string;
}

/** The activity after one event. */
export function reduceActivity(activity: JobActivity, event: JobEvent): JobActivity {
  switch (event.type) {
    case 'hello':
      return { ...activity, step: event.step };
    case 'job/backend':
      return { ...activity, backend: event.backend.name };
    case 'run/updated':
      return event.run.status === 'running'
        ? {
            ...activity,
            runId: event.run.id,
            runStep: event.run.step,
            candidate: event.run.candidate ?? activity.candidate,
          }
        : activity;
    case 'run/epoch':
      return {
        ...activity,
        runId: event.runId,
        candidate: event.candidate,
        fold: event.fold,
        epoch: event.epoch,
        epochs: event.epochs,
      };
    case 'job/progress':
      return { ...activity, done: event.done, total: event.total, message: event.message };
    case 'log':
    case 'job/completed':
    case 'job/failed':
    case 'job/cancelled':
      return activity;
    default:
      return assertNever(event);
  }
}

/**
 * "housing: evaluate · mlp · fold 3 · epoch 12/100" (fold and epoch shown 1-based; the project when named); step 5's
 * training is "final fit", not "fold 1".
 */
export function formatActivity(activity: JobActivity): string {
  const parts: string[] = [activity.project ? `${activity.project}: ${activity.step}` : activity.step];
  if (activity.candidate) parts.push(activity.candidate);
  // Step 5 fits the final model once, on all the data: it has no folds to count.
  const finalFit = (activity.runStep ?? activity.step) === 'present';
  if (activity.fold !== undefined) parts.push(finalFit ? 'final fit' : `fold ${activity.fold + 1}`);
  if (activity.epoch !== undefined) {
    parts.push(`epoch ${activity.epoch + 1}${activity.epochs ? `/${activity.epochs}` : ''}`);
  }
  return parts.join(' · ');
}

/** Percent done for the progress notification, when the job reported a total. */
export function percentDone(activity: JobActivity): number | undefined {
  if (!activity.total || activity.done === undefined) return undefined;
  return Math.min(100, Math.max(0, (activity.done / activity.total) * 100));
}
