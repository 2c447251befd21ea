/**
 * Assembles the Zalo OA channel from configuration, so the runtime only has to plug it in: token store,
 * API client, the senders (direct replies; the outbox's, behind the 7-day window check), the window
 * fallback for the outbox's dead letters, and the inbound queue the webhook feeds.
 */
import { localDay } from '../../domain/workdays.js';
import type { Redis } from 'ioredis';
import type { Env } from '../../config/env.js';
import type { Services } from '../../handlers/context.js';
import { notifyRoles } from '../../jobs/notify.js';
import { ZaloInboundQueue } from '../../jobs/zalo-inbound.js';
import type { Logger } from '../../logger.js';
import type { DataCipher } from '../../store/crypto.js';
import { ZaloClient, ZaloSender } from './client.js';
import type { ZaloSignatureConfig } from './signature.js';
import { ZaloTokenStore } from './tokens.js';
import { WindowedSender, ZaloWindow, ZaloWindowFallback } from './window.js';

export interface ZaloChannel {
  tokens: ZaloTokenStore;
  client: ZaloClient;
  /** For direct replies: the person just wrote, so the window is open. */
  sender: ZaloSender;
  /** For the outbox: refuses (OutsideWindowError) when the window is known to be closed. */
  outboxSender: WindowedSender;
  window: ZaloWindow;
  /** The outbox's onDeadLetter hook for 'outside_window'. */
  fallback: ZaloWindowFallback;
  signature: ZaloSignatureConfig;
  inbound: ZaloInboundQueue;
  close(): Promise<void>;
}

export interface ZaloChannelOptions {
  env: Env & { ZALO_APP_ID: string };
  redis: Redis;
  cipher: DataCipher;
  log: Logger;
  now: () => number;
  /** Services are built after the outbox, which needs this channel's sender first. */
  services: () => Services;
}

const REAUTH_TEXT =
  '⚠️ Kênh Zalo của xã đã mất quyền gửi tin. Quản trị viên cần chạy lệnh "npm run zalo:auth" để cấp quyền lại; ' +
  'trong lúc chờ, người dùng Zalo chưa nhận được tin nào từ hệ thống.';

export function createZaloChannel(opts: ZaloChannelOptions): ZaloChannel {
  const { env, log } = opts;
  const zlog = log.child({ channel: 'zalo' });
  if (!env.ZALO_APP_SECRET) zlog.warn('ZALO_APP_SECRET is not set: Zalo access tokens cannot be refreshed');
  const tokens = new ZaloTokenStore({
    redis: opts.redis,
    appId: env.ZALO_APP_ID,
    appSecret: env.ZALO_APP_SECRET ?? '',
    oauthRoot: env.ZALO_OAUTH_ROOT,
    logger: zlog,
    now: opts.now,
    // The store calls this once, when the flag is newly set; the day in the key dedups the rest.
    onReauthorizationRequired: async () => {
      const services = opts.services();
      const day = localDay(opts.now(), 'Asia/Ho_Chi_Minh');
      for (const commune of services.config.communes) {
        // Admins are told on their other channels: Zalo itself cannot send any more.
        const onZalo = (await services.roles.members(commune.id, 'admin')).map((m) => m.identity).filter((id) => id.startsWith('zalo:'));
        await notifyRoles(services, commune.id, ['admin'], { text: REAUTH_TEXT }, `zalo-reauth:${day}`, {
          exclude: onZalo,
          preview: 'zalo OA needs re-authorisation',
        });
      }
    },
  });
  const client = new ZaloClient({ tokens, apiRoot: env.ZALO_API_ROOT, logger: zlog });
  const sender = new ZaloSender(client);
  const window = new ZaloWindow(opts.redis, opts.now);
  const fallback = new ZaloWindowFallback({ services: opts.services });
  const inbound = new ZaloInboundQueue(opts.redis, opts.cipher);
  return {
    tokens,
    client,
    sender,
    outboxSender: new WindowedSender(sender, window),
    window,
    fallback,
    signature: { appId: env.ZALO_APP_ID, oaSecretKey: env.ZALO_OA_SECRET_KEY, appSecret: env.ZALO_APP_SECRET },
    inbound,
    async close() {
      await inbound.close();
      await fallback.close();
      await client.close();
      await tokens.close();
    },
  };
}
