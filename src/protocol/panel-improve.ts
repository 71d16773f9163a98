/** Host → Improve panel: the trials of a tuning run (step 4). */
import type { SignificanceVerdicts } from './panels';

/** A parameter value in a trial. */
export type ParameterValue = number | string | boolean;

/** One configuration tried. */
export interface Trial {
  /** 0-based, in the order they ran. */
  index: number;
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
  trials: Trial[];
  /** Index of the best trial by mean score. */
  bestIndex?: number;
  verdicts?: SignificanceVerdicts;
}

/** Host → improve panel. */
export type ImproveMessage =
  /** The whole tuning run; replaces whatever the panel showed. */
  | { type: 'improve/snapshot'; results: ImproveResults }
  /** One trial finished or changed. */
  | { type: 'improve/trial'; trial: Trial; bestIndex?: number }
  /** "Use this" wrote the trial's parameters into topdown.json. */
  | { type: 'improve/applied'; trialIndex: number; file: string };
