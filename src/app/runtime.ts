/**
 * Builds everything a process needs from validated configuration: Redis connections, stores, the core,
 * channel adapters. The entry points (src/main.ts, src/worker.ts) only call this, start and stop it.
 */
import { Redis } from 'ioredis';
import type { Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { ServiceConfig } from '../config/communes.js';
import type { Env } from '../config/env.js';
import type { Logger } from '../logger.js';
import { Core, type FeatureFactory } from '../handlers/core.js';
import type { CoreEvents, Services } from '../handlers/context.js';
import { DataCipher } from '../store/crypto.js';
import { UpdateDedup } from '../store/dedup.js';
import { ReportStore } from '../store/reports.js';
import { SessionStore } from '../store/sessions.js';
import { LocalInbox } from '../bot/local/inbox.js';
import { attachCore, createTelegramBot } from '../bot/telegram/bot.js';
import { TelegramSender } from '../bot/telegram/sender.js';
import type { InboundDeps } from '../bot/inbound.js';

export interface RuntimeOptions {
  env: Env;
  config: ServiceConfig;
  redisUrl: string;
  dataKey: string;
  log: Logger;
  /** Skips Telegram's getMe at start (tests, benchmarks). */
  telegramBotInfo?: UserFromGetMe;
  now?: () => number;
  features?: FeatureFactory[];
}

export interface Runtime {
  redis: Redis;
  services: Services;
  core: Core;
  dedup: UpdateDedup;
  inbox: LocalInbox;
  telegram?: { bot: Bot; deps: InboundDeps };
  /** True when no platform token is configured: the local chat page is the way in. */
  localMode: boolean;
  close(): Promise<void>;
}

export function createRedis(url: string): Redis {
  // BullMQ needs maxRetriesPerRequest: null; the same settings suit the stores (wait, do not fail fast).
  return new Redis(url, { maxRetriesPerRequest: null, enableAutoPipelining: true });
}

export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const { env, config, log } = opts;
  const redis = createRedis(opts.redisUrl);
  const cipher = DataCipher.fromString(opts.dataKey);
  const events: CoreEvents = {
    reportConfirmed: async (report) => log.info({ code: report.code, urgency: report.urgency }, 'report confirmed'),
  };
  const services: Services = {
    config,
    redis,
    reports: new ReportStore(redis, cipher),
    sessions: new SessionStore(redis, cipher, config.draftTtlHours * 3600),
    events,
    log,
    now: opts.now ?? Date.now,
  };
  const core = new Core(services, opts.features);
  const dedup = new UpdateDedup(redis);
  const inbox = new LocalInbox(redis, cipher);
  const localMode = !env.TELEGRAM_BOT_TOKEN && !env.ZALO_APP_ID;

  let telegram: Runtime['telegram'];
  if (env.TELEGRAM_BOT_TOKEN) {
    const bot = createTelegramBot({ token: env.TELEGRAM_BOT_TOKEN, apiRoot: env.TELEGRAM_API_ROOT, botInfo: opts.telegramBotInfo, log });
    const deps: InboundDeps = { core, dedup, sender: new TelegramSender(bot.api), log: log.child({ channel: 'telegram' }) };
    attachCore(bot, deps, { rethrow: env.TELEGRAM_MODE === 'webhook' });
    telegram = { bot, deps };
  }

  return {
    redis,
    services,
    core,
    dedup,
    inbox,
    telegram,
    localMode,
    async close() {
      if (telegram?.bot.isRunning()) await telegram.bot.stop();
      await redis.quit();
    },
  };
}
