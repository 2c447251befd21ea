/**
 * Builds everything a process needs from validated configuration, in one pass: the services (stores,
 * outbox), the handlers' dispatcher, the channel adapters and the outbox's workers; then registers the
 * hooks between them. The entry points (src/main.ts, src/worker.ts) only call this, start and stop it.
 */
import type { Redis } from 'ioredis';
import type { Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { announceDeadLetter } from '../actions/dead-letter-notices.js';
import type { OutboxOptions } from '../actions/outbox/outbox.js';
import { linkedOrHeld, rerouteToLinked } from '../actions/linked-reroute.js';
import { skipUndelivered } from '../actions/alert-chain.js';
import { memberBehind } from '../actions/people.js';
import { closeQueues } from '../actions/queues.js';
import { reporterNoticeListener } from '../actions/reporter-notices.js';
import { recipientsExpiryListener } from '../actions/case-alerts.js';
import type { InboundDeps, TurnPath } from '../bot/inbound.js';
import { LocalInbox } from '../bot/local/inbox.js';
import { attachPoller, createTelegramBot, telegramUpdateHandler, type TelegramUpdateHandler } from '../bot/telegram/bot.js';
import { BotMessages } from '../bot/telegram/http.js';
import { TelegramSender } from '../bot/telegram/sender.js';
import { createZaloChannel, type ZaloChannel } from '../bot/zalo/channel.js';
import { createZaloBotChannel, type ZaloBotChannel } from '../bot/zalo-bot/channel.js';
import type { ServiceConfig } from '../config/communes.js';
import { tryOutMode, type CrashPoint, type Env, type RedisTarget } from '../config/env.js';
import { Dispatcher } from '../handlers/dispatcher.js';
import { loadClassifier } from '../nlu/classifier.js';
import { menuMessage } from '../handlers/menu.js';
import { OutboxWorkers, type OutboxWorkersOptions } from '../jobs/outbox/workers.js';
import type { Logger } from '../logger.js';
import type { ChannelSender } from '../messaging/channel.js';
import type { Channel } from '../messaging/message.js';
import { openRedis } from '../store/connections.js';
import { openKeyRing } from '../store/key-ring.js';
import type { ConsoleDeps } from '../console/context.js';
import { consoleDeps } from './console.js';
import { instrument } from './metrics.js';
import { ProcessLiveness } from '../store/liveness.js';
import { TurnStore } from '../store/turns.js';
import { createServices, type Services } from './services.js';
import { refuseDemoRoles } from './demo.js';

export interface RuntimeOptions {
  env: Env;
  config: ServiceConfig;
  /** The Redis: a redis:// URL for a single server, or a Sentinel set or Cluster. */
  redis: string | RedisTarget;
  dataKey: string;
  /** DATA_KEY_PREVIOUS, during a rotation (docs/keys.md). */
  dataKeyPrevious?: string;
  log: Logger;
  /** Skips Telegram's getMe at start (tests, benchmarks). */
  telegramBotInfo?: UserFromGetMe;
  now?: () => number;
  /** Names this process in lock owners (default INSTANCE_ID, else random); main.ts passes host and port. */
  instance?: string;
  /** Outbox tuning (tests shorten backoffs). */
  outbox?: { retry?: OutboxOptions['retry'] } & Pick<OutboxWorkersOptions, 'limits' | 'worker'>;
}

export interface Runtime {
  redis: Redis;
  services: Services;
  dispatcher: Dispatcher;
  /** What every channel's inbound path shares: the dispatcher, the turn store, this process's liveness. */
  turnPath: TurnPath;
  liveness: ProcessLiveness;
  inbox: LocalInbox;
  telegram?: { bot: Bot; deps: InboundDeps; handleUpdate: TelegramUpdateHandler };
  /** Set when ZALO_APP_ID is: the webhook route and the inbound worker use it. */
  zalo?: ZaloChannel;
  /** Set when ZALO_BOT_TOKEN is: the Zalo Bot Platform channel. */
  zaloBot?: ZaloBotChannel;
  /** Started by src/app/workers.ts; they send on this process's channels. */
  outboxWorkers: OutboxWorkers;
  /** The try-out mode (config tryOutMode): the local chat page is the way in. */
  localMode: boolean;
  /** Set when PUBLIC_URL is: the web console's dependencies. */
  console?: ConsoleDeps;
  close(): Promise<void>;
}

export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const { env, config, log } = opts;
  const redisTarget: RedisTarget = typeof opts.redis === 'string' ? { mode: 'single', url: opts.redis } : opts.redis;
  const redis = openRedis(redisTarget, 'data', log);
  // A wrong DATA_KEY stops the process here, before it reads or seals anything (KeyMismatchError).
  const cipher = await openKeyRing(redis, { current: opts.dataKey, previous: opts.dataKeyPrevious }).catch(async (err: unknown) => {
    redis.disconnect();
    throw err;
  });
  const web = env.PUBLIC_URL
    ? { publicUrl: env.PUBLIC_URL, linkSeconds: Math.round(env.WEB_LINK_MINUTES * 60), idleSeconds: Math.round(env.WEB_IDLE_MINUTES * 60), absoluteSeconds: Math.round(env.WEB_SESSION_HOURS * 3600) }
    : undefined;
  const services = createServices({ config, redis, redisTarget, cipher, log, now: opts.now ?? Date.now, outboxRetry: opts.outbox?.retry, web });
  const { outbox } = services;
  // The classifier model is read now, so the first citizen's message does not wait for it.
  loadClassifier();
  const dispatcher = new Dispatcher(services);
  const liveness = new ProcessLiveness(redis, { instance: opts.instance ?? env.INSTANCE_ID, onLost: () => log.error('another process took this instance name: its locks count as dead') });
  await liveness.start();
  const turns = new TurnStore(redis, cipher, { sessionTtlSeconds: config.draftTtlHours * 3600 });
  const turnPath: TurnPath = {
    dispatcher,
    turns,
    liveness,
    handover: (to, person, epoch, delayMs) => outbox.enqueueReplies(to, person, epoch, delayMs),
    now: services.now,
    ...(env.TEST_CRASH_AT ? { crash: crashHook(env.TEST_CRASH_AT) } : {}),
  };
  const inbox = new LocalInbox(redis, cipher);
  const localMode = tryOutMode(env);
  if (!localMode) await refuseDemoRoles(services);

  const senders: Partial<Record<Channel, ChannelSender>> = { local: inbox };
  let telegram: Runtime['telegram'];
  if (env.TELEGRAM_BOT_TOKEN) {
    const bot = createTelegramBot({ token: env.TELEGRAM_BOT_TOKEN, apiRoot: env.TELEGRAM_API_ROOT, botInfo: opts.telegramBotInfo, log });
    // A direct reply waits out a short 429 (at most 2 s, twice), so a webhook answer never hangs near Telegram's timeout.
    const replies = new BotMessages(env.TELEGRAM_BOT_TOKEN, env.TELEGRAM_API_ROOT, { seconds: 2, attempts: 2 });
    const deps: InboundDeps = { ...turnPath, sender: new TelegramSender(replies), log: log.child({ channel: 'telegram' }) };
    const handleUpdate = telegramUpdateHandler(bot.api, deps);
    // In webhook mode the route calls the handler itself, answers 503 or 500 and logs; Telegram retries.
    if (env.TELEGRAM_MODE !== 'webhook') attachPoller(bot, handleUpdate, deps.log);
    telegram = { bot, deps, handleUpdate };
    // The outbox's sends wait out no 429: the outbox retries, and must see every 429 itself.
    senders.telegram = new TelegramSender(new BotMessages(env.TELEGRAM_BOT_TOKEN, env.TELEGRAM_API_ROOT));
  }
  const zalo = env.ZALO_APP_ID
    ? createZaloChannel({
        env: { ...env, ZALO_APP_ID: env.ZALO_APP_ID },
        services,
        redisTarget,
        inbound: turnPath,
        greeting: () => menuMessage(config.communes),
      })
    : undefined;
  // The outbox sends to Zalo only inside the 7-day window; refused messages go to zalo.fallback below.
  if (zalo) senders.zalo = zalo.outboxSender;
  const zaloBot = env.ZALO_BOT_TOKEN
    ? createZaloBotChannel({ env: { ...env, ZALO_BOT_TOKEN: env.ZALO_BOT_TOKEN }, services, inbound: turnPath })
    : undefined;
  if (zaloBot) senders.zalobot = zaloBot.sender;
  const { onSent } = instrument(services);
  const outboxWorkers = new OutboxWorkers(outbox, {
    senders,
    replies: turns,
    limits: opts.outbox?.limits,
    worker: opts.outbox?.worker,
    onSent,
    onWouldBeBilled: (data, message) => linkedOrHeld(services, data, message),
    isStaff: async (to) => Boolean(await memberBehind(services, `${to.channel}:${to.chatId}`)),
  });

  const webConsole = consoleDeps(env, services);

  // Hooks, now that everything they call exists.
  // Every status change (acknowledgement included) tells the reporter the coarse status, from here only.
  services.cases.onStatusChange(reporterNoticeListener(services));
  services.cases.onStatusChange(recipientsExpiryListener(services));
  outbox.onDeadLetter(async (dl) => {
    // First the channels the person linked themselves (/lienket).
    if (await rerouteToLinked(services, dl)) return;
    // An alert that reached nobody: the next in the chain at once (alert-chain.ts).
    await skipUndelivered(services, dl);
    // A revoked role is expected to lose its messages: no announcement for that.
    if (dl.reason === 'not_staff') return;
    // A Zalo message refused for the 7-day window goes to a linked channel, or its own notice says how
    // to reach the person: then the general announcement would only repeat it.
    if (await zalo?.fallback.onDeadLetter(dl)) return;
    // Officers and admins of the commune hear of every undelivered message at once.
    await announceDeadLetter(services, dl);
  });

  return {
    redis,
    services,
    dispatcher,
    turnPath,
    liveness,
    inbox,
    telegram,
    zalo,
    zaloBot,
    outboxWorkers,
    localMode,
    console: webConsole,
    async close() {
      if (telegram?.bot.isRunning()) await telegram.bot.stop();
      await zalo?.close();
      await zaloBot?.close();
      await outboxWorkers.close();
      await outbox.close();
      await closeQueues(services);
      await liveness.stop();
      await services.queues.redis.quit().catch(() => services.queues.redis.disconnect());
      await redis.quit();
    },
  };
}

/** TEST_CRASH_AT (`point` or `point#n`): kill -9 ourselves the n-th time the turn reaches the point. */
function crashHook(spec: string): (point: CrashPoint) => void {
  const [at, nth] = spec.split('#');
  let left = Number(nth ?? 1);
  return (point) => {
    if (point === at && --left === 0) process.kill(process.pid, 'SIGKILL');
  };
}
