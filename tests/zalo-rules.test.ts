/**
 * The OA's rules kept per person and per month (free replies, quota) and the person's chosen channel
 * links, against a real redis-server.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { quotaOf, ZaloQuotaLedger } from '../src/bot/zalo/quota.js';
import { ZALO_FREE_REPLIES, ZaloReplies } from '../src/bot/zalo/replies.js';
import { refreshDueAt } from '../src/bot/zalo/token-timing.js';
import { UnsupportedCounter } from '../src/bot/zalo-bot/unsupported.js';
import { LinkStore } from '../src/store/links.js';
import { AuditLog } from '../src/store/audit.js';
import { DataCipher, generateDataKey } from '../src/store/crypto.js';
import { useTestRedis } from './helpers/redis.js';
import { zaloUserTag } from '../src/bot/zalo/user-tag.js';

const tag = zaloUserTag(DataCipher.fromString('cd'.repeat(32)));

const HOUR = 3_600_000;
const USER = '8400123456789012345';
const redis = useTestRedis({ flushEach: true });
let clock = Date.UTC(2026, 11, 1, 3);
const now = () => clock;

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 1, 3);
});

describe('free replies', () => {
  it('8 replies name the person\'s message, the 9th would be proactive; a new message starts again', async () => {
    const replies = new ZaloReplies(redis.client, tag, now);
    expect(await replies.claim(USER)).toEqual({ kind: 'proactive', reason: 'none' });
    await replies.recordIncoming(USER, 'msg-1', clock);
    const slots = [];
    for (let i = 0; i < ZALO_FREE_REPLIES + 1; i++) slots.push(await replies.claim(USER));
    expect(slots.slice(0, 8).map((s) => s.kind === 'reply' && s.messageId)).toEqual(Array(8).fill('msg-1'));
    expect(slots[7]).toMatchObject({ left: 0 });
    expect(slots[8]).toMatchObject({ kind: 'proactive', reason: 'used_up' });
    clock += 1000;
    await replies.recordIncoming(USER, 'msg-2', clock);
    expect(await replies.claim(USER)).toEqual({ kind: 'reply', messageId: 'msg-2', left: 7 });
  });

  it('after 48 hours the allowance is over; an older retried event does not reset a newer one', async () => {
    const replies = new ZaloReplies(redis.client, tag, now);
    await replies.recordIncoming(USER, 'new', clock);
    await replies.recordIncoming(USER, 'old', clock - HOUR);
    expect(await replies.peek(USER)).toMatchObject({ kind: 'reply', messageId: 'new' });
    clock += 48 * HOUR;
    expect(await replies.claim(USER)).toMatchObject({ kind: 'proactive', reason: 'expired' });
  });

  it('a released slot is not spent; concurrent claims never hand out a 9th', async () => {
    const replies = new ZaloReplies(redis.client, tag, now);
    await replies.recordIncoming(USER, 'm', clock);
    const got = await Promise.all(Array.from({ length: 20 }, () => replies.claim(USER)));
    expect(got.filter((s) => s.kind === 'reply')).toHaveLength(8);
    await replies.release(USER, 'm');
    expect(await replies.claim(USER)).toMatchObject({ kind: 'reply', left: 0 });
  });
});

describe('monthly quota', () => {
  it('reads the quota from a send answer, nested or flat, numbers as text', () => {
    expect(quotaOf({ message_id: 'x', quota: { quota_type: 'sub_quota', remain: '950', total: '1000' } })).toEqual({ type: 'sub_quota', remain: 950, total: 1000 });
    expect(quotaOf({ quota_type: 'reply' })).toEqual({ type: 'reply' });
    expect(quotaOf({ message_id: 'x' })).toBeUndefined();
  });

  it('records what remains and says "low" once a month, at the threshold', async () => {
    const ledger = new ZaloQuotaLedger(redis.client, { now, lowAt: 100 });
    expect(await ledger.record({ type: 'reply' })).toBe(false);
    expect(await ledger.record({ type: 'sub_quota', remain: 101, total: 1000 })).toBe(false);
    expect(await ledger.record({ type: 'sub_quota', remain: 100, total: 1000 })).toBe(true);
    expect(await ledger.record({ type: 'sub_quota', remain: 99, total: 1000 })).toBe(false);
    expect(await ledger.status()).toEqual({ month: '2026-12', type: 'sub_quota', remain: 99, total: 1000, at: clock, sent: { reply: 1, sub_quota: 3 } });
    clock = Date.UTC(2026, 11, 31, 17, 30); // 00:30 on 1 January in Vietnam: a new month
    expect(await ledger.record({ type: 'sub_quota', remain: 50, total: 1000 })).toBe(true);
  });
});

describe('token refresh timing', () => {
  it('at 80% of the lifetime, never for a token younger than the floor, never after expiry', () => {
    expect(refreshDueAt(0, 25 * HOUR)).toBe(20 * HOUR);
    expect(refreshDueAt(1000, 100_000, { floorMs: 10_000 })).toBe(81_000);
    expect(refreshDueAt(0, 60_000, { floorMs: 600_000 })).toBe(60_000);
    expect(refreshDueAt(0, 20 * 60_000)).toBe(16 * 60_000);
  });
});

describe('channel links', () => {
  const A = 'zalo:8400123456789012345';
  const B = 'zalobot:e4ea2cd5189df1c3a88c';

  it('a code from the first channel, typed on the second, links them once; admins see and remove it', async () => {
    const links = new LinkStore(redis.client, new AuditLog(redis.client, DataCipher.fromString(generateDataKey())));
    const code = await links.issueCode(A);
    expect(code).toMatch(/^\d{6}$/);
    expect(await links.redeem(code, B)).toEqual({ ok: true, primary: A });
    expect(await links.redeem(code, 'telegram:1')).toEqual({ ok: false, reason: 'invalid' });
    expect(await links.othersOf(A)).toEqual([B]);
    expect(await links.othersOf(B)).toEqual([A]);
    expect(await links.list()).toEqual([{ primary: A, linked: B }]);
    expect(await links.unlink(B, 'admin')).toBe(1);
    expect(await links.list()).toEqual([]);
    expect(await links.othersOf(A)).toEqual([]);
  });

  it('a new code replaces the old; same channel refused (guessing is slowed by the shared limiter: guesses.test.ts)', async () => {
    const links = new LinkStore(redis.client, new AuditLog(redis.client, DataCipher.fromString(generateDataKey())));
    const first = await links.issueCode(A);
    const second = await links.issueCode(A);
    expect(await links.redeem(first, B)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await links.redeem(second, 'zalo:1')).toEqual({ ok: false, reason: 'same_channel' });
  });
});

describe('messages without content', () => {
  it('are counted per Vietnam day, and only counted', async () => {
    const counter = new UnsupportedCounter(redis.client, 'Asia/Ho_Chi_Minh', now);
    await counter.count();
    await counter.count();
    clock += 24 * HOUR;
    await counter.count();
    expect(await counter.recent(3)).toEqual([
      { day: '2026-11-30', count: 0 },
      { day: '2026-12-01', count: 2 },
      { day: '2026-12-02', count: 1 },
    ]);
  });
});
