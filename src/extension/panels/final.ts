/**
 * The Final results panel's host side: the final model on the holdout, opening its report or folder, and
 * predicting with its model.
 */
import type { FinalResults } from '../../protocol/panels';
import type { ConfusedPairs, TextResults } from '../../protocol/profile';
import { bundleFolderName } from '../models/predictChoices';
import { finalOutputPath, finalResultsFromBundle } from './finalResults';
import { missing, readOutput, runName, type PanelProvider } from './provider';
import { projectFile } from './validate';

/** The final model's holdout results of a present run. */
export const finalPanel: PanelProvider<'final'> = {
  kind: 'final',
  title: 'Final results',
  subtitle: (store, context) => runName(store.get(context.runIds[0])),
  createState: () => undefined,
  snapshot(store, panel) {
    const { projectDir, runIds } = panel.context;
    const record = store.get(runIds[0]);
    const results =
      (readOutput(projectDir, record, 'final') as FinalResults | undefined) ??
      finalResultsFromBundle(projectDir, record);
    if (!results) return missing(panel, 'final results');
    const confusedPairs = readOutput(projectDir, record, 'confusedPairs') as ConfusedPairs | undefined;
    const textResults = readOutput(projectDir, record, 'textResults') as TextResults | undefined;
    return {
      type: 'final/snapshot',
      results: {
        ...results,
        ...(confusedPairs ? { confusedPairs } : {}),
        ...(textResults ? { textResults } : {}),
      },
    };
  },
  async handle(message, panel) {
    const { projectDir, runIds } = panel.context;
    const record = panel.read((store) => store.get(runIds[0]));
    if (message.type === 'final/predict') {
      const bundle = record && bundleFolderName(finalOutputPath(record, 'model'));
      if (!bundle) throw new Error('This run saved no model to predict with.');
      await panel.predict(bundle);
      return;
    }
    const relativePath = record && finalOutputPath(record, message.target);
    if (!relativePath) throw new Error(`This run has no ${message.target} to open.`);
    const path = projectFile(projectDir, relativePath);
    if (!path.ok) throw new Error(path.reason);
    await panel.openFile(path.value, message.target === 'model' ? 'reveal' : 'preview');
  },
};
