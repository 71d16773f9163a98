/** The Training panel's host side: learning curves of runs, live while a job runs (epochs batched). */
import type { JobEvent } from '../../protocol/host';
import type { RunRecord } from '../../protocol/records';
import type { RunStore } from '../runStore';
import { runName, type PanelProvider, type ProviderPanel } from './provider';
import { adviceSummary, trainingPoint, trainingRun } from './snapshots';
import { EpochBatcher } from './throttle';

type Panel = ProviderPanel<EpochBatcher>;

/** A panel following the live job (no run named, or a session): it takes every run the job starts. */
function followsJob(panel: Panel): boolean {
  return panel.context.session !== undefined || panel.context.runIds.length === 0;
}

function onRunUpdated(run: RunRecord, panel: Panel): void {
  const { context, state: batcher } = panel;
  if (context.runIds.includes(run.id)) {
    batcher.send();
    panel.post({
      type: 'training/status',
      runId: run.id,
      status: run.status,
      elapsedMs: trainingRun(run, []).elapsedMs,
      foldsEnded: run.folds.map((fold) => fold.index),
      ...(run.advice && { advice: adviceSummary(run.advice) }),
    });
  } else if (followsJob(panel)) {
    if (run.status !== 'running' || run.model === 'baseline') return;
    context.runIds.push(run.id);
    context.session ??= run.session;
    panel.post({ type: 'training/runAdded', run: trainingRun(run, []) });
  }
}

/** The curves of one run, or of every running run of the project when none is named. */
export const trainingPanel: PanelProvider<'training', EpochBatcher> = {
  kind: 'training',
  title: 'Training',
  subtitle(store, context) {
    if (context.runIds.length === 0) return 'live';
    if (context.runIds.length > 1) return `${context.runIds.length} runs`;
    return runName(store.get(context.runIds[0]));
  },
  createState: (post) => new EpochBatcher((points) => post({ type: 'training/append', points })),
  disposeState: (batcher) => batcher.dispose(),
  snapshot(store: RunStore, panel: Panel) {
    const { context, state: batcher } = panel;
    if (context.runIds.length === 0) {
      context.runIds.push(
        ...store
          .list({ status: 'running' })
          .filter((entry) => entry.model !== 'baseline')
          .map((entry) => entry.id),
      );
    }
    batcher.send();
    const records = context.runIds.map((runId) => store.get(runId));
    return {
      type: 'training/snapshot',
      runs: records.map((record) => trainingRun(record, store.readEvents(record.id))),
      live: records.some((record) => record.status === 'running'),
    };
  },
  onJobEvent(event: JobEvent, panel: Panel) {
    if (event.type === 'run/epoch' && panel.context.runIds.includes(event.runId))
      panel.state.add(trainingPoint(event));
    else if (event.type === 'run/updated') onRunUpdated(event.run, panel);
  },
};
