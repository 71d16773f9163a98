/** What a running job is doing, folded from its events, and its one-line form for the status bar. */
import type { JobEvent } from '../../protocol/host';
import { assertNever } from '../../core/assert';
import type { RunRecord, StepName } from '../../protocol/records';
import { formatTrainingProgress, type TrainingProgress } from '../../shared/progress';
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
  /** Each running run's training so far, by run id (a run leaves when it ends). */
  training?: Record<string, TrainingProgress>;
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
            training: withRunUpdate(activity.training, event.run),
          }
        : { ...activity, training: withRunUpdate(activity.training, event.run) };
    case 'run/epoch':
      return {
        ...activity,
        runId: event.runId,
        candidate: event.candidate,
        training: withEpoch(activity, event),
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

type EpochEvent = Extract<JobEvent, { type: 'run/epoch' }>;

/** The training progress after one epoch of one fold. */
function withEpoch(activity: JobActivity, event: EpochEvent): Record<string, TrainingProgress> {
  const known = activity.training?.[event.runId];
  const epochsDone = new Map(known?.epochsDone);
  epochsDone.set(event.fold, Math.max(epochsDone.get(event.fold) ?? 0, event.epoch + 1));
  // Step 5 fits the final model once, on all the data: it has no folds to count.
  const finalFit = (activity.runStep ?? activity.step) === 'present';
  const progress: TrainingProgress = {
    epochs: event.epochs,
    folds: Math.max(event.folds ?? 0, known?.folds ?? 0),
    epochsDone,
    foldsEnded: known?.foldsEnded ?? new Set(),
    running: true,
    finalFit,
  };
  return { ...activity.training, [event.runId]: progress };
}

/** A run's ended folds; a run that stopped leaves the map. */
function withRunUpdate(
  training: Record<string, TrainingProgress> | undefined,
  run: RunRecord,
): Record<string, TrainingProgress> | undefined {
  const known = training?.[run.id];
  if (!training || !known) return training;
  const { [run.id]: _ended, ...others } = training;
  if (run.status !== 'running') return others;
  return { ...others, [run.id]: { ...known, foldsEnded: new Set(run.folds.map((fold) => fold.index)) } };
}

/**
 * "housing: evaluate · mlp · fold 3/5 · epoch 12/100" (the project when named), in the Training panel's unit
 * (`formatTrainingProgress`): "epochs 48/500 (3 folds at once)" while folds train in parallel; step 5's training
 * is "final fit", not "fold 1".
 */
export function formatActivity(activity: JobActivity): string {
  const parts: string[] = [activity.project ? `${activity.project}: ${activity.step}` : activity.step];
  if (activity.candidate) parts.push(activity.candidate);
  const progress = activity.runId ? activity.training?.[activity.runId] : undefined;
  const text = progress ? formatTrainingProgress(progress) : '';
  if (text) parts.push(text);
  return parts.join(' · ');
}

/** Percent done for the progress notification, when the job reported a total. */
export function percentDone(activity: JobActivity): number | undefined {
  if (!activity.total || activity.done === undefined) return undefined;
  return Math.min(100, Math.max(0, (activity.done / activity.total) * 100));
}
