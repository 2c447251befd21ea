/**
 * The OA's monthly proactive quota, as Zalo reports it in each send's answer (docs/zalo.md "What Zalo
 * lets an OA send"): which quota the message used (`quota_type`: reply, sub_quota, purchase_quota,
 * reward_quota) and what remains. The exact field layout is not confirmed, so both places seen in
 * public integrations are read (`data.quota.{quota_type, remain, total}` and the same at `data`'s top).
 *
 * Redis keys (per month of Vietnam time, when Zalo's quota resets):
 * - `zalo:quota:<YYYY-MM>` hash: the last reported `type`, `remain`, `total`, `at`, and counters
 *   `sent:<type>` of messages per quota type.
 * - `zalo:quota:low:<YYYY-MM>` set once the remainder fell under the threshold: admins are told once.
 */
import type { Redis } from 'ioredis';
import { localDay } from '../../domain/local-time.js';

export type ZaloQuotaType = 'reply' | 'sub_quota' | 'purchase_quota' | 'reward_quota' | (string & {});

export interface ZaloQuota {
  type: ZaloQuotaType;
  remain?: number;
  total?: number;
}

const MONTH_TTL_SECONDS = 62 * 24 * 3600;
/**
 * Zalo's own clock, not a commune's: the OA's quota resets on the 1st at 00:00 Vietnam time whatever
 * zone the communes it serves are configured in (docs/platforms.md §3).
 */
const ZALO_QUOTA_TIMEZONE = 'Asia/Ho_Chi_Minh';

function num(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** The quota a send's `data` reports, if any. */
export function quotaOf(data: unknown): ZaloQuota | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const d = data as Record<string, unknown>;
  const q = (d.quota && typeof d.quota === 'object' ? d.quota : d) as Record<string, unknown>;
  const type = q.quota_type;
  if (typeof type !== 'string' || type === '') return undefined;
  const out: ZaloQuota = { type };
  const remain = num(q.remain ?? q.remaining);
  const total = num(q.total);
  if (remain !== undefined) out.remain = remain;
  if (total !== undefined) out.total = total;
  return out;
}

export interface QuotaStatus {
  month: string;
  type?: string;
  remain?: number;
  total?: number;
  at?: number;
  /** Messages sent this month per quota type. */
  sent: Record<string, number>;
}

export class ZaloQuotaLedger {
  constructor(
    private readonly redis: Redis,
    private readonly opts: {
      now?: () => number;
      /** Admins are told when the proactive remainder falls to this. Default 100 (10% of 1,000). */
      lowAt?: number;
    } = {},
  ) {}

  private month(): string {
    return localDay((this.opts.now ?? Date.now)(), ZALO_QUOTA_TIMEZONE).slice(0, 7);
  }

  /**
   * Records one send's report. Returns true exactly once a month: when a proactive quota is first
   * seen at or under the threshold (the caller tells the admins).
   */
  async record(q: ZaloQuota): Promise<boolean> {
    const month = this.month();
    const k = `zalo:quota:${month}`;
    const tx = this.redis.multi().hincrby(k, `sent:${q.type}`, 1);
    // A reply's answer says nothing about the proactive remainder.
    if (q.type !== 'reply') {
      tx.hset(k, { type: q.type, at: String((this.opts.now ?? Date.now)()) });
      if (q.remain !== undefined) tx.hset(k, 'remain', String(q.remain));
      if (q.total !== undefined) tx.hset(k, 'total', String(q.total));
    }
    tx.expire(k, MONTH_TTL_SECONDS);
    await tx.exec();
    if (q.type === 'reply' || q.remain === undefined || q.remain > (this.opts.lowAt ?? 100)) return false;
    return (await this.redis.set(`zalo:quota:low:${month}`, String(q.remain), 'EX', MONTH_TTL_SECONDS, 'NX')) === 'OK';
  }

  async status(): Promise<QuotaStatus> {
    const month = this.month();
    const h = await this.redis.hgetall(`zalo:quota:${month}`);
    const sent: Record<string, number> = {};
    for (const [f, v] of Object.entries(h)) if (f.startsWith('sent:')) sent[f.slice(5)] = Number(v);
    const out: QuotaStatus = { month, sent };
    if (h.type) out.type = h.type;
    if (h.remain !== undefined) out.remain = Number(h.remain);
    if (h.total !== undefined) out.total = Number(h.total);
    if (h.at !== undefined) out.at = Number(h.at);
    return out;
  }
}
