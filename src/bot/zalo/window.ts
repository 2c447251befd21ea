/**
 * Zalo's messaging window: a consultation message can only reach a user who interacted with the OA
 * (wrote, followed, tapped a menu) in the last 7 days. This module keeps that rule in one place:
 *
 * - `ZaloWindow` records each user's last interaction time and says whether a send can go.
 * - `WindowedSender` wraps the outbox's Zalo sender: outside the window it does not call the API and
 *   throws OutsideWindowError, so the outbox dead-letters the message with reason 'outside_window'.
 * - `ZaloWindowFallback` is the outbox's onDeadLetter hook for those dead letters: it delivers the
 *   message on another channel the person has linked, or tells the commune's officers and admins.
 *
 * Linking (the simplest honest rule, no extra data): staff identities on other channels that hold the
 * same role record (same commune, role and village) as the Zalo identity count as linked. A village head
 * who registered on Zalo and on Telegram with two invite codes is therefore reached on Telegram. For a
 * role several people hold (officers of a commune), the message goes to a colleague with the same role,
 * which is what a role message (alert, reminder) is for; citizens have no role, so for them an officer
 * is told instead.
 *
 * Redis keys:
 * - `zalo:seen:<userId>` last interaction, ms since the epoch as text; "0" once Zalo answered -230/-232
 *                        (known closed). Expires 90 days after the interaction (only housekeeping: an
 *                        unknown user is tried and Zalo decides).
 */
import { localDay } from '../../domain/workdays.js';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { OutsideWindowError, type ChannelSender } from '../../core/errors.js';
import { addressOfIdentity, type OutgoingMessage } from '../../core/message.js';
import { outboxJobId, outboxQueueName, type DeadLetter, type OutboxJobData } from '../../jobs/outbox.js';
import { notifyRoles } from '../../jobs/notify.js';
import type { Services } from '../../handlers/context.js';
import { ROLE_LABEL, type Member } from '../../store/roles.js';

const DAY = 24 * 3_600_000;
/** Zalo's window for consultation messages. */
export const ZALO_WINDOW_MS = 7 * DAY;
/** Sends within this time of the last interaction are free; later ones are billed and the window is closing. */
export const ZALO_FREE_WINDOW_MS = 2 * DAY;
const SEEN_TTL_SECONDS = 90 * 24 * 3600;

const seenKey = (userId: string) => `zalo:seen:${userId}`;

/** Stores `at` only when newer than what is stored: Zalo retries old deliveries for up to an hour. */
const RECORD_IF_NEWER = `
local old = tonumber(redis.call('get', KEYS[1]) or '-1')
if old < tonumber(ARGV[1]) then
  redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return 1
end
return 0`;

export type WindowState =
  | { kind: 'open'; lastAt: number; quietMs: number }
  | { kind: 'closed'; lastAt?: number }
  /** Never seen (or the record expired): the API is tried and its answer decides. */
  | { kind: 'unknown' };

export class ZaloWindow {
  constructor(
    private readonly redis: Redis,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an interaction at `at` (the event's own time; a time in the future counts as now). */
  async record(userId: string, at: number = this.now()): Promise<void> {
    const t = Math.min(at, this.now());
    await this.redis.eval(RECORD_IF_NEWER, 1, seenKey(userId), String(t), String(SEEN_TTL_SECONDS));
  }

  async state(userId: string): Promise<WindowState> {
    const raw = await this.redis.get(seenKey(userId));
    if (raw === null) return { kind: 'unknown' };
    const lastAt = Number(raw);
    if (lastAt <= 0) return { kind: 'closed' };
    const quietMs = this.now() - lastAt;
    return quietMs < ZALO_WINDOW_MS ? { kind: 'open', lastAt, quietMs } : { kind: 'closed', lastAt };
  }

  /** Zalo said the window is closed (-230/-232): no more API calls until the person interacts again. */
  async markClosed(userId: string): Promise<void> {
    await this.redis.set(seenKey(userId), '0', 'EX', SEEN_TTL_SECONDS);
  }
}

/**
 * Said at the end of a proactive message when the person has been quiet for more than two days: an
 * answer reopens the window, so reminders to village heads on Zalo keep reaching them.
 */
export const ZALO_REPLY_HINT = '(Xin trả lời một chữ bất kỳ, ví dụ "ok", để kênh Zalo của xã tiếp tục gửi được tin cho bạn.)';

/**
 * The outbox's Zalo sender: checks the window before every send and learns from Zalo's -230.
 *
 * The outbox sends `split`'s parts one `send` at a time. Whether the reply hint is due depends on the
 * window, which `split` (synchronous) cannot read; so `split` always places the hint where it belongs,
 * after the text, and `send` takes it out again when the person is not quiet enough for it. The parts
 * are thus the same on every retry, whatever the window says, and the outbox's part count stays valid.
 */
export class WindowedSender implements ChannelSender {
  constructor(
    private readonly inner: ChannelSender,
    private readonly window: ZaloWindow,
  ) {}

  split(message: OutgoingMessage): OutgoingMessage[] {
    const hinted = { ...message, text: `${message.text}\n\n${ZALO_REPLY_HINT}` };
    return this.inner.split ? this.inner.split(hinted) : [hinted];
  }

  /** Sends one part from `split`. */
  async send(chatId: string, message: OutgoingMessage): Promise<void> {
    const state = await this.window.state(chatId);
    if (state.kind === 'closed') {
      throw new OutsideWindowError('no interaction with the OA in the last 7 days: not sent');
    }
    const wantHint = state.kind === 'open' && state.quietMs > ZALO_FREE_WINDOW_MS;
    const text = wantHint ? message.text : withoutHint(message.text);
    if (text === '') return; // the part held only the hint, and it is not due
    try {
      await this.inner.send(chatId, { ...message, text });
    } catch (err) {
      if (err instanceof OutsideWindowError) await this.window.markClosed(chatId);
      throw err;
    }
  }
}

/**
 * A part's text without the reply hint. The hint is short and set off by blank lines, where splitText
 * prefers to cut, so it is never cut itself; it can end a part, be a part alone, or (when numbered
 * choices follow it) start one. The blank lines on either side of it become one.
 */
function withoutHint(text: string): string {
  const at = text.indexOf(ZALO_REPLY_HINT);
  if (at < 0) return text;
  return `${text.slice(0, at).trimEnd()}\n\n${text.slice(at + ZALO_REPLY_HINT.length).trimStart()}`.trim();
}

export interface ZaloWindowFallbackDeps {
  /** A getter: the runtime builds Services after the outbox, which holds this hook. */
  services: () => FallbackServices;
}
type FallbackServices = Pick<Services, 'roles' | 'outbox' | 'config' | 'cipher' | 'log' | 'now' | 'redis'>;

/** Purpose of the officer notice; a notice that itself cannot go is not announced again. */
const NOTICE_PURPOSE = 'zalo-window';

/**
 * The outbox's onDeadLetter hook for Zalo messages refused for the window. The dead letter carries no
 * message text (it is shown to admins), so the message is read back from the outbox job, which still
 * exists while the hook runs (the outbox calls the hook before failing the job).
 */
export class ZaloWindowFallback {
  private queue?: Queue<OutboxJobData>;

  constructor(private readonly deps: ZaloWindowFallbackDeps) {}

  async close(): Promise<void> {
    await this.queue?.close();
  }

  /** True when it dealt with the dead letter (so the general dead-letter announcement is not needed). */
  async onDeadLetter(dl: DeadLetter): Promise<boolean> {
    if (dl.to.channel !== 'zalo' || dl.reason !== 'outside_window') return false;
    const services = this.deps.services();
    const identity = `zalo:${dl.to.chatId}`;
    const member = await services.roles.get(identity);

    const linked = member ? await this.linkedIdentities(identity, member) : [];
    const message = linked.length > 0 ? await this.readMessage(dl.key) : undefined;
    if (message) {
      // notifyRoles/notifyIdentity end keys with the recipient's identity; swapping it for the linked
      // one gives the key a role message to that identity already has, so nobody gets it twice.
      const base = dl.key.endsWith(`:${identity}`) ? dl.key.slice(0, -identity.length - 1) : dl.key;
      for (const other of linked) {
        await services.outbox.enqueue({
          to: addressOfIdentity(other),
          message,
          key: `${base}:${other}`,
          ...(dl.communeId ? { communeId: dl.communeId } : {}),
          preview: dl.preview,
        });
      }
      services.log.info({ purpose: dl.key.split(':')[0], linked: linked.length }, 'zalo window closed: sent on a linked channel');
      return true;
    }

    if (dl.key.startsWith(`${NOTICE_PURPOSE}:`)) {
      services.log.warn('a zalo window notice could not be delivered either; not announcing it again');
      return true;
    }
    const communeId = member?.communeId ?? dl.communeId ?? soleCommune(services.config.communes);
    if (!communeId) {
      services.log.warn({ purpose: dl.key.split(':')[0] }, 'zalo window closed and no commune to tell');
      return true;
    }
    const who = member ? `${ROLE_LABEL[member.role]}${member.village ? ` ${member.village}` : ''}` : 'một người dân liên hệ qua Zalo';
    const text =
      `⚠️ Chưa gửi được tin qua Zalo tới ${who}: người này đã hơn 7 ngày không nhắn cho kênh Zalo của xã nên Zalo không cho gửi. ` +
      'Xin liên hệ trực tiếp (gọi điện, gặp mặt), hoặc nhờ họ nhắn một tin bất kỳ cho kênh Zalo của xã. Quản trị viên xem chi tiết bằng /loigui.';
    const day = localDay(services.now(), 'Asia/Ho_Chi_Minh');
    // One notice per person per day, however many messages were refused.
    const sent = await notifyRoles(services, communeId, ['officer', 'admin'], { text }, `${NOTICE_PURPOSE}:${dl.to.chatId}:${day}`, {
      exclude: [identity],
      preview: 'zalo window closed',
    });
    services.log.info({ communeId, told: sent.length }, 'zalo window closed: officers told');
    return true;
  }

  /** Reachable identities on other channels holding the same role record. */
  private async linkedIdentities(identity: string, member: Member): Promise<string[]> {
    const { roles, outbox } = this.deps.services();
    const same = await roles.members(member.communeId, member.role);
    const out: string[] = [];
    for (const m of same) {
      if (m.identity === identity || m.identity.startsWith('zalo:') || m.village !== member.village) continue;
      if (!(await outbox.isUnreachable(addressOfIdentity(m.identity)))) out.push(m.identity);
    }
    return out;
  }

  private async readMessage(key: string): Promise<OutgoingMessage | undefined> {
    const services = this.deps.services();
    this.queue ??= new Queue<OutboxJobData>(outboxQueueName('zalo'), { connection: services.redis });
    const job = await this.queue.getJob(outboxJobId(key));
    if (!job) return undefined;
    if (job.data.message) return job.data.message;
    if (job.data.sealedMessage === undefined) return undefined;
    try {
      return services.cipher.open<OutgoingMessage>(job.data.sealedMessage);
    } catch (err) {
      services.log.error({ err: (err as Error).message }, 'zalo window fallback: cannot open the message');
      return undefined;
    }
  }
}

function soleCommune(communes: readonly { id: string }[]): string | undefined {
  return communes.length === 1 ? communes[0]?.id : undefined;
}
