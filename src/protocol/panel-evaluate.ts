/** Host → Evaluate panel: fold scores per candidate of one `topdown evaluate` session, against the baseline. */
import type { TextResults } from './profile';
import type { AdviceSummary, RunStatus } from './records';
import type { SignificanceVerdicts } from './panels';

/** One candidate's run in the session. */
export interface EvaluateCandidate {
  runId: string;
  candidate: string;
  model: string;
  status: RunStatus;
  /** Fold scores in fold order (the project metric); grows while the run is going. */
  scores: number[];
  /** Total training time so far. */
  durationMs: number;
  /** Backend that ran it (`tensorflow`, `wasm`, `cpu`, ...). */
  backend: string;
  /** The learning-curve advisor's diagnosis and next experiment (networks, once they ended). */
  advice?: AdviceSummary;
  /** Every metric its completed folds recorded (regression: rmse, mae, r2, ...), as mean ± std over the folds. */
  metrics?: Record<string, { mean: number; std: number }>;
}

/**
 * Time series: what each candidate forecast for its folds' validation parts (one step ahead), from the runs'
 * out-of-fold predictions, beside the actual values and the persistence baseline's forecast.
 */
export interface FoldForecasts {
  /** The axis title: the time column, or "row". */
  time: string;
  /** Values each window forecasts (the charts draw the first, one step ahead). */
  horizon: number;
  /** Every time some fold validated, in time order: the x axis. */
  times: string[];
  /** The actual value at each of `times`. */
  actual: number[];
  /** The persistence baseline's forecast at each of `times` (null where its folds have none), when it ran. */
  persistence?: Array<number | null>;
  /** Per candidate with out-of-fold predictions (baseline excluded), in the session's order. */
  candidates: Array<{
    runId: string;
    candidate: string;
    /** The fold that validated each of `times` (null where none of this run's folds did). */
    folds: Array<number | null>;
    /** The forecast at each of `times` (null where none). */
    predicted: Array<number | null>;
  }>;
}

/** Text classification: one candidate's misclassified documents over its folds (`scope` cross-validation). */
export interface CandidateTextResults {
  runId: string;
  candidate: string;
  results: TextResults;
}

/** The session as a whole. */
export interface EvaluateSnapshot {
  session: string;
  metric: string;
  /** False for losses and errors (rmse, mae, log-loss): lower is better. */
  higherIsBetter: boolean;
  /** The number to beat (the baseline candidate under the same folds). */
  baseline?: { mean: number; std: number };
  /** Which baseline it is: "majority class", "mean" or "persistence". */
  baselineName?: string;
  /** Every metric of the baseline's folds, as mean ± std (the baseline column of the metrics table). */
  baselineMetrics?: Record<string, { mean: number; std: number }>;
  /** Candidates other than the baseline, in the order of topdown.json. */
  candidates: EvaluateCandidate[];
  /** Step 4's significance test, once it has run. */
  verdicts?: SignificanceVerdicts;
  /** Time series: the candidates' forecasts per fold, once a candidate completed. */
  foldForecasts?: FoldForecasts;
  /** Text classification: each completed candidate's misclassified documents over its folds. */
  textResults?: CandidateTextResults[];
}

/** Host → evaluate panel. */
export type EvaluateMessage =
  /** The full session; replaces whatever the panel showed. */
  | { type: 'evaluate/snapshot'; snapshot: EvaluateSnapshot }
  /** One candidate changed (a fold ended, its status changed) or joined the session. */
  | { type: 'evaluate/candidate'; candidate: EvaluateCandidate; baseline?: { mean: number; std: number } }
  /** The significance test's verdicts arrived. */
  | { type: 'evaluate/verdicts'; verdicts: SignificanceVerdicts };
