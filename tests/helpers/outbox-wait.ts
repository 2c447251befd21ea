/** Waiting on the outbox's own work: a dead letter recorded, every queue drained (its hooks included). */
import { Queue } from 'bullmq';
import { outboxQueueName } from '../../src/actions/outbox/contract.js';
import type { DeadLetter } from '../../src/actions/outbox/dead-letters.js';
import type { Channel } from '../../src/messaging/message.js';
import type { TestService } from './service.js';
import { until } from './wait.js';

/** Waits until the outbox's dead letter for `key` is recorded and returns it. */
export async function deadLetterFor(svc: TestService, communeId: string, key: string): Promise<DeadLetter> {
  let found: DeadLetter | undefined;
  await until(async () => {
    found = (await svc.runtime.services.outbox.listDeadLetters(communeId, 1000)).find((d) => d.key === key);
    return found !== undefined;
  }, 15_000, `dead letter ${key}`);
  return found as DeadLetter;
}

/** Until nothing is waiting, running or delayed on these outbox queues (so every hook has finished). */
export async function outboxIdle(svc: TestService, channels: readonly Channel[]): Promise<void> {
  const queues = channels.map((c) => new Queue(outboxQueueName(c), { connection: svc.redis.client }));
  try {
    await until(async () => {
      for (const q of queues) {
        const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (Object.values(c).some((n) => n > 0)) return false;
      }
      return true;
    }, 15_000, 'the outbox to be idle');
  } finally {
    await Promise.all(queues.map((q) => q.close()));
  }
}
