/**
 * Producer-side BullMQ queues shared by handlers and job modules of one process (alerts, escalation,
 * clocks), on the process's own Redis connection: adding or removing a job opens no new connection.
 * Workers are not here: each job module opens its own blocking connection when it starts.
 */
import { Queue, UnrecoverableError, Worker, type Job, type Processor } from 'bullmq';
import { z } from 'zod';
import { Redis } from 'ioredis';
import type { Services } from '../handlers/context.js';

const cache = new WeakMap<Services['redis'], Map<string, Queue>>();

/** The queue `name` on the services' Redis connection, created once per connection. */
export function queueFor(services: Pick<Services, 'redis'>, name: string): Queue {
  let queues = cache.get(services.redis);
  if (!queues) {
    queues = new Map();
    cache.set(services.redis, queues);
  }
  let q = queues.get(name);
  if (!q) {
    q = new Queue(name, { connection: services.redis });
    queues.set(name, q);
  }
  return q;
}

/** Closes the queues made for this connection (before the connection itself is closed). */
export async function closeQueues(services: Pick<Services, 'redis'>): Promise<void> {
  const queues = cache.get(services.redis);
  if (!queues) return;
  cache.delete(services.redis);
  await Promise.all([...queues.values()].map((q) => q.close().catch(() => undefined)));
}

/** A connection for one module's Worker (BullMQ blocks on it, so it must never give up a command). */
export function workerConnection(services: Pick<Services, 'redisUrl' | 'log'>, module: string): Redis {
  const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', (err) => services.log.error({ module, err: err.message }, 'worker redis error'));
  return redis;
}

/** Delay for a job that should run at `runAt` on the services' clock (never negative). */
export function delayUntil(services: Pick<Services, 'now'>, runAt: number): number {
  return Math.max(0, Math.round(runAt - services.now()));
}

/**
 * Removes a job that has not started. A job that is running (locked) cannot be removed: processors
 * re-check the case state first, which is the real guarantee. Returns true when a job was removed.
 */
export async function removeJob(queue: Queue, jobId: string): Promise<boolean> {
  try {
    return (await queue.remove(jobId)) === 1;
  } catch {
    return false;
  }
}

/** BullMQ worker timing for a job module; tests shorten these to see a stalled job quickly. */
export interface ModuleWorkerOptions {
  /** Jobs this process works on at once (default 8). */
  concurrency?: number;
  /** How long a job's lock lasts before another worker may take the job over (default 30 s). */
  lockDurationMs?: number;
  /** How often stalled jobs (their worker died) are looked for (default 30 s). */
  stalledIntervalMs?: number;
}

/**
 * Starts one module's Worker on its own connection, logging failures. A job whose worker died is taken
 * over by another (lock expiry + stalled check) up to twice before it fails.
 */
export async function startModuleWorker<D, R>(
  services: Pick<Services, 'redisUrl' | 'log'>,
  queueName: string,
  processor: Processor<D, R>,
  opts: ModuleWorkerOptions = {},
): Promise<{ worker: Worker<D, R>; close(): Promise<void> }> {
  const connection = workerConnection(services, queueName);
  const log = services.log.child({ module: queueName });
  const worker = new Worker<D, R>(queueName, processor, {
    connection,
    concurrency: opts.concurrency ?? 8,
    lockDuration: opts.lockDurationMs ?? 30_000,
    stalledInterval: opts.stalledIntervalMs ?? 30_000,
    maxStalledCount: 2,
  });
  worker.on('failed', (job, err) => {
    const final = !job || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    const ctx = { jobId: job?.id, attempt: job?.attemptsMade, err: err.message };
    if (final) log.error(ctx, 'job failed for good');
    else log.warn(ctx, 'job failed, will retry');
  });
  worker.on('error', (err) => log.error({ err: err.message }, 'worker error'));
  worker.on('stalled', (jobId) => log.warn({ jobId }, 'job stalled (its worker stopped), will run again'));
  await worker.waitUntilReady();
  return {
    worker,
    async close() {
      await worker.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}

/**
 * A processor that checks the payload against its schema first: a malformed job is a bug or a stale
 * format, so it fails for good instead of being retried.
 */
export function validated<S extends z.ZodType, R>(schema: S, what: string, run: (data: z.infer<S>, job: Job<z.infer<S>, R>) => Promise<R>): Processor<z.infer<S>, R> {
  return async (job) => {
    const parsed = schema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid ${what} job: ${z.prettifyError(parsed.error)}`);
    return run(parsed.data, job);
  };
}
