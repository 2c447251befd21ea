/** Vietnamese wording shared by the officer commands: times, people, one-line case summaries. */
import { timeAgo } from '../../domain/local-time.js';
import { STATUS_LABEL } from '../../domain/case-status.js';
import { URGENCY_LABEL, URGENCY_MARK } from '../../domain/urgency.js';
import type { ActionDeps } from '../../actions/deps.js';
import type { ReportSummary } from '../../store/reports.js';
import { categoryLabel, personLabel } from '../../actions/case-wording.js';

export { categoryLabel, emergencyDeadlineText, personLabel } from '../../actions/case-wording.js';

/** One line per case for /vuviec: no child details, no reporter. */
export async function caseLine(services: Pick<ActionDeps, 'roles'>, r: ReportSummary, viewer: string, now: number): Promise<string> {
  return (
    `${URGENCY_MARK[r.urgency]} ${r.code} · ${URGENCY_LABEL[r.urgency]} · ${categoryLabel(r.category)} · ${r.village || 'chưa rõ thôn'}\n` +
    `   ${timeAgo(r.createdAt, now)} · ${STATUS_LABEL[r.status]} · người giữ: ${await personLabel(services, r.assignee, viewer)}`
  );
}
