/**
 * The case repository: the only writer of a report's hash (`report:<code>`), its indexes, and its case
 * handling: who took it, the timeline of every step (alerts, acknowledgement, escalations, notes, status
 * changes, emergency action, outcome), and the legal-clock markers. Every status change is one atomic
 * transition (case-transition.ts) following the domain's table. Timeline entries may hold personal
 * notes, so each is sealed; so are the report's personal details (the record's layout: reports.ts).
 * Over 300 lines on purpose: it is the one owner of these keys, and splitting it would make two writers.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { CASE_STATUSES, isOpen, type CaseStatus } from '../domain/case-status.js';
import { newReportCode } from '../domain/refcode.js';
import { AUDIT_APPEND_LUA, AuditLog } from './audit.js';
import { runTransition, type TransitionOutcome } from './case-transition.js';
import type { DataCipher } from './crypto.js';
import type { TimelineEntry, TimelineKind } from './timeline.js';
import {
  communeIndex,
  detailsAt,
  PENDING_ALERTS,
  reporterIndex,
  reportKey,
  statusIndex,
  timelineKey,
  toSummary,
  type NewReport,
  type ReportDetails,
  type ReportSummary,
} from './reports.js';

export type { TimelineEntry, TimelineKind } from './timeline.js';

/** A case moved from one status to another (acknowledgement included); e.g. to tell the reporter. */
export interface StatusChange {
  before: CaseStatus;
  report: ReportSummary;
  actor: string;
}
export type StatusListener = (change: StatusChange) => Promise<void>;

export type TakeResult =
  | { result: 'taken'; report: ReportSummary }
  | { result: 'already_yours' }
  | { result: 'taken_by_other'; assignee: string }
  | { result: 'not_new' }
  | { result: 'not_found' };

const MARKER_TIMES = ['ackAt', 'emergencyActionAt', 'planApprovedAt', 'referredAt', 'followUpAt', 'closedAt'] as const;
/** Clock markers and the holder, read by the clock and escalation jobs. */
export type CaseMarkers = { assignee?: string } & Partial<Record<(typeof MARKER_TIMES)[number], number>>;

// A timeline entry recorded once per marker (see addEntryOnce), with its audit entry.
const ADD_ONCE = `${AUDIT_APPEND_LUA}
if not redis.call('set', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
redis.call('rpush', KEYS[2], ARGV[2])
audit_append(KEYS[3], KEYS[4], ARGV[7], ARGV[8], ARGV[3], ARGV[4], ARGV[5], ARGV[6], '')
return 1`;

// Moves the holder from ARGV[1] ('' = nobody) to ARGV[2] ('' = nobody) only if ARGV[1] still holds it,
// with its timeline entry and audit line; 1 when moved.
const REASSIGN = `${AUDIT_APPEND_LUA}
if not redis.call('hget', KEYS[1], 'status') then return 0 end
local holder = redis.call('hget', KEYS[1], 'assignee')
if not holder then holder = '' end
if holder ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('hdel', KEYS[1], 'assignee') else redis.call('hset', KEYS[1], 'assignee', ARGV[2]) end
redis.call('hset', KEYS[1], 'updatedAt', ARGV[4])
redis.call('rpush', KEYS[2], ARGV[3])
audit_append(KEYS[3], KEYS[4], ARGV[8], ARGV[9], ARGV[4], ARGV[5], ARGV[6], ARGV[7], '')
return 1`;

const TIMELINE_KIND: Partial<Record<CaseStatus, TimelineKind>> = {
  acknowledged: 'acknowledged',
  plan_approved: 'plan_approved',
  closed: 'closed',
  referred: 'referred',
};

/** How a move is made besides its target: a reopening, fields it sets (see case-transition.ts). */
export interface MoveOptions {
  reopen?: boolean;
  fields?: Record<string, string>;
}

export class CaseStore {
  private readonly audit: AuditLog;
  private readonly statusListeners: StatusListener[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly cipher: DataCipher,
    /** Replicas a saved report must reach before the reporter is told (Sentinel: 1; docs/redis.md). */
    private readonly opts: { waitForReplicas?: number } = {},
  ) {
    this.audit = new AuditLog(redis, cipher);
  }

  /**
   * Waits (bounded) until the replicas have every write this connection made so far: a failover then
   * promotes a replica that has the report. Too few replicas in time is logged by the caller's retry
   * path, not fatal: the master has it, and AOF keeps it across a restart.
   */
  private async replicated(): Promise<void> {
    const n = this.opts.waitForReplicas ?? 0;
    if (n > 0) await this.redis.wait(n, 2000);
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
    const summary: ReportSummary = { ...input, code, status: 'new', createdAt: now, updatedAt: now, reopenings: 0 };
    const tx = this.redis.multi();
    tx.hset(reportKey(code), {
      communeId: summary.communeId,
      category: summary.category,
      urgency: summary.urgency,
      ...(summary.reasons?.length && { reasons: JSON.stringify(summary.reasons) }),
      alertRoles: JSON.stringify(summary.alertRoles),
      village: summary.village,
      inDanger: summary.inDanger,
      status: summary.status,
      channel: summary.channel,
      createdAt: String(now),
      updatedAt: String(now),
      reporterKey: this.cipher.blind(input.details.reporter.identity),
      sealed: this.cipher.seal(input.details, detailsAt(code)),
    });
    tx.zadd(communeIndex(summary.communeId), now, code);
    tx.sadd(statusIndex(summary.communeId, 'new'), code);
    tx.zadd(reporterIndex(this.cipher.blind(input.details.reporter.identity)), now, code);
    tx.sadd(PENDING_ALERTS, code);
    if (once) tx.set(once, code, 'EX', 7 * 24 * 3600);
    this.audit.addTo(tx, { actor: 'reporter', action: 'report.create', subject: code, detail: `${summary.category} ${summary.urgency}` }, now);
    await tx.exec();
    await this.replicated();
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

  /** Open cases of a commune, newest first. */
  async listOpen(communeId: string, limit = 50): Promise<ReportSummary[]> {
    const open = CASE_STATUSES.filter(isOpen);
    const codes = new Set((await Promise.all(open.map((s) => this.redis.smembers(statusIndex(communeId, s))))).flat());
    const all = await Promise.all([...codes].map((c) => this.get(c)));
    return all
      .filter((r): r is ReportSummary => r !== undefined)
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, limit);
  }

  /**
   * Shows the personal details to `viewer` through `show`, then records the view: details that do not
   * decrypt, or a `show` that throws, leave no view entry. Undefined when there is no such report.
   */
  async viewDetails<T>(code: string, viewer: string, show: (details: ReportDetails) => T | Promise<T>): Promise<Awaited<T> | undefined> {
    const details = await this.openDetails(code);
    if (!details) return undefined;
    const shown = await show(details);
    await this.audit.add({ actor: viewer, action: 'report.view', subject: code });
    return shown;
  }

  /** The personal details, without an audit entry: the caller records what it shows (an attachment). */
  async openDetails(code: string): Promise<ReportDetails | undefined> {
    const sealed = await this.redis.hget(reportKey(code), 'sealed');
    return sealed ? this.cipher.open<ReportDetails>(sealed, detailsAt(code)) : undefined;
  }

  /** The reporter's identity, for notices only: read without a view audit entry, never shown. */
  async reporterIdentity(code: string): Promise<string | undefined> {
    return (await this.reporterOf(code))?.identity;
  }

  /** The reporter's identity and whether the child reported themselves (a notice speaks to them as "em"). */
  async reporterOf(code: string): Promise<{ identity: string; self: boolean } | undefined> {
    const sealed = await this.redis.hget(reportKey(code), 'sealed');
    if (!sealed) return undefined;
    const reporter = this.cipher.open<{ reporter?: { identity?: string; self?: boolean } }>(sealed, detailsAt(code)).reporter;
    return reporter?.identity ? { identity: reporter.identity, self: reporter.self === true } : undefined;
  }

  async markAlertQueued(code: string): Promise<void> {
    await this.redis.srem(PENDING_ALERTS, code);
  }

  async pendingAlerts(): Promise<string[]> {
    return this.redis.smembers(PENDING_ALERTS);
  }

  /**
   * Called after every real status change made through this store, once per change, so reporter
   * notices fire from one place whoever changed the status. Listeners handle their own errors: the
   * change is already saved.
   */
  onStatusChange(listener: StatusListener): void {
    this.statusListeners.push(listener);
  }

  /** The first officer to acknowledge takes the case; it moves from new to acknowledged. */
  async take(code: string, identity: string, now = Date.now()): Promise<TakeResult> {
    const moved = await this.transition(code, 'acknowledged', identity, now);
    if (moved.result === 'moved') return { result: 'taken', report: moved.report };
    if (moved.result === 'refused') return { result: 'not_new' };
    return moved;
  }

  /**
   * Changes who holds an open case, whatever its status, if `from` ('' for nobody) still holds it: a
   * holder who lost their role handing it back (to ''), someone taking over a case nobody holds, a chair
   * reassigning it. False when the holder changed meanwhile (someone else was faster) or no such case.
   */
  async reassign(code: string, from: string, to: string, entry: TimelineEntry): Promise<boolean> {
    const moved = await this.redis.eval(
      REASSIGN,
      4,
      reportKey(code),
      timelineKey(code),
      ...this.audit.scriptKeys,
      from,
      to,
      ...this.entryArgs(code, entry),
    );
    return moved === 1;
  }

  /**
   * Moves the case through its lifecycle and records it in the timeline, if the case's status at that
   * instant allows it (see TRANSITIONS); undefined when it does not, or there is no such case.
   */
  async setStatus(code: string, status: CaseStatus, actor: string, now = Date.now(), text?: string, opts: MoveOptions = {}): Promise<ReportSummary | undefined> {
    const moved = await this.transition(code, status, actor, now, text ?? status, opts);
    return moved.result === 'moved' ? moved.report : undefined;
  }

  private async transition(
    code: string,
    to: CaseStatus,
    actor: string,
    now: number,
    text?: string,
    opts: MoveOptions = {},
  ): Promise<Exclude<TransitionOutcome, { result: 'moved' }> | { result: 'moved'; report: ReportSummary }> {
    // The commune never changes once saved: reading it first names the index keys the script declares.
    const communeId = await this.redis.hget(reportKey(code), 'communeId');
    if (communeId === null) return { result: 'not_found' };
    const kind = opts.reopen ? 'reopened' : (TIMELINE_KIND[to] ?? 'status');
    const outcome = await runTransition(this.redis, this.audit, {
      code,
      communeId,
      to,
      actor,
      now,
      sealedEntry: this.cipher.seal({ at: now, actor, kind, text } satisfies TimelineEntry, timelineKey(code)),
      auditAction: `case.${kind}`,
      reopen: opts.reopen,
      fields: opts.fields,
    });
    if (outcome.result !== 'moved') return outcome;
    const report = toSummary(code, outcome.hash);
    for (const listener of this.statusListeners) await listener({ before: outcome.before, report, actor });
    return { result: 'moved', report };
  }

  async addEntry(code: string, entry: TimelineEntry): Promise<void> {
    const tx = this.redis.multi();
    this.entryTo(tx, code, entry);
    await tx.exec();
  }

  /** A timeline entry and its chained audit line, as the case scripts take them (after their own arguments). */
  private entryArgs(code: string, entry: TimelineEntry): string[] {
    return [this.cipher.seal(entry, timelineKey(code)), String(entry.at), entry.actor, `case.${entry.kind}`, code, ...this.audit.scriptPads];
  }

  private entryTo(tx: ChainableCommander, code: string, entry: TimelineEntry): void {
    tx.rpush(timelineKey(code), this.cipher.seal(entry, timelineKey(code)));
    this.audit.addTo(tx, { actor: entry.actor, action: `case.${entry.kind}`, subject: code }, entry.at);
  }

  /**
   * Adds the entry only the first time `onceId` is seen for this case (kept 90 days): jobs that may run
   * again after a crash or a retry record their step once. The marker, the entry and its audit line are
   * written atomically.
   */
  async addEntryOnce(code: string, onceId: string, entry: TimelineEntry): Promise<boolean> {
    const added = await this.redis.eval(
      ADD_ONCE,
      4,
      `case:${code}:once:${onceId}`,
      timelineKey(code),
      ...this.audit.scriptKeys,
      String(90 * 86400),
      ...this.entryArgs(code, entry),
    );
    return added === 1;
  }

  async timeline(code: string): Promise<TimelineEntry[]> {
    const rows = await this.redis.lrange(timelineKey(code), 0, -1);
    return rows.map((r) => this.cipher.open<TimelineEntry>(r, timelineKey(code)));
  }

  /**
   * Stops the 12-hour clock: an emergency measure was taken. The marker and its entry land together;
   * with `onceId` (an officer's message, whose turn may run again after a crash) the entry is written
   * once and the marker after it.
   */
  async recordEmergencyAction(code: string, actor: string, text: string, now = Date.now(), onceId?: string): Promise<void> {
    if (onceId) {
      await this.addEntryOnce(code, onceId, { at: now, actor, kind: 'emergency_action', text });
      await this.redis.hset(reportKey(code), 'emergencyActionAt', String(now));
      return;
    }
    const tx = this.redis.multi();
    tx.hset(reportKey(code), 'emergencyActionAt', String(now));
    this.entryTo(tx, code, { at: now, actor, kind: 'emergency_action', text });
    await tx.exec();
  }

  async markers(code: string): Promise<CaseMarkers> {
    const values = await this.redis.hmget(reportKey(code), 'assignee', ...MARKER_TIMES);
    const num = (v: string | null | undefined) => (v ? Number(v) : undefined);
    const out: CaseMarkers = { assignee: values[0] || undefined };
    MARKER_TIMES.forEach((f, i) => (out[f] = num(values[i + 1])));
    return out;
  }

  /**
   * A reporter's correction of one detail of their report: the old value goes into the sealed timeline
   * entry, the new one into the sealed details (the village, public for alerts, into the hash too).
   */
  async correctDetails(code: string, change: (d: ReportDetails) => { label: string; before: string; after: string; village?: string }, now = Date.now()): Promise<boolean> {
    const sealed = await this.redis.hget(reportKey(code), 'sealed');
    if (!sealed) return false;
    const details = this.cipher.open<ReportDetails>(sealed, detailsAt(code));
    const c = change(details);
    const tx = this.redis.multi();
    tx.hset(reportKey(code), { sealed: this.cipher.seal(details, detailsAt(code)), updatedAt: String(now), ...(c.village ? { village: c.village } : {}) });
    this.entryTo(tx, code, { at: now, actor: 'reporter', kind: 'reporter_correction', text: `${c.label}: "${c.before || '(trống)'}" → "${c.after}"` });
    await tx.exec();
    return true;
  }
}
