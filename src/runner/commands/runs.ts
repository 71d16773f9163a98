/** `topdown runs [dir]`: the run history from the index (one file read, however many runs). */
import { findProjectFile } from '../../core/project';
import { RunStore } from '../../core/runs/store';
import { TopdownError } from '../../core/errors';
import type { RunIndexEntry, StepName } from '../../protocol/records';
import { dirname } from 'node:path';

const STEPS: StepName[] = ['define', 'prepare', 'evaluate', 'improve', 'present'];

/** What `topdown runs --json` prints. */
export interface RunsResult {
  projectDir: string;
  runs: RunIndexEntry[];
}

/** Lists the runs of the project at or above `dir`, newest first. */
export function listRuns(dir: string, step?: string): RunsResult {
  if (step !== undefined && !STEPS.includes(step as StepName)) {
    throw new TopdownError('USAGE', `Unknown step "${step}".`, { hint: `Use one of: ${STEPS.join(', ')}.` });
  }
  const file = findProjectFile(dir);
  if (!file) {
    throw new TopdownError('PROJECT_NOT_FOUND', `No topdown.json in ${dir} or its parents.`, {
      file: dir,
      hint: 'Create a project with `topdown new sonar <dir>`.',
    });
  }
  const projectDir = dirname(file);
  const runs = new RunStore(projectDir).list(step ? { step: step as StepName } : undefined);
  return { projectDir, runs };
}
