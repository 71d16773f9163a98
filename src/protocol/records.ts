/**
 * Records on disk: `runs/<run-id>/run.json` and the lines of `runs/<run-id>/events.jsonl`. Read them through
 * `migrate()` in src/core/runs/migrate.ts; every record carries `schemaVersion`.
 */
import type { ErrorInfo } from './errors';

/** Current version of run.json. Bump it and extend migrate() when the shape changes. */
export const RUN_SCHEMA_VERSION = 1;

/** The five steps of a project. */
export type StepName = 'define' | 'prepare' | 'evaluate' | 'improve' | 'present';

/** Lifecycle of a run. `interrupted`: its process died without finishing (shown on the next read). */
export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

/** Backends a run can use. `auto` is resolved to one of the others before a run starts. */
export type BackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

/** Which backend ran, and why faster ones were not used. */
export interface BackendInfo {
  name: BackendName | 'none';
  /** e.g. "tensorflow: @tensorflow/tfjs-node is not installed (run `topdown install native`)". */
  reasons: string[];
  tfjsVersion?: string;
  /** webgpu: the GPU adapter the driver offered, e.g. "NVIDIA H100 80GB HBM3" or "llvmpipe (LLVM 19.1.7, 256 bits)". */
  device?: string;
  /** `auto` after measuring: a few training batches of the job's models on each available backend, fastest first. */
  probe?: BackendProbe[];
}

/** One backend's speed on a job's model, measured by `auto` before choosing (src/runner/backend-probe.ts). */
export interface BackendProbe {
  backend: BackendName;
  /** Training samples per second of one worker on the measured batches. */
  samplesPerSecond: number;
  /** Wall time the measurement took, start-up included (what probing cost). */
  ms: number;
  /** The candidate whose model was measured. */
  candidate?: string;
}

/** Mean and spread of fold scores. */
export interface ScoreSummary {
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** One fold's outcome. */
export interface FoldRecord {
  index: number;
  /** The project metric on this fold's validation part. */
  score: number;
  /** Every metric computed for the task (accuracy, logLoss, f1, ...; rmse, mae, r2, ...). */
  metrics: Record<string, number>;
  /** Classification: confusion matrix [true][predicted]. */
  confusion?: number[][];
  trainSize: number;
  validationSize: number;
  epochs: number;
  durationMs: number;
  /** Learning-curve summary: last epoch's logs. */
  lastLogs?: Record<string, number>;
  /** Queue only, when more than 1: times the fold was started (its worker died mid-fold and another took it). */
  attempts?: number;
}

/** The final model scored once on the samples `problem.holdout` reserved (step 5). */
export interface HoldoutResult {
  /** The project metric on the holdout. */
  score: number;
  /** Every metric computed for the task. */
  metrics: Record<string, number>;
  /** Holdout samples. */
  size: number;
  /** Classification: confusion matrix [true][predicted]. */
  confusion?: number[][];
  /**
   * The task's baseline (majority class, mean, persistence) fitted on the same training rows and scored on the
   * same holdout: the number the final model's holdout score is to beat. Absent in runs before it was recorded.
   */
  baseline?: { score: number; metrics: Record<string, number> };
}

/** `runs/<run-id>/run.json`. */
export interface RunRecord {
  schemaVersion: number;
  /** Sortable: `<yyyymmdd-hhmmss>-<step>-<candidate>-<4 random hex>`. */
  id: string;
  step: StepName;
  /** Candidate name (steps 3–5), absent for define/prepare. */
  candidate?: string;
  /** Model kind of the candidate (`mlp`, `knn`, ...). */
  model?: string;
  /** Groups the runs started by one command (one `topdown evaluate`). */
  session: string;
  /** A person's name for the run (Runs view: rename). */
  label?: string;
  /** A person's note (Runs view: add a note). */
  note?: string;
  status: RunStatus;
  /** Process that owns a running run (to detect `interrupted`). */
  pid?: number;
  /** When that process started (Linux: boot id and start ticks), so a reused pid is not taken for the owner. */
  pidStart?: string;
  createdAt: string;
  endedAt?: string;
  /**
   * The run's own compute time: the sum of its folds' training and scoring time (a run without folds: its wall
   * time). Time spent waiting for a free worker is not in it.
   */
  durationMs?: number;
  /** From createdAt to endedAt, the wait for a free worker included. */
  wallMs?: number;
  /** The candidate's config with defaults resolved, as plain JSON. */
  config: Record<string, unknown>;
  seed: number;
  metric: string;
  /** SHA-256 of the data file. */
  dataHash: string;
  /** SHA-256 of the fold assignment (same for every candidate of a project). */
  foldHash?: string;
  /** SHA-256 of topdown.json when the run started (to show a step as stale). */
  projectHash?: string;
  backend: BackendInfo;
  folds: FoldRecord[];
  summary?: ScoreSummary;
  /** The number to beat, as computed by the baseline under the same folds. */
  baseline?: { mean: number; std: number };
  error?: ErrorInfo;
  /** Step-specific output (define: profile path; prepare: preview path; ...). */
  outputs?: Record<string, string>;
  /** Present runs: the final model's one evaluation on the holdout (absent when the project has none). */
  holdout?: HoldoutResult;
  /** Present runs: folder of the model bundle, project-relative (`models/<name>`). */
  bundle?: string;
  /** Learning-curve advice from the mean train/validation curves across folds (neural models). */
  advice?: RunAdvice;
  /** Step 4: the significance test against the best candidate and the baseline over the shared folds. */
  verdict?: RunVerdict;
  /** Step 4: the tuned parameters of a trial (names as in topdown.json). */
  params?: Record<string, unknown>;
  /** Step 4: on the best trial of a tuned candidate, whether tuning beat the untuned configuration. */
  tuning?: TuningRecord;
  /** Step 4: runs repeated with other seeds to show run-to-run noise (summary of means across seeds). */
  repeats?: { seeds: number; means: number[]; mean: number; std: number; message: string };
  topdownVersion: string;
}

/** One line of the run index `runs/index.jsonl`: enough to list runs without reading run.json. */
export interface RunIndexEntry {
  id: string;
  step: StepName;
  candidate?: string;
  model?: string;
  session: string;
  label?: string;
  status: RunStatus;
  pid?: number;
  pidStart?: string;
  createdAt: string;
  durationMs?: number;
  metric: string;
  summary?: ScoreSummary;
  backend: BackendName | 'none';
  /** True on a line that records a deletion. */
  deleted?: boolean;
  /**
   * True on a line that names a run folder whose run.json cannot be read (written when the index is rebuilt),
   * so that the folder counts as known; such runs are not listed.
   */
  unreadable?: boolean;
}

/** One line of `runs/<run-id>/events.jsonl`. */
export type RunEvent =
  | { type: 'fold/start'; time: string; fold: number; trainSize: number; validationSize: number }
  | { type: 'epoch'; time: string; fold: number; epoch: number; logs: Record<string, number> }
  | { type: 'fold/end'; time: string; fold: number; score: number; metrics: Record<string, number> }
  | { type: 'log'; time: string; level: 'info' | 'warn' | 'error'; message: string };

/** The learning-curve advisor's diagnosis of a run. */
export interface RunAdvice {
  diagnosis:
    'underfitting' | 'overfitting' | 'diverging' | 'still-improving' | 'plateau' | 'good-fit' | 'too-short';
  /** What the curves show, with numbers. */
  message: string;
  /** The next experiment to try. */
  nextStep: string;
  evidence: Record<string, number>;
}

/** The advice as panels show it: the diagnosis, what the curves show, and the next experiment. */
export type AdviceSummary = Pick<RunAdvice, 'diagnosis' | 'message' | 'nextStep'>;

/** A candidate's standing after the corrected resampled t-test (step 4). */
export interface RunVerdict {
  rank: 'best' | 'indistinguishable from the best' | 'worse than the best';
  baseline: 'better than baseline' | 'not better than baseline' | 'worse than baseline';
  /** Two-sided p-value against the best candidate (null for the best itself). */
  pBest: number | null;
  /** Two-sided p-value against the baseline. */
  pBaseline: number | null;
  /** One sentence with the numbers. */
  explanation: string;
  /** An ensemble's run: the ensemble against the best single model of the same comparison. */
  versusBestSingle?: EnsembleComparison;
}

/** Where an ensemble stands against the best single model. */
export type EnsembleVerdict =
  | 'better than the best single model'
  | 'not better than the best single model'
  | 'worse than the best single model';

/** An ensemble against the best single model, as step 4 records it on the ensemble's run. */
export interface EnsembleComparison {
  /** The best single model's candidate name. */
  name: string;
  /** Its mean and sample standard deviation over the folds. */
  mean: number;
  std: number;
  /** Ensemble mean minus the single model's mean, in metric units (negative is better for losses). */
  meanDifference: number;
  /** Two-sided p-value of the corrected t-test; null when it could not run (fewer than 2 folds, failed folds). */
  pValue: number | null;
  verdict: EnsembleVerdict;
  /** One sentence with the numbers, e.g. "ensemble-average (0.861 ± 0.040) is not better than the best single model, mlp-large (0.849 ± 0.052) (p = 0.412, corrected t-test over 10 folds): the single model is as good and simpler." */
  explanation: string;
}

/** Whether the best trial of a tuned candidate beat its untuned configuration (step 4). */
export interface TuningRecord {
  /** The untuned candidate's name. */
  of: string;
  keep: 'tuned' | 'untuned';
  chosen: string;
  untunedRunId: string;
  pValue: number | null;
  message: string;
  method: 'grid' | 'random' | 'halving';
  trials: number;
}
