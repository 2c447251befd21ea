/**
 * Issue 2's figure: webhook updates per second through the whole path (HTTP → handler → Redis → reply
 * to a fake Bot API), with p50/p99 latency, from many concurrent users walking real report conversations.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '../src/app/runtime.js';
import { loadServiceConfig } from '../src/config/communes.js';
import { loadEnv } from '../src/config/env.js';
import { buildServer } from '../src/http/server.js';
import { silentLogger } from '../src/logger.js';
import { generateDataKey } from '../src/store/crypto.js';
import { startRedisServer } from '../src/store/redis-server.js';
import { TEST_BOT_INFO } from '../tests/helpers/service.js';
import { percentile, runThread } from './support/threads.js';

export default async function run(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'treem-bench-'));
  const redis = await startRedisServer(dir);
  const fake = runThread<{ sent: number }>(new URL('./support/fake-telegram-thread.ts', import.meta.url), null);
  const apiRoot = (await fake.ready) as string;
  const secret = 'bench-secret';
  const env = loadEnv({ TELEGRAM_BOT_TOKEN: '123456:BENCH', TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: secret, TELEGRAM_API_ROOT: apiRoot, LOG_LEVEL: 'silent', DATA_KEY: generateDataKey() });
  const config = loadServiceConfig(env.CONFIG_FILE);
  const runtime = await createRuntime({ env, config, redis: redis.url, dataKey: env.DATA_KEY!, log: silentLogger, telegramBotInfo: TEST_BOT_INFO });
  const app = buildServer({ env, runtime });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const users = Number(process.env.BENCH_USERS ?? 200);
  const reportsPerUser = 6;
  const load = runThread<{ latencies: number[]; seconds: number; failures: number }>(new URL('./support/webhook-load.ts', import.meta.url), {
    url: `http://127.0.0.1:${port}/telegram/webhook`,
    secret,
    users,
    reportsPerUser,
  });
  const { latencies, seconds, failures } = await load.result;
  fake.worker.postMessage('stop');
  const { sent } = await fake.result;
  await app.close();
  await runtime.close();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });

  latencies.sort((a, b) => a - b);
  return {
    'concurrent users': users,
    'updates': latencies.length,
    'failed updates': failures,
    'replies sent to the fake Bot API': sent,
    'updates per second': Math.round(latencies.length / seconds),
    'p50 latency ms': Number(percentile(latencies, 50).toFixed(1)),
    'p99 latency ms': Number(percentile(latencies, 99).toFixed(1)),
  };
}
