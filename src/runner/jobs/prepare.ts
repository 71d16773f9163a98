/**
 * Step 2, Prepare Data: fit the preparation pipeline on fold 1's training part and show what it does —
 * shapes and per-feature statistics before and after — stored as `preview.json` with the run.
 */
import { join, relative } from 'node:path';
import type { PrepareOp, ProjectConfig } from '../../core/config';
import { loadProject } from '../../core/project';
import { loadProjectData, projectFolds } from '../../core/steps/data';
import { foldHash } from '../../core/folds';
import {
  previewCandidatePipelines,
  previewPreparation,
  type PreparePreview,
} from '../../core/prepare/pipeline';
import { RunStore } from '../../core/runs/store';
import type { RunRecord } from '../../protocol/records';
import { begin, finishRecord, newSessionId, publish, QUICK, startRecord, type JobOptions } from './common';
import { writeFileAtomic } from '../../core/runs/files';

/** What `topdown prepare --json` prints. */
export interface PrepareResult {
  step: 'prepare';
  runId: string;
  status: RunRecord['status'];
  fold: number;
  preview: PreparePreview;
  file: string;
}

/** The candidates' own pipelines by candidate name, for the run record (absent when none has one). */
function candidatePrepares(config: ProjectConfig): { candidatePrepare?: Record<string, PrepareOp[]> } {
  const own = config.evaluate.candidates.filter((candidate) => candidate.prepare !== undefined);
  if (own.length === 0) return {};
  return {
    candidatePrepare: Object.fromEntries(own.map((candidate) => [candidate.name, candidate.prepare!])),
  };
}

/** Runs step 2 for the project in `projectDir`. */
export async function prepareJob(projectDir: string, options: JobOptions): Promise<PrepareResult> {
  const project = await loadProject(projectDir);
  const store = new RunStore(project.dir);
  const record = startRecord(project, store, 'prepare', newSessionId());
  record.config = { prepare: project.config.prepare ?? [], ...candidatePrepares(project.config) };
  begin(store, record, options.reporter);
  try {
    const data = await loadProjectData(project);
    record.dataHash = data.dataHash;
    const folds = projectFolds(project, data, { maxFolds: options.quick ? QUICK.folds : undefined });
    record.foldHash = foldHash(folds);
    const preview = previewPreparation(
      data.table,
      project.config.problem,
      project.config.prepare ?? [],
      folds[0],
    );
    const own = previewCandidatePipelines(
      data.table,
      project.config.problem,
      project.config.evaluate.candidates,
      folds[0],
    );
    if (own.length > 0) preview.candidatePipelines = own;
    const file = join(store.runDir(record.id), 'preview.json');
    writeFileAtomic(file, `${JSON.stringify(preview, null, 2)}\n`);
    // Project-relative, so a project folder can move (panels read it relative to the project).
    record.outputs = { preview: relative(project.dir, file) };
    finishRecord(record, 'completed');
    publish(store, record, options.reporter);
    return { step: 'prepare', runId: record.id, status: record.status, fold: folds[0].index, preview, file };
  } catch (error) {
    finishRecord(record, 'failed', error);
    publish(store, record, options.reporter);
    throw error;
  }
}
