/**
 * The channel's cap used and never exceeded (issue 15 §4): a sender whose event loop stalls between its
 * grant and its send is counted from when it really sent, as is a send held in the client after its
 * grant (no 429 from a strict fake Bot API in its own thread), and a backlog on a strict fake Bot API (429
 * above 30 in any second) keeps one second between two messages to one chat, each sent once.
 * Gaps are asserted as lower bounds the pacer enforces: a slow machine only makes them longer.
 */
import { Api } from 'grammy';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BotMessages } from '../src/bot/telegram/http.js';
import { TelegramSender } from '../src/bot/telegram/sender.js';
import { SendPacer } from '../src/jobs/outbox/pacer.js';
import { silentLogger } from '../src/logger.js';
import type { ChannelSender } from '../src/messaging/channel.js';
import { askThread, runThread } from '../bench/support/threads.js';
import { startFakeTelegram, type FakeTelegram } from './helpers/fake-telegram.js';
import { TestOutbox } from './helpers/outbox.js';
import { startTestRedis, type TestRedis } from './helpers/redis.js';

let redis: TestRedis;
let fake: FakeTelegram;

beforeAll(async () => {
  redis = await startTestRedis();
  fake = await startFakeTelegram({ latencyMs: 20 });
});
afterAll(async () => {
  await fake?.close();
  await redis?.stop();
});

/** Blocks the event loop, as a long GC pause or a busy moment would. */
function stall(ms: number): void {
  for (const end = performance.now() + ms; performance.now() < end; );
}

it('a send that goes late after its grant is counted from when it really went', async () => {
  const pacer = new SendPacer(redis.client, 'zalobot', 30, 'bulk', { warmUpMs: 0 });
  await pacer.take(); // the script is loaded, the window's first place used
  await new Promise((r) => setTimeout(r, 1100)); // and empty again
  // The grant is made in Redis at once; its answer is read only after the stall.
  const late = pacer.take();
  stall(60);
  // The late send cannot have gone before the stall ended; how much later a loaded machine runs the
  // rest of the take is not the pacer's doing, so the bound is taken from here.
  const lateSentAt = performance.now();
  await late;
  const sentAt: number[] = [];
  for (let i = 0; i < 30; i++) {
    await pacer.take();
    sentAt.push(performance.now());
  }
  // Thirty more sends may follow only a full second after the late one really went.
  expect((sentAt[29] ?? 0) - lateSentAt).toBeGreaterThanOrEqual(1000);
}, 20_000);

it('a send held between its grant and its write is counted from its answer: no 429 from a strict 30/s Bot API', async () => {
  // In its own thread, as the platform is elsewhere: arrivals are stamped as they come, whatever this
  // process's event loop does. 429 when more than 30 accepted sends land within any 1,000 ms.
  const api = runThread<{ delivered: Array<{ chatId: string }>; tooMany: number }>(new URL('../bench/support/flood-telegram-thread.ts', import.meta.url), { floodLimit: 30, latencyMs: 20 });
  const bot = new TelegramSender(new BotMessages('123456:HELD', (await api.ready) as string));
  // Every 20th send waits 300 ms after its grant before its request is written, as one queued in a busy
  // HTTP client: counted from its grant, its 30th successor, on time, lands within its second.
  let sends = 0;
  const held: ChannelSender = {
    send: async (chatId, message) => {
      if (++sends % 20 === 0) await new Promise((r) => setTimeout(r, 300));
      return bot.send(chatId, message);
    },
  };
  const outbox = new TestOutbox({ connection: redis.url, senders: { telegram: held }, logger: silentLogger });
  try {
    // 180 chats, one message each: six seconds at the cap, nine held sends with 30 successors behind them.
    for (let i = 0; i < 180; i++) await outbox.enqueue({ to: { channel: 'telegram', chatId: String(9_000 + i) }, key: `reminder:held:${i}`, message: { text: `Nhắc ${i}` } });
    await outbox.startWorkers();
    for (const deadline = Date.now() + 60_000; Date.now() < deadline && (await askThread<number>(api.worker, 'count', 'count')) < 180; ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    api.worker.postMessage('stop');
    const { delivered, tooMany } = await api.result;
    expect(tooMany).toBe(0);
    expect(new Set(delivered.map((d) => d.chatId)).size).toBe(180);
    expect(delivered).toHaveLength(180);
  } finally {
    await outbox.close({ force: true });
    await api.worker.terminate();
  }
}, 90_000);

it('a backlog against a strict 30/s fake keeps one second between messages to a chat, each sent once', async () => {
  fake.setFloodLimit(30);
  const outbox = new TestOutbox({
    connection: redis.url,
    senders: { telegram: new TelegramSender(new Api('123456:PACING', { apiRoot: fake.apiRoot })) },
    logger: silentLogger,
  });
  try {
    // 40 chats with 3 messages each, and 120 chats with one: 240 messages, 8 seconds at the cap.
    const chats = [...Array.from({ length: 40 }, (_, i) => [String(7_000 + i), 3] as const), ...Array.from({ length: 120 }, (_, i) => [String(8_000 + i), 1] as const)];
    for (const [chatId, count] of chats) {
      for (let k = 0; k < count; k++) {
        await outbox.enqueue({ to: { channel: 'telegram', chatId }, key: `reminder:${chatId}:${k}`, message: { text: `Nhắc ${k + 1}` } });
      }
    }
    await outbox.startWorkers();
    await fake.waitForDelivered(240, 60_000);
    // 429s are the bench's to count (bench/reminders.bench.ts, fake in its own thread): here the fake
    // shares the test's event loop, and a stall there stamps arrivals late.
    const byChat = new Map<string, number[]>();
    for (const c of fake.delivered()) byChat.set(String(c.payload.chat_id), [...(byChat.get(String(c.payload.chat_id)) ?? []), c.at]);
    expect(byChat.size).toBe(160);
    expect(fake.delivered()).toHaveLength(240);
    for (const [, times] of byChat) {
      for (let k = 1; k < times.length; k++) expect((times[k] ?? 0) - (times[k - 1] ?? 0)).toBeGreaterThanOrEqual(990);
    }
  } finally {
    await outbox.close({ force: true });
  }
}, 90_000);
