/**
 * Assembles the Zalo OA channel from configuration, so the runtime only has to plug it in: token store,
 * API client, the senders (direct replies; the outbox's, behind the 7-day window check), the window
 * fallback for the outbox's dead letters, the inbound queue the webhook feeds, and the job module that
 * processes it. Everything it needs is handed over when it is built: the services exist by then.
 */
import { localDay } from '../../domain/local-time.js';
import type { Env, RedisTarget } from '../../config/env.js';
import type { ActionDeps } from '../../actions/deps.js';
import { notifyRoles } from '../../actions/notify.js';
import type { OutgoingMessage } from '../../messaging/message.js';
import type { InboundDeps } from '../inbound.js';
import { ZaloClient } from './client.js';
import { ZaloQuotaLedger, type ZaloQuota } from './quota.js';
import { ZaloReplies } from './replies.js';
import { ZaloSender } from './sender.js';
import type { ZaloSignatureConfig } from './signature.js';
import { createZaloInboundJob } from './inbound-job.js';
import { ZaloInboundQueue } from './inbound-queue.js';
import { ZaloTokenStore } from './tokens.js';
import { WindowedSender, ZaloWindow } from './window.js';
import { ZaloWindowFallback } from './window-fallback.js';
import { zaloUserTag } from './user-tag.js';

export interface ZaloChannel {
  tokens: ZaloTokenStore;
  client: ZaloClient;
  /** For direct replies: the person just wrote, so the window is open and a free reply is left. */
  sender: ZaloSender;
  /** Free replies per person (recorded by the inbound job, spent by the sender). */
  replies: ZaloReplies;
  quota: ZaloQuotaLedger;
  /** For the outbox: refuses (OutsideWindowError) when the window is known to be closed. */
  outboxSender: WindowedSender;
  window: ZaloWindow;
  /** The outbox's onDeadLetter hook for 'outside_window'. */
  fallback: ZaloWindowFallback;
  signature: ZaloSignatureConfig;
  inbound: ZaloInboundQueue;
  /** The worker for the inbound queue, for the process's job modules. */
  inboundJob: ReturnType<typeof createZaloInboundJob>;
  close(): Promise<void>;
}

export interface ZaloChannelOptions {
  env: Env & { ZALO_APP_ID: string };
  services: Pick<ActionDeps, 'redis' | 'queues' | 'cipher' | 'log' | 'now' | 'roles' | 'outbox' | 'config' | 'audit'>;
  /** For the inbound worker's own connection. */
  redisTarget: RedisTarget;
  /** The turn path every channel shares (the sender and logger are this channel's). */
  inbound: Omit<InboundDeps, 'sender' | 'log'>;
  /** What a new follower is sent (the menu). */
  greeting(): OutgoingMessage;
}

/** To admins, once a month, when Zalo reports the proactive quota nearly spent. */
function quotaLowText(q: ZaloQuota): string {
  return (
    `⚠️ Kênh Zalo OA của xã chỉ còn ${q.remain ?? 'ít'} tin chủ động trong tháng này. Khi hết, tin nhắc việc và thông báo gửi cho người ` +
    'đã lâu không nhắn sẽ bị Zalo tính phí hoặc không gửi được. Tin trả lời trong 48 giờ sau khi người dân nhắn vẫn miễn phí.'
  );
}

const REAUTH_TEXT =
  '⚠️ Kênh Zalo của xã đã mất quyền gửi tin. Quản trị viên cần chạy lệnh "npm run zalo:auth" để cấp quyền lại; ' +
  'trong lúc chờ, người dùng Zalo chưa nhận được tin nào từ hệ thống.';

export function createZaloChannel(opts: ZaloChannelOptions): ZaloChannel {
  const { env, services } = opts;
  const zlog = services.log.child({ channel: 'zalo' });
  if (!env.ZALO_APP_SECRET) zlog.warn('ZALO_APP_SECRET is not set: Zalo access tokens cannot be refreshed');
  const tokens = new ZaloTokenStore({
    redis: services.redis,
    cipher: services.cipher,
    appId: env.ZALO_APP_ID,
    appSecret: env.ZALO_APP_SECRET ?? '',
    oauthRoot: env.ZALO_OAUTH_ROOT,
    logger: zlog,
    now: services.now,
    // The store calls this once, when the flag is newly set; the commune's local day in the key dedups the rest.
    onReauthorizationRequired: async () => {
      for (const commune of services.config.communes) {
        const day = localDay(services.now(), commune.timezone);
        // Admins are told on their other channels: Zalo itself cannot send any more.
        const onZalo = (await services.roles.members(commune.id, 'admin')).map((m) => m.identity).filter((id) => id.startsWith('zalo:'));
        await notifyRoles(services, commune.id, ['admin'], { text: REAUTH_TEXT }, `zalo-reauth:${day}`, {
          exclude: onZalo,
          preview: 'zalo OA needs re-authorisation',
        });
      }
    },
  });
  const quota = new ZaloQuotaLedger(services.redis, { now: services.now });
  const onQuota = async (q: ZaloQuota) => {
    if (!(await quota.record(q))) return;
    zlog.warn({ remain: q.remain, total: q.total }, 'zalo proactive quota low: admins told');
    for (const commune of services.config.communes) {
      await notifyRoles(services, commune.id, ['admin'], { text: quotaLowText(q) }, `zalo-quota-low:${localDay(services.now(), 'Asia/Ho_Chi_Minh').slice(0, 7)}`, {
        preview: 'zalo proactive quota low',
      });
    }
  };
  const client = new ZaloClient({ tokens, apiRoot: env.ZALO_API_ROOT, logger: zlog, onQuota });
  const userTag = zaloUserTag(services.cipher);
  const replies = new ZaloReplies(services.redis, userTag, services.now);
  const sender = new ZaloSender(client, replies);
  const window = new ZaloWindow(services.redis, userTag, services.now);
  const fallback = new ZaloWindowFallback(services);
  const inbound = new ZaloInboundQueue(services.queues, services.cipher, zlog);
  const inboundJob = createZaloInboundJob({ ...opts.inbound, sender, log: zlog, window, replies, services, redisTarget: opts.redisTarget, greeting: opts.greeting });
  return {
    tokens,
    client,
    sender,
    replies,
    quota,
    outboxSender: new WindowedSender(sender, window),
    window,
    fallback,
    // env validation requires the OA Secret Key whenever ZALO_APP_ID is set.
    signature: { appId: env.ZALO_APP_ID, oaSecretKey: env.ZALO_OA_SECRET_KEY ?? '', previousOaSecretKey: env.ZALO_OA_SECRET_KEY_PREVIOUS },
    inbound,
    inboundJob,
    async close() {
      await inbound.close();
      await client.close();
      await tokens.close();
    },
  };
}
