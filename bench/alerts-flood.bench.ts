/**
 * Issue 15's alerts-first figure: 2,000 reminders flood the Telegram outbox (distinct chats, a fake Bot
 * API answering 429 above 30 messages in any second, 40 ms latency, in its own thread); while they flow
 * at the cap, BENCH_FLOOD_ALERTS urgent alerts (default 10, 1.5 s apart) are queued. Measured: queue →
 * arrival at the Bot API for each alert, how many reminders were still waiting behind it, 429s over the
 * whole flood (the bench waits for every reminder).
 * Sent through the service's own sendMessage client (BotMessages, as src/app/runtime.ts), not grammY's Api.
 * Target: every alert under a second; zero 429.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from '../src/actions/outbox/outbox.js';
import { BotMessages } from '../src/bot/telegram/http.js';
import { TelegramSender } from '../src/bot/telegram/sender.js';
import { OutboxWorkers } from '../src/jobs/outbox/workers.js';
import { silentLogger } from '../src/logger.js';
import { startRedisServer } from '../src/store/redis-server.js';
import { askThread, percentile, runThread } from './support/threads.js';

const REMINDERS = 2000;
const OFFICER_FROM = 700_000_000;

export default async function run(): Promise<Record<string, number | string>> {
  const alerts = Number(process.env.BENCH_FLOOD_ALERTS ?? 10);
  const dir = mkdtempSync(join(tmpdir(), 'treem-bench-flood-'));
  const redis = await startRedisServer(dir);
  const fake = runThread<{ delivered: Array<{ chatId: string; at: number }>; tooMany: number }>(new URL('./support/flood-telegram-thread.ts', import.meta.url), { floodLimit: 30, latencyMs: 40 });
  const apiRoot = (await fake.ready) as string;
  const delivered = (): Promise<number> => askThread<number>(fake.worker, 'count', 'count');
  const outbox = new Outbox({ connection: redis.url, logger: silentLogger });
  const workers = new OutboxWorkers(outbox, { senders: { telegram: new TelegramSender(new BotMessages('123456:BENCH', apiRoot)) } });
  try {
    for (let i = 0; i < REMINDERS; i += 200) {
      await Promise.all(
        Array.from({ length: 200 }, (_, j) =>
          outbox.enqueue({ to: { channel: 'telegram', chatId: String(800_000_000 + i + j) }, key: `reminder:${i + j}`, message: { text: 'Nhắc: xin gửi số liệu trẻ em tháng này trước ngày 25.' } }),
        ),
      );
    }
    await workers.start();
    while ((await delivered()) < 60) await new Promise((r) => setTimeout(r, 50));
    const queuedAt = new Map<string, number>();
    const behind: number[] = [];
    for (let a = 0; a < alerts; a++) {
      const chatId = String(OFFICER_FROM + a);
      behind.push(REMINDERS - (await delivered()));
      queuedAt.set(chatId, Date.now());
      await outbox.enqueue({ to: { channel: 'telegram', chatId }, key: `alert:TE-BENCH${a}:${chatId}`, message: { text: `🔴 KHẨN CẤP (P0) TE-BENCH${a}` }, urgent: true });
      await new Promise((r) => setTimeout(r, 1500));
    }
    // The rest of the flood goes out too, so the 429 count covers all 2,000 reminders (~70 s at the cap).
    for (const deadline = Date.now() + 180_000; Date.now() < deadline && (await delivered()) < REMINDERS + alerts; ) {
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 1000));
    await workers.close({ force: true });
    fake.worker.postMessage('stop');
    const result = await fake.result;
    const arrived = new Map(result.delivered.filter((d) => queuedAt.has(d.chatId)).map((d) => [d.chatId, d.at]));
    const latencies = [...queuedAt].map(([chat, at]) => (arrived.get(chat) ?? NaN) - at).sort((x, y) => x - y);
    return {
      'reminders flooding the outbox': REMINDERS,
      'urgent alerts queued meanwhile': alerts,
      'reminders still waiting when each alert was queued (median)': percentile([...behind].sort((x, y) => x - y), 50),
      'alerts delivered': arrived.size,
      'messages delivered (reminders and alerts, each once)': new Set(result.delivered.map((d) => d.chatId)).size === result.delivered.length ? result.delivered.length : `${result.delivered.length}, some twice`,
      'alert latency p50 ms (queued → at the Bot API)': percentile(latencies, 50),
      'alert latency max ms': latencies.at(-1) ?? NaN,
      '429 received': result.tooMany,
      target: 'every alert < 1,000 ms, zero 429',
    };
  } finally {
    await outbox.close({ force: true });
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
