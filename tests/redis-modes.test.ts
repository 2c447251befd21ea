/**
 * The service on Redis's distributed modes, all real: a 3-master Redis Cluster and a Sentinel set
 * (master, replica, three sentinels) on loopback ports. On each, citizens walk the report conversation
 * through the Telegram webhook and the officer gets the alert (job workers and the outbox running). On
 * Sentinel the master is killed in the middle of the run: every code a citizen was given is still a
 * report on the promoted replica, its alert still arrives, and the service carries on by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createRuntime, type Runtime } from '../src/app/runtime.js';
import { startWorkers, type RunningWorkers } from '../src/app/workers.js';
import { loadServiceConfig } from '../src/config/communes.js';
import { loadEnv, type RedisTarget } from '../src/config/env.js';
import { buildServer } from '../src/http/server.js';
import { silentLogger } from '../src/logger.js';
import { CLUSTER_DATA_PREFIX, CLUSTER_QUEUE_PREFIX } from '../src/store/connections.js';
import { generateDataKey } from '../src/store/crypto.js';
import { startFakeTelegram, type FakeTelegram } from './helpers/fake-telegram.js';
import { startTestCluster, type TestCluster } from './helpers/redis-cluster.js';
import { startTestSentinel, type TestSentinel } from './helpers/redis-sentinel.js';
import { TEST_BOT_INFO } from './helpers/service.js';
import { textUpdate } from './helpers/telegram-updates.js';
import { until } from './helpers/wait.js';

const SECRET = 'modes-secret-0123456789abcdefghijklmnopqrstuv';
const OFFICER = 5_000_001;
/** A whole report (example commune, violence: P1, the officer is alerted at once). */
const SCRIPT = ['/baocao', '5', 'na ca', 'Cháu bé bị đánh nhiều lần, có vết bầm', 'hom nay', '8', 'nu', 'khong', 'bo qua', 'bo qua', 'an danh', 'gui'];

interface Running {
  runtime: Runtime;
  app: FastifyInstance;
  workers: RunningWorkers;
  fake: FakeTelegram;
  stop(): Promise<void>;
}

async function startOn(target: RedisTarget): Promise<Running> {
  const fake = await startFakeTelegram();
  const env = loadEnv({ LOG_LEVEL: 'silent', TELEGRAM_BOT_TOKEN: '123456:MODES', TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot });
  const runtime = await createRuntime({
    env,
    config: loadServiceConfig(env.CONFIG_FILE),
    redis: target,
    dataKey: generateDataKey(),
    log: silentLogger,
    telegramBotInfo: TEST_BOT_INFO,
    outbox: { retry: { attempts: 6, backoffMs: 50 }, limits: { telegram: { perChatGapMs: 0 } } },
  });
  await runtime.services.roles.assign({ identity: `telegram:${OFFICER}`, communeId: 'bao-linh', role: 'officer', since: Date.now() }, 'test');
  const workers = await startWorkers(runtime);
  const app = buildServer({ env, runtime });
  await app.ready();
  return {
    runtime,
    app,
    workers,
    fake,
    async stop() {
      await app.close();
      await workers.close();
      await runtime.close();
      await fake.close();
    },
  };
}

/** Posts an update as Telegram does: again and again until it is answered 200. */
async function deliver(s: Running, update: object): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const res = await s.app
      .inject({ method: 'POST', url: '/telegram/webhook', headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' }, payload: update })
      .catch(() => undefined);
    if (res?.statusCode === 200) return;
    if (attempt > 200) throw new Error(`update never accepted (last status ${res?.statusCode})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function walk(s: Running, citizen: number): Promise<void> {
  for (const text of SCRIPT) await deliver(s, textUpdate(citizen, text));
}

/** Codes the citizens were given, by chat. */
function codesGiven(fake: FakeTelegram): Map<string, string> {
  const codes = new Map<string, string>();
  for (const c of fake.delivered()) {
    const code = /Mã của bạn: (TE-[0-9A-Z]{6})/.exec(String(c.payload.text))?.[1];
    if (code) codes.set(String(c.payload.chat_id), code);
  }
  return codes;
}
const alertedCodes = (fake: FakeTelegram): Set<string> =>
  new Set(fake.delivered().filter((c) => String(c.payload.chat_id) === String(OFFICER)).flatMap((c) => /TE-[0-9A-Z]{6}/.exec(String(c.payload.text)) ?? []));

describe('on a 3-master Redis Cluster', () => {
  let cluster: TestCluster;
  let s: Running;
  beforeAll(async () => {
    cluster = await startTestCluster();
    s = await startOn({ mode: 'cluster', nodes: cluster.nodes });
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
    await cluster?.stop();
  });

  it('citizens report and the officer is alerted; data and queues each sit in their own hash slot', async () => {
    const citizens = [7001, 7002, 7003, 7004];
    await Promise.all(citizens.map((c) => walk(s, c)));
    const codes = codesGiven(s.fake);
    expect(codes.size).toBe(citizens.length);
    for (const code of codes.values()) expect((await s.runtime.services.cases.get(code))?.status).toBe('new');
    await until(() => [...codes.values()].every((code) => alertedCodes(s.fake).has(code)), 20_000, 'every alert');

    // What made the transactions possible: every key carries one of the two hash tags.
    const keys = (await Promise.all(cluster.client.nodes('master').map((n) => n.keys('*')))).flat();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => !k.startsWith(CLUSTER_DATA_PREFIX) && !k.startsWith(`${CLUSTER_QUEUE_PREFIX}:`) && !k.startsWith('outbox:'))).toEqual([]);
    expect(keys.some((k) => k.startsWith(`${CLUSTER_QUEUE_PREFIX}:alerts:`))).toBe(true);
  }, 60_000);
});

describe('on Redis Sentinel', () => {
  let set: TestSentinel;
  let s: Running;
  beforeAll(async () => {
    set = await startTestSentinel();
    s = await startOn({ mode: 'sentinel', sentinels: set.sentinels, masterName: set.masterName });
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
    await set?.stop();
  });

  it('loses nothing confirmed when the master is killed mid-run, and reconnects by itself', async () => {
    const citizens = Array.from({ length: 12 }, (_, i) => 8001 + i);
    let killed: Promise<string> | undefined;
    await Promise.all([
      ...citizens.map(async (c, i) => {
        // Half start at once; the other half start after the kill, while the failover is under way.
        if (i >= citizens.length / 2) await until(() => killed !== undefined, 60_000, 'the kill');
        await walk(s, c);
      }),
      (async () => {
        await until(() => codesGiven(s.fake).size >= 2, 60_000, 'the first reports');
        killed = set.killMaster();
      })(),
    ]);
    const old = await killed!;
    expect(await set.masterAddress()).not.toBe(old);

    const codes = codesGiven(s.fake);
    expect(codes.size).toBe(citizens.length);
    for (const code of codes.values()) expect((await s.runtime.services.cases.get(code))?.status, code).toBe('new');
    // The alert path recovers too (a job lost with the old master is queued again by the sweep).
    await until(() => [...codes.values()].every((code) => alertedCodes(s.fake).has(code)), 90_000, 'every alert after the failover');
  }, 150_000);
});
