/**
 * Issue 3's reminder-throughput figure: 2,000 monthly-counts reminders to village heads on distinct
 * Telegram chats, through the real reminder tick (recipients, claims, texts) and the real outbox, against
 * a fake Bot API that answers 429 above 30 accepted messages in any 1-second window. The fake runs in
 * its own thread, as Telegram runs elsewhere: sharing the service's event loop would stamp arrivals
 * late whenever the service is busy, and bunch them.
 * Targets: ≥ 28 messages/second sustained, zero 429s, zero lost, zero doubled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '../src/app/runtime.js';
import { parseServiceConfig } from '../src/config/communes.js';
import { loadEnv } from '../src/config/env.js';
import { runReminderTick } from '../src/jobs/reminders.js';
import { silentLogger } from '../src/logger.js';
import { generateDataKey } from '../src/store/crypto.js';
import { startRedisServer } from '../src/store/redis-server.js';
import { TEST_BOT_INFO } from '../tests/helpers/service.js';
import { peakPerSecond } from './outbox.bench.js';
import { askThread, runThread } from './support/threads.js';

const HEADS = 2000;
const FLOOD_LIMIT = 30;
/** A little network delay so several sends are in flight at once, as with the real Bot API. */
const LATENCY_MS = 40;
/** 22 September 2025, 08:00 in Vietnam: three days before August's counts are due (the 25th). */
const TICK_AT = Date.parse('2025-09-22T08:00:00+07:00');

export default async function run(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'treem-bench-reminders-'));
  const redis = await startRedisServer(dir);
  const fake = runThread<{ delivered: Array<{ chatId: string; at: number }>; tooMany: number }>(
    new URL('./support/flood-telegram-thread.ts', import.meta.url),
    { floodLimit: FLOOD_LIMIT, latencyMs: LATENCY_MS },
  );
  const apiRoot = (await fake.ready) as string;
  const deliveredSoFar = (): Promise<number> => askThread<number>(fake.worker, 'count', 'count');
  const villages = Array.from({ length: HEADS }, (_, i) => `Thôn ${i + 1}`);
  const config = parseServiceConfig({
    communes: [{ id: 'bench', name: 'Xã Thử Tải', province: 'Thái Nguyên', villages: villages.map((name) => ({ name })), deadlines: [] }],
  });
  const env = loadEnv({ TELEGRAM_BOT_TOKEN: '123456:BENCH', TELEGRAM_API_ROOT: apiRoot, LOG_LEVEL: 'silent' });
  const runtime = await createRuntime({ env, config, redis: redis.url, dataKey: generateDataKey(), log: silentLogger, telegramBotInfo: TEST_BOT_INFO, now: () => TICK_AT });
  const { services } = runtime;

  let stopped = false;
  const stopFake = async () => {
    stopped = true;
    fake.worker.postMessage('stop');
    return fake.result;
  };
  try {
    const chatIds = villages.map((_, i) => String(900_000_000 + i));
    for (let i = 0; i < HEADS; i += 200) {
      await Promise.all(
        chatIds.slice(i, i + 200).map((chatId, j) =>
          services.roles.assign({ identity: `telegram:${chatId}`, communeId: 'bench', role: 'village_head', village: villages[i + j], since: TICK_AT }, 'bench'),
        ),
      );
    }

    // Only the outbox workers: the hourly scheduler would tick with the real clock.
    await runtime.outboxWorkers.start();
    const t0 = Date.now();
    const summary = await runReminderTick(services, TICK_AT);
    const tickSeconds = (Date.now() - t0) / 1000;
    // At ~29/s the run takes ~70 s; a stuck outbox shows up as "lost", not a hang.
    for (const deadline = Date.now() + 240_000; Date.now() < deadline && (await deliveredSoFar()) < HEADS; ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const wallSeconds = (Date.now() - t0) / 1000;
    const again = await runReminderTick(services, TICK_AT + 3600_000); // the next hour's tick
    await new Promise((r) => setTimeout(r, 2000)); // late duplicates would arrive now

    const { delivered, tooMany } = await stopFake();
    const perChat = new Map<string, number>();
    for (const c of delivered) perChat.set(c.chatId, (perChat.get(c.chatId) ?? 0) + 1);
    const times = delivered.map((c) => c.at).sort((a, b) => a - b);
    const first = times[0] ?? t0;
    const last = times.at(-1) ?? t0;
    return {
      reminders: HEADS,
      'fake API flood limit (msg/s)': FLOOD_LIMIT,
      'fake API latency (ms)': LATENCY_MS,
      'outbox telegram limit (msg/s)': runtime.outboxWorkers.limitsFor('telegram').perSecond,
      'tick: reminders queued': summary.queued,
      'tick duration (s)': Number(tickSeconds.toFixed(2)),
      'sustained delivery (msg/s)': times.length > 1 ? Number(((times.length - 1) / ((last - first) / 1000)).toFixed(2)) : 0,
      'peak in any 1 s window': peakPerSecond(times),
      'wall time (s)': Number(wallSeconds.toFixed(1)),
      '429 received': tooMany,
      delivered: delivered.length,
      lost: chatIds.filter((id) => !perChat.has(id)).length,
      doubled: [...perChat.values()].filter((n) => n > 1).length,
      'queued again by the next tick': again.queued,
      'dead letters': (await services.outbox.listDeadLetters('bench', HEADS)).length,
    };
  } finally {
    await runtime.close();
    if (!stopped) await stopFake();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
