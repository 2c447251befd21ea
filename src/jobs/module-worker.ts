/**
 * How a job module runs its queue: one Worker on its own blocking connection, failures logged, and a
 * payload check before the processor. Producing (adding jobs) is src/actions/queues.ts.
 */
import { UnrecoverableError, Worker, type Job, type Processor } from 'bullmq';
import { z } from 'zod';
import type { Redis } from 'ioredis';
import { openRedis, queuePrefix } from '../store/connections.js';
import type { JobDeps, JobModule } from './job-module.js';

/** A connection for one module's Worker (BullMQ blocks on it, so it must never give up a command). */
export function workerConnection(services: Pick<JobDeps, 'redisTarget' | 'log'>, module: string): Redis {
  return openRedis(services.redisTarget, 'worker', services.log.child({ module }));
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
  services: Pick<JobDeps, 'redisTarget' | 'log'>,
  queueName: string,
  processor: Processor<D, R>,
  opts: ModuleWorkerOptions = {},
): Promise<{ worker: Worker<D, R>; close(): Promise<void> }> {
  const connection = workerConnection(services, queueName);
  const log = services.log.child({ module: queueName });
  const worker = new Worker<D, R>(queueName, processor, {
    connection,
    prefix: queuePrefix(services.redisTarget),
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

/**
 * The usual job module: one queue, one payload schema, one processor, nothing else started with it.
 * (The alerts module, which also runs a sweep and failure hooks, builds its own.)
 */
export function singleQueueModule<S extends z.ZodType, R>(
  queueName: string,
  schema: S,
  what: string,
  process: (services: JobDeps, data: z.infer<S>) => Promise<R>,
  opts: ModuleWorkerOptions = {},
): JobModule {
  return {
    name: queueName,
    async start(services) {
      return startModuleWorker(services, queueName, validated(schema, what, (data) => process(services, data)), opts);
    },
  };
}
