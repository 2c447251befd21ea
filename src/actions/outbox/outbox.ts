/**
 * The outbox's producer side: every proactive message (alerts, reminders, status notices) is queued here,
 * so that platform limits, retries, "never twice" and "never silently lost" are handled in one place.
 * Whoever needs to know whether a message went, to take back one not yet sent, or to read the dead
 * letters asks this class; its workers (src/jobs/outbox/) deliver what it queued.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RedisTarget } from '../../config/env.js';
import type { Logger } from '../../logger.js';
import { openRedis, queuePrefix } from '../../store/connections.js';
import { CHANNELS, type Address, type Channel, type OutgoingMessage } from '../../messaging/message.js';
import { closeQueue, removeJob } from '../queues.js';
import {
  errorText,
  heldKey,
  jobMessage,
  messageSchema,
  outboxContext,
  outboxJobId,
  outboxJobOptions,
  outboxJobSchema,
  outboxQueueName,
  OUTBOX_LANES,
  purposeOf,
  sentKey,
  type MessageCipher,
  type OutboxItem,
  type OutboxJobData,
  type OutboxLane,
  type OutboxResult,
  type StoredJobData,
  storedTo,
} from './contract.js';
import { DeadLetters, type DeadLetter, type DeadLetterReason } from './dead-letters.js';
import { UnreachableRegistry } from './unreachable.js';

export interface OutboxOptions {
  /** The Redis (a redis:// URL for a single server). */
  connection: string | RedisTarget;
  logger: Logger;
  /** Attempts per message, counting the first (default 8), and the first backoff (default 2 s, doubling). */
  retry?: { attempts?: number; backoffMs?: number };
  /** How long the sent marker is kept (default 30 days). */
  sentTtlSeconds?: number;
  /** Dead letters kept per commune (default 1,000, oldest dropped). */
  deadLetterMax?: number;
  /** Seals message contents in Redis job data (child-protection texts are personal data). */
  cipher?: MessageCipher;
}

export type DeadLetterHook = (dl: DeadLetter) => void | Promise<void>;

/** First retry wait of an urgent message (doubling): 8 tries span about 64 s, not the bulk lane's 4 min. */
const URGENT_BACKOFF_MS = 500;

export class Outbox {
  /** The outbox's own keys (sent markers, pacing, dead letters); shared with its workers in this process. */
  readonly redis: Redis;
  /** BullMQ's connection for the outbox queues, apart from the one above. */
  readonly queueRedis: Redis;
  readonly target: RedisTarget;
  readonly log: Logger;
  readonly cipher?: MessageCipher;
  readonly sentTtlSeconds: number;
  private readonly queues = new Map<string, Queue<StoredJobData, OutboxResult>>();
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly deadLetters: DeadLetters;
  private readonly unreachable: UnreachableRegistry;
  private readonly deadLetterHooks: DeadLetterHook[] = [];

  constructor(opts: OutboxOptions) {
    this.target = typeof opts.connection === 'string' ? { mode: 'single', url: opts.connection } : opts.connection;
    this.log = opts.logger.child({ module: 'outbox' });
    this.redis = openRedis(this.target, 'data', this.log);
    this.queueRedis = openRedis(this.target, 'queues', this.log);
    this.cipher = opts.cipher;
    this.attempts = opts.retry?.attempts ?? 8;
    this.backoffMs = opts.retry?.backoffMs ?? 2000;
    this.sentTtlSeconds = opts.sentTtlSeconds ?? 30 * 24 * 3600;
    this.deadLetters = new DeadLetters(this.redis, opts.deadLetterMax ?? 1000, opts.cipher);
    this.unreachable = new UnreachableRegistry(this.redis, this.log, opts.cipher);
    for (const channel of CHANNELS) {
      for (const lane of OUTBOX_LANES) {
        const name = outboxQueueName(channel, lane);
        const queue = new Queue<StoredJobData, OutboxResult>(name, { connection: this.queueRedis, prefix: queuePrefix(this.target) });
        queue.on('error', (err) => this.log.error({ channel, lane, err: errorText(err) }, 'outbox: queue error'));
        this.queues.set(name, queue);
      }
    }
  }

  /** The channel's queue for a lane (for its workers, which pause it as a whole on a 429). */
  queue(channel: Channel, lane: OutboxLane = 'bulk'): Queue<StoredJobData, OutboxResult> {
    return this.queues.get(outboxQueueName(channel, lane)) as Queue<StoredJobData, OutboxResult>;
  }

  /**
   * Queues a message. Enqueuing a key whose job still exists does nothing; a key already delivered
   * (sent marker present) is not queued again.
   */
  async enqueue(item: OutboxItem): Promise<'queued' | 'already_sent'> {
    messageSchema.parse(item.message); // a bad message is the caller's bug: fail now, not in a worker later
    if (item.message.text.trim().length === 0) throw new Error('outbox: message text is empty');
    const data: StoredJobData = {
      ...storedTo(item.to, item.key, this.cipher),
      key: item.key,
      ...(item.communeId !== undefined ? { communeId: item.communeId } : {}),
      ...(item.preview === undefined ? {} : this.cipher ? { sealedPreview: this.cipher.seal(item.preview, outboxContext(item.key, 'preview')) } : { preview: item.preview }),
      ...(this.cipher ? { sealedMessage: this.cipher.seal(item.message, outboxContext(item.key, 'message')) } : { message: item.message }),
      ...(item.canWaitMs ? { holdUntil: Date.now() + item.canWaitMs } : {}),
      ...(item.staff ? { staff: true as const } : {}),
      ...(item.probe ? { probe: true as const } : {}),
      enqueuedAt: Date.now(),
    };
    outboxJobSchema.parse(data);
    if (await this.wasSent(item.key)) {
      this.log.info({ purpose: purposeOf(item.key), communeId: item.communeId }, 'outbox: key already sent, not queued');
      return 'already_sent';
    }
    const lane: OutboxLane = item.urgent ? 'urgent' : 'bulk';
    // An urgent alert retries sooner: its tries end within about a minute, and an alert that reached
    // nobody moves on to the next person in the chain (alert-chain.ts) instead of waiting minutes.
    const backoffMs = item.urgent ? Math.min(this.backoffMs, URGENT_BACKOFF_MS) : this.backoffMs;
    await this.queue(item.to.channel, lane).add(purposeOf(item.key), data, outboxJobOptions(item.key, this.cipher, this.attempts, backoffMs, item.delayMs));
    return 'queued';
  }

  /**
   * Queues the drain of a person's unsent direct replies (a direct send failed), after `delayMs` (a
   * platform's retry_after). Idempotent per epoch: a turn that finds the drain pending queues it again
   * in case the process that started it died before it was queued.
   */
  async enqueueReplies(to: Address, person: string, epoch: string, delayMs = 0): Promise<void> {
    const key = `reply:${person}:${epoch}`;
    const preview = 'reply';
    const data: StoredJobData = { ...storedTo(to, key, this.cipher), key, replies: { person, epoch }, ...(this.cipher ? { sealedPreview: this.cipher.seal(preview, outboxContext(key, 'preview')) } : { preview }), enqueuedAt: Date.now() };
    await this.queue(to.channel).add('reply', outboxJobSchema.parse(data), outboxJobOptions(key, this.cipher, this.attempts, this.backoffMs, delayMs));
  }

  /** Whether the message with this key was delivered (within the sent marker's 30 days). */
  async wasSent(key: string): Promise<boolean> {
    return (await this.redis.exists(sentKey(key, this.cipher))) === 1;
  }

  /**
   * Takes back the message with this key if no worker has started it. Returns true when one was removed;
   * a message being sent right now cannot be taken back.
   */
  async cancel(to: Pick<Address, 'channel'>, key: string): Promise<boolean> {
    const removed = await Promise.all(OUTBOX_LANES.map((lane) => removeJob(this.queue(to.channel, lane), outboxJobId(key, this.cipher))));
    return removed.some(Boolean);
  }

  /**
   * The text of a message still held by the outbox (queued, or failing and not yet removed), opened.
   * Dead letters carry no text, so this is how a fallback re-sends a refused message elsewhere.
   */
  async queuedMessage(to: Pick<Address, 'channel'>, key: string): Promise<OutgoingMessage | undefined> {
    const jobs = await Promise.all(OUTBOX_LANES.map((lane) => this.queue(to.channel, lane).getJob(outboxJobId(key, this.cipher))));
    const job = jobs.find(Boolean);
    if (!job) return undefined;
    try {
      return jobMessage(job.data, this.cipher);
    } catch (err) {
      this.log.error({ err: errorText(err) }, 'outbox: cannot open a queued message');
      return undefined;
    }
  }

  /** The worker holds the message with this key until `until` or the person's next message. */
  async noteHeld(to: Address, key: string, until: number): Promise<void> {
    const k = heldKey(to, this.cipher);
    await this.redis.multi().sadd(k, key).pexpireat(k, Math.max(until, Date.now() + 1000)).exec();
  }

  /** The keys of the messages waiting for this person's next message. */
  async heldFor(to: Address): Promise<string[]> {
    return (await this.redis.smembers(heldKey(to, this.cipher))).sort();
  }

  /**
   * The person wrote: every message held for them is sent now, while a reply to them is free. Returns
   * how many were released (a held message whose wait ended in between has gone already).
   */
  async releaseHeld(to: Address): Promise<number> {
    const k = heldKey(to, this.cipher);
    const keys = await this.redis.smembers(k);
    if (keys.length === 0) return 0;
    await this.redis.del(k);
    // Each held message is looked up in every lane at once: the lookups do not depend on each other.
    const promoted = await Promise.all(
      keys.flatMap((key) =>
        OUTBOX_LANES.map(async (lane) => {
          const job = await this.queue(to.channel, lane).getJob(outboxJobId(key, this.cipher));
          if (!job || !(await job.isDelayed())) return 0;
          await job.promote().catch(() => undefined); // started in between: it is on its way anyway
          return 1;
        }),
      ),
    );
    return promoted.reduce<number>((a, b) => a + b, 0);
  }

  async isUnreachable(to: Address): Promise<boolean> {
    return this.unreachable.has(to);
  }

  /** Also for other evidence (a Zalo unfollow event). Proactive messages to them are dead-lettered. */
  async markUnreachable(to: Address, reason: string): Promise<void> {
    await this.unreachable.mark(to, reason);
  }

  /** Call when the person writes to the service again: they unblocked the bot. */
  async markReachable(to: Address): Promise<void> {
    await this.unreachable.clear(to);
  }

  /** Newest first. */
  async listDeadLetters(communeId?: string, limit = 100): Promise<DeadLetter[]> {
    return this.deadLetters.list(communeId, limit);
  }

  /**
   * Queues a dead letter's message again under its own key (the failed job is gone, so the key is free)
   * and takes it off the list; if it fails again it comes back as a new dead letter. A staff-only message
   * stays staff-only: the recipient's role is checked again when it is sent.
   */
  async retryDeadLetter(communeId: string | null, key: string): Promise<'queued' | 'already_sent' | 'gone'> {
    const taken = await this.deadLetters.take(communeId, key);
    if (!taken) return 'gone';
    const { dl, message } = taken;
    return this.enqueue({ to: dl.to, key, message, communeId: dl.communeId ?? undefined, preview: dl.preview, ...(dl.staff ? { staff: true } : {}) });
  }

  /** Runs after each dead letter is stored, e.g. to tell officers or admins. Errors are logged. */
  onDeadLetter(hook: DeadLetterHook): void {
    this.deadLetterHooks.push(hook);
  }

  /** Records a message given up for good (the workers call this), logs it and runs the hooks. */
  async recordDeadLetter(data: Partial<OutboxJobData>, reason: DeadLetterReason, detail: string): Promise<void> {
    const dl = await this.deadLetters.record(data, reason, detail);
    this.log.error(
      { channel: dl.to.channel, purpose: purposeOf(dl.key), communeId: dl.communeId, reason, detail },
      'outbox: message not delivered, dead-lettered',
    );
    for (const hook of this.deadLetterHooks) {
      try {
        await hook(dl);
      } catch (err) {
        this.log.error({ err: errorText(err) }, 'outbox: onDeadLetter hook failed');
      }
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

  /** Closes the queues and the connection (force: do not wait for pending commands). Workers close first. */
  async close(opts: { force?: boolean } = {}): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => closeQueue(q)));
    for (const redis of [this.redis, this.queueRedis]) {
      if (opts.force) redis.disconnect();
      else await redis.quit().catch(() => redis.disconnect());
    }
  }
}
