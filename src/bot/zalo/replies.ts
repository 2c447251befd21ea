/**
 * Zalo's free replies (docs/zalo.md "What Zalo lets an OA send"): after a person writes, the OA may
 * send 8 replies within 48 hours, each carrying the `message_id` of the person's message; each new
 * message from them starts a fresh allowance. Anything else is a proactive message, drawn on the
 * monthly quota. This module keeps, per person, their latest message and how many replies it has had,
 * and hands out reply slots atomically, so several processes never spend a 9th "free" reply.
 *
 * Redis key `zalo:reply:<user tag>` (hash, user-tag.ts): `msg` the person's latest msg_id, `at` its time (ms), `used`
 * replies sent for it. Expires with the allowance.
 */
import type { Redis } from 'ioredis';
import type { UserTag } from './user-tag.js';

/** Free replies per message of the person. */
export const ZALO_FREE_REPLIES = 8;
/** How long after the person's message those replies are free. */
export const ZALO_REPLY_WINDOW_MS = 48 * 3_600_000;


/**
 * Newer messages only: Zalo's retries of an older event must not reset a newer allowance. The expiry is
 * counted from our clock (ARGV[4]), as CLAIM counts, not Redis's: the two need not agree.
 */
const RECORD = `
local at = tonumber(redis.call('hget', KEYS[1], 'at') or '-1')
if at >= tonumber(ARGV[2]) then return 0 end
redis.call('hset', KEYS[1], 'msg', ARGV[1], 'at', ARGV[2], 'used', '0')
redis.call('pexpire', KEYS[1], math.max(1, tonumber(ARGV[2]) + tonumber(ARGV[3]) - tonumber(ARGV[4])))
return 1`;

/** Takes a slot when one is left: returns {msg, used after} or {reason}. */
const CLAIM = `
local h = redis.call('hmget', KEYS[1], 'msg', 'at', 'used')
if not h[1] then return {'none'} end
if tonumber(ARGV[1]) - tonumber(h[2]) >= tonumber(ARGV[2]) then return {'expired', h[2]} end
local used = tonumber(h[3])
if used >= tonumber(ARGV[3]) then return {'used_up', h[2]} end
redis.call('hincrby', KEYS[1], 'used', 1)
return {'reply', h[1], tostring(used + 1)}`;

/** Gives a slot back if the allowance is still the one it came from. */
const RELEASE = `
if redis.call('hget', KEYS[1], 'msg') ~= ARGV[1] then return 0 end
if tonumber(redis.call('hget', KEYS[1], 'used')) > 0 then redis.call('hincrby', KEYS[1], 'used', -1) end
return 1`;

export type ReplySlot =
  /** Send in the reply form naming `messageId`: free. `left` replies remain after this one. */
  | { kind: 'reply'; messageId: string; left: number }
  /** Would be proactive: no message of theirs on record, its 48 h are over, or its 8 replies are spent. */
  | { kind: 'proactive'; reason: 'none' | 'expired' | 'used_up'; lastAt?: number };

export class ZaloReplies {
  constructor(
    private readonly redis: Redis,
    private readonly tag: UserTag,
    private readonly now: () => number = Date.now,
  ) {}

  private key(userId: string): string {
    return `zalo:reply:${this.tag(userId)}`;
  }

  /** The person wrote (`msgId` at `at`, the event's own time): a fresh allowance. */
  async recordIncoming(userId: string, msgId: string, at: number = this.now()): Promise<void> {
    const now = this.now();
    const t = Math.min(at, now);
    await this.redis.eval(RECORD, 1, this.key(userId), msgId, String(t), String(ZALO_REPLY_WINDOW_MS), String(now));
  }

  /** Claims one free reply for a message about to go to `userId`. */
  async claim(userId: string): Promise<ReplySlot> {
    const r = (await this.redis.eval(CLAIM, 1, this.key(userId), String(this.now()), String(ZALO_REPLY_WINDOW_MS), String(ZALO_FREE_REPLIES))) as string[];
    if (r[0] === 'reply') return { kind: 'reply', messageId: r[1] ?? '', left: ZALO_FREE_REPLIES - Number(r[2]) };
    const reason = r[0] === 'expired' || r[0] === 'used_up' ? r[0] : 'none';
    return r[1] !== undefined ? { kind: 'proactive', reason, lastAt: Number(r[1]) } : { kind: 'proactive', reason };
  }

  /** Reads without claiming: what the next message to `userId` would be. */
  async peek(userId: string): Promise<ReplySlot> {
    const h = await this.redis.hmget(this.key(userId), 'msg', 'at', 'used');
    const [msg, at, used] = h;
    if (!msg || !at) return { kind: 'proactive', reason: 'none' };
    const lastAt = Number(at);
    if (this.now() - lastAt >= ZALO_REPLY_WINDOW_MS) return { kind: 'proactive', reason: 'expired', lastAt };
    const left = ZALO_FREE_REPLIES - Number(used ?? 0);
    return left > 0 ? { kind: 'reply', messageId: msg, left: left - 1 } : { kind: 'proactive', reason: 'used_up', lastAt };
  }

  /** The send did not go after all: the slot is not spent. */
  async release(userId: string, messageId: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key(userId), messageId);
  }
}
