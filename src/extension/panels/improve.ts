/** The Improve panel's host side: the trials of a tuning run, and "use this" into topdown.json. */
import type { ImproveResults } from '../../protocol/panels';
import { writeTrialParameters } from './actions';
import { missing, readOutput, type PanelProvider } from './provider';

/** What the improve panel keeps: the results last sent, so "use this" takes parameters from the host's copy. */
export interface ImproveState {
  results?: ImproveResults;
}

/** The trials of a tuning run. */
export const improvePanel: PanelProvider<'improve', ImproveState> = {
  kind: 'improve',
  title: 'Improve',
  createState: () => ({}),
  snapshot(store, panel) {
    const { context, state } = panel;
    const results = readOutput(context.projectDir, store.get(context.runIds[0]), 'improve') as
      ImproveResults | undefined;
    state.results = results;
    return results ? { type: 'improve/snapshot', results } : missing(panel, 'tuning results');
  },
  async handle(message, panel) {
    const results = panel.state.results;
    const trial = results?.trials.find((item) => item.index === message.trialIndex);
    if (!results || !trial) throw new Error(`Trial ${message.trialIndex + 1} is not in this run.`);
    const file = writeTrialParameters(panel.context.projectDir, results.candidate, trial.params);
    panel.post({ type: 'improve/applied', trialIndex: trial.index, file: 'topdown.json' });
    panel.log.info(`Wrote trial ${trial.index + 1} of ${results.candidate} into ${file}.`);
  },
};
