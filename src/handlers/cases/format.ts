/** Vietnamese wording shared by the officer commands: times, people, one-line case summaries. */
import { timeAgo } from '../../domain/local-time.js';
import { STATUS_LABEL } from '../../domain/case-status.js';
import { CATEGORIES } from '../../domain/categories.js';
import { URGENCY_LABEL, URGENCY_MARK } from '../../domain/urgency.js';
import type { ActionDeps } from '../../actions/deps.js';
import type { CommuneConfig } from '../../config/communes.js';
import type { ReportSummary } from '../../store/reports.js';
import { memberName } from '../../actions/people.js';

/** "hạn 12 giờ" with the hours the commune configures; "hạn khẩn cấp" for a commune no longer configured. */
export function emergencyDeadlineText(commune: Pick<CommuneConfig, 'clocks'> | undefined): string {
  return commune ? `hạn ${commune.clocks.emergencyHours} giờ` : 'hạn khẩn cấp';
}

export function categoryLabel(key: string): string {
  return CATEGORIES.find((c) => c.key === key)?.label ?? key;
}

/**
 * Names a person for other staff: "bạn", a staff member by role and name, or a neutral word for the
 * reporter and the system. No internal id is ever shown.
 */
export async function personLabel(services: Pick<ActionDeps, 'roles'>, identity: string | undefined, viewer?: string): Promise<string> {
  if (!identity) return 'chưa có ai nhận';
  if (identity === viewer) return 'bạn';
  if (identity === 'system') return 'hệ thống';
  if (identity === 'reporter') return 'người báo';
  const member = await services.roles.get(identity);
  return member ? memberName(member) : 'người không còn vai trò';
}

/** One line per case for /vuviec: no child details, no reporter. */
export async function caseLine(services: Pick<ActionDeps, 'roles'>, r: ReportSummary, viewer: string, now: number): Promise<string> {
  return (
    `${URGENCY_MARK[r.urgency]} ${r.code} · ${URGENCY_LABEL[r.urgency]} · ${categoryLabel(r.category)} · ${r.village || 'chưa rõ thôn'}\n` +
    `   ${timeAgo(r.createdAt, now)} · ${STATUS_LABEL[r.status]} · người giữ: ${await personLabel(services, r.assignee, viewer)}`
  );
}
