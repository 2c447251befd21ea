/**
 * The webhook's side of Zalo's inbound queue: Zalo wants HTTP 200 within 2 seconds, and running the
 * handlers and sending replies can take longer, so the webhook verifies and queues the event here, sealed
 * (it holds what people wrote, which may name a child); inbound-job.ts does the rest.
 *
 * Queue `zalo-inbound` (BullMQ keys `bull:zalo-inbound:*`). The job id comes from `msg_id` (or, for
 * events without one, from event name, user and timestamp), so a delivery Zalo repeats within the hour
 * the completed job is kept is not even queued twice; the turn's seen window (docs/turns.md) covers longer gaps.
 */
import { Queue } from 'bullmq';
import { closeQueue } from '../../actions/queues.js';
import type { QueueConnection } from '../../store/connections.js';
import type { Logger } from '../../logger.js';
import { z } from 'zod';
import type { DataCipher } from '../../store/crypto.js';
import { sealedJson } from '../../store/rekey.js';
import type { ZaloWebhookEvent } from './webhook-event.js';

export const ZALO_INBOUND_QUEUE = 'zalo-inbound';
/** What a queued event's seal is bound to (crypto.ts). */
export const ZALO_EVENT_CONTEXT = `${ZALO_INBOUND_QUEUE}#event`;

export const zaloInboundJobSchema = z.object({ sealedEvent: z.string().min(1) });
export type ZaloInboundJobData = z.infer<typeof zaloInboundJobSchema>;

/** Where queued events are sealed (the job's `data`), for `npm run rotate-key` (store/rekey.ts). */
export const zaloInboundRule = sealedJson(new RegExp(`^(bull|\\{treem\\}):${ZALO_INBOUND_QUEUE}:[^:]+$`), 'hash', { sealedEvent: () => ZALO_EVENT_CONTEXT }, ['data']);

/**
 * Stable per delivery; a hash because BullMQ refuses ':' in custom ids. Keyed: a plain hash of
 * `<event>:<user id>:<timestamp>` is found again by trying a known user id over a day of timestamps.
 */
export function zaloInboundJobId(event: ZaloWebhookEvent, cipher: Pick<DataCipher, 'blind'>): string {
  const userId = event.sender?.id ?? event.follower?.id ?? '';
  const basis = event.message?.msg_id ? `msg:${event.message.msg_id}` : `${event.event_name}:${userId}:${event.timestamp ?? ''}`;
  return `zi-${cipher.blind(`zalo-inbound:${basis}`)}`;
}

/** The webhook's side: queue an event, sealed. */
export class ZaloInboundQueue {
  readonly queue: Queue<ZaloInboundJobData>;

  constructor(
    connection: QueueConnection,
    private readonly cipher: Pick<DataCipher, 'seal' | 'blind'>,
    log: Logger,
  ) {
    this.queue = new Queue<ZaloInboundJobData>(ZALO_INBOUND_QUEUE, { connection: connection.redis, prefix: connection.prefix });
    this.queue.on('error', (err) => log.error({ queue: ZALO_INBOUND_QUEUE, err: err.message }, 'queue error'));
  }

  /** Returns the job id; adding an id that still exists does nothing. */
  async add(event: ZaloWebhookEvent): Promise<string> {
    const jobId = zaloInboundJobId(event, this.cipher);
    await this.queue.add(event.event_name, { sealedEvent: this.cipher.seal(event, ZALO_EVENT_CONTEXT) }, {
      jobId,
      attempts: 8, // ~4 min of backoff: a person busy elsewhere (RetryLaterError) is long done by then
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    return jobId;
  }

  async close(): Promise<void> {
    await closeQueue(this.queue);
  }
}
