/**
 * The outbox: every proactive message (alerts, reminders, status notices) goes through here, so that
 * platform limits, retries, "never twice" and "never silently lost" are handled in one place.
 *
 * Shape (BullMQ style): a zod schema for the job payload, documented job options, and a processor
 * built by `createOutboxProcessor`; the `Outbox` class wires them to one queue per channel.
 *
 * Redis keys (besides BullMQ's own `bull:outbox-<channel>:*`):
 * - `outbox:sent:<key>`          set right after a successful send, kept 30 days: checked before every
 *                                send, so a retried, stalled or re-enqueued job never sends twice.
 * - `outbox:parts:<key>`         how many parts of a long (split) message already went out.
 * - `outbox:chat:<channel>:<id>` the per-chat slot (about 1 message/second per chat).
 * - `outbox:pace:<channel>`      when the channel's next send may start (server clock, µs): the send
 *                                pacer shared by every worker process of the channel.
 * - `unreachable` (hash)         field `<channel>:<chatId>` → JSON {reason, at}.
 * - `outbox:dead:<communeId>`    list of DeadLetter JSON, newest first (`_none` without a commune).
 */
import { createHash } from 'node:crypto';
import {
  DelayedError,
  Queue,
  UnrecoverableError,
  Worker,
  type Job,
  type JobsOptions,
  type Processor,
} from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { z } from 'zod';
import {
  OutsideWindowError,
  PermanentSendError,
  RetryableSendError,
  UnreachableError,
  type ChannelSender,
} from '../core/errors.js';
import { CHANNELS, type Address, type Channel, type OutgoingMessage } from '../core/message.js';
import type { Logger } from '../logger.js';

// ---- payload -------------------------------------------------------------------------------------

const addressSchema = z.object({ channel: z.enum(CHANNELS), chatId: z.string().min(1) });
const messageSchema = z.object({
  text: z.string().min(1),
  choices: z.array(z.object({ label: z.string().min(1), value: z.string().min(1) })).optional(),
});

/** What a job holds. `sealedMessage` replaces `message` when the outbox has a cipher. */
export const outboxJobSchema = z
  .object({
    to: addressSchema,
    /** Idempotency key `purpose:recipient:case`: one delivery per key. */
    key: z.string().min(1).max(500),
    communeId: z.string().min(1).optional(),
    /** Shown to officers and admins in a dead letter: no personal data. */
    preview: z.string().max(200).optional(),
    /** The preview, sealed: with the case code beside the chat id it would tell who reported what. */
    sealedPreview: z.string().optional(),
    message: messageSchema.optional(),
    sealedMessage: z.string().optional(),
    enqueuedAt: z.number(),
  })
  .refine((d) => (d.message === undefined) !== (d.sealedMessage === undefined), {
    message: 'exactly one of message / sealedMessage',
  });
export type OutboxJobData = z.infer<typeof outboxJobSchema>;

export interface OutboxItem {
  to: Address;
  message: OutgoingMessage;
  key: string;
  communeId?: string;
  /** Shown in dead letters instead of the text; defaults to "<purpose> (<n> chars)". */
  preview?: string;
  /** Send no earlier than this many ms from now (e.g. a reminder held until 07:00). */
  delayMs?: number;
}

// ---- options -------------------------------------------------------------------------------------

export interface ChannelLimits {
  /** Messages per second for the channel's account, across chats and processes (spread evenly). */
  perSecond: number;
  /** Minimum gap between two messages to one chat; 0 disables the per-chat slot. */
  perChatGapMs: number;
  /** Jobs this process works on at once for the channel. */
  concurrency: number;
}

/**
 * Telegram allows about 30/s overall and 1/s per chat. We aim at 28.5/s: the send pacer spaces the
 * sends themselves (not job starts) 35 ms apart, so a 1-second window holds 28–29 of them, 30 with some
 * jitter, and 31 only if arrivals bunched by more than ~50 ms (29/s tripped a strict 30/s limit about
 * once per 1,000 messages on a busy 2-core machine). Zalo's per-OA limit is unpublished: stay modest.
 */
export const DEFAULT_LIMITS: Readonly<Record<Channel, ChannelLimits>> = {
  telegram: { perSecond: 28.5, perChatGapMs: 1000, concurrency: 8 },
  zalo: { perSecond: 10, perChatGapMs: 1000, concurrency: 4 },
  local: { perSecond: 200, perChatGapMs: 0, concurrency: 16 },
};

/** Matches DataCipher from src/store/crypto.ts, kept structural so the outbox does not depend on it. */
export interface MessageCipher {
  seal(value: unknown): string;
  open<T>(sealed: string): T;
}

export type DeadLetterReason =
  | 'unreachable'
  | 'outside_window'
  | 'permanent'
  | 'retries_exhausted'
  | 'invalid'
  | 'failed';

export interface DeadLetter {
  to: Address;
  key: string;
  communeId: string | null;
  reason: DeadLetterReason;
  preview: string;
  /** The platform's or BullMQ's error text (no message content). */
  detail: string;
  at: string;
}

export interface SentInfo {
  to: Address;
  key: string;
  communeId: string | null;
  jobId: string;
}

export interface OutboxOptions {
  /** redis:// URL or ioredis options (maxRetriesPerRequest is forced to null, as BullMQ needs). */
  connection: string | RedisOptions;
  /** Channels this process sends on; enqueue works for every channel (another process may send). */
  senders?: Partial<Record<Channel, ChannelSender>>;
  logger: Logger;
  limits?: Partial<Record<Channel, Partial<ChannelLimits>>>;
  /** Attempts per message, counting the first (default 8), and the first backoff (default 2 s, doubling). */
  retry?: { attempts?: number; backoffMs?: number };
  /** How long the sent marker is kept (default 30 days). */
  sentTtlSeconds?: number;
  /** Dead letters kept per commune (default 1,000, oldest dropped). */
  deadLetterMax?: number;
  /** BullMQ worker timing; tests shorten these to see stalled jobs quickly. */
  worker?: { lockDurationMs?: number; stalledIntervalMs?: number; maxStarts?: number };
  /** Seals message contents in Redis job data (child-protection texts are personal data). */
  cipher?: MessageCipher;
  /** Called after each dead letter is stored, e.g. to tell officers or admins. Errors are logged. */
  onDeadLetter?: (dl: DeadLetter) => void | Promise<void>;
  /** Called after a delivery is recorded and before the job completes (audit, metrics). Keep it quick. */
  onSent?: (info: SentInfo) => void | Promise<void>;
}

export const outboxQueueName = (channel: Channel): string => `outbox-${channel}`;

/**
 * BullMQ refuses ':' in custom ids and keys can be long or contain a chat id: a hash is a safe,
 * stable id, so enqueuing the same key again finds the existing job.
 */
export function outboxJobId(key: string): string {
  return `ob-${createHash('sha256').update(key).digest('base64url').slice(0, 32)}`;
}

const sentKey = (key: string): string => `outbox:sent:${key}`;
const partsKey = (key: string): string => `outbox:parts:${key}`;
const chatSlotKey = (to: Address): string => `outbox:chat:${to.channel}:${to.chatId}`;
const deadKey = (communeId: string | undefined | null): string => `outbox:dead:${communeId ?? '_none'}`;
const paceKey = (channel: Channel): string => `outbox:pace:${channel}`;
const UNREACHABLE_HASH = 'unreachable';
const addressField = (to: Address): string => `${to.channel}:${to.chatId}`;

/** Marks errors the processor already dead-lettered, so the `failed` listener does not do it again. */
const DEAD_LETTERED = 'outbox dead-lettered: ';

/**
 * Job options. Attempts count retryable failures only: a per-chat wait (DelayedError) or a 429 pause
 * (RateLimitError) does not use one up. Completed jobs stay an hour so the same key is visibly a
 * duplicate; failed jobs are removed because the dead-letter list is the record, and a later enqueue of
 * the same key (say, once the person is reachable again) must be able to try again.
 */
export function outboxJobOptions(key: string, attempts: number, backoffMs: number, delayMs = 0): JobsOptions {
  return {
    jobId: outboxJobId(key),
    attempts,
    backoff: { type: 'exponential', delay: backoffMs },
    ...(delayMs > 0 ? { delay: delayMs } : {}),
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: true,
  };
}

// ---- send pacer ----------------------------------------------------------------------------------

/**
 * Reserves the channel's next send time in Redis: each send gets its own moment, 1/perSecond after the
 * previous one, across all workers and processes (Redis's clock, so process clocks do not matter).
 * BullMQ's limiter alone spaces job *starts*, and each start costs a few Redis round trips, which kept
 * Telegram at ~25–27/s against a 28/s setting; spacing the sends themselves lets us run close to the
 * limit. A reservation at most `maxAheadMs` ahead is slept off before sending; later than that, the job
 * waits and asks again, so concurrency beyond what the rate needs does not pile up far-future slots.
 * A sender that wakes up late (a busy event loop, a GC pause) gives its moment up and reserves anew:
 * sending late inside the next sender's moment is exactly the bunching that trips the platform's limit.
 */
const RESERVE_SEND_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local maxAhead = tonumber(ARGV[2])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
if free < now then free = now end
if free - now > maxAhead then return -(free - now - maxAhead) end
redis.call('SET', KEYS[1], string.format('%.0f', free + interval), 'PX', 60000)
return free - now
`;

/** Pushes the next send time to at least now + ARGV[1] µs (after a 429 with retry_after). */
const HOLD_SENDS_LUA = `
local t = redis.call('TIME')
local resume = tonumber(t[1]) * 1000000 + tonumber(t[2]) + tonumber(ARGV[1])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
if free < resume then redis.call('SET', KEYS[1], string.format('%.0f', resume), 'PX', 60000 + math.floor(tonumber(ARGV[1]) / 1000)) end
return 0
`;

export class SendPacer {
  private readonly intervalUs: number;

  constructor(
    private readonly redis: Redis,
    private readonly channel: Channel,
    perSecond: number,
    private readonly maxAheadMs = 1000,
    /** How late a sender may wake and still use its moment. */
    private readonly lateToleranceMs = 15,
  ) {
    this.intervalUs = Math.round(1_000_000 / perSecond);
  }

  /** Resolves when this process may send one message on the channel. */
  async take(): Promise<void> {
    for (;;) {
      const us = Number(await this.redis.eval(RESERVE_SEND_LUA, 1, paceKey(this.channel), this.intervalUs, this.maxAheadMs * 1000));
      if (us >= 0) {
        if (us < 1000) return;
        const due = Date.now() + us / 1000;
        await sleep(us / 1000);
        if (Date.now() - due <= this.lateToleranceMs) return;
        continue; // woke too late: this moment has passed, take a fresh one
      }
      await sleep(Math.max(1, -us / 1000));
    }
  }

  /** Nobody sends on the channel for `ms` (the platform asked us to wait). */
  async holdFor(ms: number): Promise<void> {
    await this.redis.eval(HOLD_SENDS_LUA, 1, paceKey(this.channel), Math.round(ms * 1000));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---- processor -----------------------------------------------------------------------------------

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
  markUnreachable(to: Address, reason: string): Promise<void>;
  onSent?: (info: SentInfo) => void | Promise<void>;
}

export type OutboxResult = 'sent' | 'already_sent';

interface SplittingSender extends ChannelSender {
  split(message: OutgoingMessage): OutgoingMessage[];
}
const canSplit = (s: ChannelSender): s is SplittingSender =>
  typeof (s as Partial<SplittingSender>).split === 'function';

export function createOutboxProcessor(deps: OutboxProcessorDeps): Processor<OutboxJobData, OutboxResult> {
  const { redis, sender, logger: log } = deps;

  /** Records the failure for good and ends the job without retries. */
  async function giveUp(data: Partial<OutboxJobData>, reason: DeadLetterReason, detail: string): Promise<never> {
    await deps.deadLetter(data, reason, detail);
    throw new UnrecoverableError(`${DEAD_LETTERED}${reason}: ${detail}`);
  }

  /** 0 when this job may send to the chat now, else how long the slot stays taken. */
  async function takeChatSlot(to: Address): Promise<number> {
    if (deps.perChatGapMs <= 0) return 0;
    const key = chatSlotKey(to);
    if ((await redis.set(key, '1', 'PX', deps.perChatGapMs, 'NX')) === 'OK') return 0;
    const ttl = await redis.pttl(key);
    return ttl > 0 ? ttl : 1; // expired in between: come back almost at once
  }

  return async (job: Job<OutboxJobData, OutboxResult>, token?: string): Promise<OutboxResult> => {
    const parsed = outboxJobSchema.safeParse(job.data);
    if (!parsed.success) return giveUp(job.data, 'invalid', z.prettifyError(parsed.error));
    const data = parsed.data;
    const ctx = { jobId: job.id, channel: data.to.channel, purpose: purposeOf(data.key), communeId: data.communeId };

    if ((await redis.exists(sentKey(data.key))) === 1) {
      log.info(ctx, 'outbox: already sent, not sending again');
      return 'already_sent';
    }
    if ((await redis.hexists(UNREACHABLE_HASH, addressField(data.to))) === 1) {
      return giveUp(data, 'unreachable', 'recipient is marked unreachable');
    }

    let message: OutgoingMessage;
    try {
      message = data.message ?? openSealed(deps.cipher, data.sealedMessage);
    } catch (err) {
      return giveUp(data, 'invalid', `cannot open sealed message: ${errorText(err)}`);
    }
    const parts = canSplit(sender) ? sender.split(message) : [message];
    let next = Number((await redis.get(partsKey(data.key))) ?? 0);

    while (next < parts.length) {
      const wait = await takeChatSlot(data.to);
      if (wait > 0) {
        // Sleeping here would hold a concurrency slot; a delayed job costs nothing and keeps its attempts.
        if (token === undefined) throw new Error('outbox processor needs the worker token');
        await job.moveToDelayed(Date.now() + wait, token);
        throw new DelayedError();
      }
      await deps.pacer?.take();
      try {
        await sender.send(data.to.chatId, parts[next] as OutgoingMessage);
      } catch (err) {
        return handleSendError(err, job, data);
      }
      next += 1;
      if (next < parts.length) await redis.set(partsKey(data.key), String(next), 'EX', deps.sentTtlSeconds);
    }

    await redis
      .multi()
      .set(sentKey(data.key), String(Date.now()), 'EX', deps.sentTtlSeconds)
      .del(partsKey(data.key))
      .exec();
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

  async function handleSendError(err: unknown, job: Job<OutboxJobData, OutboxResult>, data: OutboxJobData): Promise<never> {
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

function openSealed(cipher: MessageCipher | undefined, sealed: string | undefined): OutgoingMessage {
  if (!cipher || sealed === undefined) throw new Error('no cipher configured');
  return messageSchema.parse(cipher.open<unknown>(sealed));
}

function purposeOf(key: string): string {
  const i = key.indexOf(':');
  return i === -1 ? key : key.slice(0, i);
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

// ---- the outbox ----------------------------------------------------------------------------------

export class Outbox {
  private readonly redis: Redis;
  private readonly log: Logger;
  private readonly queues = new Map<Channel, Queue<OutboxJobData, OutboxResult>>();
  private readonly workers: Worker<OutboxJobData, OutboxResult>[] = [];
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly sentTtlSeconds: number;
  private readonly deadLetterMax: number;

  constructor(private readonly opts: OutboxOptions) {
    // BullMQ workers block on Redis and must never give up a command: maxRetriesPerRequest null.
    this.redis =
      typeof opts.connection === 'string'
        ? new Redis(opts.connection, { maxRetriesPerRequest: null })
        : new Redis({ ...opts.connection, maxRetriesPerRequest: null });
    this.log = opts.logger.child({ module: 'outbox' });
    this.redis.on('error', (err) => this.log.error({ err: errorText(err) }, 'outbox: redis error'));
    this.attempts = opts.retry?.attempts ?? 8;
    this.backoffMs = opts.retry?.backoffMs ?? 2000;
    this.sentTtlSeconds = opts.sentTtlSeconds ?? 30 * 24 * 3600;
    this.deadLetterMax = opts.deadLetterMax ?? 1000;
    for (const channel of CHANNELS) {
      this.queues.set(channel, new Queue(outboxQueueName(channel), { connection: this.redis }));
    }
  }

  limitsFor(channel: Channel): ChannelLimits {
    return { ...DEFAULT_LIMITS[channel], ...this.opts.limits?.[channel] };
  }

  /**
   * Queues a message. Enqueuing a key whose job still exists does nothing; a key already delivered
   * (sent marker present) is not queued again.
   */
  async enqueue(item: OutboxItem): Promise<'queued' | 'already_sent'> {
    messageSchema.parse(item.message); // a bad message is the caller's bug: fail now, not in a worker later
    if (item.message.text.trim().length === 0) throw new Error('outbox: message text is empty');
    const data: OutboxJobData = {
      to: item.to,
      key: item.key,
      ...(item.communeId !== undefined ? { communeId: item.communeId } : {}),
      ...(item.preview === undefined ? {} : this.opts.cipher ? { sealedPreview: this.opts.cipher.seal(item.preview) } : { preview: item.preview }),
      ...(this.opts.cipher ? { sealedMessage: this.opts.cipher.seal(item.message) } : { message: item.message }),
      enqueuedAt: Date.now(),
    };
    outboxJobSchema.parse(data);
    if ((await this.redis.exists(sentKey(item.key))) === 1) {
      this.log.info({ purpose: purposeOf(item.key), communeId: item.communeId }, 'outbox: key already sent, not queued');
      return 'already_sent';
    }
    const queue = this.queues.get(item.to.channel) as Queue<OutboxJobData, OutboxResult>;
    await queue.add(purposeOf(item.key), data, outboxJobOptions(item.key, this.attempts, this.backoffMs, item.delayMs));
    return 'queued';
  }

  /** Starts one worker per channel that has a sender in this process. */
  async startWorkers(): Promise<void> {
    for (const [channel, sender] of Object.entries(this.opts.senders ?? {}) as [Channel, ChannelSender][]) {
      const limits = this.limitsFor(channel);
      const queue = this.queues.get(channel) as Queue<OutboxJobData, OutboxResult>;
      const processor = createOutboxProcessor({
        redis: this.redis,
        sender,
        queue,
        perChatGapMs: limits.perChatGapMs,
        pacer: new SendPacer(this.redis, channel, limits.perSecond),
        sentTtlSeconds: this.sentTtlSeconds,
        ...(this.opts.cipher ? { cipher: this.opts.cipher } : {}),
        logger: this.log,
        deadLetter: (data, reason, detail) => this.recordDeadLetter(data, reason, detail),
        markUnreachable: (to, reason) => this.markUnreachable(to, reason),
        ...(this.opts.onSent ? { onSent: this.opts.onSent } : {}),
      });
      const worker = new Worker<OutboxJobData, OutboxResult>(outboxQueueName(channel), processor, {
        connection: this.redis,
        concurrency: limits.concurrency,
        // The pacer spaces the sends; this limiter is only a loose ceiling on job starts (twice the rate,
        // as per-chat waits also start jobs). It must exist: without one BullMQ ignores the whole-queue
        // pause (queue.rateLimit) used on a 429.
        limiter: { max: Math.max(1, Math.ceil(limits.perSecond * 2)), duration: 1000 },
        lockDuration: this.opts.worker?.lockDurationMs ?? 30_000,
        stalledInterval: this.opts.worker?.stalledIntervalMs ?? 30_000,
        maxStalledCount: 1,
        // Per-chat waits and 429 pauses do not count as attempts; this bounds them all the same.
        maxStartedAttempts: this.opts.worker?.maxStarts ?? 500,
      });
      worker.on('failed', (job, err) => void this.onFailed(job, err));
      worker.on('error', (err) => this.log.error({ channel, err: errorText(err) }, 'outbox: worker error'));
      worker.on('stalled', (jobId) => this.log.warn({ channel, jobId }, 'outbox: job stalled, will run again'));
      this.workers.push(worker);
      await worker.waitUntilReady();
    }
  }

  /** For /healthz: every channel queue answers (its metadata can be read from Redis). */
  async reachable(): Promise<boolean> {
    try {
      await Promise.all([...this.queues.values()].map((q) => q.getJobCounts('waiting')));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Stops workers, letting running jobs finish (force: do not wait; their jobs are picked up again
   * once their lock expires, and the sent marker prevents a second delivery).
   */
  async close(opts: { force?: boolean } = {}): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close(opts.force ?? false)));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    if (opts.force) this.redis.disconnect();
    else await this.redis.quit().catch(() => this.redis.disconnect());
  }

  async isUnreachable(to: Address): Promise<boolean> {
    return (await this.redis.hexists(UNREACHABLE_HASH, addressField(to))) === 1;
  }

  /** Also for other evidence (a Zalo unfollow event). Proactive messages to them are dead-lettered. */
  async markUnreachable(to: Address, reason: string): Promise<void> {
    await this.redis.hset(UNREACHABLE_HASH, addressField(to), JSON.stringify({ reason, at: new Date().toISOString() }));
    this.log.warn({ channel: to.channel, reason }, 'outbox: recipient marked unreachable');
  }

  /** Call when the person writes to the service again: they unblocked the bot. */
  async markReachable(to: Address): Promise<void> {
    await this.redis.hdel(UNREACHABLE_HASH, addressField(to));
  }

  /** Newest first. */
  async listDeadLetters(communeId?: string, limit = 100): Promise<DeadLetter[]> {
    const rows = await this.redis.lrange(deadKey(communeId), 0, Math.max(0, limit - 1));
    return rows.map((r) => {
      const { sealedPreview, ...dl } = JSON.parse(r) as DeadLetter & { sealedPreview?: string };
      return sealedPreview && this.opts.cipher ? { ...dl, preview: this.opts.cipher.open<string>(sealedPreview) } : dl;
    });
  }

  private async recordDeadLetter(
    data: Partial<OutboxJobData>,
    reason: DeadLetterReason,
    detail: string,
  ): Promise<void> {
    const key = typeof data.key === 'string' ? data.key : '?';
    const dl: DeadLetter = {
      to: data.to ?? { channel: 'local', chatId: '?' },
      key,
      communeId: data.communeId ?? null,
      reason,
      // Never the text itself: it may name a child. The caller's preview is written to be safe.
      preview: (data.sealedPreview && this.opts.cipher ? this.opts.cipher.open<string>(data.sealedPreview) : data.preview) ?? `${purposeOf(key)} (${data.message?.text.length ?? '?'} chars)`,
      detail,
      at: new Date().toISOString(),
    };
    const listKey = deadKey(data.communeId);
    const stored = this.opts.cipher ? { ...dl, preview: undefined, sealedPreview: this.opts.cipher.seal(dl.preview) } : dl;
    await this.redis.multi().lpush(listKey, JSON.stringify(stored)).ltrim(listKey, 0, this.deadLetterMax - 1).exec();
    this.log.error(
      { channel: dl.to.channel, purpose: purposeOf(key), communeId: dl.communeId, reason, detail },
      'outbox: message not delivered, dead-lettered',
    );
    if (this.opts.onDeadLetter) {
      try {
        await this.opts.onDeadLetter(dl);
      } catch (err) {
        this.log.error({ err: errorText(err) }, 'outbox: onDeadLetter hook failed');
      }
    }
  }

  /** Every failed attempt is logged; final failures the processor did not record become dead letters. */
  private async onFailed(job: Job<OutboxJobData, OutboxResult> | undefined, err: Error): Promise<void> {
    if (!job) {
      this.log.error({ err: errorText(err) }, 'outbox: a job failed and its data is gone');
      return;
    }
    if (err.message.startsWith(DEAD_LETTERED)) return; // recorded and logged already
    const attempts = job.opts.attempts ?? 1;
    const final = err.name === 'UnrecoverableError' || job.attemptsMade >= attempts;
    const ctx = { jobId: job.id, queue: job.queueName, attempt: job.attemptsMade, attempts, err: errorText(err) };
    if (!final) {
      this.log.warn(ctx, 'outbox: send failed, will retry');
      return;
    }
    // Failures BullMQ decided by itself (stalled or started too often) or an unexpected error.
    try {
      await this.recordDeadLetter(job.data ?? {}, job.attemptsMade >= attempts ? 'retries_exhausted' : 'failed', errorText(err));
    } catch (e) {
      this.log.error({ ...ctx, deadLetterErr: errorText(e) }, 'outbox: could not record dead letter');
    }
  }
}
