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
