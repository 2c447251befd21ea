/**
 * What the OA's messages cost (docs/zalo.md): replies in the reply form naming the person's message,
 * 8 free per message of theirs, then proactive; the quota each send reports, and admins told once when
 * it runs low. Against the fake OA, which bills like Zalo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZaloHarness, type ZaloHarness } from './helpers/channels.js';
import { until } from './helpers/wait.js';

const COMMUNE = 'bao-linh';
const ADMIN = '8400999999999999991';
let h: ZaloHarness;

beforeAll(async () => {
  // 102 proactive messages left: the low mark (100) is reached after two proactive sends.
  h = await startZaloHarness({ fake: { proactiveQuota: 102 } });
  await h.svc.runtime.services.roles.assign({ identity: `zalo:${ADMIN}`, communeId: COMMUNE, role: 'admin', since: Date.now() }, 'test');
});
afterAll(async () => {
  await h?.stop();
});

const to = (userId: string) => h.fake.messages.filter((m) => m.userId === userId);

describe('replies and proactive messages', () => {
  it('answers in the reply form naming the message; after 8 free replies the rest is proactive; the quota is recorded', async () => {
    const person = h.user(1);
    const userId = person.identity.slice('zalo:'.length);
    const replies = await person.say('/start');
    expect(replies.length).toBeGreaterThan(0);
    const direct = to(userId);
    expect(direct.every((m) => m.quotaType === 'reply' && m.replyTo?.startsWith('m'))).toBe(true);
    const used = direct.length;

    const { outbox } = h.svc.runtime.services;
    for (let i = 0; i < 9 - used; i++) {
      await outbox.enqueue({ to: { channel: 'zalo', chatId: userId }, message: { text: `Thông báo ${i + 1}` }, key: `bill-test:${i}` });
      await until(() => to(userId).length === used + i + 1, 10_000, `notice ${i + 1}`);
    }
    const all = to(userId);
    expect(all.slice(0, 8).map((m) => m.quotaType)).toEqual(Array(8).fill('reply'));
    expect(all[8]).toMatchObject({ quotaType: 'sub_quota' });
    expect(all[8]?.replyTo).toBeUndefined();
    expect(await h.svc.runtime.zalo!.quota.status()).toMatchObject({ type: 'sub_quota', remain: 101, total: 102 });

    // A new message from the person: free replies again, naming it.
    await person.say('/help');
    expect(to(userId).at(-1)).toMatchObject({ quotaType: 'reply' });
  });

  it('tells the admins once when the proactive quota runs low', async () => {
    const userId = '8400111111111111112'; // never wrote: every message to them is proactive
    const { outbox } = h.svc.runtime.services;
    for (const i of [1, 2, 3]) {
      await outbox.enqueue({ to: { channel: 'zalo', chatId: userId }, message: { text: `Tin ${i}` }, key: `low-test:${i}` });
    }
    await until(() => to(userId).length === 3, 10_000, 'three proactive sends');
    await until(() => to(ADMIN).length > 0, 10_000, 'the admins to be told');
    await new Promise((r) => setTimeout(r, 300));
    const told = to(ADMIN).map((m) => m.text);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/chỉ còn \d+ tin chủ động/);
  });
});
