/**
 * The Evaluate panel's host side: fold scores of one session's candidates against the baseline, live, and
 * "Next: Improve <best>…", which runs step 4 when topdown.json gives the candidate a search space.
 */
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import type { JobEvent } from '../../protocol/host';
import { formatWhen } from '../../shared/format';
import { baselineName } from '../../shared/baseline';
import { readProjectTask } from '../models/projectHead';
import type { PanelProvider, ProviderPanel } from './provider';
import { evaluateCandidate, evaluateSnapshot, sessionBaseline } from './snapshots';
import { candidateTextResults, foldForecasts, sessionPredictions } from './evaluateOutOfFold';
import { readOutput } from './provider';
import type { RunStore } from '../runStore';
import { OUT_OF_FOLD_OUTPUT } from '../../protocol/out-of-fold';
import type { EvaluateSnapshot } from '../../protocol/panel-evaluate';
import type { DataProfile, SeriesProfile } from '../../protocol/profile';
import type { RunRecord } from '../../protocol/records';

/** Box plots of one evaluate session. */
export const evaluatePanel: PanelProvider<'evaluate'> = {
  kind: 'evaluate',
  title: 'Evaluate',
  /** When the session started, in local time: sessions are told apart by when they ran. */
  subtitle(store, context) {
    const runs = store.list({ session: context.session ?? '', step: 'evaluate' });
    const first = runs.map((entry) => entry.createdAt).sort()[0];
    return first ? formatWhen(first) : undefined;
  },
  createState: () => undefined,
  snapshot(store, panel) {
    const session = panel.context.session ?? '';
    const runs = store.list({ session, step: 'evaluate' }).map((entry) => store.get(entry.id));
    const task = readProjectTask(panel.context.projectDir);
    return {
      type: 'evaluate/snapshot',
      snapshot: {
        ...evaluateSnapshot(session, runs, (runId) => store.readEvents(runId)),
        baselineName: baselineName(task),
        ...outOfFoldViews(store, panel.context.projectDir, runs, task),
      },
    };
  },
  onJobEvent(event: JobEvent, panel: ProviderPanel<undefined>) {
    if (event.type !== 'run/updated' || event.run.session !== panel.context.session) return;
    const run = event.run;
    if (run.model === 'baseline') {
      // The baseline changes every candidate's verdict, so the panel gets the whole session again.
      if (sessionBaseline([run])) panel.refresh();
    } else if (hasOutOfFoldViews(run, readProjectTask(panel.context.projectDir))) {
      // Its out-of-fold views (forecasts per fold, misclassified documents) come with the whole session.
      panel.refresh();
    } else {
      panel.post({ type: 'evaluate/candidate', candidate: evaluateCandidate(run), baseline: run.baseline });
    }
  },
  async handle(message, panel) {
    const path = join(panel.context.projectDir, 'topdown.json');
    const tuned = tunedCandidates(panel.readText(path));
    if (!tuned.includes(message.candidate)) {
      panel.post({
        type: 'panel/notice',
        level: 'warn',
        message: `${message.candidate} has no search space yet: add "improve": { "space": { "${message.candidate}": { … } } } to topdown.json to tune it.`,
      });
      return panel.openFile(path, 'editor');
    }
    await panel.runStep(
      'improve',
      `Run step 4 (Improve) now? It tunes ${tuned.join(', ')} on the same folds and keeps a tuned configuration only when it beats the untuned one.`,
    );
  },
};

/**
 * The views of a session's out-of-fold predictions: a time series' forecasts per fold (rows named by the times of
 * the latest define run's profile of the same data), a text classifier's misclassified documents per candidate.
 */
function outOfFoldViews(
  store: RunStore,
  projectDir: string,
  runs: readonly RunRecord[],
  task: string | undefined,
): Pick<EvaluateSnapshot, 'foldForecasts' | 'textResults'> {
  const views: Pick<EvaluateSnapshot, 'foldForecasts' | 'textResults'> = {};
  // In the order the session started them, as the candidates table lists them.
  const ordered = [...runs].sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
  );
  // Only a time series' predictions are read here: an image project's can be megabytes per run.
  const predictions = task === 'time-series' ? sessionPredictions(projectDir, ordered) : [];
  if (predictions.length > 0) {
    const forecasts = foldForecasts(predictions, seriesOf(store, projectDir, ordered[0]?.dataHash));
    if (forecasts) views.foldForecasts = forecasts;
  }
  const text = candidateTextResults(projectDir, ordered);
  if (text.length > 0) views.textResults = text;
  return views;
}

/** Whether a finished run brings out-of-fold views the panel shows (then it gets the whole session again). */
export function hasOutOfFoldViews(run: RunRecord, task: string | undefined): boolean {
  if (run.status !== 'completed') return false;
  if (run.outputs?.textResults) return true;
  return task === 'time-series' && run.outputs?.[OUT_OF_FOLD_OUTPUT] !== undefined;
}

/** The series of the latest completed define run over the same data, if its profile has one. */
function seriesOf(
  store: RunStore,
  projectDir: string,
  dataHash: string | undefined,
): SeriesProfile | undefined {
  const define = store.latest('define');
  if (!define || define.dataHash !== dataHash) return undefined;
  try {
    return (readOutput(projectDir, define, 'profile') as DataProfile | undefined)?.series;
  } catch {
    return undefined; // an unreadable profile: rows are named by number instead
  }
}

/** The candidates step 4 tunes: `improve.candidates`, else every candidate with a search space. */
export function tunedCandidates(text: string | undefined): string[] {
  const project =
    text === undefined
      ? undefined
      : (parse(text) as { improve?: { candidates?: unknown; space?: unknown } } | undefined);
  const improve = project?.improve;
  if (Array.isArray(improve?.candidates)) {
    return improve.candidates.filter((name): name is string => typeof name === 'string');
  }
  const space = improve?.space;
  return space !== null && typeof space === 'object' ? Object.keys(space) : [];
}
