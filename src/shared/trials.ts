/**
 * Step 4's trials as the engine, the CLI, REPORT.md, the host and the Improve panel all name them: DOM-free and
 * Node-free, so both runtimes' compilers check it. Trial N of a search is the candidate's name, `#`, and N (from
 * 1), e.g. `mlp-small#2`; the untuned configuration is trial 0 and keeps the candidate's own name.
 */
import type { ImproveResults, Trial } from '../protocol/panels';

/** The candidate name of trial `trial` (from 1) of `candidate`: `mlp-small#2`. */
export function trialCandidateName(candidate: string, trial: number): string {
  return `${candidate}#${trial}`;
}

/** The trial number in a trial's name (`mlp-small#2` → 2); undefined for a name that is not a trial's. */
export function trialNumber(name: string | undefined): number | undefined {
  const match = name === undefined ? null : /#([1-9]\d*)$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** A trial as the Runs view, the CLI and REPORT.md name it: `mlp-small#2`, or "untuned". */
export function trialLabel(trial: Trial): string {
  return trial.untuned ? 'untuned' : (trial.name ?? `trial ${trial.index}`);
}

/** How sentences name a trial: its run's candidate name (`mlp#2`), or "the untuned <candidate>". */
export function trialName(results: ImproveResults, trial: Trial): string {
  return trial.untuned ? `the untuned ${results.candidate}` : trialLabel(trial);
}

/** The trial the engine kept, or undefined before it decided. */
export function keptTrial(results: ImproveResults): Trial | undefined {
  const decision = results.decision;
  return decision && results.trials.find((trial) => trial.index === decision.chosenIndex);
}
