/**
 * Content-addressed files for the queue: each file is stored once under the SHA-256 of its bytes, in Redis up
 * to `inlineLimit` bytes and in a shared folder (a mount every machine sees, which the user names) above that.
 * Every read verifies the hash, so a worker trains on exactly the bytes the orchestrator hashed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { TopdownError } from '../../core/errors';
import { writeFileAtomic } from '../../core/runs/files';
import { queueKeys, type ManifestFile, type ReturnedFile } from '../../protocol/queue';
import type { RedisClient } from './connection';

/** Files up to this size travel in Redis (above it, through the shared folder): 32 MiB. */
export const DEFAULT_INLINE_LIMIT = 32 * 1024 * 1024;

/** How long a stored file stays in Redis after its last put: one day. */
const BLOB_TTL_SECONDS = 24 * 60 * 60;

/** SHA-256 of bytes as lowercase hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Options of a content store. */
export interface ContentStoreOptions {
  /** The shared folder for large files, as this machine sees it. */
  sharedDir?: string;
  /** Largest file kept in Redis. */
  inlineLimit?: number;
}

/** Where a file's content lives, as a manifest entry says it. */
export type ContentRef = Pick<ManifestFile, 'sha256' | 'size' | 'store'>;

/** Puts and gets files by content over one Redis client (and the shared folder). */
export class ContentStore {
  private readonly inlineLimit: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: ContentStoreOptions = {},
  ) {
    this.inlineLimit = options.inlineLimit ?? DEFAULT_INLINE_LIMIT;
  }

  /** Stores the bytes once (a second put of the same content only refreshes its lifetime). */
  async put(bytes: Uint8Array, name: string): Promise<ContentRef> {
    const hash = sha256(bytes);
    if (bytes.length <= this.inlineLimit) {
      const key = queueKeys.blob(hash);
      const added = await this.redis.set(key, Buffer.from(bytes), 'EX', BLOB_TTL_SECONDS, 'NX');
      if (added === null) await this.redis.expire(key, BLOB_TTL_SECONDS);
      return { sha256: hash, size: bytes.length, store: 'redis' };
    }
    const dir = this.options.sharedDir;
    if (!dir) {
      throw new TopdownError(
        'QUEUE_CONTENT',
        `${name} is ${megabytes(bytes.length)}, more than the ${megabytes(this.inlineLimit)} that travel through Redis.`,
        {
          file: name,
          hint: 'Name a folder every machine mounts with --queue-data <dir> (the same on the workers).',
        },
      );
    }
    mkdirSync(dir, { recursive: true });
    const file = join(dir, hash);
    if (!existsSync(file)) writeFileAtomic(file, bytes);
    return { sha256: hash, size: bytes.length, store: 'shared' };
  }

  /** The bytes of a stored file, verified against their hash; QUEUE_CONTENT when missing or different. */
  async get(ref: ContentRef, name: string): Promise<Buffer> {
    const bytes =
      ref.store === 'redis'
        ? await this.redis.getBuffer(queueKeys.blob(ref.sha256))
        : await this.readShared(ref, name);
    if (!bytes) {
      throw new TopdownError('QUEUE_CONTENT', `${name} (${ref.sha256.slice(0, 12)}) is no longer in Redis.`, {
        file: name,
        hint: 'Stored files expire a day after their job put them; run the job again.',
      });
    }
    const actual = sha256(bytes);
    if (actual !== ref.sha256 || bytes.length !== ref.size) {
      throw new TopdownError(
        'QUEUE_CONTENT',
        `${name} does not match its hash: expected ${ref.sha256.slice(0, 12)}, got ${actual.slice(0, 12)}.`,
        { file: name, hint: 'The shared copy changed or is corrupt; run the job again to store it anew.' },
      );
    }
    return bytes;
  }

  private async readShared(ref: ContentRef, name: string): Promise<Buffer> {
    const dir = this.options.sharedDir;
    if (!dir) {
      throw new TopdownError(
        'QUEUE_CONTENT',
        `${name} travels through a shared folder, and this worker has none.`,
        {
          file: name,
          hint: 'Start the worker with --queue-data <dir>, the folder where the orchestrator`s --queue-data is mounted.',
        },
      );
    }
    try {
      return await readFile(join(dir, ref.sha256));
    } catch (error) {
      throw new TopdownError(
        'QUEUE_CONTENT',
        `${name} is not in the shared folder ${dir} (${(error as Error).message}).`,
        {
          file: name,
          hint: 'Check that --queue-data names the same mount on the orchestrator and on every worker.',
        },
      );
    }
  }
}

/** A path from a manifest or a worker's answer, made safe: relative, no `..`, no drive or backslash tricks. */
export function safePath(path: string): string {
  const parts = path.split('/');
  if (
    path === '' ||
    path.includes('\\') ||
    path.includes('\0') ||
    isAbsolute(path) ||
    /^[a-zA-Z]:/.test(path) ||
    parts.some((part) => part === '' || part === '.' || part === '..')
  ) {
    throw new TopdownError('QUEUE_CONTENT', `The task names an unsafe file path: ${JSON.stringify(path)}.`, {
      hint: 'Only an orchestrator of the same Topdown version may add tasks to this queue.',
    });
  }
  return path;
}

/** Writes files a worker returned (a final fit's model and pipeline) into `dir`, each verified and whole. */
export async function writeReturnedFiles(
  store: ContentStore,
  files: readonly ReturnedFile[],
  dir: string,
): Promise<void> {
  for (const file of files) {
    const target = join(dir, ...safePath(file.name).split('/'));
    const bytes = await store.get(file, file.name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileAtomic(target, bytes);
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
