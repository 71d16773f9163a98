/** Host → Final results panel: the chosen model on the holdout (step 5). */
import type { ConfusedPairs, TextResults } from './profile';

/** One row of the predictions sample. */
export interface PredictionSample {
  /** 1-based data row in the CSV, as a spreadsheet shows it. */
  row: number;
  /** Time series with a time column: the time of the row forecast ("1957-05"), the row's key. */
  time?: string;
  actual: string | number;
  predicted: string | number;
  /** Classification: probability of the predicted class. */
  probability?: number;
}

/** One forecast time: what happened, what the model forecast, and what persistence forecast. */
export interface ForecastPoint {
  /** The time forecast (the time column's value), or `row N` without a time column. */
  time: string;
  actual: number;
  predicted: number;
  /** The persistence forecast (the last observed value), when the run recorded it. */
  persistence?: number;
}

/** The error of one horizon step over the holdout: the model's and the persistence forecast's. */
export interface HorizonError {
  /** 1 = the next value, 2 = the one after... */
  step: number;
  rmse: number;
  mae: number;
  persistence?: { rmse: number; mae: number };
}

/** A time series' holdout forecast as the Final results panel draws it. */
export interface ForecastView {
  /** The time column's name, the axis title and the residuals' key column. */
  time: string;
  /** Values forecast: 1, or the horizon. */
  horizon: number;
  /** Per forecast time, the one-step-ahead forecast (step 1 of each window), in time order. */
  points: ForecastPoint[];
  /** Horizon > 1: the error per step ahead. */
  steps?: HorizonError[];
}

/** The final model's results. */
export interface FinalResults {
  runId: string;
  candidate: string;
  /** Set when the final model is an ensemble of step 4: how its members combine, and who they are. */
  ensemble?: { method: string; members: string[] };
  /** The project metric. */
  metric: string;
  task: string;
  higherIsBetter: boolean;
  /** Metrics on the holdout, by name. */
  holdout: Record<string, number>;
  /** The cross-validation estimate of the same metrics (mean ± std over folds). */
  crossValidation: Record<string, { mean: number; std: number }>;
  /** Classification: class labels, in the order of the confusion matrix. */
  classes?: string[];
  /** Binary classification: the class that counts as positive (`problem.positiveClass`, else the second class). */
  positiveClass?: string;
  /** Classification: counts [true][predicted] on the holdout. */
  confusion?: number[][];
  /** Image classification: the most confused class pairs on the holdout, with example images. */
  confusedPairs?: ConfusedPairs;
  /** Text classification: the misclassified holdout documents and, for linear models, the words per class. */
  textResults?: TextResults;
  /** Regression and time series: holdout actual vs predicted (`row`: 1-based data row, as in the predictions). */
  residuals?: Array<{ actual: number; predicted: number; row?: number; time?: string }>;
  /** Time series: the holdout forecast over time beside the actual values and the persistence forecast. */
  forecast?: ForecastView;
  /** Regression and time series: the decimals the target's values carry in the data, to show numbers at. */
  decimals?: number;
  /**
   * The task's baseline beside the model: its name (majority class, mean, persistence), its cross-validated score
   * and its score on the same holdout (every metric, by name), when recorded.
   */
  baseline?: {
    name: string;
    crossValidation?: { mean: number; std: number };
    holdout?: Record<string, number>;
  };
  /**
   * Set when the presented model is not reliably better than the baseline (step 4's significance test, or the
   * session's): the plain sentence the panel shows as a warning.
   */
  notReliablyBetter?: string;
  /** A sample of holdout predictions. */
  predictions: PredictionSample[];
  /** Whether the run has a report and a model folder the buttons can open. */
  hasReport: boolean;
  hasModel: boolean;
}

/** Host → final results panel. */
export type FinalMessage =
  /** The whole result; replaces whatever the panel showed. */
  { type: 'final/snapshot'; results: FinalResults };
