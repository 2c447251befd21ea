/**
 * Builds everything a process needs from validated configuration: Redis connections, stores, the outbox,
 * the core, channel adapters. The entry points (src/main.ts, src/worker.ts) only call this, start and stop it.
 */
import { Redis } from 'ioredis';
import { Api, type Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { ServiceConfig } from '../config/communes.js';
import type { Env } from '../config/env.js';
import type { Logger } from '../logger.js';
import type { ChannelSender } from '../core/errors.js';
import type { Channel } from '../core/message.js';
import { Core, type FeatureFactory } from '../handlers/core.js';
import type { CoreEvents, Feature, Services } from '../handlers/context.js';
import { registrationFeature } from '../handlers/registration.js';
import { countsFeatures } from '../handlers/counts/index.js';
import { officerCaseFeatures } from '../handlers/officer/cases.js';
import { announceDeadLetter } from '../handlers/officer/dead-letters.js';
import { reporterNoticeListener } from '../handlers/officer/notices.js';
import { reporterAdditionFeature } from '../handlers/reporter/addition.js';
import { AuditLog } from '../store/audit.js';
import { DataCipher } from '../store/crypto.js';
import { UpdateDedup } from '../store/dedup.js';
import { CaseStore } from '../store/cases.js';
import { CountsStore } from '../store/counts.js';
import { RoleStore } from '../store/roles.js';
import { SessionStore } from '../store/sessions.js';
import { Outbox, type OutboxOptions } from '../jobs/outbox.js';
import { LocalInbox } from '../bot/local/inbox.js';
import { attachCore, createTelegramBot } from '../bot/telegram/bot.js';
import { TelegramSender } from '../bot/telegram/sender.js';
import { createZaloChannel, type ZaloChannel } from '../bot/zalo/channel.js';
import { provideZaloInbound } from '../jobs/zalo-inbound.js';
import { onReportConfirmed } from '../jobs/alerts.js';
import { closeQueues } from '../jobs/queues.js';
import { ackFeature } from '../handlers/officer/ack.js';
import type { InboundDeps, ReplyFallback } from '../bot/inbound.js';

export interface RuntimeOptions {
  env: Env;
  config: ServiceConfig;
  redisUrl: string;
  dataKey: string;
  log: Logger;
  /** Skips Telegram's getMe at start (tests, benchmarks). */
  telegramBotInfo?: UserFromGetMe;
  now?: () => number;
  /** Outbox tuning (tests shorten backoffs). */
  outbox?: Partial<Pick<OutboxOptions, 'limits' | 'retry' | 'worker'>>;
}

export interface Runtime {
  redis: Redis;
  services: Services;
  core: Core;
  dedup: UpdateDedup;
  inbox: LocalInbox;
  telegram?: { bot: Bot; deps: InboundDeps };
  /** Set when ZALO_APP_ID is: the webhook route and the inbound worker use it. */
  zalo?: ZaloChannel;
  /** True when no platform token is configured: the local chat page is the way in. */
  localMode: boolean;
  close(): Promise<void>;
}

/** Conversations every channel offers, in the order they get a chance at a message. */
const FEATURES: FeatureFactory[] = [() => [registrationFeature as Feature], countsFeatures, officerCaseFeatures, () => [ackFeature], () => [reporterAdditionFeature]];

export function createRedis(url: string, log: Logger): Redis {
  // BullMQ needs maxRetriesPerRequest: null; the same settings suit the stores (wait, do not fail fast).
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableAutoPipelining: true });
  // ioredis reconnects by itself; without a listener each failed attempt is an "unhandled error" print.
  redis.on('error', (err: Error) => log.error({ err: err.message }, 'redis connection error'));
  return redis;
}

export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const { env, config, log } = opts;
  const redis = createRedis(opts.redisUrl, log);
  const cipher = DataCipher.fromString(opts.dataKey);
  const inbox = new LocalInbox(redis, cipher);

  const senders: Partial<Record<Channel, ChannelSender>> = { local: inbox };
  if (env.TELEGRAM_BOT_TOKEN) {
    // The outbox's own Api has no auto-retry: the outbox retries, and must see every 429 itself.
    senders.telegram = new TelegramSender(new Api(env.TELEGRAM_BOT_TOKEN, { apiRoot: env.TELEGRAM_API_ROOT }));
  }
  const zalo = env.ZALO_APP_ID
    ? createZaloChannel({ env: { ...env, ZALO_APP_ID: env.ZALO_APP_ID }, redis, cipher, log, now: opts.now ?? Date.now, services: () => services })
    : undefined;
  // The outbox sends to Zalo only inside the 7-day window; refused messages go to zalo.fallback below.
  if (zalo) senders.zalo = zalo.outboxSender;
  const outbox = new Outbox({
    connection: opts.redisUrl,
    senders,
    logger: log.child({ module: 'outbox' }),
    cipher,
    ...opts.outbox,
    onDeadLetter: async (dl) => {
      // A Zalo message refused for the 7-day window goes to a linked channel, or its own notice says how
      // to reach the person: then the general announcement would only repeat it.
      if (await zalo?.fallback.onDeadLetter(dl)) return;
      // Officers and admins of the commune hear of every undelivered message at once (services is set by then).
      await announceDeadLetter(services, dl);
    },
  });

  const events: CoreEvents = {
    // Queue the alert (job id from the code: a repeat is a no-op), then mark it queued; see src/jobs/alerts.ts.
    reportConfirmed: (report) => onReportConfirmed(services, report),
  };
  const services: Services = {
    config,
    redis,
    redisUrl: opts.redisUrl,
    cipher,
    audit: new AuditLog(redis),
    cases: new CaseStore(redis, cipher),
    counts: new CountsStore(redis),
    sessions: new SessionStore(redis, cipher, config.draftTtlHours * 3600),
    roles: new RoleStore(redis),
    outbox,
    events,
    log,
    now: opts.now ?? Date.now,
  };
  // Every status change (acknowledgement included) tells the reporter the coarse status, from here only.
  services.cases.onStatusChange(reporterNoticeListener(services));
  const core = new Core(services, FEATURES);
  const dedup = new UpdateDedup(redis);
  const localMode = !env.TELEGRAM_BOT_TOKEN && !env.ZALO_APP_ID;
  const fallback: ReplyFallback = async (to, message, key) => {
    await outbox.enqueue({ to, message, key, preview: 'reply' });
  };

  let telegram: Runtime['telegram'];
  if (env.TELEGRAM_BOT_TOKEN) {
    const bot = createTelegramBot({ token: env.TELEGRAM_BOT_TOKEN, apiRoot: env.TELEGRAM_API_ROOT, botInfo: opts.telegramBotInfo, log });
    const deps: InboundDeps = { core, dedup, sender: new TelegramSender(bot.api), fallback, log: log.child({ channel: 'telegram' }) };
    attachCore(bot, deps, { rethrow: env.TELEGRAM_MODE === 'webhook' });
    telegram = { bot, deps };
  }
  if (zalo) {
    provideZaloInbound(services, { core, dedup, sender: zalo.sender, fallback, log: log.child({ channel: 'zalo' }), window: zalo.window });
  }

  return {
    redis,
    services,
    core,
    dedup,
    inbox,
    telegram,
    zalo,
    localMode,
    async close() {
      if (telegram?.bot.isRunning()) await telegram.bot.stop();
      await zalo?.close();
      await outbox.close();
      await closeQueues(services);
      await redis.quit();
    },
  };
}
