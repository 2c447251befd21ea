/**
 * The outbox's job processor: sends one queued message (all its parts, in order) unless it was sent
 * already, keeping the per-chat gap, the channel's pace and the platform's answers: a retry with backoff,
 * a whole-channel pause on 429, or a dead letter when the message can never go.
 *
 * Redis keys (besides the contract's `outbox:sent:<key tag>`; tags are keyed hashes, contract.ts):
 * - `outbox:parts:<key tag>`    how many parts of a long (split) message already went out.
 * - `outbox:chat:<address tag>` the per-chat slot (about 1 message/second per chat): taken before the
 *   pacer's wait, long enough to cover it, and set to the gap again when the send goes, so the gap runs
 *   from the real send, not from when the job began waiting for the pace.
 */
import { DelayedError, UnrecoverableError, Worker, type Job, type Processor, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import {
  addressTag,
  errorText,
  jobMessage,
  keyTag,
  openJob,
  openPartial,
  outboxJobSchema,
  purposeOf,
  sentKey,
  type MessageCipher,
  type OutboxJobData,
  type OutboxResult,
  type StoredJobData,
} from '../../actions/outbox/contract.js';
import type { DeadLetterReason } from '../../actions/outbox/dead-letters.js';
import type { Logger } from '../../logger.js';
import {
  OutsideWindowError,
  PermanentSendError,
  RetryableSendError,
  UnreachableError,
  WouldBeBilledError,
  type ChannelSender,
  type SendOptions,
} from '../../messaging/channel.js';
import type { Address, OutgoingMessage } from '../../messaging/message.js';
import type { SendPacer } from './pacer.js';
import { drainReplies, type ReplyDrainStore } from './reply-drain.js';

/** How long a per-chat slot is held while its job waits for the channel's pace (far above usual waits). */
const PACE_WAIT_COVER_MS = 10_000;

/** Marks errors the processor already dead-lettered, so the `failed` listener does not do it again. */
export const DEAD_LETTERED = 'outbox dead-lettered: ';

export interface SentInfo {
  to: Address;
  key: string;
  communeId: string | null;
  jobId: string;
}

export interface OutboxProcessorDeps {
  redis: Redis;
  sender: ChannelSender;
  /** The channel's queue, paused as a whole when the platform says "too many requests". */
  queue: Pick<Queue, 'rateLimit'>;
  perChatGapMs: number;
  /** Spaces sends across processes; without it only the worker's limiter paces the channel. */
  pacer?: Pick<SendPacer, 'take' | 'holdFor'>;
  sentTtlSeconds: number;
  cipher?: MessageCipher;
  logger: Logger;
  deadLetter(data: Partial<OutboxJobData>, reason: DeadLetterReason, detail: string): Promise<void>;
  isUnreachable(to: Address): Promise<boolean>;
  /** Whether the address belongs to someone holding a role now; staff-only messages check it at send time. */
  isStaff?: (to: Address) => Promise<boolean>;
  markUnreachable(to: Address, reason: string): Promise<void>;
  onSent?: (info: SentInfo) => void | Promise<void>;
  /** The person reply lists that `replies` jobs drain (src/store/turns.ts). */
  replies?: ReplyDrainStore;
  /**
   * A message that can wait would be billed: `linked` when it went to a channel the person linked
   * instead, `wait` when it is to wait (the job is held until its holdUntil or the person's next message).
   */
  onWouldBeBilled?: (data: OutboxJobData, message: OutgoingMessage) => Promise<'linked' | 'wait'>;
}

interface SplittingSender extends ChannelSender {
  split(message: OutgoingMessage): OutgoingMessage[];
}
const canSplit = (s: ChannelSender): s is SplittingSender =>
  typeof (s as Partial<SplittingSender>).split === 'function';

export function createOutboxProcessor(deps: OutboxProcessorDeps): Processor<StoredJobData, OutboxResult> {
  const { redis, sender, logger: log } = deps;

  /** Records the failure for good and ends the job without retries. */
  async function giveUp(data: Partial<OutboxJobData>, reason: DeadLetterReason, detail: string): Promise<never> {
    await deps.deadLetter(data, reason, detail);
    // A reply drain that gives up drops its list, so the person's next replies go directly again.
    if (data.replies) await deps.replies?.drainAbandon(data.replies.person, data.replies.epoch);
    throw new UnrecoverableError(`${DEAD_LETTERED}${reason}: ${detail}`);
  }

  const chatSlotKey = (to: Address): string => `outbox:chat:${addressTag(to, deps.cipher)}`;

  /** 0 when this job may send to the chat now, else how long the slot stays taken. */
  async function takeChatSlot(to: Address): Promise<number> {
    if (deps.perChatGapMs <= 0) return 0;
    const key = chatSlotKey(to);
    if ((await redis.set(key, '1', 'PX', deps.perChatGapMs + PACE_WAIT_COVER_MS, 'NX')) === 'OK') return 0;
    const ttl = await redis.pttl(key);
    // A slot still covering its holder's pace wait ends a gap after that send: look again a gap from now.
    return ttl > 0 ? Math.min(ttl, deps.perChatGapMs) : 1; // expired in between: come back almost at once
  }

  const partsKey = (key: string): string => `outbox:parts:${keyTag(key, deps.cipher)}`;

  return async (job: Job<StoredJobData, OutboxResult>, token?: string): Promise<OutboxResult> => {
    const parsed = outboxJobSchema.safeParse(job.data);
    if (!parsed.success) return giveUp(openPartial(job.data, deps.cipher), 'invalid', z.prettifyError(parsed.error));
    let data: OutboxJobData;
    try {
      data = openJob(parsed.data, deps.cipher);
    } catch (err) {
      return giveUp(openPartial(parsed.data, deps.cipher), 'invalid', `cannot open the recipient: ${errorText(err)}`);
    }
    const ctx = { jobId: job.id, channel: data.to.channel, purpose: purposeOf(data.key), communeId: data.communeId };

    if ((await redis.exists(sentKey(data.key, deps.cipher))) === 1) {
      log.info(ctx, 'outbox: already sent, not sending again');
      return 'already_sent';
    }
    if (!data.probe && (await deps.isUnreachable(data.to))) {
      return giveUp(data, 'unreachable', 'recipient is marked unreachable');
    }
    // A role revoked after the message was queued: what it says about a case is no longer theirs to read.
    if (data.staff && deps.isStaff && !(await deps.isStaff(data.to))) {
      return giveUp(data, 'not_staff', 'recipient no longer holds a role');
    }

    /** Sends one part, keeping the per-chat gap and the pace; throws what the job should do otherwise. */
    const deliver = async (part: OutgoingMessage, opts?: SendOptions): Promise<void> => {
      const wait = await takeChatSlot(data.to);
      if (wait > 0) {
        // Sleeping here would hold a concurrency slot; a delayed job costs nothing and keeps its attempts.
        if (token === undefined) throw new Error('outbox processor needs the worker token');
        await job.moveToDelayed(Date.now() + wait, token);
        throw new DelayedError();
      }
      const answered = await deps.pacer?.take();
      if (deps.perChatGapMs > 0) {
        // Not awaited: the send goes now. Should it fail, the slot ends with its cover, a little later.
        redis.set(chatSlotKey(data.to), '1', 'PX', deps.perChatGapMs).catch(() => undefined);
      }
      try {
        await sender.send(data.to.chatId, part, opts).finally(answered);
      } catch (err) {
        return handleSendError(err, job, data);
      }
    };

    if (data.replies) {
      if (!deps.replies) return giveUp(data, 'invalid', 'this process has no reply store');
      await drainReplies(data.replies, deps.replies, deliver);
      log.debug(ctx, 'outbox: replies drained');
      return 'sent';
    }

    let message: OutgoingMessage;
    try {
      message = jobMessage(data, deps.cipher);
    } catch (err) {
      return giveUp(data, 'invalid', `cannot open sealed message: ${errorText(err)}`);
    }
    const parts = canSplit(sender) ? sender.split(message) : [message];
    let next = Number((await redis.get(partsKey(data.key))) ?? 0);
    const markSent = () => redis.multi().set(sentKey(data.key, deps.cipher), String(Date.now()), 'EX', deps.sentTtlSeconds).del(partsKey(data.key)).exec();

    // Whether it may wait is asked before the first part only: a message half sent is finished.
    const holdUntil = next === 0 && deps.onWouldBeBilled ? data.holdUntil : undefined;
    while (next < parts.length) {
      try {
        await deliver(parts[next] as OutgoingMessage, { canWait: holdUntil !== undefined && Date.now() < holdUntil });
      } catch (err) {
        if (!(err instanceof WouldBeBilledError) || holdUntil === undefined || !deps.onWouldBeBilled) throw err;
        if ((await deps.onWouldBeBilled(data, message)) === 'linked') {
          await markSent();
          log.info(ctx, 'outbox: would be billed, sent on a linked channel instead');
          return 'linked';
        }
        if (token === undefined) throw new Error('outbox processor needs the worker token');
        log.info(ctx, 'outbox: would be billed, held for the person\'s next message');
        await job.moveToDelayed(holdUntil, token);
        throw new DelayedError();
      }
      next += 1;
      if (next < parts.length) await redis.set(partsKey(data.key), String(next), 'EX', deps.sentTtlSeconds);
    }

    await markSent();
    log.debug(ctx, 'outbox: sent');
    if (deps.onSent) {
      try {
        await deps.onSent({ to: data.to, key: data.key, communeId: data.communeId ?? null, jobId: job.id ?? '' });
      } catch (err) {
        log.error({ ...ctx, err: errorText(err) }, 'outbox: onSent hook failed');
      }
    }
    return 'sent';
  };

  async function handleSendError(err: unknown, job: Job<StoredJobData, OutboxResult>, data: OutboxJobData): Promise<never> {
    if (err instanceof WouldBeBilledError) throw err; // the caller holds the message
    const detail = errorText(err);
    if (err instanceof UnreachableError) {
      await deps.markUnreachable(data.to, detail);
      return giveUp(data, 'unreachable', detail);
    }
    if (err instanceof OutsideWindowError) return giveUp(data, 'outside_window', detail);
    if (err instanceof PermanentSendError) return giveUp(data, 'permanent', detail);
    if (err instanceof RetryableSendError && err.retryAfterMs !== undefined) {
      // The platform named a wait: pause the whole channel (all workers, all processes) for that long,
      // and put this job back without using up an attempt.
      log.warn({ jobId: job.id, channel: data.to.channel, retryAfterMs: err.retryAfterMs }, 'outbox: rate limited by platform');
      await deps.pacer?.holdFor(err.retryAfterMs); // sends already past their job start wait too
      await deps.queue.rateLimit(Math.max(1, err.retryAfterMs));
      throw Worker.RateLimitError();
    }
    // Retryable, or an error nobody classified (treated as passing): BullMQ retries with backoff.
    const attempts = job.opts.attempts ?? 1;
    if (job.attemptsMade + 1 >= attempts) return giveUp(data, 'retries_exhausted', `${attempts} attempts: ${detail}`);
    throw err instanceof Error ? err : new Error(detail);
  }
}
