/** The Evaluate panel's host side: fold scores of one session's candidates against the baseline, live. */
import type { JobEvent } from '../../protocol/host';
import { baselineName } from '../../shared/baseline';
import { readProjectTask } from '../models/projectHead';
import type { PanelProvider, ProviderPanel } from './provider';
import { evaluateCandidate, evaluateSnapshot, sessionBaseline } from './snapshots';

/** Box plots of one evaluate session. */
export const evaluatePanel: PanelProvider<'evaluate'> = {
  kind: 'evaluate',
  title: 'Evaluate',
  createState: () => undefined,
  snapshot(store, panel) {
    const session = panel.context.session ?? '';
    const runs = store.list({ session, step: 'evaluate' }).map((entry) => store.get(entry.id));
    return {
      type: 'evaluate/snapshot',
      snapshot: {
        ...evaluateSnapshot(session, runs, (runId) => store.readEvents(runId)),
        baselineName: baselineName(readProjectTask(panel.context.projectDir)),
      },
    };
  },
  onJobEvent(event: JobEvent, panel: ProviderPanel<undefined>) {
    if (event.type !== 'run/updated' || event.run.session !== panel.context.session) return;
    const run = event.run;
    if (run.model === 'baseline') {
      // The baseline changes every candidate's verdict, so the panel gets the whole session again.
      if (sessionBaseline([run])) panel.refresh();
    } else {
      panel.post({ type: 'evaluate/candidate', candidate: evaluateCandidate(run), baseline: run.baseline });
    }
  },
};
