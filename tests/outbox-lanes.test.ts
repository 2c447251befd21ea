/**
 * Alerts first: an urgent message (alert, escalation) has its own outbox lane and is served first by
 * the channel's pacer, so a flood of reminders never stands in front of it. Asserted on order, not on
 * wall-clock time (bench/alerts-flood.bench.ts measures the time).
 */
import { Api } from 'grammy';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TelegramSender } from '../src/bot/telegram/sender.js';
import { silentLogger } from '../src/logger.js';
import { startFakeTelegram, type FakeTelegram } from './helpers/fake-telegram.js';
import { TestOutbox } from './helpers/outbox.js';
import { startTestRedis, type TestRedis } from './helpers/redis.js';
import { until } from './helpers/wait.js';

const REMINDERS = 2000;
const OFFICER = '555000111';
let redis: TestRedis;
let fake: FakeTelegram;
let outbox: TestOutbox;

beforeAll(async () => {
  redis = await startTestRedis();
  fake = await startFakeTelegram({ latencyMs: 20 });
  fake.setFloodLimit(30); // Telegram's per-bot cap, strictly
  outbox = new TestOutbox({
    connection: redis.url,
    senders: { telegram: new TelegramSender(new Api('123456:LANES', { apiRoot: fake.apiRoot })) },
    logger: silentLogger,
  });
});
afterAll(async () => {
  await outbox?.close({ force: true });
  await fake?.close();
  await redis?.stop();
});

it('a P0 alert queued behind 2,000 reminders is delivered before the bulk of them', async () => {
  for (let i = 0; i < REMINDERS; i += 200) {
    await Promise.all(
      Array.from({ length: 200 }, (_, j) =>
        outbox.enqueue({ to: { channel: 'telegram', chatId: String(900_000_000 + i + j) }, key: `reminder:${i + j}`, message: { text: 'Nhắc: xin gửi số liệu tháng này.' } }),
      ),
    );
  }
  await outbox.startWorkers();
  await fake.waitForDelivered(40, 60_000); // the reminders are flowing at the cap
  const before = fake.delivered().length;
  await outbox.enqueue({ to: { channel: 'telegram', chatId: OFFICER }, key: `alert:TE-AAAAAA:${OFFICER}`, message: { text: '🔴 KHẨN CẤP (P0) TE-AAAAAA' }, urgent: true });
  await until(() => fake.delivered().some((c) => String(c.payload.chat_id) === OFFICER), 60_000, 'the alert');
  const position = fake.delivered().findIndex((c) => String(c.payload.chat_id) === OFFICER);
  // Ahead of it only what was already on its way: at most the bulk lane's senders in flight and a
  // moment's worth of the window, never the ~1,900 reminders still queued.
  expect(position - before).toBeLessThan(40);
  expect(REMINDERS - position).toBeGreaterThan(1000);
  // 429s (none on a quiet machine) are the bench's to count: a busy machine jitters arrivals.
}, 120_000);
