/**
 * The lifecycle moves a person asks for, whoever asks (chat commands now, the web console later):
 * referral with a follow-up date, the chair's approval of the support plan, closing with an outcome,
 * reopening a closed case with a reason. Each is one atomic move of the case store (the table in
 * src/domain/case-status.ts); the reporter's notice follows from the store's listener.
 */
import { workingDaysStart } from '../domain/workdays.js';
import type { ReportSummary } from '../store/reports.js';
import type { Member } from '../store/roles.js';
import { communeOf } from './case-alerts.js';
import type { ActionDeps } from './deps.js';
import { scheduleFollowUp } from './follow-up.js';
import { notifyIdentities } from './notify.js';
import { personName } from './people.js';

/** The default follow-up date of a referral made at `now`: the start of the n-th working day after. */
export function defaultFollowUp(services: Pick<ActionDeps, 'config'>, report: Pick<ReportSummary, 'communeId'>, now: number): number {
  const commune = communeOf(services, report.communeId);
  if (!commune) return now + 7 * 86_400_000;
  return workingDaysStart(now, commune.referral.followUpWorkingDays, commune);
}

/** Refers the case to `agency`; its holder is reminded at `followUpAt` until it is closed. */
export async function referCase(services: ActionDeps, report: ReportSummary, actor: string, agency: string, followUpAt?: number): Promise<{ report: ReportSummary; followUpAt: number } | undefined> {
  const now = services.now();
  const at = Math.max(now, followUpAt ?? defaultFollowUp(services, report, now));
  const moved = await services.cases.setStatus(report.code, 'referred', actor, now, agency, { fields: { followUpAt: String(at) } });
  if (!moved) return undefined;
  await scheduleFollowUp(services, { code: report.code, referredAt: now, n: 1 }, at);
  return { report: moved, followUpAt: at };
}

export async function closeCase(services: ActionDeps, report: ReportSummary, actor: string, outcome: string): Promise<ReportSummary | undefined> {
  return services.cases.setStatus(report.code, 'closed', actor, services.now(), outcome);
}

/** Back to assessment with the reason in the timeline; the holder stays. */
export async function reopenCase(services: ActionDeps, report: ReportSummary, actor: string, reason: string): Promise<ReportSummary | undefined> {
  return services.cases.setStatus(report.code, 'assessing', actor, services.now(), reason, { reopen: true });
}

/** The chair approves the support plan: the 5-working-day clock stops, the holder is told. */
export async function approvePlan(services: ActionDeps, report: ReportSummary, chair: Member, text: string): Promise<ReportSummary | undefined> {
  const moved = await services.cases.setStatus(report.code, 'plan_approved', chair.identity, services.now(), text || 'Duyệt kế hoạch hỗ trợ');
  if (moved?.assignee && moved.assignee !== chair.identity) {
    const who = await personName(services, chair.identity);
    await notifyIdentities(services, [moved.assignee], { text: `✅ ${who} đã duyệt kế hoạch hỗ trợ vụ việc ${report.code}. Gửi /capnhat ${report.code} hỗ trợ khi bắt đầu thực hiện.` }, `plan-approved:${report.code}`, report.communeId, `duyệt kế hoạch ${report.code}`);
  }
  return moved;
}

/** The holder asks the chairs to approve the plan; the plan's summary goes into the timeline. Once per `onceId` (the officer's message). */
export async function submitPlan(services: ActionDeps, report: ReportSummary, actor: string, summary: string, onceId: string): Promise<string[]> {
  const now = services.now();
  await services.cases.addEntryOnce(report.code, `plan-${onceId}`, { at: now, actor, kind: 'note', text: `Trình duyệt kế hoạch hỗ trợ: ${summary}` });
  const chairs = (await services.roles.members(report.communeId, 'chair')).map((m) => m.identity);
  const who = await personName(services, actor);
  return notifyIdentities(
    services,
    chairs,
    {
      text: `📋 ${who} trình duyệt kế hoạch hỗ trợ vụ việc ${report.code}:\n${summary}\nGửi /xem ${report.code} để xem vụ việc, /duyet ${report.code} để duyệt.`,
      choices: [{ label: '✅ Duyệt kế hoạch', value: `case:approve:${report.code}` }],
    },
    `plan-submitted:${report.code}:${onceId}`,
    report.communeId,
    `trình duyệt kế hoạch ${report.code}`,
    [actor],
  );
}
