/** The Data profile panel's host side: the profile a define run wrote, with its baseline. */
import type { DataProfile } from '../../protocol/profile';
import { formatWhen } from '../../shared/format';
import { missing, readOutput, type PanelProvider } from './provider';

/** The data profile of a define run. */
export const profilePanel: PanelProvider<'profile'> = {
  kind: 'profile',
  title: 'Data profile',
  subtitle: (store, context) => formatWhen(store.get(context.runIds[0]).createdAt),
  createState: () => undefined,
  snapshot(store, panel) {
    const record = store.get(panel.context.runIds[0]);
    const profile = readOutput(panel.context.projectDir, record, 'profile');
    return profile
      ? {
          type: 'profile/snapshot',
          runId: record.id,
          profile: profile as DataProfile,
          baseline: record.baseline && { ...record.baseline, metric: record.metric },
        }
      : missing(panel, 'a data profile');
  },
};
