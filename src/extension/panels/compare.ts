/** The Compare runs panel's host side: several runs side by side, and the settings that differ. */
import { runName, type PanelProvider } from './provider';
import { compareRun, compareTest, configDifferences, higherIsBetter } from './snapshots';

/** Several runs side by side. */
export const comparePanel: PanelProvider<'compare'> = {
  kind: 'compare',
  title: 'Compare runs',
  subtitle(store, context) {
    const names = context.runIds.map((runId) => runName(store.get(runId)));
    return names.length <= 3
      ? names.join(' vs ')
      : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
  },
  createState: () => undefined,
  snapshot(store, panel) {
    const runs = panel.context.runIds.map((runId) => store.get(runId));
    const metric = runs[0]?.metric ?? 'score';
    return {
      type: 'compare/snapshot',
      runs: runs.map((record) => compareRun(record, store.readEvents(record.id))),
      higherIsBetter: higherIsBetter(metric),
      differences: configDifferences(runs),
      test: compareTest(runs),
    };
  },
};
