/**
 * The outbox's workers: one BullMQ worker per channel this process has a sender for, each running the
 * processor behind the channel's pacer and limits. Final failures the processor did not record itself
 * (a stalled job, too many starts, an unexpected error) become dead letters here.
 */
import { Worker, type Job } from 'bullmq';
import { errorText, openPartial, OUTBOX_LANES, outboxQueueName, type OutboxResult, type StoredJobData } from '../../actions/outbox/contract.js';
import type { Outbox } from '../../actions/outbox/outbox.js';
import type { ChannelSender } from '../../messaging/channel.js';
import type { Address, Channel } from '../../messaging/message.js';
import { queuePrefix } from '../../store/connections.js';
import { SendPacer } from './pacer.js';
import { createOutboxProcessor, DEAD_LETTERED, type OutboxProcessorDeps, type SentInfo } from './processor.js';
import type { ReplyDrainStore } from './reply-drain.js';

export interface ChannelLimits {
  /** Messages per second for the channel's account, across chats and processes (spread evenly). */
  perSecond: number;
  /** Minimum gap between two messages to one chat; 0 disables the per-chat slot. */
  perChatGapMs: number;
  /** Jobs this process works on at once for the channel's bulk lane. */
  concurrency: number;
  /** The same for the urgent lane (alerts, escalations), which has its own worker. */
  urgentConcurrency: number;
}

/**
 * Telegram allows 30 messages a second per bot and about one a second per chat: the pacer's sliding
 * window holds at most 30 starts in any 1.005 s, so 30/s is used to 99.5% without a 429
 * (docs/redis.md). Zalo's per-OA limit is unpublished: stay modest.
 */
export const DEFAULT_LIMITS: Readonly<Record<Channel, ChannelLimits>> = {
  telegram: { perSecond: 30, perChatGapMs: 1000, concurrency: 8, urgentConcurrency: 4 },
  zalo: { perSecond: 10, perChatGapMs: 1000, concurrency: 4, urgentConcurrency: 2 },
  // The Bot Platform publishes no limits: Telegram-like per-chat spacing, modest overall.
  zalobot: { perSecond: 10, perChatGapMs: 1000, concurrency: 4, urgentConcurrency: 2 },
  local: { perSecond: 200, perChatGapMs: 0, concurrency: 16, urgentConcurrency: 4 },
};

export interface OutboxWorkersOptions {
  /** Channels this process sends on; enqueue works for every channel (another process may send). */
  senders?: Partial<Record<Channel, ChannelSender>>;
  limits?: Partial<Record<Channel, Partial<ChannelLimits>>>;
  /** BullMQ worker timing; tests shorten these to see stalled jobs quickly. */
  worker?: { lockDurationMs?: number; stalledIntervalMs?: number; maxStarts?: number };
  /** The person reply lists that drain jobs send from (direct replies whose send failed). */
  replies?: ReplyDrainStore;
  /** Called after a delivery is recorded and before the job completes (audit, metrics). Keep it quick. */
  onSent?: (info: SentInfo) => void | Promise<void>;
  /** A message that can wait would be billed: send it on a linked channel, or hold it (processor.ts). */
  onWouldBeBilled?: OutboxProcessorDeps['onWouldBeBilled'];
  /** Whether an address belongs to someone holding a role now (staff-only messages check it when sent). */
  isStaff?: (to: Address) => Promise<boolean>;
}

export class OutboxWorkers {
  private readonly workers: Worker<StoredJobData, OutboxResult>[] = [];

  constructor(
    private readonly outbox: Outbox,
    private readonly opts: OutboxWorkersOptions = {},
  ) {}

  limitsFor(channel: Channel): ChannelLimits {
    return { ...DEFAULT_LIMITS[channel], ...this.opts.limits?.[channel] };
  }

  /** Starts two workers (bulk and urgent lanes) per channel that has a sender in this process. */
  async start(): Promise<void> {
    const { outbox } = this;
    for (const [channel, sender] of Object.entries(this.opts.senders ?? {}) as [Channel, ChannelSender][]) {
      const limits = this.limitsFor(channel);
      for (const lane of OUTBOX_LANES) {
        const queue = outbox.queue(channel, lane);
        const processor = createOutboxProcessor({
          redis: outbox.redis,
          sender,
          queue,
          perChatGapMs: limits.perChatGapMs,
          pacer: new SendPacer(outbox.redis, channel, limits.perSecond, lane),
          sentTtlSeconds: outbox.sentTtlSeconds,
          ...(outbox.cipher ? { cipher: outbox.cipher } : {}),
          logger: outbox.log,
          deadLetter: (data, reason, detail) => outbox.recordDeadLetter(data, reason, detail),
          isUnreachable: (to) => outbox.isUnreachable(to),
          markUnreachable: (to, reason) => outbox.markUnreachable(to, reason),
          ...(this.opts.onSent ? { onSent: this.opts.onSent } : {}),
          ...(this.opts.isStaff ? { isStaff: this.opts.isStaff } : {}),
          ...(this.opts.replies ? { replies: this.opts.replies } : {}),
          ...(this.opts.onWouldBeBilled ? { onWouldBeBilled: this.opts.onWouldBeBilled } : {}),
        });
        const worker = new Worker<StoredJobData, OutboxResult>(outboxQueueName(channel, lane), processor, {
          connection: outbox.queueRedis,
          prefix: queuePrefix(outbox.target),
          concurrency: lane === 'urgent' ? limits.urgentConcurrency : limits.concurrency,
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
        worker.on('error', (err) => outbox.log.error({ channel, lane, err: errorText(err) }, 'outbox: worker error'));
        worker.on('stalled', (jobId) => outbox.log.warn({ channel, lane, jobId }, 'outbox: job stalled, will run again'));
        this.workers.push(worker);
        await worker.waitUntilReady();
      }
    }
  }

  /**
   * Stops the workers, letting running jobs finish (force: do not wait; their jobs are picked up again
   * once their lock expires, and the sent marker prevents a second delivery).
   */
  async close(opts: { force?: boolean } = {}): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.close(opts.force ?? false)));
  }

  /** Every failed attempt is logged; final failures the processor did not record become dead letters. */
  private async onFailed(job: Job<StoredJobData, OutboxResult> | undefined, err: Error): Promise<void> {
    const log = this.outbox.log;
    if (!job) {
      log.error({ err: errorText(err) }, 'outbox: a job failed and its data is gone');
      return;
    }
    if (err.message.startsWith(DEAD_LETTERED)) return; // recorded and logged already
    const attempts = job.opts.attempts ?? 1;
    const final = err.name === 'UnrecoverableError' || job.attemptsMade >= attempts;
    const ctx = { jobId: job.id, queue: job.queueName, attempt: job.attemptsMade, attempts, err: errorText(err) };
    if (!final) {
      log.warn(ctx, 'outbox: send failed, will retry');
      return;
    }
    // Failures BullMQ decided by itself (stalled or started too often) or an unexpected error.
    try {
      await this.outbox.recordDeadLetter(openPartial(job.data ?? {}, this.outbox.cipher), job.attemptsMade >= attempts ? 'retries_exhausted' : 'failed', errorText(err));
    } catch (e) {
      log.error({ ...ctx, deadLetterErr: errorText(e) }, 'outbox: could not record dead letter');
    }
  }
}
