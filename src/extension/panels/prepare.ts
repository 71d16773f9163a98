/** The Prepare panel's host side: the preview a prepare run wrote (`preview.json`), shapes and statistics before and after. */
import type { PreparationPreview } from '../../protocol/panels';
import { formatWhen } from '../../shared/format';
import { missing, readOutput, type PanelProvider } from './provider';

/** The preview's fields the panel reads; the fitted pipeline's state stays on disk. */
function previewOf(recorded: PreparationPreview): PreparationPreview {
  const { task, target, fold, shapes, classes, before, after, describe, candidatePipelines } = recorded;
  return {
    task,
    target,
    fold,
    shapes,
    ...(classes ? { classes } : {}),
    before,
    after,
    describe,
    ...(candidatePipelines ? { candidatePipelines } : {}),
  };
}

/** The preparation preview of a prepare run. */
export const preparePanel: PanelProvider<'prepare'> = {
  kind: 'prepare',
  title: 'Preparation',
  subtitle: (store, context) => formatWhen(store.get(context.runIds[0]).createdAt),
  createState: () => undefined,
  snapshot(store, panel) {
    const record = store.get(panel.context.runIds[0]);
    const preview = readOutput(panel.context.projectDir, record, 'preview') as PreparationPreview | undefined;
    return preview
      ? { type: 'prepare/snapshot', runId: record.id, preview: previewOf(preview) }
      : missing(panel, 'preparation preview');
  },
};
