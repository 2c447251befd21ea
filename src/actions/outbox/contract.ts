/**
 * The outbox's job contract, shared by its producer (src/actions/outbox/outbox.ts) and its workers
 * (src/jobs/outbox/): the payload schema, one queue per channel, the job id derived from the
 * idempotency key, the job options, and the "sent" marker both sides check. Nobody else builds these.
 *
 * Redis keys defined here (besides BullMQ's own `bull:outbox-<channel>:*`):
 * - `outbox:sent:<key tag>`  set right after a successful send, kept 30 days: checked before every send and
 *                        every enqueue, so a retried, stalled or re-enqueued job never sends twice.
 * - `outbox:held:<address tag>`  set of the keys of staff messages waiting for the person's next
 *                        message (a reply is free then); expires when the longest wait is over.
 * With a cipher (always, outside unit tests) nothing here names a recipient in clear: the job's and the
 * dead letter's recipient is sealed (`sealedTo`), job ids are keyed hashes, and per-recipient keys use
 * the address tag (a keyed hash). Beside a job's times or a case code, a chat id would tell who wrote when.
 */
import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import { CHANNELS, type Address, type Channel, type OutgoingMessage } from '../../messaging/message.js';

const addressSchema = z.object({ channel: z.enum(CHANNELS), chatId: z.string().min(1) });
export const messageSchema = z.object({
  text: z.string().min(1),
  choices: z.array(z.object({ label: z.string().min(1), value: z.string().min(1) })).optional(),
});

/** What a job holds. `sealedMessage` replaces `message` and `sealedTo` replaces `to` when the outbox has a cipher. */
export const outboxJobSchema = z
  .object({
    to: addressSchema.optional(),
    /** The recipient, sealed: in clear beside `enqueuedAt` it would date the person's last message. */
    sealedTo: z.string().optional(),
    /** Idempotency key `purpose:recipient:case`: one delivery per key. */
    key: z.string().min(1).max(500),
    communeId: z.string().min(1).optional(),
    /** Shown to officers and admins in a dead letter: no personal data. */
    preview: z.string().max(200).optional(),
    /** The preview, sealed: with the case code beside the chat id it would tell who reported what. */
    sealedPreview: z.string().optional(),
    message: messageSchema.optional(),
    sealedMessage: z.string().optional(),
    /**
     * Instead of a message: a person's unsent direct replies, sent from their reply list in order
     * (src/store/turns.ts) by the drain whose epoch this is. The person is the blinded tag of their keys.
     */
    replies: z.object({ person: z.string().min(1), epoch: z.string().min(1) }).optional(),
    /** Until then the message waits rather than being billed (OutboxItem.canWaitMs); after, it goes anyway. */
    holdUntil: z.number().optional(),
    /** For staff only: sent only while the recipient holds a role (checked when it is sent). */
    staff: z.literal(true).optional(),
    /** Tried even when the recipient is marked unreachable (they may have unblocked the bot). */
    probe: z.literal(true).optional(),
    enqueuedAt: z.number(),
  })
  .refine((d) => [d.message, d.sealedMessage, d.replies].filter((x) => x !== undefined).length === 1, {
    message: 'exactly one of message / sealedMessage / replies',
  })
  .refine((d) => (d.to === undefined) !== (d.sealedTo === undefined), { message: 'exactly one of to / sealedTo' });
/** A job's data as stored in Redis. */
export type StoredJobData = z.infer<typeof outboxJobSchema>;
/** A job's data with its recipient opened: what the workers and hooks work with. */
export type OutboxJobData = Omit<StoredJobData, 'to' | 'sealedTo'> & { to: Address };

export interface OutboxItem {
  to: Address;
  message: OutgoingMessage;
  key: string;
  communeId?: string;
  /** Shown in dead letters instead of the text; defaults to "<purpose> (<n> chars)". */
  preview?: string;
  /** Send no earlier than this many ms from now (e.g. a reminder held until 07:00). */
  delayMs?: number;
  /** Alerts and escalations: their own queue, ahead of everything else for the channel's send budget. */
  urgent?: boolean;
  /**
   * A message that can wait (a reminder, a digest): for up to this long, where sending now would be
   * billed (a Zalo OA proactive message), it goes to a channel the person linked, or waits for their next
   * message, when a reply is free. Once the time is up it goes anyway: nobody is left unaware.
   */
  canWaitMs?: number;
  /** For staff only: not sent once the recipient holds no role (dead letter `not_staff`). */
  staff?: boolean;
  /** Tried even when the recipient is marked unreachable. */
  probe?: boolean;
}

/** `linked`: a message that could wait went to a channel the person linked instead (OutboxItem.canWaitMs). */
export type OutboxResult = 'sent' | 'already_sent' | 'linked';

/** Matches DataCipher from src/store/crypto.ts, kept structural so the outbox does not depend on it. */
export interface MessageCipher {
  seal(value: unknown, context: string): string;
  open<T>(sealed: string, context: string): T;
  blind(value: string): string;
}

export type OutboxPart = 'message' | 'preview' | 'to';

/** What a job's (or its dead letter's) sealed message, preview and recipient are bound to: its key (see crypto.ts). */
export function outboxContext(key: string, part: OutboxPart): string {
  return `outbox:${key}#${part}`;
}

/** The recipient as stored: sealed with a cipher, in clear without one (unit tests). */
export function storedTo(to: Address, key: string, cipher: MessageCipher | undefined): Pick<StoredJobData, 'to' | 'sealedTo'> {
  return cipher ? { sealedTo: cipher.seal(to, outboxContext(key, 'to')) } : { to };
}

/** The recipient of stored job (or dead-letter) data. Throws when it is sealed and cannot be opened. */
export function openTo(data: Pick<StoredJobData, 'key' | 'to' | 'sealedTo'>, cipher: MessageCipher | undefined): Address {
  if (data.to) return data.to;
  if (!cipher || data.sealedTo === undefined) throw new Error('no recipient, or no cipher to open it');
  return addressSchema.parse(cipher.open<unknown>(data.sealedTo, outboxContext(data.key, 'to')));
}

/** The job data without its recipient, in either form. */
function withoutRecipient<T extends Partial<StoredJobData>>(stored: T): Omit<T, 'to' | 'sealedTo'> {
  const rest: Partial<T> = { ...stored };
  delete rest.to;
  delete rest.sealedTo;
  return rest as Omit<T, 'to' | 'sealedTo'>;
}

/** Stored job data with its recipient opened. */
export function openJob(stored: StoredJobData, cipher: MessageCipher | undefined): OutboxJobData {
  return { ...withoutRecipient(stored), to: openTo(stored, cipher) };
}

/** Whatever of damaged or partial job data can be read, for its dead letter: the recipient when it opens. */
export function openPartial(stored: Partial<StoredJobData>, cipher: MessageCipher | undefined): Partial<OutboxJobData> {
  const rest = withoutRecipient(stored);
  try {
    return { ...rest, to: openTo({ ...stored, key: String(stored.key) }, cipher) };
  } catch {
    return rest;
  }
}

/** The name per-recipient keys use: a keyed hash of the address with a cipher, so no key shows a chat id. */
export function addressTag(to: Address, cipher: Pick<MessageCipher, 'blind'> | undefined): string {
  return cipher ? cipher.blind(`outbox-to:${to.channel}:${to.chatId}`) : `${to.channel}:${to.chatId}`;
}

/**
 * Two lanes per channel. Urgent messages (alerts, escalations) have their own queue and workers, so a
 * backlog of reminders, digests or replies never stands in front of them, and the pacer serves them
 * first (src/jobs/outbox/pacer.ts). The bulk lane keeps the queue's original name.
 */
export type OutboxLane = 'urgent' | 'bulk';
export const OUTBOX_LANES: readonly OutboxLane[] = ['urgent', 'bulk'];

export const outboxQueueName = (channel: Channel, lane: OutboxLane = 'bulk'): string => (lane === 'bulk' ? `outbox-${channel}` : `outbox-${channel}-urgent`);

/**
 * BullMQ refuses ':' in custom ids and keys can be long or contain a chat id: a hash is a safe,
 * stable id, so enqueuing the same key again finds the existing job. Keyed with a cipher: a plain hash
 * of `alert:<case>:<identity>` could be confirmed by trying the known case codes and chat ids.
 */
export function outboxJobId(key: string, cipher: Pick<MessageCipher, 'blind'> | undefined): string {
  return `ob-${cipher ? cipher.blind(`outbox-job:${key}`) : createHash('sha256').update(key).digest('base64url').slice(0, 32)}`;
}

/** Names a key's own markers (sent, parts sent): keyed with a cipher, since keys name case and recipient. */
export const keyTag = (key: string, cipher: Pick<MessageCipher, 'blind'> | undefined): string => (cipher ? cipher.blind(`outbox-key:${key}`) : key);

export const sentKey = (key: string, cipher: Pick<MessageCipher, 'blind'> | undefined): string => `outbox:sent:${keyTag(key, cipher)}`;

/** The keys of messages waiting for the person's next message (OutboxItem.canWaitMs), per chat. */
export const heldKey = (to: Address, cipher: Pick<MessageCipher, 'blind'> | undefined): string => `outbox:held:${addressTag(to, cipher)}`;

/** How long a completed job stays: long enough to be seen done, not an hour of who-was-sent-what. */
export const COMPLETED_JOB_SECONDS = 60;

/**
 * Job options. Attempts count retryable failures only: a per-chat wait (DelayedError) or a 429 pause
 * (RateLimitError) does not use one up. Completed jobs go after a minute: the sent marker, not the job,
 * keeps a key from being sent twice, and a finished job is only a record of whom was sent what when.
 * Failed jobs are removed because the dead-letter list is the record, and a later enqueue of the same
 * key (say, once the person is reachable again) must be able to try again.
 */
export function outboxJobOptions(key: string, cipher: MessageCipher | undefined, attempts: number, backoffMs: number, delayMs = 0): JobsOptions {
  return {
    jobId: outboxJobId(key, cipher),
    attempts,
    backoff: { type: 'exponential', delay: backoffMs },
    ...(delayMs > 0 ? { delay: delayMs } : {}),
    removeOnComplete: { age: COMPLETED_JOB_SECONDS, count: 10_000 },
    removeOnFail: true,
  };
}

/** The message a job carries, opened when sealed. Throws when it cannot be read. */
export function jobMessage(data: Pick<OutboxJobData, 'key' | 'message' | 'sealedMessage'>, cipher: MessageCipher | undefined): OutgoingMessage {
  if (data.message) return data.message;
  if (!cipher || data.sealedMessage === undefined) throw new Error('no cipher configured');
  return messageSchema.parse(cipher.open<unknown>(data.sealedMessage, outboxContext(data.key, 'message')));
}

/** The purpose part of a key (`alert`, `remind`, …): logged instead of the key, which names people. */
export function purposeOf(key: string): string {
  const i = key.indexOf(':');
  return i === -1 ? key : key.slice(0, i);
}

/** An error's text for logs and dead letters, bounded (platform errors can be long). */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
