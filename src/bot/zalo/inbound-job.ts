/**
 * Zalo webhook events, processed after the webhook has answered (inbound-queue.ts queued them): a message
 * goes through the same inbound path as every channel's; a follow is greeted with the menu; an unfollow
 * marks the person unreachable; an OA admin's own reply is audited. Every interaction opens the 7-day
 * window (window.ts).
 *
 * The Zalo channel contributes this job module to the process's workers (src/app/workers.ts) with its
 * dependencies given explicitly: it exists only when an OA is configured.
 *
 * Zalo gives no ordering between deliveries, and neither does this queue: jobs run a few at a time, and
 * the dispatcher handles one message per person at a time.
 */
import { Worker, type Job } from 'bullmq';
import type { RedisTarget } from '../../config/env.js';
import { openRedis, queuePrefix } from '../../store/connections.js';
import type { ActionDeps } from '../../actions/deps.js';
import type { OutgoingMessage } from '../../messaging/message.js';
import { processIncoming, type InboundDeps, type InboundResult } from '../inbound.js';
import { ZALO_EVENT_CONTEXT, ZALO_INBOUND_QUEUE, zaloInboundJobSchema, type ZaloInboundJobData } from './inbound-queue.js';
import { parseZaloWebhook, toIncoming } from './webhook-event.js';
import type { ZaloReplies } from './replies.js';
import type { ZaloWindow } from './window.js';
import { zaloUserTag } from './user-tag.js';

/** What processing an event needs besides the inbound path. */
export interface ZaloInboundDeps extends InboundDeps {
  window: ZaloWindow;
  replies: ZaloReplies;
  services: Pick<ActionDeps, 'outbox' | 'audit' | 'cipher' | 'now' | 'redis'>;
  /** For the worker's own blocking connection. */
  redisTarget: RedisTarget;
  /** What a new follower is sent (the menu). */
  greeting(): OutgoingMessage;
}

export type ZaloEventOutcome = InboundResult | 'greeted' | 'unfollowed' | 'echo' | 'ignored';

/** Processes one event. Throws when the handlers fail, so BullMQ retries. */
export async function handleZaloEvent(raw: unknown, deps: ZaloInboundDeps): Promise<ZaloEventOutcome> {
  const { services } = deps;
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
      // A fresh allowance of free replies, which name this message.
      const msgId = parsed.data.message?.msg_id;
      if (msgId) await deps.replies.recordIncoming(event.message.userId, msgId, event.message.receivedAt);
      await services.outbox.markReachable(to);
      const outcome = await processIncoming(event.message, deps);
      if (event.anonymous && outcome === 'handled') await tellAnonymousOnce(event.message.chatId, deps);
      // Reminders held rather than billed go now, after the answer, while replies to them are free.
      await services.outbox.releaseHeld(to);
      return outcome;
    }
    case 'follow': {
      await deps.window.record(event.userId, event.at);
      await services.outbox.markReachable({ channel: 'zalo', chatId: event.userId });
      await greet(event.userId, event.at ?? services.now(), deps);
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

/**
 * Said once (a month) to someone writing without following the OA: what the OA can send back. Their
 * messages are answered (free replies, within 48 hours of each of theirs), but Zalo refuses other
 * messages to non-followers, so later notices may not reach them (docs/zalo.md).
 */
export const ZALO_ANONYMOUS_NOTE =
  'Lưu ý: bạn đang nhắn cho Zalo OA của xã mà chưa bấm "Quan tâm". Xã trả lời được các tin bạn gửi (trong vòng 48 giờ), ' +
  'nhưng Zalo có thể không cho gửi thông báo sau đó tới bạn. Để nhận thông báo về báo cáo, xin bấm "Quan tâm" OA; ' +
  'bạn cũng có thể nhắn "/trangthai MÃ" bất cứ lúc nào để hỏi tình trạng.';

async function tellAnonymousOnce(chatId: string, deps: ZaloInboundDeps): Promise<void> {
  const first = await deps.services.redis.set(`zalo:anon-told:${zaloUserTag(deps.services.cipher)(chatId)}`, '1', 'EX', 30 * 86400, 'NX');
  if (first !== 'OK') return;
  try {
    await deps.sender.send(chatId, { text: ZALO_ANONYMOUS_NOTE });
  } catch (err) {
    deps.log.warn({ err }, 'the note to an anonymous Zalo user was not sent');
  }
}

/** The menu, sent through the outbox (a follow is not a message to answer, and may arrive late). */
async function greet(userId: string, at: number, deps: ZaloInboundDeps): Promise<void> {
  await deps.services.outbox.enqueue({
    to: { channel: 'zalo', chatId: userId },
    message: deps.greeting(),
    key: `zalo-follow:${zaloUserTag(deps.services.cipher)(userId)}:${at}`,
    preview: 'greeting after a Zalo follow',
  });
}

/** The job module the Zalo channel contributes: a worker for its inbound queue. */
export function createZaloInboundJob(deps: ZaloInboundDeps): { name: string; start(): Promise<{ close(): Promise<void> }> } {
  return {
    name: ZALO_INBOUND_QUEUE,
    async start() {
      const connection = openRedis(deps.redisTarget, 'worker', deps.log);
      const worker = new Worker<ZaloInboundJobData, ZaloEventOutcome>(
        ZALO_INBOUND_QUEUE,
        async (job: Job<ZaloInboundJobData>) => {
          const data = zaloInboundJobSchema.parse(job.data);
          return handleZaloEvent(deps.services.cipher.open<unknown>(data.sealedEvent, ZALO_EVENT_CONTEXT), deps);
        },
        { connection, prefix: queuePrefix(deps.redisTarget), concurrency: 4 },
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
}
