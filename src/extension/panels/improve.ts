/**
 * The Improve panel's host side: the trials of a tuning run with step 4's decision, the session's ensembles,
 * and "Use this", which writes the kept configuration (only that one) into topdown.json after the person has
 * seen the diff.
 */
import { join } from 'node:path';
import type { ImproveResults } from '../../protocol/panels';
import { keptTrial, trialName } from '../../shared/trials';
import { parameterChanges, textWithParameters, withChanges, withDecision } from './improveDecision';
import { improveResultsRun } from '../models/improveSession';
import { ensemblesOnly, sessionEnsembles, withEnsembles } from './improveEnsembles';
import type { RunStore } from '../runStore';
import { missing, readOutput, runName, type PanelProvider } from './provider';

/** What the improve panel keeps: the results last sent, so "use this" takes parameters from the host's copy. */
export interface ImproveState {
  results?: ImproveResults;
}

/** The trials of a tuning run. */
export const improvePanel: PanelProvider<'improve', ImproveState> = {
  kind: 'improve',
  title: 'Improve',
  subtitle: (store, context) => runName(store.get(context.runIds[0])),
  createState: () => ({}),
  snapshot(store, panel) {
    const { context, state } = panel;
    const record = store.get(context.runIds[0]);
    const ensembles = sessionEnsembles(store, record.session);
    const recorded = readOutput(context.projectDir, record, 'improve') as ImproveResults | undefined;
    const projectText = panel.readText(join(context.projectDir, 'topdown.json'));
    const results = recorded
      ? withEnsembles(withChanges(withDecision(recorded, record.tuning), projectText), ensembles)
      : ensembles.length > 0
        ? ensemblesOnly(record, ensembles)
        : undefined;
    state.results = results;
    return results ? { type: 'improve/snapshot', results } : missing(panel, 'tuning results');
  },
  async handle(message, panel) {
    const results = panel.state.results;
    const kept = results && keptTrial(results);
    if (!results || !kept) throw new Error('Step 4 has not decided which configuration to keep yet.');
    if (kept.index !== message.trialIndex) {
      throw new Error(`Step 4 kept ${trialName(results, kept)}: only the kept configuration can be used.`);
    }
    const path = join(panel.context.projectDir, 'topdown.json');
    const before = panel.readText(path);
    if (before === undefined) throw new Error('topdown.json cannot be read.');
    // Throws a reason a person can act on when topdown.json does not parse or lacks the candidate.
    const after = textWithParameters(before, results.candidate, kept.params);
    const changes = parameterChanges(before, results) ?? [];
    if (changes.length === 0) {
      panel.post({
        type: 'panel/notice',
        level: 'info',
        message: 'topdown.json already has this configuration.',
      });
      return panel.refresh();
    }
    const name = trialName(results, kept);
    const applied = await panel.proposeEdit({
      path,
      before,
      after,
      title: `topdown.json ↔ ${name}`,
      question: `Write ${changes.map((change) => change.parameter).join(', ')} of ${name} into ${results.candidate} in topdown.json?`,
      detail: `${results.decision?.message ?? ''}\nCtrl+Z in topdown.json undoes it.`,
    });
    if (applied) {
      panel.post({ type: 'improve/applied', trialIndex: kept.index, file: 'topdown.json' });
      panel.log.info(`Wrote ${name} into ${results.candidate} in topdown.json.`);
    }
    panel.refresh();
  },
};

/**
 * The run whose tuning results show step 4 for `runId`: itself when it has them, else its session's run that
 * links them (an ensemble's or a repeat's run has none); in a session that built ensembles and tuned nothing,
 * `runId` itself (the panel lists the ensembles); null when the session has neither.
 */
export function tuningRunOf(store: RunStore, runId: string): string | null {
  const record = store.get(runId);
  if (record.outputs?.improve) return runId;
  const linked = improveResultsRun(store, record.session);
  if (linked !== undefined && store.get(linked).outputs?.improve) return linked;
  return sessionEnsembles(store, record.session).length > 0 ? runId : null;
}
