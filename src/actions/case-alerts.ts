/**
 * What the alert, escalation and clock jobs and the acknowledgement share: reading a case's state,
 * sending an alert to roles through the outbox while remembering who was told, telling the admins when
 * a role has nobody, and the per-case lock that keeps an acknowledgement and an escalation step from
 * interleaving. The alert's wording is alert-text.ts.
 *
 * Redis keys:
 * - `alerts:recipients:<code>`  set of identities alerted about the case (kept 180 days, one day once the
 *                               case is closed): they are told when someone acknowledges,
 *                               and reminded while nobody holds the case.
 * - `lock:case:<code>`          short lock around "check the case, then alert" and "take the case".
 */
import type { CommuneConfig, StaffRole } from '../config/communes.js';
import type { OutgoingMessage } from '../messaging/message.js';
import { isOpen } from '../domain/case-status.js';
import { categoryOf } from '../domain/categories.js';
import { urgencyText } from '../domain/urgency.js';
import type { CaseStore, StatusListener } from '../store/cases.js';
import { withLock } from '../store/lock.js';
import type { ReportSummary } from '../store/reports.js';
import { rolesText } from './alert-text.js';
import type { ActionDeps } from './deps.js';
import { notifyIdentity, notifyRoles } from './notify.js';

export const recipientsKey = (code: string): string => `alerts:recipients:${code}`;
const RECIPIENTS_TTL_SECONDS = 180 * 86400;
/** After the case ends: long enough for the notices of that last change, then the list goes. */
const ENDED_RECIPIENTS_TTL_SECONDS = 86400;

export type Markers = Awaited<ReturnType<CaseStore['markers']>>;

export interface CaseState {
  report: ReportSummary;
  markers: Markers;
}

export async function loadCase(services: Pick<ActionDeps, 'cases'>, code: string): Promise<CaseState | undefined> {
  const [report, markers] = await Promise.all([services.cases.get(code), services.cases.markers(code)]);
  return report ? { report, markers } : undefined;
}

/** Still waiting for someone to take it: new, nobody holds it, not closed. */
export function awaitingAck(state: CaseState): boolean {
  return state.report.status === 'new' && !state.markers.assignee && !state.report.assignee && isOpen(state.report.status) && !state.markers.closedAt;
}

export function communeOf(services: Pick<ActionDeps, 'config'>, communeId: string): CommuneConfig | undefined {
  return services.config.communes.find((c) => c.id === communeId);
}

/**
 * Runs `fn` holding the case's lock (acknowledgement vs. alert or escalation step). The work inside is a
 * few Redis calls; the short expiry bounds how long a process that died holding it delays the re-run.
 */
export function withCaseLock<T>(services: Pick<ActionDeps, 'redis'>, code: string, fn: () => Promise<T>): Promise<T> {
  return withLock(services.redis, `lock:case:${code}`, fn, { ttlMs: 5_000, waitMs: 20_000 });
}

export async function recordRecipients(services: Pick<ActionDeps, 'redis'>, code: string, identities: readonly string[]): Promise<void> {
  if (!identities.length) return;
  await services.redis.multi().sadd(recipientsKey(code), ...identities).expire(recipientsKey(code), RECIPIENTS_TTL_SECONDS).exec();
}

/** The status listener the wiring registers: who was alerted about a case goes with the case. */
export function recipientsExpiryListener(services: Pick<ActionDeps, 'redis'>): StatusListener {
  return async ({ before, report }) => {
    if (!isOpen(report.status)) await services.redis.expire(recipientsKey(report.code), ENDED_RECIPIENTS_TTL_SECONDS);
    else if (!isOpen(before)) await services.redis.expire(recipientsKey(report.code), RECIPIENTS_TTL_SECONDS);
  };
}

export async function alertedIdentities(services: Pick<ActionDeps, 'redis'>, code: string): Promise<string[]> {
  return (await services.redis.smembers(recipientsKey(code))).sort();
}

/** Roles among `roles` that nobody in the commune holds. */
export async function unstaffedRoles(services: Pick<ActionDeps, 'roles'>, communeId: string, roles: readonly StaffRole[]): Promise<StaffRole[]> {
  const missing: StaffRole[] = [];
  for (const role of new Set(roles)) if (!(await services.roles.members(communeId, role)).length) missing.push(role);
  return missing;
}

export interface CaseAlertResult {
  /** Identities the message was queued for. */
  sent: string[];
  /** Roles that should have been told but have nobody. */
  missing: StaffRole[];
}

/**
 * Queues `message` for everyone holding `roles` in the case's commune (outbox key `<key>:<identity>`),
 * remembering them as alerted first (an undelivered alert is then always one of theirs: alert-chain.ts),
 * and tells the commune's admins (once per case) about roles nobody holds. `everyChannel`: also on the
 * channels each person linked, trying even those the platform said were unreachable (they may be back).
 */
export async function sendCaseAlert(
  services: Pick<ActionDeps, 'outbox' | 'roles' | 'redis' | 'log' | 'config' | 'links'>,
  report: ReportSummary,
  roles: readonly StaffRole[],
  message: OutgoingMessage,
  key: string,
  opts: { preview: string; exclude?: string[]; everyChannel?: boolean },
): Promise<CaseAlertResult> {
  const seen = new Set(opts.exclude ?? []);
  const sent: string[] = [];
  for (const role of roles) {
    for (const m of await services.roles.members(report.communeId, role)) {
      if (seen.has(m.identity)) continue;
      seen.add(m.identity);
      sent.push(m.identity);
      if (!opts.everyChannel) continue;
      for (const other of await services.links.othersOf(m.identity)) {
        if (seen.has(other)) continue;
        seen.add(other);
        sent.push(other);
      }
    }
  }
  await recordRecipients(services, report.code, sent);
  for (const identity of sent) {
    await notifyIdentity(services, identity, message, key, report.communeId, { preview: opts.preview, urgent: true, probe: opts.everyChannel });
  }
  const missing = await unstaffedRoles(services, report.communeId, roles);
  // Nobody told also when the configuration names no role for this urgency (alerts.Px empty).
  if (missing.length || !sent.length) await tellAdminsUnstaffed(services, report, missing, `alert:${report.code}`, sent.length === 0);
  return { sent, missing };
}

/**
 * Nobody holds a role that should be alerted (or the configuration names none): tell the commune's
 * admins (once per alert key) and log it; when nobody at all could be told, as an error, and the admins
 * are asked to reach the officer by phone meanwhile. No personal data: code, category, village only.
 */
export async function tellAdminsUnstaffed(
  services: Pick<ActionDeps, 'outbox' | 'roles' | 'log' | 'config'>,
  report: ReportSummary,
  missing: readonly StaffRole[],
  key: string,
  nobodyTold: boolean,
): Promise<void> {
  const log = nobodyTold ? services.log.error.bind(services.log) : services.log.warn.bind(services.log);
  log({ code: report.code, communeId: report.communeId, urgency: report.urgency, missing }, nobodyTold ? 'alert: nobody holds a role to alert' : 'alert: some roles to alert have nobody');
  const text =
    `⚠️ Vụ việc ${report.code} (${urgencyText(report.urgency)}, ${categoryOf(report.category).label}, ${report.village}) ` +
    `${nobodyTold ? 'KHÔNG báo được cho ai' : 'không báo được cho một số vai trò'}: ` +
    (missing.length
      ? `xã chưa có người giữ vai trò ${rolesText(missing)}.\nXin cấp mã mời cho người phụ trách (npm run invite) để họ đăng ký bằng /dangky.`
      : `cấu hình của xã không chỉ định ai nhận cảnh báo mức ${report.urgency} (mục alerts).`) +
    (nobodyTold ? `\nTrong lúc chờ, xin báo ngay cho cán bộ phụ trách bằng điện thoại, hoặc gọi ${communeOf(services, report.communeId)?.hotlines.child ?? '111'} nếu trẻ đang gặp nguy hiểm.` : '');
  const admins = await notifyRoles(services, report.communeId, ['admin'], { text }, `alert-unstaffed:${key}`, { preview: `vai trò chưa có người: ${report.code}`, urgent: true });
  if (!admins.length) services.log.error({ code: report.code, communeId: report.communeId }, 'alert: the commune has no admin to tell about missing roles either');
}
