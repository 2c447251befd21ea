/**
 * A referral's follow-up reminder (contract and scheduling in src/actions/follow-up.ts): while the case
 * is still in the same referral, its holder (or the commune's officers when nobody holds it) is asked
 * to check with the agency and close the case with its outcome; the reminder goes into the timeline once
 * and the next one is scheduled `referral.followUpWorkingDays` working days on.
 */
import { communeOf, loadCase, tellAdminsUnstaffed } from '../actions/case-alerts.js';
import { FOLLOW_UP_QUEUE, followUpJobSchema, scheduleFollowUp, type FollowUpJob } from '../actions/follow-up.js';
import { notifyIdentities } from '../actions/notify.js';
import { formatLocal } from '../domain/local-time.js';
import { workingDaysStart } from '../domain/workdays.js';
import type { JobDeps, JobModule } from './job-module.js';
import { singleQueueModule, type ModuleWorkerOptions } from './module-worker.js';

export type FollowUpOutcome = 'reminded' | 'stopped' | 'not_found';

/** The agency named in the referral's timeline entry (sealed there, so read from it). */
async function agencyOf(services: JobDeps, code: string): Promise<string | undefined> {
  const entries = await services.cases.timeline(code);
  return entries.filter((e) => e.kind === 'referred').at(-1)?.text;
}

export async function processFollowUp(services: JobDeps, job: FollowUpJob, now = services.now()): Promise<FollowUpOutcome> {
  const state = await loadCase(services, job.code);
  if (!state) return 'not_found';
  const commune = communeOf(services, state.report.communeId);
  if (!commune) return 'not_found';
  // Closed, or reopened and referred again (a new series): this one is over.
  if (state.report.status !== 'referred' || state.markers.referredAt !== job.referredAt) return 'stopped';
  const { report } = state;
  const holder = state.markers.assignee ?? report.assignee;
  const to = holder ? [holder] : (await services.roles.members(report.communeId, 'officer')).map((m) => m.identity);
  const agency = (await agencyOf(services, job.code)) ?? 'cơ quan đã nhận';
  const text =
    `📌 Đến hẹn theo dõi vụ việc ${report.code}, đã chuyển cho ${agency} lúc ${formatLocal(job.referredAt, commune.timezone)}.\n` +
    `Xin hỏi cơ quan đó kết quả. Khi đã xong, gửi /dong ${report.code} kết quả; nếu cần thêm thời gian, gửi /ghichu ${report.code} nội dung.`;
  const sent = await notifyIdentities(services, to, { text }, `follow-up:${report.code}:${job.referredAt}-${job.n}`, report.communeId, `theo dõi vụ chuyển cơ quan ${report.code}`);
  if (!sent.length) await tellAdminsUnstaffed(services, report, ['officer'], `follow-up:${report.code}:${job.referredAt}-${job.n}`, true);
  await services.cases.addEntryOnce(report.code, `follow-up-${job.referredAt}-${job.n}`, { at: now, actor: 'system', kind: 'follow_up', text: `Nhắc theo dõi lần ${job.n} (${sent.length} người)` });
  if (job.n < 50) await scheduleFollowUp(services, { ...job, n: job.n + 1 }, workingDaysStart(now, commune.referral.followUpWorkingDays, commune));
  return 'reminded';
}

export function createFollowUpModule(opts: ModuleWorkerOptions = {}): JobModule {
  return singleQueueModule(FOLLOW_UP_QUEUE, followUpJobSchema, 'follow-up', processFollowUp, opts);
}

export const followUpModule = createFollowUpModule();
