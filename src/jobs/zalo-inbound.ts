/**
 * Zalo webhook events, processed after the webhook has answered: Zalo wants HTTP 200 within 2 seconds,
 * and running the core and sending replies can take longer. The webhook verifies and enqueues; this job
 * module does the rest.
 *
 * Queue `zalo-inbound` (BullMQ keys `bull:zalo-inbound:*`). The job id comes from `msg_id` (or, for
 * events without one, from event name, user and timestamp), so a delivery Zalo repeats within the hour
 * the completed job is kept is not even queued twice; processIncoming's dedup covers longer gaps. Job
 * data is sealed: it holds what people wrote, which may name a child.
 *
 * Zalo gives no ordering between deliveries, and neither does this queue: jobs run a few at a time, and
 * the core handles one message per person at a time.
 */
import { createHash } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { IncomingMessage } from '../core/message.js';
import { processIncoming, type InboundDeps } from '../bot/inbound.js';
import { parseZaloWebhook, toIncoming, type ZaloWebhookEvent } from '../bot/zalo/webhook-event.js';
import type { ZaloWindow } from '../bot/zalo/window.js';
import { TurnContext, type Services } from '../handlers/context.js';
import { MENU_CHOICES, menuText } from '../handlers/menu.js';
import type { DataCipher } from '../store/crypto.js';
import type { JobModule } from './workers.js';

export const ZALO_INBOUND_QUEUE = 'zalo-inbound';

const jobSchema = z.object({ sealedEvent: z.string().min(1) });
type ZaloInboundJob = z.infer<typeof jobSchema>;

/** Stable per delivery; a hash because BullMQ refuses ':' in custom ids. */
export function zaloInboundJobId(event: ZaloWebhookEvent): string {
  const userId = event.sender?.id ?? event.follower?.id ?? '';
  const basis = event.message?.msg_id ? `msg:${event.message.msg_id}` : `${event.event_name}:${userId}:${event.timestamp ?? ''}`;
  return `zi-${createHash('sha256').update(basis).digest('base64url').slice(0, 32)}`;
}

/** The webhook's side: queue an event, sealed. */
export class ZaloInboundQueue {
  readonly queue: Queue<ZaloInboundJob>;

  constructor(
    connection: Redis,
    private readonly cipher: Pick<DataCipher, 'seal'>,
  ) {
    this.queue = new Queue<ZaloInboundJob>(ZALO_INBOUND_QUEUE, { connection });
  }

  /** Returns the job id; adding an id that still exists does nothing. */
  async add(event: ZaloWebhookEvent): Promise<string> {
    const jobId = zaloInboundJobId(event);
    await this.queue.add(event.event_name, { sealedEvent: this.cipher.seal(event) }, {
      jobId,
      attempts: 8, // ~2 min of backoff: outlasts a dead process's "processing" claim (60 s)
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    return jobId;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** What processing needs besides Services: built by the runtime only when Zalo is configured. */
export interface ZaloInboundDeps extends InboundDeps {
  window: ZaloWindow;
}

// JobModule.start receives only Services, and the Zalo sender exists only when an OA is configured:
// the runtime hands the rest over here, per Services object (several runtimes can share a process).
const provided = new WeakMap<Services, ZaloInboundDeps>();

export function provideZaloInbound(services: Services, deps: ZaloInboundDeps): void {
  provided.set(services, deps);
}

export type ZaloEventOutcome = 'handled' | 'duplicate' | 'greeted' | 'unfollowed' | 'echo' | 'ignored';

/** Processes one event. Throws when the core fails, so BullMQ retries. */
export async function handleZaloEvent(raw: unknown, services: Services, deps: ZaloInboundDeps): Promise<ZaloEventOutcome> {
  const parsed = parseZaloWebhook(raw);
  if (!parsed.success) {
    deps.log.error({ issues: parsed.error.issues.length }, 'zalo event in the queue does not validate; dropped');
    return 'ignored';
  }
  const event = toIncoming(parsed.data, services.now());
  switch (event.kind) {
    case 'message': {
      const to = { channel: 'zalo' as const, chatId: event.message.chatId };
      await deps.window.record(event.message.userId, event.message.receivedAt);
      await services.outbox.markReachable(to);
      return processIncoming(event.message, deps);
    }
    case 'follow': {
      await deps.window.record(event.userId, event.at);
      await services.outbox.markReachable({ channel: 'zalo', chatId: event.userId });
      await greet(event.userId, event.at ?? services.now(), services);
      return 'greeted';
    }
    case 'unfollow':
      // Consultation messages to a non-follower fail (-213): stop before trying.
      await services.outbox.markUnreachable({ channel: 'zalo', chatId: event.userId }, 'unfollowed the Zalo OA');
      return 'unfollowed';
    case 'oa_echo':
      if (event.byAdmin) {
        // A person answered from Zalo's OA chat tool: the conversation left the service's hands.
        deps.log.info({ adminId: event.adminId, eventName: event.eventName }, 'a person answered in the Zalo OA chat tool');
        await services.audit.add(
          { actor: `zalo-admin:${event.adminId ?? '?'}`, action: 'zalo.oa_chat_reply', subject: `zalo:${event.userId ?? '?'}`, detail: event.eventName },
          services.now(),
        );
      }
      return 'echo';
    case 'unknown':
      // Menu taps and similar user actions open the window too (which events Zalo counts is not
      // documented; a wrong guess costs one refused call, which then marks the window closed).
      if (event.userId && event.eventName.startsWith('user_click')) await deps.window.record(event.userId, Number(parsed.data.timestamp) || undefined);
      deps.log.info({ eventName: event.eventName }, 'zalo event not handled');
      return 'ignored';
  }
}

/** The menu, sent through the outbox (a follow is not a message to answer, and may arrive late). */
async function greet(userId: string, at: number, services: Services): Promise<void> {
  const msg: IncomingMessage = { channel: 'zalo', userId, chatId: userId, media: [], platformId: `follow:${at}`, receivedAt: at };
  const text = menuText(new TurnContext(msg, services, undefined));
  await services.outbox.enqueue({
    to: { channel: 'zalo', chatId: userId },
    message: { text, choices: MENU_CHOICES },
    key: `zalo-follow:${userId}:${at}`,
    preview: 'greeting after a Zalo follow',
  });
}

export const zaloInboundJob: JobModule = {
  name: ZALO_INBOUND_QUEUE,
  async start(services) {
    const deps = provided.get(services);
    if (!deps) return { close: async () => {} }; // no Zalo OA configured in this process
    const connection = new Redis(services.redisUrl, { maxRetriesPerRequest: null });
    const worker = new Worker<ZaloInboundJob, ZaloEventOutcome>(
      ZALO_INBOUND_QUEUE,
      async (job: Job<ZaloInboundJob>) => {
        const data = jobSchema.parse(job.data);
        return handleZaloEvent(services.cipher.open<unknown>(data.sealedEvent), services, deps);
      },
      { connection, concurrency: 4 },
    );
    worker.on('failed', (job, err) => {
      const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
      deps.log[final ? 'error' : 'warn']({ jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, final ? 'zalo event failed for good' : 'zalo event failed, will retry');
    });
    worker.on('error', (err) => deps.log.error({ err: err.message }, 'zalo inbound worker error'));
    await worker.waitUntilReady();
    return {
      async close() {
        await worker.close();
        await connection.quit().catch(() => connection.disconnect());
      },
    };
  },
};
