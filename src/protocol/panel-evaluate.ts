/** Host → Evaluate panel: fold scores per candidate of one `topdown evaluate` session, against the baseline. */
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
}

/** Host → evaluate panel. */
export type EvaluateMessage =
  /** The full session; replaces whatever the panel showed. */
  | { type: 'evaluate/snapshot'; snapshot: EvaluateSnapshot }
  /** One candidate changed (a fold ended, its status changed) or joined the session. */
  | { type: 'evaluate/candidate'; candidate: EvaluateCandidate; baseline?: { mean: number; std: number } }
  /** The significance test's verdicts arrived. */
  | { type: 'evaluate/verdicts'; verdicts: SignificanceVerdicts };
