/**
 * Assembles the Zalo Bot channel (docs/zalo.md "The Zalo Bot") from configuration: client, sender,
 * and the way updates come in, a webhook (ZALO_BOT_WEBHOOK_URL + ZALO_BOT_WEBHOOK_SECRET) or long
 * polling. Updates are handled while Zalo waits, like Telegram's: the same turn path as every channel
 * (src/bot/inbound.ts, docs/turns.md). A message Zalo delivered without its content gets the
 * hotlines at once and is counted, through the same path, so a repeat is answered once.
 */
import type { ActionDeps } from '../../actions/deps.js';
import type { Env } from '../../config/env.js';
import type { IncomingMessage } from '../../messaging/message.js';
import { processIncoming, type InboundDeps } from '../inbound.js';
import { ZaloBotClient } from './client.js';
import { ZaloBotPoller } from './poller.js';
import { ZaloBotSender } from './sender.js';
import { UnsupportedCounter, unsupportedReply } from './unsupported.js';
import { ZALO_BOT_CHANNEL, toZaloBotEvent, type ZaloBotUpdate } from './update.js';

export interface ZaloBotChannel {
  client: ZaloBotClient;
  sender: ZaloBotSender;
  unsupported: UnsupportedCounter;
  /** Set in webhook mode: the route checks it. */
  webhookSecret?: string;
  handle(update: ZaloBotUpdate): Promise<void>;
  /** Registers the webhook, or starts polling. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface ZaloBotChannelOptions {
  env: Pick<Env, 'ZALO_BOT_WEBHOOK_SECRET' | 'ZALO_BOT_WEBHOOK_URL' | 'ZALO_BOT_API_ROOT'> & { ZALO_BOT_TOKEN: string };
  services: Pick<ActionDeps, 'redis' | 'log' | 'now' | 'config' | 'outbox'>;
  inbound: Omit<InboundDeps, 'sender' | 'log'>;
  /** Seconds a poll waits; tests shorten it. Default 30. */
  pollTimeoutSec?: number;
}

export function createZaloBotChannel(opts: ZaloBotChannelOptions): ZaloBotChannel {
  const { env, services } = opts;
  const log = services.log.child({ channel: ZALO_BOT_CHANNEL });
  const client = new ZaloBotClient({ token: env.ZALO_BOT_TOKEN, apiRoot: env.ZALO_BOT_API_ROOT, logger: log });
  const sender = new ZaloBotSender(client);
  const deps: InboundDeps = { ...opts.inbound, sender, log };
  const commune = services.config.communes[0];
  const unsupported = new UnsupportedCounter(services.redis, commune?.timezone ?? 'Asia/Ho_Chi_Minh', services.now);
  // With a secret, updates come by webhook (registered at start when the URL is known too); else polling.
  const secret = env.ZALO_BOT_WEBHOOK_SECRET;

  async function handle(update: ZaloBotUpdate): Promise<void> {
    const event = toZaloBotEvent(update, services.now());
    if (event.kind === 'ignored') {
      log.info({ event: event.eventName, reason: event.reason }, 'zalo bot update not handled');
      return;
    }
    const address = { channel: ZALO_BOT_CHANNEL, chatId: event.kind === 'message' ? event.message.chatId : event.chatId } as const;
    await services.outbox.markReachable(address);
    if (event.kind === 'message') {
      await processIncoming(event.message, deps);
      return;
    }
    // No content: whoever wrote may be a child. The hotlines at once, a count for officers, nothing else.
    const msg: IncomingMessage = { channel: ZALO_BOT_CHANNEL, userId: event.userId, chatId: event.chatId, media: [{ kind: 'other' }], platformId: event.platformId, receivedAt: event.receivedAt };
    const reply = unsupportedReply({ hotlines: commune?.hotlines ?? { child: '111', police: '113', ambulance: '115' }, ...(commune?.zaloOa ? { oaName: commune.zaloOa } : {}) });
    await processIncoming(msg, {
      ...deps,
      dispatcher: {
        handle: async (_msg, conversation) => {
          await unsupported.count(event.receivedAt);
          return { ...conversation, replies: [reply] };
        },
      },
    });
  }

  const poller = secret ? undefined : new ZaloBotPoller({ client, onUpdate: handle, log, timeoutSec: opts.pollTimeoutSec ?? 30 });
  return {
    client,
    sender,
    unsupported,
    ...(secret ? { webhookSecret: secret } : {}),
    handle,
    async start() {
      if (secret) {
        if (!env.ZALO_BOT_WEBHOOK_URL) return;
        await client.setWebhook(env.ZALO_BOT_WEBHOOK_URL, secret);
        log.info({ url: env.ZALO_BOT_WEBHOOK_URL }, 'zalo bot webhook set');
      } else {
        await poller?.start();
        log.info('zalo bot long polling started');
      }
    },
    async close() {
      await poller?.stop();
      await client.close();
    },
  };
}
