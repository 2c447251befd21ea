/**
 * The outbox's dead letters: messages it gave up on, kept per commune (newest first, bounded) so officers
 * and admins can see who was not reached (/loigui). The preview and the recipient are sealed when the
 * outbox has a cipher: a chat id beside a case code, or beside the time it failed, would tell who
 * reported what. The staff-only flag is kept, so a message sent again still checks the recipient's role.
 *
 * The message itself stays in the entry as the job held it (sealed with a cipher), so an administrator
 * can send it again (`take`, then the outbox queues it anew).
 *
 * Redis key: `outbox:dead:<communeId>` list of DeadLetter JSON (`_none` without a commune).
 */
import type { Redis } from 'ioredis';
import type { Address } from '../../messaging/message.js';
import type { OutgoingMessage } from '../../messaging/message.js';
import { jobMessage, openTo, outboxContext, purposeOf, storedTo, type MessageCipher, type OutboxJobData, type StoredJobData } from './contract.js';

export type DeadLetterReason =
  | 'unreachable'
  | 'outside_window'
  | 'permanent'
  | 'retries_exhausted'
  | 'invalid'
  | 'not_staff'
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
  /** A message for staff only (OutboxItem.staff): sent again, it still checks the recipient's role. */
  staff?: true;
}

const UNKNOWN: Address = { channel: 'local', chatId: '?' };
const deadKey = (communeId: string | undefined | null): string => `outbox:dead:${communeId ?? '_none'}`;

type Stored = Omit<DeadLetter, 'to'> & Partial<Pick<StoredJobData, 'to' | 'sealedTo' | 'message' | 'sealedMessage' | 'sealedPreview'>>;

export class DeadLetters {
  constructor(
    private readonly redis: Redis,
    private readonly max: number,
    private readonly cipher?: MessageCipher,
  ) {}

  /** Stores the dead letter of a job (whatever of its data survived) and returns it. */
  async record(data: Partial<OutboxJobData>, reason: DeadLetterReason, detail: string): Promise<DeadLetter> {
    const key = typeof data.key === 'string' ? data.key : '?';
    const dl: DeadLetter = {
      to: data.to ?? UNKNOWN,
      key,
      communeId: data.communeId ?? null,
      reason,
      // Never the text itself: it may name a child. The caller's preview is written to be safe.
      preview: (data.sealedPreview && this.cipher ? this.cipher.open<string>(data.sealedPreview, outboxContext(key, 'preview')) : data.preview) ?? `${purposeOf(key)} (${data.message?.text.length ?? '?'} chars)`,
      detail,
      at: new Date().toISOString(),
      ...(data.staff ? { staff: true as const } : {}),
    };
    const listKey = deadKey(data.communeId);
    const { to, ...rest } = dl;
    const kept = { ...rest, ...storedTo(to, key, this.cipher), message: data.message, sealedMessage: data.sealedMessage };
    const stored: Stored = this.cipher ? { ...kept, preview: '', sealedPreview: this.cipher.seal(dl.preview, outboxContext(key, 'preview')) } : kept;
    await this.redis.multi().lpush(listKey, JSON.stringify(stored)).ltrim(listKey, 0, this.max - 1).exec();
    return dl;
  }

  /** Removes the dead letter with this key and returns it with its message, if both are still there. */
  async take(communeId: string | null, key: string): Promise<{ dl: DeadLetter; message: OutgoingMessage } | undefined> {
    const listKey = deadKey(communeId);
    for (const row of await this.redis.lrange(listKey, 0, -1)) {
      const entry = JSON.parse(row) as Stored;
      if (entry.key !== key || (!entry.message && !entry.sealedMessage)) continue;
      const message = jobMessage(entry, this.cipher);
      const dl = this.open(entry); // throws when the recipient does not open here (moved from another letter)
      if ((await this.redis.lrem(listKey, 1, row)) !== 1) return undefined; // taken by someone else meanwhile
      return { dl, message };
    }
    return undefined;
  }

  /** The entry opened; `lenient` (for lists) shows a recipient that does not open as unknown. */
  private open(entry: Stored, lenient = false): DeadLetter {
    const { key, communeId, reason, preview, detail, at, sealedPreview, staff } = entry;
    const to = lenient ? this.recipientOrUnknown(entry) : openTo(entry, this.cipher);
    const dl: DeadLetter = { to, key, communeId, reason, preview, detail, at, ...(staff ? { staff } : {}) };
    return sealedPreview && this.cipher ? { ...dl, preview: this.cipher.open<string>(sealedPreview, outboxContext(key, 'preview')) } : dl;
  }

  private recipientOrUnknown(entry: Stored): Address {
    try {
      return openTo(entry, this.cipher);
    } catch {
      return UNKNOWN;
    }
  }

  /** Newest first. */
  async list(communeId?: string, limit = 100): Promise<DeadLetter[]> {
    const rows = await this.redis.lrange(deadKey(communeId), 0, Math.max(0, limit - 1));
    return rows.map((r) => this.open(JSON.parse(r) as Stored, true));
  }
}
