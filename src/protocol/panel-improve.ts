/** Host → Improve panel: the trials of a tuning run (step 4). */
import type { RunStatus, RunVerdict } from './records';
import type { SignificanceVerdicts } from './panels';

/** A parameter value in a trial. */
export type ParameterValue = number | string | boolean;

/** One configuration tried. */
export interface Trial {
  /**
   * The trial's number in the search: 0 for the untuned configuration, N for `mlp-small#N`. The panel shows the name, as the
   * Runs view, the CLI and REPORT.md do (older files numbered the finalists 1, 2, … in order instead).
   */
  index: number;
  /** The trial's candidate name as the engine and the run records write it (`mlp-small#2`); absent for the untuned one. */
  name?: string;
  params: Record<string, ParameterValue>;
  /** Mean and standard deviation of the fold scores. */
  mean: number;
  std: number;
  /** Fold scores, when kept. */
  scores?: number[];
  /** The candidate as configured in topdown.json, before tuning (drawn apart). */
  untuned?: boolean;
  status: 'completed' | 'failed' | 'running';
}

/** The tuning run as a whole. */
export interface ImproveResults {
  runId: string;
  /** The candidate tuned (its entry in evaluate.candidates receives "use this"). */
  candidate: string;
  metric: string;
  higherIsBetter: boolean;
  /** The names of the parameters searched, in order. */
  tuned: string[];
  /** The tuned parameters sampled log-uniformly (learning rates): the panel plots them on a log axis. */
  logScale?: string[];
  trials: Trial[];
  /** Index of the best trial by mean score (the best-looking one, not necessarily the one to keep). */
  bestIndex?: number;
  verdicts?: SignificanceVerdicts;
  /** The engine's decision (`decideTuning`): absent while the trials run or when it could not be tested. */
  decision?: ImproveDecision;
  /** The ensembles step 4 built in the same session, set by the host from their runs; absent when none. */
  ensembles?: ImproveEnsemble[];
}

/** One ensemble of the improve session, as its run recorded it. */
export interface ImproveEnsemble {
  name: string;
  runId: string;
  /** `average` or `vote`. */
  method: string;
  members: string[];
  status: RunStatus;
  /** Mean and standard deviation of its fold scores, once completed. */
  mean?: number;
  std?: number;
  /** Step 4's verdict (against the best, the baseline and the best single model); absent until judged. */
  verdict?: RunVerdict;
  /** Why it failed. */
  error?: string;
}

/**
 * Which configuration to keep, as step 4 decided it: the untuned one unless the best trial beats it in the
 * corrected t-test over the shared folds. The panel shows this, never its own pick.
 */
export interface ImproveDecision {
  keep: 'tuned' | 'untuned';
  /** Index of the kept trial (the untuned trial's index when the untuned configuration is kept). */
  chosenIndex: number;
  /** The engine's sentence, e.g. "Tuning did not beat the untuned mlp-small: … keeping the untuned configuration." */
  message: string;
  /** p-value of the best trial against the untuned configuration; null when it could not be tested. */
  pValue: number | null;
  /**
   * Set by the host when it sends the results: the kept configuration's parameters that differ from the
   * candidate in topdown.json now (empty when topdown.json already has them). Absent when unknown.
   */
  changes?: ParameterChange[];
}

/** One parameter of the kept configuration against topdown.json. */
export interface ParameterChange {
  parameter: string;
  /** The value in topdown.json (defaults filled in); absent when neither it nor a default sets one. */
  current?: unknown;
  kept: unknown;
}

/** Host → improve panel. */
export type ImproveMessage =
  /** The whole tuning run; replaces whatever the panel showed. */
  | { type: 'improve/snapshot'; results: ImproveResults }
  /** "Use this" wrote the kept configuration's parameters into topdown.json (after the diff was accepted). */
  | { type: 'improve/applied'; trialIndex: number; file: string };
