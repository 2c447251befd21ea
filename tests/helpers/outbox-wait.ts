/**
 * Waiting on the outbox's own work: a dead letter recorded, every queue drained (its hooks included).
 * "Nothing more was sent" is proved by waiting for the outbox to be idle (every job finished: sent,
 * given up or dead-lettered), never by sleeping for a while.
 */
import type { Outbox } from '../../src/actions/outbox/outbox.js';
import type { DeadLetter } from '../../src/actions/outbox/dead-letters.js';
import { CHANNELS, type Channel } from '../../src/messaging/message.js';
import type { TestService } from './service.js';
import { until } from './wait.js';

const outboxOf = (target: TestService | Outbox): Outbox => ('runtime' in target ? target.runtime.services.outbox : target);

/** Waits until the outbox's dead letter for `key` is recorded and returns it. */
export async function deadLetterFor(target: TestService | Outbox, communeId: string, key: string): Promise<DeadLetter> {
  let found: DeadLetter | undefined;
  await until(async () => {
    found = (await outboxOf(target).listDeadLetters(communeId, 1000)).find((d) => d.key === key);
    return found !== undefined;
  }, 15_000, `dead letter ${key}`);
  return found as DeadLetter;
}

/**
 * Until nothing is waiting, running or delayed on these outbox queues: every job has finished and every
 * hook has run. A retry waits as a delayed job, so a message still being retried keeps the outbox busy.
 */
export async function outboxIdle(target: TestService | Outbox, channels: readonly Channel[] = CHANNELS): Promise<void> {
  const outbox = outboxOf(target);
  await until(async () => {
    for (const channel of channels) {
      const counts = await outbox.queue(channel).getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused');
      if (Object.values(counts).some((n) => n > 0)) return false;
    }
    return true;
  }, 15_000, 'the outbox to be idle');
}
