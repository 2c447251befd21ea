/**
 * Producer-side BullMQ queues shared by the actions and job modules of one process (alerts, escalation,
 * clocks), on the process's queue connection (apart from the stores'): adding or removing a job opens no new one.
 * Workers are not here: each job module opens its own blocking connection when it starts
 * (src/jobs/module-worker.ts).
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { QueueConnection } from '../store/connections.js';

const cache = new WeakMap<Redis, Map<string, Queue>>();

/** The queue `name` on the services' queue connection (not the stores' one), created once per connection. */
export function queueFor(services: { queues: QueueConnection; log: Logger }, name: string): Queue {
  const { redis, prefix } = services.queues;
  let queues = cache.get(redis);
  if (!queues) {
    queues = new Map();
    cache.set(redis, queues);
  }
  let q = queues.get(name);
  if (!q) {
    q = new Queue(name, { connection: redis, prefix });
    // Without a listener BullMQ prints raw stacks while Redis is down.
    q.on('error', (err) => services.log.error({ queue: name, err: err.message }, 'queue error'));
    queues.set(name, q);
  }
  return q;
}

/** Closes the queues made for this connection (before the connection itself is closed). */
export async function closeQueues(services: { queues: QueueConnection }): Promise<void> {
  const queues = cache.get(services.queues.redis);
  if (!queues) return;
  cache.delete(services.queues.redis);
  await Promise.all([...queues.values()].map((q) => closeQueue(q).catch(() => undefined)));
}

/**
 * Closes a queue that shares its connection. Its start-up check (INFO) may still be on the way: closed
 * first, the connection's quit fails that check after BullMQ removed the queue's error listeners, and
 * the failure surfaces as an unhandled "Connection is closed". Waiting for it first avoids that.
 */
export async function closeQueue(queue: Queue): Promise<void> {
  await queue.waitUntilReady().catch(() => undefined);
  await queue.close();
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
