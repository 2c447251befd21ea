/**
 * Reports (cases) in Redis. Public fields (code, commune, category, urgency, village, status, dates) sit in
 * a hash in the clear so indexes and alerts work; everything personal sits in one AES-GCM sealed field.
 * Indexes: by commune (sorted by time), by commune and status, by reporter (HMAC of the identity).
 */
import type { Redis } from 'ioredis';
import type { StaffRole, Urgency } from '../config/communes.js';
import type { CategoryKey } from '../domain/categories.js';
import type { CaseStatus } from '../domain/case-status.js';
import { newReportCode } from '../domain/refcode.js';
import type { Media } from '../core/message.js';
import { AuditLog } from './audit.js';
import type { DataCipher } from './crypto.js';

/** What only the officers handling the case may see. */
export interface ReportDetails {
  description: string;
  when?: string;
  child: { name?: string; age?: string; sex?: 'nam' | 'nu' | 'khong_ro' };
  extra?: string;
  reporter: { identity: string; name?: string; phone?: string };
  attachments: Media[];
}

export interface ReportSummary {
  code: string;
  communeId: string;
  category: CategoryKey;
  urgency: Urgency;
  alertRoles: StaffRole[];
  village: string;
  inDanger: 'yes' | 'no' | 'unknown';
  status: CaseStatus;
  channel: string;
  createdAt: number;
  updatedAt: number;
  assignee?: string;
}

export interface NewReport extends Omit<ReportSummary, 'code' | 'status' | 'createdAt' | 'updatedAt' | 'assignee'> {
  details: ReportDetails;
}

export const reportKey = (code: string) => `report:${code}`;
export const communeIndex = (communeId: string) => `idx:commune:${communeId}`;
export const statusIndex = (communeId: string, status: CaseStatus) => `idx:commune:${communeId}:status:${status}`;
const reporterIndex = (blind: string) => `idx:reporter:${blind}`;
/** Reports saved but whose alert has not been handed to the queue yet: swept on start (nothing lost). */
export const PENDING_ALERTS = 'alerts:pending';

function toSummary(code: string, h: Record<string, string>): ReportSummary {
  return {
    code,
    communeId: h.communeId ?? '',
    category: h.category as CategoryKey,
    urgency: h.urgency as Urgency,
    alertRoles: JSON.parse(h.alertRoles ?? '[]') as StaffRole[],
    village: h.village ?? '',
    inDanger: (h.inDanger ?? 'unknown') as ReportSummary['inDanger'],
    status: h.status as CaseStatus,
    channel: h.channel ?? '',
    createdAt: Number(h.createdAt),
    updatedAt: Number(h.updatedAt),
    assignee: h.assignee || undefined,
  };
}

export class ReportStore {
  private readonly audit: AuditLog;

  constructor(
    private readonly redis: Redis,
    private readonly cipher: DataCipher,
  ) {
    this.audit = new AuditLog(redis);
  }

  /**
   * Saves a confirmed report atomically with its indexes and audit entry; returns it with its code.
   * With `onceKey` (who + which draft), saving the same draft again returns the report already saved.
   */
  async create(input: NewReport, now = Date.now(), onceKey?: string): Promise<ReportSummary> {
    const once = onceKey ? `report:once:${this.cipher.blind(onceKey)}` : undefined;
    const earlier = once ? await this.redis.get(once) : null;
    if (earlier) {
      const saved = await this.get(earlier);
      if (saved) return saved;
    }
    // A fresh code is claimed with SET NX before the write, so two reports never share one.
    let code = newReportCode();
    while (!(await this.redis.set(`code:${code}`, '1', 'NX'))) code = newReportCode();
    const summary: ReportSummary = { ...input, code, status: 'new', createdAt: now, updatedAt: now };
    const tx = this.redis.multi();
    tx.hset(reportKey(code), {
      communeId: summary.communeId,
      category: summary.category,
      urgency: summary.urgency,
      alertRoles: JSON.stringify(summary.alertRoles),
      village: summary.village,
      inDanger: summary.inDanger,
      status: summary.status,
      channel: summary.channel,
      createdAt: String(now),
      updatedAt: String(now),
      reporterKey: this.cipher.blind(input.details.reporter.identity),
      sealed: this.cipher.seal(input.details),
    });
    tx.zadd(communeIndex(summary.communeId), now, code);
    tx.sadd(statusIndex(summary.communeId, 'new'), code);
    tx.zadd(reporterIndex(this.cipher.blind(input.details.reporter.identity)), now, code);
    tx.sadd(PENDING_ALERTS, code);
    if (once) tx.set(once, code, 'EX', 7 * 24 * 3600);
    this.audit.addTo(tx, { actor: 'reporter', action: 'report.create', subject: code, detail: `${summary.category} ${summary.urgency}` }, now);
    await tx.exec();
    return summary;
  }

  async get(code: string): Promise<ReportSummary | undefined> {
    const h = await this.redis.hgetall(reportKey(code));
    if (!h.status) return undefined;
    return toSummary(code, h);
  }

  /** The report only if `identity` made it: the check behind "not found or not yours". */
  async getOwn(code: string, identity: string): Promise<ReportSummary | undefined> {
    const h = await this.redis.hgetall(reportKey(code));
    if (!h.status || h.reporterKey !== this.cipher.blind(identity)) return undefined;
    return toSummary(code, h);
  }

  async listByReporter(identity: string, limit = 10): Promise<ReportSummary[]> {
    const codes = await this.redis.zrevrange(reporterIndex(this.cipher.blind(identity)), 0, limit - 1);
    const all = await Promise.all(codes.map((c) => this.get(c)));
    return all.filter((r): r is ReportSummary => r !== undefined);
  }

  /** Decrypts the personal details. Every call is audit-logged with the viewer's identity. */
  async viewDetails(code: string, viewer: string): Promise<ReportDetails | undefined> {
    const sealed = await this.redis.hget(reportKey(code), 'sealed');
    if (!sealed) return undefined;
    await this.audit.add({ actor: viewer, action: 'report.view', subject: code });
    return this.cipher.open<ReportDetails>(sealed);
  }

  async setStatus(code: string, status: CaseStatus, actor: string, now = Date.now()): Promise<ReportSummary | undefined> {
    const current = await this.get(code);
    if (!current) return undefined;
    const tx = this.redis.multi();
    tx.hset(reportKey(code), { status, updatedAt: String(now) });
    tx.srem(statusIndex(current.communeId, current.status), code);
    tx.sadd(statusIndex(current.communeId, status), code);
    this.audit.addTo(tx, { actor, action: 'report.status', subject: code, detail: `${current.status}->${status}` }, now);
    await tx.exec();
    return { ...current, status, updatedAt: now };
  }

  async markAlertQueued(code: string): Promise<void> {
    await this.redis.srem(PENDING_ALERTS, code);
  }

  async pendingAlerts(): Promise<string[]> {
    return this.redis.smembers(PENDING_ALERTS);
  }
}
