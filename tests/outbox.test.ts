import { Api } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { splitText, inlineKeyboard, renderTelegram, RenderError } from '../src/bot/telegram/render.js';
import { TelegramSender } from '../src/bot/telegram/sender.js';
import type { DeadLetter } from '../src/actions/outbox/dead-letters.js';
import { TestOutbox, type TestOutboxOptions } from './helpers/outbox.js';
import { outboxIdle } from './helpers/outbox-wait.js';
import { OutsideWindowError } from '../src/messaging/channel.js';
import { silentLogger } from '../src/logger.js';
import { DataCipher } from '../src/store/crypto.js';
import { startFakeTelegram, type FakeTelegram } from './helpers/fake-telegram.js';
import { useTestRedis } from './helpers/redis.js';
import { dumpText } from './helpers/redis-dump.js';

const TOKEN = '123456:TEST-token';
const redis = useTestRedis();
let fake: FakeTelegram;
const outboxes: TestOutbox[] = [];

beforeEach(async () => {
  fake = await startFakeTelegram({ token: TOKEN });
});
afterEach(async () => {
  await Promise.all(outboxes.splice(0).map((o) => o.close({ force: true }).catch(() => undefined)));
  await fake.close();
  await redis.client.flushall();
});

function makeOutbox(extra: Partial<TestOutboxOptions> = {}): TestOutbox {
  const sender = new TelegramSender(new Api(TOKEN, { apiRoot: fake.apiRoot }));
  const outbox = new TestOutbox({
    connection: redis.url,
    senders: { telegram: sender },
    logger: silentLogger,
    retry: { attempts: 5, backoffMs: 40 },
    worker: { lockDurationMs: 1000, stalledIntervalMs: 300 },
    ...extra,
  });
  outboxes.push(outbox);
  return outbox;
}

async function until<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const tg = (chatId: string) => ({ channel: 'telegram' as const, chatId });

describe('render', () => {
  it('splits long text at breaks, each part within 4,096 characters', () => {
    const para = 'Trẻ em cần được bảo vệ. '.repeat(100);
    const text = `${para}\n\n${para}\n\n${para}`;
    const parts = splitText(text);
    expect(parts.map((p) => p.trim())).toEqual([para.trim(), para.trim(), para.trim()]); // one part per paragraph
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    const squash = (t: string): string => t.replace(/\s+/g, ' ').trim();
    expect(squash(parts.join(' ')) === squash(text)).toBe(true); // nothing lost but the breaks
    // A text without any break is cut hard, never inside an emoji's surrogate pair.
    const emoji = '😀'.repeat(3000);
    const cut = splitText(emoji);
    expect(cut.join('')).toBe(emoji);
    for (const p of cut) expect(p.length).toBeLessThanOrEqual(4096);
  });

  it('lays out buttons: two per row when short, one per row when long; checks callback_data size', () => {
    expect(inlineKeyboard([{ label: 'Có', value: 'y' }, { label: 'Không', value: 'n' }, { label: 'Để sau', value: 'l' }]))
      .toEqual({
        inline_keyboard: [
          [{ text: 'Có', callback_data: 'y' }, { text: 'Không', callback_data: 'n' }],
          [{ text: 'Để sau', callback_data: 'l' }],
        ],
      });
    const long = inlineKeyboard([{ label: 'Xác nhận đã tiếp nhận vụ việc', value: 'ack' }, { label: 'Có', value: 'y' }]);
    expect(long.inline_keyboard).toHaveLength(2);
    expect(() => inlineKeyboard([{ label: 'x', value: 'đ'.repeat(33) }])).toThrow(RenderError); // 66 bytes
    expect(() => renderTelegram({ text: '   ' })).toThrow(RenderError);
  });
});

describe('outbox with Telegram', () => {
  it('delivers a message with its buttons as an inline keyboard', async () => {
    const outbox = makeOutbox();
    await outbox.startWorkers();
    const choices = [{ label: 'Đã nhận', value: 'ack:AB12' }, { label: 'Chuyển', value: 'fwd:AB12' }];
    expect(await outbox.enqueue({ to: tg('1001'), key: 'alert:telegram:1001:AB12', message: { text: 'Có báo cáo mới AB12', choices } })).toBe('queued');
    const [call] = await fake.waitForDelivered(1);
    expect(call?.token).toBe(TOKEN);
    expect(call?.payload).toMatchObject({
      chat_id: '1001',
      text: 'Có báo cáo mới AB12',
      reply_markup: {
        inline_keyboard: [[{ text: 'Đã nhận', callback_data: 'ack:AB12' }, { text: 'Chuyển', callback_data: 'fwd:AB12' }]],
      },
    });
  });

  it('sends a key enqueued twice only once, and refuses it once sent', async () => {
    const outbox = makeOutbox();
    const item = { to: tg('1002'), key: 'reminder:telegram:1002:2025-10', message: { text: 'Nhắc gửi số liệu tháng' } };
    await outbox.enqueue(item);
    await outbox.enqueue(item);
    await outbox.startWorkers();
    await fake.waitForDelivered(1);
    await outboxIdle(outbox); // both jobs finished: a second delivery would have happened by now
    expect(await outbox.wasSent(item.key)).toBe(true);
    expect(await outbox.enqueue(item)).toBe('already_sent');
    await outboxIdle(outbox);
    expect(fake.callsTo('sendMessage')).toHaveLength(1);
  });

  it('retries 5xx with backoff and delivers once', async () => {
    const outbox = makeOutbox();
    fake.failNext(3, { status: 500 });
    await outbox.startWorkers();
    await outbox.enqueue({ to: tg('1003'), key: 'status:1003:C1', message: { text: 'Đang xử lý' } });
    await fake.waitForDelivered(1);
    await outboxIdle(outbox);
    expect(fake.callsTo('sendMessage').map((c) => c.status)).toEqual([500, 500, 500, 200]);
    expect(await outbox.listDeadLetters()).toEqual([]);
  });

  it('retries after a dropped connection (network error)', async () => {
    const outbox = makeOutbox();
    fake.failNext(1, { status: 0, drop: true });
    await outbox.startWorkers();
    await outbox.enqueue({ to: tg('1009'), key: 'status:1009:C1', message: { text: 'Đang xử lý' } });
    await fake.waitForDelivered(1);
    await outboxIdle(outbox);
    expect(fake.callsTo('sendMessage').map((c) => c.status)).toEqual([0, 200]);
  });

  it('honours retry_after on 429 and then delivers once', async () => {
    const outbox = makeOutbox();
    fake.failNext(1, { status: 429, retryAfter: 1 });
    await outbox.startWorkers();
    await outbox.enqueue({ to: tg('1004'), key: 'alert:1004:C2', message: { text: 'Cảnh báo' } });
    await fake.waitForDelivered(1);
    const [first, second] = fake.callsTo('sendMessage');
    expect(first?.status).toBe(429);
    expect(second?.status).toBe(200);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
    await outboxIdle(outbox);
    expect(fake.delivered()).toHaveLength(1);
  });

  it('on 403 marks the person unreachable, dead-letters without retrying, and skips them until reachable', async () => {
    const notified: DeadLetter[] = [];
    const outbox = makeOutbox({ onDeadLetter: (dl) => void notified.push(dl) });
    fake.blockChat('2001');
    await outbox.startWorkers();
    await outbox.enqueue({ to: tg('2001'), key: 'reminder:2001:T10', communeId: 'bao-linh', message: { text: 'Nhắc: bé Lan 7 tuổi' } });
    const [dead] = await until(async () => {
      const list = await outbox.listDeadLetters('bao-linh');
      return list.length > 0 ? list : undefined;
    });
    expect(dead).toMatchObject({ to: tg('2001'), key: 'reminder:2001:T10', reason: 'unreachable', communeId: 'bao-linh' });
    expect(JSON.stringify(dead)).not.toContain('Lan'); // no message text in the dead letter
    expect(notified).toHaveLength(1);
    expect(await outbox.isUnreachable(tg('2001'))).toBe(true);
    await outboxIdle(outbox);
    expect(fake.callsTo('sendMessage')).toHaveLength(1);

    // While unreachable, further messages are dead-lettered without calling Telegram.
    await outbox.enqueue({ to: tg('2001'), key: 'reminder:2001:T11', communeId: 'bao-linh', message: { text: 'Nhắc lần 2' } });
    await until(async () => (await outbox.listDeadLetters('bao-linh')).length === 2);
    expect(fake.callsTo('sendMessage')).toHaveLength(1);

    // They write again: reachable, and the same key may now be tried again.
    fake.unblockChat('2001');
    await outbox.markReachable(tg('2001'));
    expect(await outbox.isUnreachable(tg('2001'))).toBe(false);
    await outbox.enqueue({ to: tg('2001'), key: 'reminder:2001:T11', communeId: 'bao-linh', message: { text: 'Nhắc lần 2' } });
    await fake.waitForDelivered(1);
  });

  it('dead-letters a permanent 400 at once and a message whose retries run out', async () => {
    const outbox = makeOutbox({ retry: { attempts: 3, backoffMs: 20 } });
    fake.failNext(1, { status: 400, description: 'Bad Request: chat not found' });
    await outbox.startWorkers();
    await outbox.enqueue({ to: tg('3001'), key: 'alert:3001:X', message: { text: 'a' } });
    await until(async () => (await outbox.listDeadLetters()).length === 1);
    fake.failNext(3, { status: 502 });
    await outbox.enqueue({ to: tg('3002'), key: 'alert:3002:X', message: { text: 'b' } });
    await until(async () => (await outbox.listDeadLetters()).length === 2);
    const reasons = (await outbox.listDeadLetters()).map((d) => d.reason);
    expect(reasons).toEqual(['retries_exhausted', 'permanent']);
    expect(fake.callsTo('sendMessage')).toHaveLength(4);
  });

  it('a worker that dies after sending, before completing, does not cause a second delivery', async () => {
    // The first process freezes right after recording the delivery, then is killed (force close: its
    // job lock is no longer renewed). A second process finds the stalled job and must not send again.
    const first = makeOutbox({ onSent: () => new Promise<void>(() => undefined) });
    await first.startWorkers();
    const key = 'alert:4001:C9';
    await first.enqueue({ to: tg('4001'), key, message: { text: 'Cảnh báo khẩn' } });
    await fake.waitForDelivered(1);
    await until(() => first.wasSent(key));
    await first.close({ force: true });

    const second = makeOutbox();
    await second.startWorkers();
    const [done] = await until(async () => {
      const completed = await second.queue('telegram').getJobs(['completed']);
      return completed.length > 0 ? completed : undefined;
    }, 10_000);
    expect(done?.data.key).toBe(key);
    expect(done?.returnvalue).toBe('already_sent');
    await outboxIdle(second);
    expect(fake.callsTo('sendMessage')).toHaveLength(1);
  });

  it('keeps about one second between two messages to the same chat', async () => {
    const outbox = makeOutbox();
    await outbox.enqueue({ to: tg('5001'), key: 'a:5001:1', message: { text: 'một' } });
    await outbox.enqueue({ to: tg('5001'), key: 'a:5001:2', message: { text: 'hai' } });
    await outbox.enqueue({ to: tg('5002'), key: 'a:5002:1', message: { text: 'ba' } });
    await outbox.startWorkers();
    await fake.waitForDelivered(3);
    const same = fake.delivered().filter((c) => c.payload.chat_id === '5001');
    expect(same).toHaveLength(2);
    expect((same[1]?.at ?? 0) - (same[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    const other = fake.delivered().find((c) => c.payload.chat_id === '5002');
    expect((other?.at ?? 0) - (same[0]?.at ?? 0)).toBeLessThan(500); // other chats are not held up
  });

  it('sends a long message in parts, buttons on the last part, spaced per chat', async () => {
    const outbox = makeOutbox();
    await outbox.startWorkers();
    const text = `${'Báo cáo sáu tháng. '.repeat(250)}\n\n${'Phụ lục. '.repeat(100)}`;
    await outbox.enqueue({ to: tg('6001'), key: 'report:6001:H1', message: { text, choices: [{ label: 'OK', value: 'ok' }] } });
    const [p1, p2] = await fake.waitForDelivered(2);
    expect(p1?.payload.reply_markup).toBeUndefined();
    expect(p2?.payload.reply_markup).toEqual({ inline_keyboard: [[{ text: 'OK', callback_data: 'ok' }]] });
    expect((p2?.at ?? 0) - (p1?.at ?? 0)).toBeGreaterThanOrEqual(950);
    await outboxIdle(outbox);
    expect(fake.callsTo('sendMessage')).toHaveLength(2);
  });

  it('stays under a 30 messages/second flood limit', async () => {
    fake.setFloodLimit(30);
    const outbox = makeOutbox();
    for (let i = 0; i < 45; i++) {
      await outbox.enqueue({ to: tg(String(7000 + i)), key: `reminder:${7000 + i}:T10`, message: { text: `Nhắc ${i}` } });
    }
    await outbox.startWorkers();
    await fake.waitForDelivered(45, 10_000);
    expect(fake.tooManyRequests).toBe(0);
  });

  it('seals message text in Redis when given a cipher, and still delivers it', async () => {
    const outbox = makeOutbox({ cipher: DataCipher.fromString('ab'.repeat(32)) });
    await outbox.enqueue({ to: tg('8001'), key: 'alert:8001:S', message: { text: 'Bé Hoa bị đánh' } });
    const [job, ...others] = await outbox.queue('telegram').getJobs(['waiting']);
    expect(others).toEqual([]);
    expect(job?.data).toMatchObject({ key: 'alert:8001:S', sealedMessage: expect.any(String) });
    expect(job?.data.message).toBeUndefined();
    expect(await dumpText(redis.client)).not.toContain('Hoa'); // nowhere in Redis in the clear
    expect(await outbox.queuedMessage(tg('8001'), 'alert:8001:S')).toEqual({ text: 'Bé Hoa bị đánh' });
    await outbox.startWorkers();
    const [call] = await fake.waitForDelivered(1);
    expect(call?.payload.text).toBe('Bé Hoa bị đánh');
  });
});

describe('outbox with other senders', () => {
  it('dead-letters a Zalo message outside the 7-day window without retrying or marking unreachable', async () => {
    let calls = 0;
    const outbox = makeOutbox({
      senders: { zalo: { send: async () => { calls++; throw new OutsideWindowError('zalo -230: no interaction in 7 days'); } } },
    });
    await outbox.startWorkers();
    const to = { channel: 'zalo' as const, chatId: '5839201834756' };
    await outbox.enqueue({ to, key: 'reminder:zalo:5839201834756:T10', communeId: 'minh-long', preview: 'monthly counts reminder', message: { text: 'Nhắc' } });
    const [dead] = await until(async () => {
      const list = await outbox.listDeadLetters('minh-long');
      return list.length > 0 ? list : undefined;
    });
    expect(dead).toMatchObject({ reason: 'outside_window', preview: 'monthly counts reminder', to });
    await outboxIdle(outbox);
    expect(calls).toBe(1);
    expect(await outbox.isUnreachable(to)).toBe(false);
  });
});
