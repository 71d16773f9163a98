/**
 * What the report of step 5 says, as plain JSON: gathered from the run store and the project files by the
 * runner (src/runner/report), rendered to REPORT.md and report.html by ./markdown.ts and ./html.ts. A step
 * that has not run leaves its section undefined, and the report says "not run yet".
 */

import type { ConfusedPairs, ImageSamples, TextProfile, TextResults } from '../../protocol/profile';
import type { EnsembleComparison } from '../../protocol/records';

/** The charts and image grids of a report, by name. */
export type ReportChartName = 'fold-scores' | 'learning-curves' | 'class-samples' | 'confused-pairs';

/** The file each chart is written to, beside REPORT.md. */
export const REPORT_CHART_FILES: Record<ReportChartName, string> = {
  'fold-scores': 'fold-scores.png',
  'learning-curves': 'learning-curves.png',
  'class-samples': 'class-samples.png',
  'confused-pairs': 'confused-pairs.png',
};

/**
 * The spot-check candidates the fold-score chart draws: those with fold scores (failed and cancelled ones have
 * none). The document shows the chart only when there is one, and the renderer draws exactly these.
 */
export function scoredCandidates(data: ReportData): ReportCandidate[] {
  return (data.spotCheck?.candidates ?? []).filter((candidate) => candidate.scores.length > 0);
}

/** Where each chart can be found: a relative path (markdown) or a data URI (html). Missing: not rendered. */
export type ReportChartSources = Partial<Record<ReportChartName, string>>;

/** Step 1 as configured in topdown.json, with the sizes the define run measured. */
export interface ReportProblem {
  /** CSV file, relative to the project folder. */
  data: string;
  target: string;
  task: string;
  metric: string;
  higherIsBetter: boolean;
  positiveClass?: string;
  /** Rows and columns of the whole CSV, when known. */
  rows?: number;
  columns?: number;
  /** Fraction of rows reserved for the final evaluation, when the project reserves one. */
  holdoutFraction?: number;
  /** How candidates are validated, in words ("stratified 10-fold"). */
  validation: string;
}

/** Key facts of the data profile (the define run's profile.json). */
export interface ReportProfile {
  runId: string;
  /** Rows profiled (outside the holdout). */
  rows: number;
  columns: number;
  features: number;
  /** Empty or "missing" cells over all columns. */
  missingCells: number;
  /** Column count per type (numeric, categorical, date, identifier). */
  columnTypes: Record<string, number>;
  /** Classification: rows per class. */
  classes?: Array<{ value: string; count: number }>;
  /** Regression and time series: the target's spread. */
  targetDistribution?: { min: number; max: number; mean: number; std: number };
  /** Features most correlated with the target, strongest first. */
  topCorrelations: Array<{ column: string; correlation: number }>;
  /** The profile's warnings, as sentences. */
  warnings: string[];
  /** Image sources: sample images per class, in class order. */
  images?: ImageSamples;
  /** Free-text feature columns: lengths, vocabulary, frequent and class-indicative words. */
  text?: Array<{ column: string; profile: TextProfile }>;
}

/** The number to beat. */
export interface ReportBaseline {
  mean: number;
  std: number;
  /** Fold scores, when a run recorded them. */
  scores?: number[];
  /** Which run measured it. */
  runId?: string;
}

/** One candidate of a spot-check or an ensemble. */
export interface ReportCandidate {
  name: string;
  model: string;
  /** The op names of the candidate's own pipeline (its `prepare`), when it had one instead of the project's. */
  pipeline?: string[];
  runId: string;
  status: string;
  mean?: number;
  std?: number;
  /** Fold scores in fold order. */
  scores: number[];
  /** Mean minus the baseline's mean, in metric units. */
  versusBaseline?: number;
  /** Plain-language verdict ("better than baseline; best"), when it could be tested. */
  verdict?: string;
  /** The verdict's sentence with the numbers behind it. */
  explanation?: string;
  durationMs?: number;
  /** Why the run failed. */
  error?: string;
  /** The learning-curve advisor's diagnosis and next experiment (networks). */
  advice?: ReportAdvice;
  /** An ensemble: step 4's comparison with the best single model (its verdict is the one the table shows). */
  versusBestSingle?: EnsembleComparison;
}

/** What a network's learning curves show and the experiment to try next (the run's `advice`). */
export interface ReportAdvice {
  /** `still-improving`, `overfitting`, `underfitting`, `plateau`, `diverging`, `good-fit`, `too-short`. */
  diagnosis: string;
  /** What the curves show, with numbers. */
  message: string;
  nextStep: string;
}

/** Step 3: every candidate on the same folds. */
export interface ReportSpotCheck {
  session: string;
  /** Folds each candidate was scored on. */
  folds: number;
  /** Candidates in the order they were configured; the baseline model is not listed. */
  candidates: ReportCandidate[];
  /** The best completed candidate by mean, in the metric's direction. */
  best?: string;
}

/** Mean train and validation curves of one neural candidate across its folds. */
export interface ReportLearningCurves {
  candidate: string;
  model: string;
  runId: string;
  /** The log key plotted (`loss`); validation is `val_<key>`. */
  key: string;
  folds: number;
  /** Mean over folds per epoch (index 0 = epoch 1). */
  train: number[];
  validation?: number[];
}

/** One configuration tried while tuning. */
export interface ReportTrial {
  name: string;
  runId: string;
  status: string;
  /** Values of the tuned parameters. */
  params: Record<string, unknown>;
  mean?: number;
  std?: number;
  scores: number[];
}

/** Tuning of one candidate: its trials, the untuned reference and what was kept. */
export interface ReportTunedCandidate {
  candidate: string;
  /** Names of the parameters searched. */
  parameters: string[];
  trials: ReportTrial[];
  untuned?: { mean: number; std: number; runId: string };
  /** Name of the best trial by mean. */
  best?: string;
  decision?: { keep: 'tuned' | 'untuned'; chosen: string; message: string };
}

/** Step 4: tuning results and ensembles. */
export interface ReportTuning {
  session: string;
  /** Search method (`random`, `grid`, `halving`), when configured. */
  method?: string;
  candidates: ReportTunedCandidate[];
  ensembles: ReportCandidate[];
  /** Each ensemble against the best single model, one sentence per ensemble (step 4's words). */
  versusBestSingle?: string[];
  /** Run-to-run noise across seeds, one sentence per repeated configuration. */
  repeats?: string[];
}

/** Step 5: the final model on the holdout beside its cross-validation estimate. */
export interface ReportFinal {
  candidate: string;
  /** Set when the final model is an ensemble of step 4: how its members combine, and who they are. */
  ensemble?: { method: string; members: string[] };
  runId?: string;
  /** Bundle folder, relative to the project (`models/mlp-small`). */
  bundle?: string;
  /** The cross-validation estimate of the project metric. */
  crossValidation?: { mean: number; std: number };
  /** The project metric on the holdout, every metric computed there, and the holdout's size. */
  holdout?: { score: number; size?: number; metrics: Record<string, number> };
  /** Image classification: the most confused class pairs on the holdout, with example images. */
  confusedPairs?: ConfusedPairs;
  /** Text classification: the misclassified holdout documents and, for linear models, the words per class. */
  textResults?: TextResults;
  /** The task's baseline (majority class, mean, persistence) and its project metric on the same holdout. */
  baseline?: { name: string; holdout?: number };
  /** The plain warning when the final model is not reliably better than the baseline. */
  notReliablyBetter?: string;
}

/** What someone needs to get the same numbers again. */
export interface ReportReproduce {
  /** Shell commands, run in the project folder, in order. */
  commands: string[];
  /** Topdown version that recorded the runs. */
  topdownVersion?: string;
  seed?: number;
  /** SHA-256 of the data file. */
  dataHash?: string;
  /** SHA-256 of the fold assignment. */
  foldHash?: string;
  /** Backend that trained the candidates, with its tfjs version. */
  backend?: string;
}

/** Everything the report shows. */
export interface ReportData {
  title: string;
  description?: string;
  /** ISO time the report was written. */
  generatedAt: string;
  /** Topdown version that wrote the report. */
  topdownVersion: string;
  problem: ReportProblem;
  profile?: ReportProfile;
  baseline?: ReportBaseline;
  spotCheck?: ReportSpotCheck;
  learningCurves?: ReportLearningCurves;
  tuning?: ReportTuning;
  final?: ReportFinal;
  reproduce: ReportReproduce;
  /** The dataset credit, as markdown (from the project's README). */
  credit?: string;
  /** Why the charts are not images in this report (e.g. the canvas module could not be loaded). */
  chartsUnavailable?: string;
}
