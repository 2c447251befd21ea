/**
 * Reminder throughput through the outbox against a fake Bot API that answers 429 above 30 accepted
 * messages in any 1-second window (Telegram's bulk limit): 2,000 reminders to distinct chats.
 * Targets: zero 429s, zero lost, zero doubled; the rate sits just under the limit by design.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from 'grammy';
import { TelegramSender } from '../src/bot/telegram/sender.js';
import { Outbox } from '../src/actions/outbox/outbox.js';
import { DEFAULT_LIMITS, OutboxWorkers } from '../src/jobs/outbox/workers.js';
import { silentLogger } from '../src/logger.js';
import { startRedisServer } from '../src/store/redis-server.js';
import { startFakeTelegram } from '../tests/helpers/fake-telegram.js';

const MESSAGES = 2000;
const FLOOD_LIMIT = 30;
/** A little network delay so several sends are in flight at once, as with the real Bot API. */
const LATENCY_MS = 40;

export default async function run(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'treem-bench-outbox-'));
  const redis = await startRedisServer(dir);
  const fake = await startFakeTelegram({ latencyMs: LATENCY_MS });
  fake.setFloodLimit(FLOOD_LIMIT);
  const token = '123456:BENCH';
  const outbox = new Outbox({ connection: redis.url, logger: silentLogger });
  const workers = new OutboxWorkers(outbox, { senders: { telegram: new TelegramSender(new Api(token, { apiRoot: fake.apiRoot })) } });

  try {
    const chatIds = Array.from({ length: MESSAGES }, (_, i) => String(800_000_000 + i));
    const e0 = Date.now();
    for (let i = 0; i < chatIds.length; i += 100) {
      await Promise.all(
        chatIds.slice(i, i + 100).map((chatId) =>
          outbox.enqueue({
            to: { channel: 'telegram', chatId },
            key: `reminder:telegram:${chatId}:2025-10`,
            communeId: 'bench',
            message: { text: 'Nhắc: xin gửi số liệu trẻ em tháng 10 của thôn trước ngày 25.' },
          }),
        ),
      );
    }
    const enqueueSeconds = (Date.now() - e0) / 1000;

    const t0 = Date.now();
    await workers.start();
    // Generous deadline: at 28/s the run takes ~72 s; a stuck outbox shows up as "lost", not a hang.
    await fake.waitForDelivered(MESSAGES, 240_000).catch(() => undefined);
    const wallSeconds = (Date.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 2000)); // late duplicates would arrive now

    const delivered = fake.delivered();
    const perChat = new Map<string, number>();
    for (const c of delivered) perChat.set(String(c.payload.chat_id), (perChat.get(String(c.payload.chat_id)) ?? 0) + 1);
    const lost = chatIds.filter((id) => !perChat.has(id)).length;
    const doubled = [...perChat.values()].filter((n) => n > 1).length;
    const times = delivered.map((c) => c.at).sort((a, b) => a - b);
    const first = times[0] ?? t0;
    const last = times.at(-1) ?? t0;
    const sustained = times.length > 1 ? (times.length - 1) / ((last - first) / 1000) : 0;

    return {
      messages: MESSAGES,
      'fake API flood limit (msg/s)': FLOOD_LIMIT,
      'fake API latency (ms)': LATENCY_MS,
      'outbox limit (msg/s)': DEFAULT_LIMITS.telegram.perSecond,
      'enqueue (msg/s)': Math.round(MESSAGES / enqueueSeconds),
      'sustained delivery (msg/s)': Number(sustained.toFixed(2)),
      'peak in any 1 s window': peakPerSecond(times),
      'wall time (s)': Number(wallSeconds.toFixed(1)),
      '429 received': fake.tooManyRequests,
      delivered: delivered.length,
      lost,
      doubled,
      'dead letters': (await outbox.listDeadLetters('bench', MESSAGES)).length,
    };
  } finally {
    await workers.close();
    await outbox.close();
    await fake.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Most arrivals within any 1,000 ms window (two pointers over sorted times). */
export function peakPerSecond(times: number[]): number {
  let peak = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= 1000) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}
