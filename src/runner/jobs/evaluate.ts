/**
 * Step 3, Evaluate Algorithms: spot-check every candidate with the same folds, in parallel worker processes,
 * and compare against the baseline.
 */
import { get as levenshtein } from 'fast-levenshtein';
import { resolveMetric } from '../../core/config';
import { TopdownError } from '../../core/errors';
import { higherIsBetter, summarize } from '../../core/metrics';
import { loadProject } from '../../core/project';
import { RunStore } from '../../core/runs/store';
import type { RunRecord } from '../../protocol/records';
import { baselineFolds } from './baseline';
import { runCandidates } from './candidates';
import { loadDataAndFolds, newSessionId, round, type JobOptions } from './common';

/** One candidate in `topdown evaluate --json`. */
export interface CandidateSummary {
  name: string;
  model: string;
  runId: string;
  status: RunRecord['status'];
  mean: number | null;
  std: number | null;
  folds: number[];
  /** The candidate's own compute time (its folds' time added up). */
  durationMs: number | null;
  /** From the candidate's start to its end, the wait for a free worker included. */
  wallMs: number | null;
  backend: string;
  error?: RunRecord['error'];
  /** Networks: the learning-curve advisor's diagnosis, what the curves show and the next experiment. */
  advice?: { diagnosis: string; message: string; nextStep: string };
}

/** A run as one candidate of the `--json` output (scores rounded for display). */
export function candidateSummary(record: RunRecord, name: string, model: string): CandidateSummary {
  const summary: CandidateSummary = {
    name,
    model,
    runId: record.id,
    status: record.status,
    mean: record.summary ? round(record.summary.mean) : null,
    std: record.summary ? round(record.summary.std) : null,
    folds: record.folds.map((fold) => round(fold.score)),
    durationMs: record.durationMs ?? null,
    wallMs: record.wallMs ?? null,
    backend: record.backend.name,
  };
  if (record.error) summary.error = record.error;
  if (record.advice) {
    const { diagnosis, message, nextStep } = record.advice;
    summary.advice = { diagnosis, message, nextStep };
  }
  return summary;
}

/** What `topdown evaluate --json` prints: `{ step, metric, baseline, candidates }` plus context. */
export interface EvaluateResult {
  step: 'evaluate';
  metric: string;
  higherIsBetter: boolean;
  baseline: { mean: number; std: number };
  candidates: CandidateSummary[];
  session: string;
  foldHash: string;
  folds: number;
  backend: string;
  quick: boolean;
}

/** Runs step 3 for the project in `projectDir`. */
export async function evaluateJob(projectDir: string, options: JobOptions): Promise<EvaluateResult> {
  const project = await loadProject(projectDir);
  const store = new RunStore(project.dir, { write: options.write });
  const session = newSessionId();
  const all = project.config.evaluate.candidates;
  const candidates = options.candidates
    ? all.filter((candidate) => options.candidates!.includes(candidate.name))
    : all;
  for (const name of options.candidates ?? []) {
    if (!all.some((candidate) => candidate.name === name)) {
      const closest = [...all].sort((a, b) => levenshtein(a.name, name) - levenshtein(b.name, name))[0];
      throw new TopdownError('USAGE', `There is no candidate named "${name}" in ${project.file}.`, {
        file: project.file,
        field: '/evaluate/candidates',
        hint: closest
          ? `Did you mean "${closest.name}"? Candidates: ${all.map((c) => c.name).join(', ')}.`
          : undefined,
      });
    }
  }

  const { data, folds, hash } = await loadDataAndFolds(project, store, 'evaluate', session, options);
  const metric = resolveMetric(project.config.problem);

  const runs = await runCandidates(
    {
      project,
      data,
      folds,
      foldHash: hash,
      candidates,
      session,
      store,
      step: 'evaluate',
      keepOutOfFold: true,
    },
    options,
  );

  const baselineRun = runs.find(
    (run) => run.candidate.model === 'baseline' && run.record.status === 'completed',
  );
  const baselineScores = baselineRun
    ? baselineRun.record.folds.map((fold) => fold.score)
    : (await baselineFolds(project, data, folds)).map((fold) => fold.score);
  const baselineSummary = summarize(baselineScores);
  const baseline = { mean: baselineSummary.mean, std: baselineSummary.std };
  for (const run of runs) {
    run.record.baseline = baseline;
    store.save(run.record);
  }

  const backendRun = runs.find((run) => run.record.backend.name !== 'none');
  return {
    step: 'evaluate',
    metric,
    higherIsBetter: higherIsBetter(metric),
    baseline: { mean: round(baseline.mean), std: round(baseline.std) },
    candidates: runs.map(({ candidate, record }) =>
      candidateSummary(record, candidate.name, candidate.model),
    ),
    session,
    foldHash: hash,
    folds: folds.length,
    backend: backendRun?.record.backend.name ?? 'none',
    quick: options.quick ?? false,
  };
}
