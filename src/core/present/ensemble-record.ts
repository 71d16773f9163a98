/**
 * What an ensemble's run record says about it, with no import beyond types: the extension reads it while its
 * activation bundle stays free of the model registry (test/unit/extension-bundle.test.ts).
 */
import type { RunRecord } from '../../protocol/records';

/** The model kind of a step 4 ensemble's run: its final fit refits every member. */
export const ENSEMBLE_MODEL = 'ensemble';

/** The members named by an ensemble run's config (`{ members: [...] }`), in order. */
export function ensembleMemberNames(ensemble: RunRecord): string[] {
  const members = ensemble.config.members;
  return Array.isArray(members) ? members.filter((name): name is string => typeof name === 'string') : [];
}
