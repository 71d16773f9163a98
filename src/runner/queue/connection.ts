/**
 * The Redis connection of the queue: the URL a user gives (`redis://[user:password@]host:port[/db]`, or
 * `rediss://` for TLS), its redacted form (the only form that reaches a message, a log or a run record), and
 * clients made with ioredis, the client BullMQ drives. The password may come from TOPDOWN_REDIS_PASSWORD instead
 * of the URL. ioredis is loaded on first use, so the CLI without `--queue` never loads it.
 */
import { createRequire } from 'node:module';
import { TopdownError } from '../../core/errors';

/** A parsed queue URL. */
export interface QueueConnection {
  /** The URL with its password replaced by `***`: safe to print. */
  display: string;
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
}

/** Where a job's tasks go instead of the local pool. */
export interface QueueTarget {
  connection: QueueConnection;
  /** The shared folder for files larger than Redis takes, as this machine mounts it. */
  sharedDir?: string;
}

/** The environment variable that may hold the Redis password (so it is not on a command line). */
export const PASSWORD_VARIABLE = 'TOPDOWN_REDIS_PASSWORD';

/** The URL with any password replaced by `***` (a URL that does not parse is shown as `<invalid URL>`). */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    return url.toString().replace(/\/$/, '');
  } catch {
    return '<invalid URL>';
  }
}

/** Parses `--queue`; a bad URL is a USAGE error that shows the URL redacted. */
export function parseQueueUrl(text: string, env: NodeJS.ProcessEnv = process.env): QueueConnection {
  const display = redactUrl(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usage(`--queue is not a URL: ${display}.`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw usage(`--queue must be a redis:// or rediss:// URL, not ${display}.`);
  if (!url.hostname) throw usage(`--queue names no host: ${display}.`);
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) throw usage(`The database in ${display} must be a number (e.g. /0).`);
  const port = url.port === '' ? 6379 : Number(url.port);
  const connection: QueueConnection = {
    display,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    db,
    tls: url.protocol === 'rediss:',
  };
  if (url.username) connection.username = decodeURIComponent(url.username);
  const password = url.password ? decodeURIComponent(url.password) : env[PASSWORD_VARIABLE];
  if (password) connection.password = password;
  return connection;
}

function usage(message: string): TopdownError {
  return new TopdownError('USAGE', message, {
    hint: `Use redis://host:6379 (add /<db> for another database, rediss:// for TLS); give the password in ${PASSWORD_VARIABLE}.`,
  });
}

/** The options ioredis (and BullMQ) take for this connection. */
export function redisOptions(connection: QueueConnection): Record<string, unknown> {
  const options: Record<string, unknown> = {
    host: connection.host,
    port: connection.port,
    db: connection.db,
    // BullMQ's blocking commands must not be given up after a few retries.
    maxRetriesPerRequest: null,
    connectTimeout: 5000,
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
  if (connection.username) options.username = connection.username;
  if (connection.password) options.password = connection.password;
  if (connection.tls) options.tls = { servername: connection.host };
  return options;
}

/** The few commands of an ioredis client that Topdown sends itself (BullMQ sends the rest). */
export interface RedisClient {
  readonly status: string;
  connect(): Promise<void>;
  ping(): Promise<string>;
  set(key: string, value: string | Buffer, ...args: Array<string | number>): Promise<unknown>;
  getBuffer(key: string): Promise<Buffer | null>;
  exists(...keys: string[]): Promise<number>;
  sadd(key: string, ...members: string[]): Promise<number>;
  smembers(key: string): Promise<string[]>;
  expire(key: string, seconds: number): Promise<number>;
  del(...keys: string[]): Promise<number>;
  quit(): Promise<unknown>;
  disconnect(): void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

type RedisConstructor = new (options: Record<string, unknown>) => RedisClient;

let constructorCache: RedisConstructor | undefined;

/** ioredis, loaded on first use; QUEUE_CLIENT_MISSING when it is not installed. */
export function loadRedisClass(): RedisConstructor {
  if (constructorCache) return constructorCache;
  try {
    // Loaded at run time (it is external to the bundle), beside Topdown or from NODE_PATH.
    const loaded = createRequire(__filename)('ioredis') as { default?: RedisConstructor } & RedisConstructor;
    constructorCache = loaded.default ?? loaded;
    return constructorCache;
  } catch (error) {
    throw new TopdownError(
      'QUEUE_CLIENT_MISSING',
      `The queue needs the ioredis package, which could not be loaded (${(error as Error).message.split('\n')[0]}).`,
      { hint: 'Run `npm install` in the Topdown folder (ioredis is one of its dependencies).' },
    );
  }
}

/** The message of a Redis or socket error, without anything that could hold the password. */
function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0];
}

/** The error a person sees when Redis cannot be reached at the URL. */
export function unreachable(connection: QueueConnection, error: unknown): TopdownError {
  return new TopdownError(
    'QUEUE_UNREACHABLE',
    `Cannot reach Redis at ${connection.display}: ${reasonOf(error)}.`,
    {
      hint: 'Start Redis there (redis-server), check the host, port and password, or leave out --queue to train on this machine.',
    },
  );
}

/**
 * A connected client. Fails fast (one try, QUEUE_UNREACHABLE naming the URL) when Redis cannot be reached now;
 * once connected, the client reconnects by itself after a loss.
 */
export async function connectRedis(connection: QueueConnection): Promise<RedisClient> {
  const Redis = loadRedisClass();
  const probe = new Redis({ ...redisOptions(connection), lazyConnect: true, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    probe.disconnect();
    throw unreachable(connection, error);
  }
  probe.disconnect();
  const client = new Redis(redisOptions(connection));
  // ioredis reports each failed reconnect as an 'error' event; the owner watches the status instead.
  client.on('error', () => undefined);
  return client;
}
