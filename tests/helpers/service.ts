/**
 * Starts the real service pieces for a test: its own redis-server, the runtime, the HTTP server. Only
 * the platforms are played by local fakes; nothing else is stubbed.
 */
import type { FastifyInstance } from 'fastify';
import { BOT_USER } from './fake-telegram.js';
import { createRuntime, type Runtime } from '../../src/app/runtime.js';
import { DEMO_USERS } from '../../src/app/demo.js';
import { loadServiceConfig, type ServiceConfig } from '../../src/config/communes.js';
import { loadEnv, type Env } from '../../src/config/env.js';
import { buildServer } from '../../src/http/server.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import { generateDataKey } from '../../src/store/crypto.js';
import { startTestRedis, type TestRedis } from './redis.js';

/** grammY skips getMe when given the bot's own description. */
export const TEST_BOT_INFO = BOT_USER;

export interface TestService {
  redis: TestRedis;
  env: Env;
  config: ServiceConfig;
  dataKey: string;
  runtime: Runtime;
  app: FastifyInstance;
  /** Builds a second runtime on the same Redis, as after a restart or in another process. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startService(envOverrides: Record<string, string> = {}, opts: { redis?: TestRedis; dataKey?: string; dataKeyPrevious?: string; now?: () => number; zaloPerSecond?: number; log?: Logger } = {}): Promise<TestService> {
  const redis = opts.redis ?? (await startTestRedis());
  const env = loadEnv({ CONFIG_FILE: 'config/communes.example.yaml', LOG_LEVEL: 'silent', ...envOverrides });
  const config = loadServiceConfig(env.CONFIG_FILE);
  // A Redis is sealed under one key (src/store/key-ring.ts): a second service on it passes the first one's.
  const dataKey = opts.dataKey ?? generateDataKey();
  const build = async () => {
    const runtime = await createRuntime({
      env,
      config,
      redis: redis.url,
      dataKey,
      dataKeyPrevious: opts.dataKeyPrevious,
      log: opts.log ?? silentLogger,
      telegramBotInfo: TEST_BOT_INFO,
      now: opts.now,
      // Short waits so retries happen within a test.
      // zaloPerSecond: bulk Zalo tests raise the modest default rate (10/s) so they do not wait on it.
      outbox: { retry: { attempts: 6, backoffMs: 50 }, limits: { telegram: { perChatGapMs: 0 }, zalobot: { perChatGapMs: 0 }, zalo: { perChatGapMs: 0, ...(opts.zaloPerSecond ? { perSecond: opts.zaloPerSecond, concurrency: 16 } : {}) } } },
    });
    const app = buildServer({ env, runtime, demoUsers: DEMO_USERS });
    await app.ready();
    return { runtime, app };
  };
  const svc = { redis, env, config, dataKey, ...(await build()) } as TestService;
  svc.restart = async () => {
    await svc.app.close();
    await svc.runtime.close();
    Object.assign(svc, await build());
  };
  svc.stop = async () => {
    await svc.app.close();
    await svc.runtime.close();
    if (!opts.redis) await redis.stop();
  };
  return svc;
}

