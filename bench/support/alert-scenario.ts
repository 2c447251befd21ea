/**
 * The run shared by the alert benchmarks (bench/alerts.bench.ts, bench/unaware.bench.ts): a province of
 * `communes` communes on its own redis-server, the compiled-equivalent service in this thread (webhook,
 * every job module), a fake Bot API in one thread and a load generator in another (each citizen walks a
 * P1 report and confirms it at its slot, `rate` confirmations per second). Waits until `settled` says
 * the fake saw enough, or `settleMs` passes, then stops everything and returns what both threads saw.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '../../src/app/runtime.js';
import { startWorkers } from '../../src/app/workers.js';
import { loadServiceConfig, type StaffRole } from '../../src/config/communes.js';
import { loadEnv } from '../../src/config/env.js';
import { buildServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/logger.js';
import { generateDataKey } from '../../src/store/crypto.js';
import { startRedisServer } from '../../src/store/redis-server.js';
import type { Failure } from '../../tests/helpers/fake-telegram.js';
import { TEST_BOT_INFO } from '../../tests/helpers/service.js';
import { askThread, runThread } from './threads.js';

export const STAFF_FROM = 9_000_000;
const CITIZEN_FROM = 1_000_000;

export interface FakeResult {
  /** [citizen chat, code given]. */
  codes: Array<[number, string]>;
  /** [code, accepted at, staff chat]: every accepted staff message naming a code. */
  alerts: Array<[string, number, number]>;
  sent: number;
  tooMany: number;
}
export interface Confirm {
  userId: number;
  at: number;
  late: number;
  requestMs: number;
}

export interface AlertScenario {
  reports: number;
  rate: number;
  communes: number;
  /** The staff of commune i (0-based); their chat ids must be ≥ STAFF_FROM. */
  staffOf: (i: number) => Array<{ chat: number; role: StaffRole }>;
  blocked?: number[];
  failures?: { share: number; kinds: Failure[]; seed: number };
  /** True once enough reports (their count: an alert accepted in a staff chat that can read it) for the run to end early. */
  settled: (reachedReports: number) => boolean;
  settleMs: number;
}

export interface AlertRun {
  confirms: Confirm[];
  /** Every saved report, as the store has it: its code, when it was confirmed, its commune (0-based). */
  saved: Array<{ code: string; createdAt: number; commune: number }>;
  failedUpdates: number;
  seconds: number;
  fake: FakeResult;
}

export async function runAlertScenario(s: AlertScenario): Promise<AlertRun> {
  const dir = mkdtempSync(join(tmpdir(), 'treem-bench-alerts-'));
  const redis = await startRedisServer(dir);
  const configFile = join(dir, 'communes.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      communes: Array.from({ length: s.communes }, (_, i) => ({ id: `xa-${i + 1}`, name: `Xã Số ${i + 1}`, province: 'Tỉnh Thử', villages: [{ name: 'Thôn Một' }] })),
    }),
  );
  const fake = runThread<FakeResult>(new URL('./fake-telegram-alerts-thread.ts', import.meta.url), { officerFrom: STAFF_FROM, blocked: s.blocked, failures: s.failures });
  const apiRoot = (await fake.ready) as string;
  const secret = randomBytes(32).toString('hex');
  const env = loadEnv({ CONFIG_FILE: configFile, TELEGRAM_BOT_TOKEN: '123456:BENCH', TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: secret, TELEGRAM_API_ROOT: apiRoot, LOG_LEVEL: 'silent', DATA_KEY: generateDataKey() });
  const config = loadServiceConfig(env.CONFIG_FILE);
  const runtime = await createRuntime({ env, config, redis: redis.url, dataKey: env.DATA_KEY!, log: silentLogger, telegramBotInfo: TEST_BOT_INFO });
  for (let i = 0; i < s.communes; i++) {
    for (const { chat, role } of s.staffOf(i)) {
      await runtime.services.roles.assign({ identity: `telegram:${chat}`, communeId: `xa-${i + 1}`, role, since: Date.now() }, 'bench');
    }
  }
  const workers = await startWorkers(runtime); // every job module, default limits
  const app = buildServer({ env, runtime });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const load = runThread<{ confirms: Confirm[]; failures: number; seconds: number }>(new URL('./alerts-load.ts', import.meta.url), {
    url: `http://127.0.0.1:${port}/telegram/webhook`,
    secret,
    reports: s.reports,
    rate: s.rate,
    communes: s.communes,
    firstUserId: CITIZEN_FROM,
  });
  const { confirms, failures, seconds } = await load.result;
  const deadline = Date.now() + s.settleMs;
  while (!s.settled(await askThread<number>(fake.worker, 'count', 'count')) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const saved = [];
  for (let i = 0; i < s.communes; i++) {
    for (const r of await runtime.services.cases.listOpen(`xa-${i + 1}`, 100_000)) saved.push({ code: r.code, createdAt: r.createdAt, commune: i });
  }
  fake.worker.postMessage('stop');
  const result = await fake.result;
  await app.close();
  await workers.close();
  await runtime.close();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
  return { confirms, saved, failedUpdates: failures, seconds, fake: result };
}
