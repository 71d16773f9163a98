/**
 * How a tuning trial is named, in one place for the engine, the CLI, REPORT.md and the panels: the candidate's
 * name, `#`, and the trial's number in the search (from 1), e.g. `mlp-small#2`. The untuned configuration is
 * trial 0 and keeps the candidate's own name.
 */

/** The name of trial `trial` (from 1) of `candidate`: `mlp-small#2`. */
export function trialName(candidate: string, trial: number): string {
  return `${candidate}#${trial}`;
}

/** The trial number in a trial's name (`mlp-small#2` → 2); undefined for a name that is not a trial's. */
export function trialNumber(name: string | undefined): number | undefined {
  const match = name === undefined ? null : /#([1-9]\d*)$/.exec(name);
  return match ? Number(match[1]) : undefined;
}
