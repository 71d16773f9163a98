/**
 * What travels through the Redis queue (BullMQ) between a job's orchestrator (`topdown evaluate … --queue`) and
 * the `topdown worker` processes on other machines. Workers never write the run store and never read the
 * orchestrator's project folder: the project travels by content (a manifest of files named by their SHA-256).
 */
import type { ErrorInfo } from './errors';
import type { BackendInfo } from './records';
import type { FinalTask, FinalTaskResult, FoldTask, FoldTaskResult } from './runner';

/** Bumped whenever a shape below changes; a worker refuses a task of another version. */
export const QUEUE_PROTOCOL_VERSION = 2;

/** The BullMQ queue every orchestrator adds to and every worker takes from. */
export const QUEUE_NAME = 'topdown-tasks';

/** The prefix of every Redis key Topdown writes (BullMQ's own keys included). */
export const QUEUE_PREFIX = 'topdown';

/** One file of a project as it travels: its path relative to the project folder and its content's hash. */
export interface ManifestFile {
  /** Relative path with `/` separators, inside the project folder. */
  path: string;
  /** SHA-256 (hex) of the bytes. */
  sha256: string;
  size: number;
  /** Where the content is: in Redis (up to the inline limit) or in the shared folder. */
  store: 'redis' | 'shared';
}

/** The files a worker needs to rebuild a project: topdown.json, the data, custom model modules. */
export interface ProjectManifest {
  files: ManifestFile[];
  /** The shared folder that holds contents too large for Redis, as the orchestrator names it. */
  sharedDir?: string;
}

/** The data of one BullMQ job: one fold task or one final fit of one orchestrator job. */
export interface QueueTaskData {
  protocolVersion: number;
  /** The orchestrator job (unique per session): its heartbeat and cancel keys are named after it. */
  jobId: string;
  kind: 'fold' | 'final';
  /** The task as the local pool would run it; `projectDir` (and `outputDir`) are the worker's own. */
  task: FoldTask | FinalTask;
  manifest: ProjectManifest;
}

/** A file a final fit wrote, sent back by content. */
export interface ReturnedFile {
  /** Relative to the task's output folder. */
  name: string;
  sha256: string;
  size: number;
  store: 'redis' | 'shared';
}

/** What a worker answers for one BullMQ job (its return value). */
export type QueueTaskAnswer =
  /** A fold finished. */
  | { kind: 'done'; result: FoldTaskResult; backend?: BackendInfo; worker: string; attempt: number }
  /** A final fit finished; its files are in the content store. */
  | {
      kind: 'final';
      result: FinalTaskResult;
      files: ReturnedFile[];
      backend?: BackendInfo;
      worker: string;
      attempt: number;
    }
  /** The task failed with a person-readable error (not retried: it would fail again). */
  | { kind: 'failed'; error: ErrorInfo; worker: string }
  /** The task stopped at a batch boundary because its job was cancelled. */
  | { kind: 'cancelled'; worker: string }
  /** The job's orchestrator is gone (its heartbeat expired): the task was not trained. */
  | { kind: 'dropped'; worker: string };

/** A worker's progress report for a running task (BullMQ job progress). */
export interface QueueProgress {
  type: 'epoch';
  foldIndex: number;
  epoch: number;
  logs: Record<string, number>;
  /** Which attempt of the task (1 = first; more after a worker died mid-task). */
  attempt: number;
}

/** Redis key names, one place. */
export const queueKeys = {
  /** Exists while the orchestrator of `jobId` is alive (short TTL, refreshed). */
  alive: (jobId: string): string => `${QUEUE_PREFIX}:job:${jobId}:alive`,
  /** Set of cancelled task ids of `jobId`; `*` cancels all. */
  cancel: (jobId: string): string => `${QUEUE_PREFIX}:job:${jobId}:cancel`,
  /** A content-addressed file. */
  blob: (sha256: string): string => `${QUEUE_PREFIX}:blob:${sha256}`,
};
