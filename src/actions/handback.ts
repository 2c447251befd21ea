/**
 * Access ends when a role ends (issue "Privacy and security", point 2). A case held by someone who can
 * no longer act on it (their role revoked, by `npm run roles -- revoke` or otherwise, or the platform
 * says they cannot be reached on any channel they have) goes back to the commune: the holder is cleared,
 * the timeline says so, and the chain is alerted to take it over (`/nhan` works on a case nobody holds,
 * takeOver below; a chair can give it to someone: `/giao`). Whoever holds it then gets the additions and
 * the clock reminders; the outbox refuses staff messages to anyone without a role at send time.
 *
 * Found by the alerts sweep (every minute, src/jobs/alerts/sweep.ts) whatever ended the role or the
 * reach (the CLI has no queues to alert with; a platform's refusal marks the address unreachable).
 */
import { addressOfIdentity } from '../messaging/message.js';
import type { ReportSummary } from '../store/reports.js';
import type { Member } from '../store/roles.js';
import { ackChoice, caseLines } from './alert-text.js';
import { alertedIdentities, communeOf, recordRecipients } from './case-alerts.js';
import type { ActionDeps } from './deps.js';
import { chainFor } from './escalation.js';
import { notifyIdentities, notifyRoles } from './notify.js';
import { memberName, personName } from './people.js';

export type GoneReason = 'no_role' | 'unreachable';

const GONE_TEXT: Record<GoneReason, string> = {
  no_role: 'không còn giữ vai trò',
  unreachable: 'không liên lạc được qua kênh nào',
};

/** Why the holder can no longer act on the case, if they cannot. */
export async function holderGone(services: Pick<ActionDeps, 'roles' | 'links' | 'outbox'>, holder: string, communeId: string): Promise<GoneReason | undefined> {
  const member = await services.roles.get(holder);
  if (!member || member.communeId !== communeId) return 'no_role';
  if (!(await services.outbox.isUnreachable(addressOfIdentity(holder)))) return undefined;
  for (const other of await services.links.othersOf(holder)) if (!(await services.outbox.isUnreachable(addressOfIdentity(other)))) return undefined;
  return 'unreachable';
}

/** Clears the holder `holder` of the case and alerts the chain; false when someone else holds it by now. */
export async function handBack(services: ActionDeps, report: ReportSummary, holder: string, reason: GoneReason): Promise<boolean> {
  const now = services.now();
  const name = await personName(services, holder, 'Người giữ vụ việc');
  const released = await services.cases.reassign(report.code, holder, '', { at: now, actor: 'system', kind: 'handed_back', text: `${name} ${GONE_TEXT[reason]}; vụ việc chờ người tiếp nhận lại.` });
  if (!released) return false;
  const commune = communeOf(services, report.communeId);
  if (!commune) return true;
  const roles = [...new Set([...report.alertRoles, ...(chainFor(commune, report)?.chain ?? ['officer', 'chair'])])].filter((r) => r !== 'province' || report.urgency === 'P0');
  const text = [`⚠️ Vụ việc cần người tiếp nhận lại: ${name} ${GONE_TEXT[reason]}.`, `Xã: ${commune.name}`, ...caseLines(report, commune, now), `Bấm "Tiếp nhận" hoặc gửi /nhan ${report.code} để giữ vụ việc.`].join('\n');
  const sent = await notifyRoles(services, report.communeId, roles, { text, choices: [ackChoice(report.code)] }, `handback:${report.code}:${now}`, {
    exclude: [holder],
    preview: `vụ việc cần người tiếp nhận lại ${report.code}`,
    urgent: true,
  });
  await recordRecipients(services, report.code, sent);
  services.log.warn({ code: report.code, reason, told: sent.length }, 'case handed back: its holder can no longer act');
  return true;
}

/** Every open case held by `holder`, in any commune (a revoked role no longer says which). */
export async function handBackCasesOf(services: ActionDeps, holder: string, reason?: GoneReason): Promise<string[]> {
  const out: string[] = [];
  for (const commune of services.config.communes) {
    for (const report of await services.cases.listOpen(commune.id, 1000)) {
      if (report.assignee !== holder) continue;
      const why = reason ?? (await holderGone(services, holder, commune.id));
      if (why && (await handBack(services, report, holder, why))) out.push(report.code);
    }
  }
  return out;
}

/** The sweep: open cases whose holder can no longer act go back. Returns the codes handed back. */
export async function sweepHeldCases(services: ActionDeps): Promise<string[]> {
  const out: string[] = [];
  for (const commune of services.config.communes) {
    for (const report of await services.cases.listOpen(commune.id, 1000)) {
      if (!report.assignee) continue;
      const why = await holderGone(services, report.assignee, commune.id);
      if (why && (await handBack(services, report, report.assignee, why))) out.push(report.code);
    }
  }
  return out;
}

/**
 * `/nhan` on an open case past acknowledgement that nobody can act on: nobody holds it, or its holder
 * is gone (handed back first). The others alerted about it are told who holds it now.
 */
export async function takeOver(services: ActionDeps, report: ReportSummary, member: Member): Promise<'taken' | 'held'> {
  const from = report.assignee ?? '';
  const why = from ? await holderGone(services, from, report.communeId) : undefined;
  if (from && !why) return 'held';
  const now = services.now();
  const before = from ? `${await personName(services, from, 'Người giữ trước')} ${GONE_TEXT[why ?? 'no_role']}; ` : '';
  const moved = await services.cases.reassign(report.code, from, member.identity, { at: now, actor: member.identity, kind: 'reassigned', text: `${before}${memberName(member)} tiếp nhận lại vụ việc.` });
  if (!moved) return 'held';
  const others = await alertedIdentities(services, report.code);
  await notifyIdentities(services, others, { text: `ℹ️ ${memberName(member)} đã tiếp nhận lại ${report.code}. Không cần tiếp nhận thêm.` }, `retaken:${report.code}:${now}`, report.communeId, `đã tiếp nhận lại ${report.code}`, [member.identity]);
  return 'taken';
}

/** A chair gives the case to a handler of the commune; the new holder is told, the old one too while staff. */
export async function reassignCase(services: ActionDeps, report: ReportSummary, chair: Member, to: Member): Promise<boolean> {
  const now = services.now();
  const from = report.assignee ?? '';
  const moved = await services.cases.reassign(report.code, from, to.identity, { at: now, actor: chair.identity, kind: 'reassigned', text: `${memberName(chair)} giao vụ việc cho ${memberName(to)}.` });
  if (!moved) return false;
  const text = `📌 ${memberName(chair)} đã giao vụ việc ${report.code} cho ${memberName(to)}.`;
  await notifyIdentities(services, [to.identity, ...(from ? [from] : [])], { text, choices: [{ label: '📁 Xem vụ việc', value: `case:view:${report.code}` }] }, `reassigned:${report.code}:${now}`, report.communeId, `giao vụ việc ${report.code}`, [chair.identity]);
  return true;
}
