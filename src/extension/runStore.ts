/** The one place the host opens a project's run store (src/core/runs/store.ts). */
import { RunStore } from '../core/runs/store';

/** The run store of a project folder. */
export function openRunStore(projectDir: string): RunStore {
  return new RunStore(projectDir);
}

export type { RunStore };
