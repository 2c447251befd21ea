/**
 * What the Zalo Bot answers, at once, to `message.unsupported.received`: Zalo withholds the content
 * of messages from users it protects, children among them (docs/zalo.md "Zalo Bot"), so whoever wrote
 * may be a child in danger whose words we will never see. The answer gives the numbers to call and the
 * commune's OA, which does receive such messages. No content exists to keep; officers see only a count.
 */
import type { Redis } from 'ioredis';
import type { OutgoingMessage } from '../../messaging/message.js';
import { localDay, shiftDay } from '../../domain/local-time.js';

export interface UnsupportedReplyOptions {
  hotlines: { child: string; police: string; ambulance: string };
  /** The commune's Zalo OA as people find it in Zalo (its name), when the commune has one. */
  oaName?: string;
}

export function unsupportedReply(opts: UnsupportedReplyOptions): OutgoingMessage {
  const { child, police, ambulance } = opts.hotlines;
  const lines = [
    'Xin lỗi, Zalo không chuyển nội dung tin nhắn này tới hệ thống nên chúng tôi chưa đọc được.',
    'Nếu có trẻ em đang gặp nguy hiểm, xin gọi ngay:',
    `• ${child}: Tổng đài quốc gia bảo vệ trẻ em (miễn phí, cả ngày đêm)`,
    `• ${police}: Công an`,
    `• ${ambulance}: Cấp cứu`,
  ];
  lines.push(
    opts.oaName
      ? `Bạn cũng có thể nhắn tin cho Zalo OA "${opts.oaName}" của xã: tin nhắn ở đó được chuyển đầy đủ tới cán bộ.`
      : 'Bạn cũng có thể đến UBND xã hoặc gọi cán bộ xã để báo tin.',
  );
  return { text: lines.join('\n') };
}

/**
 * How many messages arrived without content, per local day of the commune the bot serves (its
 * configured `timezone`): what officers see of them. Nothing about the sender is kept. Redis key
 * `zalobot:unsupported:<YYYY-MM-DD>`, kept 400 days.
 */
export class UnsupportedCounter {
  constructor(
    private readonly redis: Redis,
    /** The commune's zone, from its configuration. */
    private readonly timezone: string,
    private readonly now: () => number = Date.now,
  ) {}

  async count(at: number = this.now()): Promise<void> {
    const k = `zalobot:unsupported:${localDay(at, this.timezone)}`;
    await this.redis.multi().incr(k).expire(k, 400 * 86400).exec();
  }

  /** Counts of the last `days` days, oldest first, today included. */
  async recent(days: number): Promise<{ day: string; count: number }[]> {
    const today = localDay(this.now(), this.timezone);
    const list = Array.from({ length: days }, (_, i) => shiftDay(today, i - days + 1));
    const counts = list.length ? await this.redis.mget(list.map((d) => `zalobot:unsupported:${d}`)) : [];
    return list.map((day, i) => ({ day, count: Number(counts[i] ?? 0) }));
  }
}
