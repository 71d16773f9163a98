/**
 * Step 4's trials as the host and the Improve panel both name them: DOM-free and Node-free, so both runtimes'
 * compilers check it.
 */
import type { ImproveResults, Trial } from '../protocol/panels';

/** How sentences name a trial: its run's candidate name (`mlp#2`), or "the untuned <candidate>". */
export function trialName(results: ImproveResults, trial: Trial): string {
  if (trial.untuned) return `the untuned ${results.candidate}`;
  return trial.name ?? `trial ${trial.index}`;
}

/** The trial the engine kept, or undefined before it decided. */
export function keptTrial(results: ImproveResults): Trial | undefined {
  const decision = results.decision;
  return decision && results.trials.find((trial) => trial.index === decision.chosenIndex);
}
