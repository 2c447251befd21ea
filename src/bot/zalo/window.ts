/**
 * Zalo's messaging window: a consultation message can only reach a user who interacted with the OA
 * (wrote, followed, tapped a menu) in the last 7 days. This module keeps that rule in one place:
 *
 * - `ZaloWindow` records each user's last interaction time and says whether a send can go.
 * - `WindowedSender` wraps the outbox's Zalo sender: outside the window it does not call the API and
 *   throws OutsideWindowError, so the outbox dead-letters the message with reason 'outside_window'.
 * - `ZaloWindowFallback` (window-fallback.ts) handles the dead letters this causes.
 *
 * Redis keys:
 * - `zalo:seen:<user tag>` last interaction, ms since the epoch as text; "0" once Zalo answered -230/-232
 *                        (known closed). Expires 90 days after the interaction (only housekeeping: an
 *                        unknown user is tried and Zalo decides).
 */
import type { Redis } from 'ioredis';
import { OutsideWindowError, type ChannelSender, type SendOptions } from '../../messaging/channel.js';
import type { OutgoingMessage } from '../../messaging/message.js';
import type { UserTag } from './user-tag.js';

const DAY = 24 * 3_600_000;
/** Zalo's window for consultation messages. */
export const ZALO_WINDOW_MS = 7 * DAY;
/** Sends within this time of the last interaction are free; later ones are billed and the window is closing. */
export const ZALO_FREE_WINDOW_MS = 2 * DAY;
const SEEN_TTL_SECONDS = 90 * 24 * 3600;


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
    private readonly tag: UserTag,
    private readonly now: () => number = Date.now,
  ) {}

  private key(userId: string): string {
    return `zalo:seen:${this.tag(userId)}`;
  }

  /** Records an interaction at `at` (the event's own time; a time in the future counts as now). */
  async record(userId: string, at: number = this.now()): Promise<void> {
    const t = Math.min(at, this.now());
    await this.redis.eval(RECORD_IF_NEWER, 1, this.key(userId), String(t), String(SEEN_TTL_SECONDS));
  }

  async state(userId: string): Promise<WindowState> {
    const raw = await this.redis.get(this.key(userId));
    if (raw === null) return { kind: 'unknown' };
    const lastAt = Number(raw);
    if (lastAt <= 0) return { kind: 'closed' };
    const quietMs = this.now() - lastAt;
    return quietMs < ZALO_WINDOW_MS ? { kind: 'open', lastAt, quietMs } : { kind: 'closed', lastAt };
  }

  /** Zalo said the window is closed (-230/-232): no more API calls until the person interacts again. */
  async markClosed(userId: string): Promise<void> {
    await this.redis.set(this.key(userId), '0', 'EX', SEEN_TTL_SECONDS);
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
  async send(chatId: string, message: OutgoingMessage, opts?: SendOptions): Promise<void> {
    const state = await this.window.state(chatId);
    if (state.kind === 'closed') {
      throw new OutsideWindowError('no interaction with the OA in the last 7 days: not sent');
    }
    const wantHint = state.kind === 'open' && state.quietMs > ZALO_FREE_WINDOW_MS;
    const text = wantHint ? message.text : withoutHint(message.text);
    if (text === '') return; // the part held only the hint, and it is not due
    try {
      await this.inner.send(chatId, { ...message, text }, opts);
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
