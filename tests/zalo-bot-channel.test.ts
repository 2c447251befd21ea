/**
 * The Zalo Bot channel in the running service, against the local fake Bot API: the webhook's secret
 * token, messages without content, long polling, and proactive sends through the outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type RunningWorkers } from '../src/app/workers.js';
import { botUpdate } from './helpers/fake-zalo-bot.js';
import { postZaloBot, startZaloBotHarness, type ZaloBotHarness } from './helpers/zalo-bot-harness.js';
import { until } from './helpers/wait.js';

let h: ZaloBotHarness;
let workers: RunningWorkers;
beforeAll(async () => {
  h = await startZaloBotHarness();
  // The outbox only: scheduled jobs would write to the fake.
  workers = await startWorkers(h.svc.runtime, []);
});
afterAll(async () => {
  await workers?.close();
  await h?.stop();
});

describe('Zalo Bot webhook', () => {
  it('answers /start through sendMessage with the chat id and the menu as numbered lines', async () => {
    const replies = await h.user(1).say('/start');
    expect(replies.join('\n')).toMatch(/\n1\. /);
    const call = h.fake.callsTo('sendMessage').at(-1);
    expect(call).toMatchObject({ token: h.fake.token, contentType: 'application/json', payload: { chat_id: 'b0b00000000000000001' } });
  });

  it('refuses a missing or wrong secret token with 401 and sends nothing', async () => {
    const before = h.fake.calls.length;
    expect(await postZaloBot(h.svc, botUpdate('b0b0ffff', { text: '/start' }), null)).toBe(401);
    expect(await postZaloBot(h.svc, botUpdate('b0b0ffff', { text: '/start' }), 'guessed-secret')).toBe(401);
    expect(h.fake.calls.length).toBe(before);
  });

  it('with the right secret, a body that is not JSON or not an update is dropped with 200 (Zalo would resend an error), and nothing is sent', async () => {
    const before = h.fake.calls.length;
    expect(await postZaloBot(h.svc, '{"event_name": "message.text.received", ')).toBe(200);
    expect(await postZaloBot(h.svc, { ok: true, result: { event_name: 42 } })).toBe(200);
    expect(h.fake.calls.length).toBe(before);
    expect(await postZaloBot(h.svc, '{not json', 'guessed-secret')).toBe(401);
  });

  it('a message without content gets the hotlines and the commune OA at once, once, and is only counted', async () => {
    const chat = 'b0b0aaaa00000000cccc';
    const update = botUpdate(chat, { eventName: 'message.unsupported.received', messageId: 'unsup-1' });
    expect(await postZaloBot(h.svc, update)).toBe(200);
    expect(await postZaloBot(h.svc, update)).toBe(200); // Zalo's repeat
    const texts = h.fake.sentTexts(chat);
    expect(texts).toHaveLength(1);
    for (const s of ['111', '113', '115', 'Zalo OA "UBND xã Bảo Linh"']) expect(texts[0]).toContain(s);
    expect(texts[0]).not.toContain(chat);
    const counts = await h.svc.runtime.zaloBot!.unsupported.recent(1);
    expect(counts[0]?.count).toBe(1);
  });

  it('a proactive message goes through the outbox to the bot chat', async () => {
    const chat = 'b0b0dddd00000000eeee';
    await h.svc.runtime.services.outbox.enqueue({ to: { channel: 'zalobot', chatId: chat }, message: { text: 'Nhắc việc: hạn nộp số liệu.' }, key: `test:${chat}` });
    await until(() => h.fake.sentTexts(chat).length === 1, 10_000, 'the outbox send');
    expect(h.fake.sentTexts(chat)).toEqual(['Nhắc việc: hạn nộp số liệu.']);
  });
});

describe('Zalo Bot long polling', () => {
  it('without a webhook secret the service polls, removes any webhook, and answers', async () => {
    const p = await startZaloBotHarness({ ZALO_BOT_WEBHOOK_SECRET: '' });
    try {
      await p.svc.runtime.zaloBot!.start();
      expect(p.fake.callsTo('deleteWebhook')).toHaveLength(1);
      p.fake.queueUpdate(botUpdate('b0b0poll', { text: '/start' }));
      await until(() => p.fake.sentTexts('b0b0poll').length > 0, 10_000, 'the reply to a polled update');
      expect(p.fake.sentTexts('b0b0poll').join('\n')).toMatch(/\n1\. /);
    } finally {
      await p.stop();
    }
  });
});
