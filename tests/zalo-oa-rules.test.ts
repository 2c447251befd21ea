/**
 * What the OA's messages cost (docs/zalo.md): replies in the reply form naming the person's message,
 * 8 free per message of theirs, then proactive; the quota each send reports, and admins told once when
 * it runs low; messages that can wait held for the person's next message instead of being billed;
 * people writing without following the OA. Against the fake OA, which bills like Zalo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZALO_ANONYMOUS_NOTE } from '../src/bot/zalo/inbound-job.js';
import { postZalo, startZaloHarness, zaloEvent, zaloProcessed, type ZaloHarness } from './helpers/channels.js';
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
    // The quota is recorded from the send's answer, a moment after the fake has the message.
    const quota = h.svc.runtime.zalo!.quota;
    await until(async () => (await quota.status())?.type === 'sub_quota', 10_000, 'the proactive quota recorded');
    expect(await quota.status()).toMatchObject({ type: 'sub_quota', remain: 101, total: 102 });

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

describe('people who do not follow the OA', () => {
  it('anonymous_send_text reaches the same conversation, answered in the reply form, with one honest note', async () => {
    const userId = '8400222222222222223';
    const say = async (eventName: string, extra: { text?: string; attachments?: unknown[] }) => {
      const body = zaloEvent(h.fake.appId, eventName, userId, extra);
      expect((await postZalo(h.svc, body)).statusCode).toBe(200);
      await zaloProcessed(h.svc, body);
    };
    await say('anonymous_send_text', { text: '/start' });
    const first = to(userId);
    expect(first.map((m) => m.text).join('\n')).toContain('/baocao');
    expect(first.at(-1)?.text).toBe(ZALO_ANONYMOUS_NOTE);
    expect(first.every((m) => m.quotaType === 'reply' && m.replyTo)).toBe(true);
    await say('anonymous_send_text', { text: 'tôi muốn báo cáo' });
    await say('anonymous_send_image', { attachments: [{ type: 'image', payload: { url: 'https://f.zalo.me/a.jpg' } }] });
    const later = to(userId).slice(first.length).map((m) => m.text);
    expect(later.length).toBeGreaterThan(1);
    expect(later).not.toContain(ZALO_ANONYMOUS_NOTE);
    expect(later.join('\n')).toContain('việc gì');
  });
});

describe('messages that can wait', () => {
  const reminder = (userId: string, n: number, canWaitMs: number) =>
    h.svc.runtime.services.outbox.enqueue({ to: { channel: 'zalo', chatId: userId }, message: { text: `Nhắc việc ${n}: hạn gửi số liệu tháng.` }, key: `wait-test:${userId}:${n}`, canWaitMs });

  it('wait for the person\'s next message instead of going out billed, then go as a free reply after the answer', async () => {
    const person = h.user(7);
    const userId = person.identity.slice('zalo:'.length);
    const { outbox } = h.svc.runtime.services;
    await person.say('/start');
    while ((await h.svc.runtime.zalo!.replies.claim(userId)).kind === 'reply'); // the free replies are spent
    const before = to(userId).length;
    await reminder(userId, 1, 3_600_000);
    await until(async () => (await outbox.heldFor({ channel: 'zalo', chatId: userId })).length === 1, 10_000, 'the reminder held');
    expect(to(userId)).toHaveLength(before); // nothing billed

    const answer = await person.say('/help');
    await until(() => to(userId).some((m) => m.text.startsWith('Nhắc việc 1')), 10_000, 'the held reminder');
    const after = to(userId).slice(before);
    expect(after.at(-1)).toMatchObject({ text: expect.stringContaining('Nhắc việc 1'), quotaType: 'reply', replyTo: expect.stringMatching(/^m/) });
    expect(after.slice(0, answer.length).map((m) => m.text)).toEqual(answer); // the answer first
    expect(await outbox.heldFor({ channel: 'zalo', chatId: userId })).toEqual([]);
  });

  it('go out anyway, billed, when the person has not written by the end of the wait', async () => {
    const userId = '8400444444444444445'; // never wrote: no free reply
    await reminder(userId, 2, 1500);
    await until(() => to(userId).length === 1, 15_000, 'the reminder once the wait is over');
    expect(to(userId)[0]).toMatchObject({ text: expect.stringContaining('Nhắc việc 2'), quotaType: expect.not.stringMatching(/^reply$/) });
    expect(to(userId)[0]?.replyTo).toBeUndefined();
  });

  it('an urgent alert never waits', async () => {
    const userId = '8400555555555555556';
    await h.svc.runtime.services.outbox.enqueue({ to: { channel: 'zalo', chatId: userId }, message: { text: '🚨 Báo cáo khẩn' }, key: `wait-test:${userId}:alert`, urgent: true });
    await until(() => to(userId).length === 1, 10_000, 'the alert');
    expect(await h.svc.runtime.services.outbox.heldFor({ channel: 'zalo', chatId: userId })).toEqual([]);
  });
});
