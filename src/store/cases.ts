/**
 * Case handling on top of a report: who took it, the timeline of every step (alerts, acknowledgement,
 * escalations, notes, status changes, emergency action, outcome), and the legal-clock markers.
 * Timeline entries may hold personal notes, so each is sealed.
 */
import type { Redis } from 'ioredis';
import { CASE_STATUSES, isOpen, type CaseStatus } from '../domain/case-status.js';
import { AUDIT_STREAM, AuditLog } from './audit.js';
import type { DataCipher } from './crypto.js';
import { reportKey, statusIndex, type ReportStore, type ReportSummary } from './reports.js';

export type TimelineKind =
  | 'alerted'
  | 'acknowledged'
  | 're_alerted'
  | 'escalated'
  | 'reminder'
  | 'note'
  | 'status'
  | 'emergency_action'
  | 'referred'
  | 'closed'
  | 'reporter_addition'
  | 'reporter_notified';

export interface TimelineEntry {
  at: number;
  actor: string;
  kind: TimelineKind;
  text?: string;
}

/** A case moved from one status to another (acknowledgement included); e.g. to tell the reporter. */
export interface StatusChange {
  before: CaseStatus;
  report: ReportSummary;
  actor: string;
}
export type StatusListener = (change: StatusChange) => Promise<void>;

export type TakeResult = { result: 'taken'; report: ReportSummary } | { result: 'already_yours' } | { result: 'taken_by_other'; assignee: string } | { result: 'not_found' };

const timelineKey = (code: string) => `case:${code}:timeline`;

// A timeline entry recorded once per marker (see addEntryOnce); the audit fields match AuditLog's.
const ADD_ONCE = `
if not redis.call('set', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
redis.call('rpush', KEYS[2], ARGV[2])
redis.call('xadd', KEYS[3], '*', 'at', ARGV[3], 'actor', ARGV[4], 'action', ARGV[5], 'subject', ARGV[6], 'detail', '')
return 1`;

// Atomic "first acknowledgement wins": only a case nobody holds can be taken.
const TAKE = `
local h = KEYS[1]
if redis.call('exists', h) == 0 then return {'not_found'} end
local a = redis.call('hget', h, 'assignee')
if a and a ~= '' then
  if a == ARGV[1] then return {'already_yours'} end
  return {'taken_by_other', a}
end
redis.call('hset', h, 'assignee', ARGV[1], 'ackAt', ARGV[2], 'updatedAt', ARGV[2])
return {'taken'}`;

export class CaseStore {
  private readonly audit: AuditLog;
  private readonly statusListeners: StatusListener[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly cipher: DataCipher,
    private readonly reports: ReportStore,
  ) {
    this.audit = new AuditLog(redis);
  }

  /**
   * Called after every status change made through this store, so reporter notices fire from one place
   * whoever changed the status. Listeners handle their own errors: the change is already saved.
   */
  onStatusChange(listener: StatusListener): void {
    this.statusListeners.push(listener);
  }

  private async statusChanged(change: StatusChange): Promise<void> {
    for (const listener of this.statusListeners) await listener(change);
  }

  /** The reporter's identity, for notices only: read without a view audit entry, never shown. */
  async reporterIdentity(code: string): Promise<string | undefined> {
    const sealed = await this.redis.hget(reportKey(code), 'sealed');
    if (!sealed) return undefined;
    return this.cipher.open<{ reporter?: { identity?: string } }>(sealed).reporter?.identity;
  }

  /** The first officer to acknowledge takes the case; it moves from new to acknowledged. */
  async take(code: string, identity: string, now = Date.now()): Promise<TakeResult> {
    const [result, assignee] = (await this.redis.eval(TAKE, 1, reportKey(code), identity, String(now))) as string[];
    if (result === 'taken_by_other') return { result, assignee: assignee ?? '' };
    if (result !== 'taken') return { result: result as 'already_yours' | 'not_found' };
    const report = await this.reports.setStatus(code, 'acknowledged', identity, now);
    await this.addEntry(code, { at: now, actor: identity, kind: 'acknowledged' });
    await this.statusChanged({ before: 'new', report: report!, actor: identity });
    return { result: 'taken', report: report! };
  }

  async addEntry(code: string, entry: TimelineEntry): Promise<void> {
    const tx = this.redis.multi();
    tx.rpush(timelineKey(code), this.cipher.seal(entry));
    this.audit.addTo(tx, { actor: entry.actor, action: `case.${entry.kind}`, subject: code }, entry.at);
    await tx.exec();
  }

  /**
   * Adds the entry only the first time `onceId` is seen for this case (kept 90 days): jobs that may run
   * again after a crash or a retry record their step once. The marker, the entry and its audit line are
   * written atomically.
   */
  async addEntryOnce(code: string, onceId: string, entry: TimelineEntry): Promise<boolean> {
    const added = await this.redis.eval(
      ADD_ONCE,
      3,
      `case:${code}:once:${onceId}`,
      timelineKey(code),
      AUDIT_STREAM,
      String(90 * 86400),
      this.cipher.seal(entry),
      String(entry.at),
      entry.actor,
      `case.${entry.kind}`,
      code,
    );
    return added === 1;
  }

  async timeline(code: string): Promise<TimelineEntry[]> {
    const rows = await this.redis.lrange(timelineKey(code), 0, -1);
    return rows.map((r) => this.cipher.open<TimelineEntry>(r));
  }

  /** Moves the case through its lifecycle and records it in the timeline. */
  async setStatus(code: string, status: CaseStatus, actor: string, now = Date.now(), text?: string): Promise<ReportSummary | undefined> {
    const before = (await this.reports.get(code))?.status;
    const report = await this.reports.setStatus(code, status, actor, now);
    if (!report || !before) return undefined;
    const kind: TimelineKind = status === 'closed' ? 'closed' : status === 'referred' ? 'referred' : 'status';
    await this.addEntry(code, { at: now, actor, kind, text: text ?? status });
    if (status === 'closed' || status === 'referred') await this.redis.hset(reportKey(code), 'closedAt', String(now));
    await this.statusChanged({ before, report, actor });
    return report;
  }

  /** Stops the 12-hour clock: an emergency measure was taken. */
  async recordEmergencyAction(code: string, actor: string, text: string, now = Date.now()): Promise<void> {
    await this.redis.hset(reportKey(code), 'emergencyActionAt', String(now));
    await this.addEntry(code, { at: now, actor, kind: 'emergency_action', text });
  }

  /** Clock markers and the holder, read by the clock and escalation jobs. */
  async markers(code: string): Promise<{ assignee?: string; ackAt?: number; emergencyActionAt?: number; closedAt?: number }> {
    const [assignee, ackAt, emergencyActionAt, closedAt] = await this.redis.hmget(reportKey(code), 'assignee', 'ackAt', 'emergencyActionAt', 'closedAt');
    const num = (v: string | null | undefined) => (v ? Number(v) : undefined);
    return { assignee: assignee || undefined, ackAt: num(ackAt), emergencyActionAt: num(emergencyActionAt), closedAt: num(closedAt) };
  }

  /** Open cases of a commune, newest first. */
  async listOpen(communeId: string, limit = 50): Promise<ReportSummary[]> {
    const open = CASE_STATUSES.filter(isOpen);
    const codes = new Set((await Promise.all(open.map((s) => this.redis.smembers(statusIndex(communeId, s))))).flat());
    const all = await Promise.all([...codes].map((c) => this.reports.get(c)));
    return all
      .filter((r): r is ReportSummary => r !== undefined)
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, limit);
  }
}
