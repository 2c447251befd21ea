/**
 * Producer-side BullMQ queues shared by the actions and job modules of one process (alerts, escalation,
 * clocks), on the process's own Redis connection: adding or removing a job opens no new connection.
 * Workers are not here: each job module opens its own blocking connection when it starts
 * (src/jobs/module-worker.ts).
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

const cache = new WeakMap<Redis, Map<string, Queue>>();

/** The queue `name` on the services' Redis connection, created once per connection. */
export function queueFor(services: { redis: Redis }, name: string): Queue {
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
export async function closeQueues(services: { redis: Redis }): Promise<void> {
  const queues = cache.get(services.redis);
  if (!queues) return;
  cache.delete(services.redis);
  await Promise.all([...queues.values()].map((q) => q.close().catch(() => undefined)));
}

/** Delay for a job that should run at `runAt` on the services' clock (never negative). */
export function delayUntil(services: { now: () => number }, runAt: number): number {
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
