/**
 * The HTTP side, built by a factory (tests and benchmarks build their own): health, metrics, the Telegram
 * webhook, the local chat page when no platform token is configured, and the web console when
 * PUBLIC_URL is set.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TelegramUpdateHandler } from '../bot/telegram/bot.js';
import type { Redis } from 'ioredis';
import type { Env } from '../config/env.js';
import type { Logger } from '../logger.js';
import type { TurnPath } from '../bot/inbound.js';
import type { LocalInbox } from '../bot/local/inbox.js';
import { registerLocalChat, type DemoUser } from '../bot/local/routes.js';
import { registerTelegramWebhook } from '../bot/telegram/webhook.js';
import type { ZaloChannel } from '../bot/zalo/channel.js';
import type { ZaloBotChannel } from '../bot/zalo-bot/channel.js';
import { registerZaloBotWebhook } from '../bot/zalo-bot/webhook.js';
import { registerZaloWebhook } from '../bot/zalo/webhook.js';
import { registerHealth, type HealthCheck } from './health.js';
import { registerMetrics } from './metrics.js';
import type { ConsoleDeps } from '../console/context.js';

/** What the server serves, as the wiring (src/app/runtime.ts) builds it. */
export interface ServedRuntime {
  redis: Redis;
  services: { log: Logger; now: () => number; outbox: { reachable(): Promise<boolean> } };
  turnPath: TurnPath;
  inbox: LocalInbox;
  telegram?: { handleUpdate: TelegramUpdateHandler };
  zalo?: Pick<ZaloChannel, 'signature' | 'inbound'>;
  zaloBot?: Pick<ZaloBotChannel, 'webhookSecret' | 'handle'>;
  localMode: boolean;
  /** Set when PUBLIC_URL is: the web console's dependencies. */
  console?: ConsoleDeps;
}

export interface ServerOptions {
  env: Env;
  runtime: ServedRuntime;
  demoUsers?: DemoUser[];
  /** Extra readiness checks (queues). */
  healthChecks?: HealthCheck[];
  /** More routes (Zalo webhook) registered by their modules. */
  plugins?: Array<(app: FastifyInstance) => void>;
}

export function buildServer(opts: ServerOptions): FastifyInstance {
  const { env, runtime } = opts;
  const app = Fastify({
    // Request lines at info would drown the log at a thousand updates a second; errors still show.
    loggerInstance: runtime.services.log.child({ module: 'http' }, { level: 'warn' }) as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
  });

  registerHealth(app, runtime.redis, [{ name: 'queues', check: () => runtime.services.outbox.reachable() }, ...(opts.healthChecks ?? [])], { token: env.METRICS_TOKEN });
  registerMetrics(app, { token: env.METRICS_TOKEN });
  // The officers' web console exists only where PUBLIC_URL says how browsers reach it, and its code
  // (pages, the queue dashboard) is loaded only then: ~7 MB a process without it does not carry.
  const consoleDeps = runtime.console;
  if (consoleDeps) void app.register(async (scope) => (await import('../console/plugin.js')).registerConsole(scope, consoleDeps));

  if (runtime.telegram && env.TELEGRAM_MODE === 'webhook' && env.TELEGRAM_WEBHOOK_SECRET) {
    registerTelegramWebhook(app, { handle: runtime.telegram.handleUpdate, secret: env.TELEGRAM_WEBHOOK_SECRET, log: runtime.services.log.child({ channel: 'telegram' }) });
  }

  if (runtime.localMode) {
    registerLocalChat(app, {
      ...runtime.turnPath,
      sender: runtime.inbox,
      inbox: runtime.inbox,
      users: opts.demoUsers ?? [],
      log: runtime.services.log.child({ channel: 'local' }),
    });
  }

  if (runtime.zalo) {
    registerZaloWebhook(app, {
      signature: runtime.zalo.signature,
      inbound: runtime.zalo.inbound,
      log: runtime.services.log.child({ channel: 'zalo' }),
      now: runtime.services.now,
      maxEventAgeMs: env.ZALO_EVENT_MAX_AGE_HOURS * 3_600_000,
    });
  }

  if (runtime.zaloBot?.webhookSecret) {
    registerZaloBotWebhook(app, { secretToken: runtime.zaloBot.webhookSecret, onUpdate: runtime.zaloBot.handle, log: runtime.services.log.child({ channel: 'zalobot' }) });
  }

  for (const plugin of opts.plugins ?? []) plugin(app);
  return app;
}
