/**
 * Legal clocks of a case (docs/domain.md §2, all per commune in `clocks`):
 *
 * - P0, emergency: decide emergency measures within `emergencyHours` (12) of receipt (NĐ 56/2017 Điều
 *   26 k.3). Reminders at `emergencyRemindAtHours` (6 h, 10 h) to whoever holds the case (the assignee,
 *   or everyone alerted while nobody took it), and at 12 h an overdue notice to the holder and the chair.
 *   Stops once an emergency action is recorded (`cases.recordEmergencyAction`), or the case is closed
 *   (a referral does not stop it: the commune still decides the emergency measures).
 * - P1 and P2, support plan: within `planWorkingDays` (5) working days (Điều 28), counted in the
 *   commune's calendar (src/domain/workdays.ts). Reminders at the start of working hours of the
 *   `planRemindAtWorkingDays` (3rd, 4th) working day; at the end of working hours of the 5th, an overdue
 *   notice to the holder and the chair. Stops once the chair approved the plan (`planApprovedAt`, kept
 *   while intervening), or the case was referred or closed.
 * - P3: no clock.
 *
 * Every reminder is a delayed job with a deterministic id `clk-<code>-<clock>-<step>` (step r1, r2, …
 * or due), scheduled when the alert job runs (times count from the report's receipt). The processor
 * re-checks the case first; outbox keys `clock:<code>:<clock>-<step>:<identity>` and a once-marker on
 * the timeline make every reminder happen once.
 *
 * Job options: attempts 8, exponential backoff from 2 s; completed jobs kept 30 days, failed 30 days.
 */
import { formatLocal } from '../domain/local-time.js';
import { urgencyText } from '../domain/urgency.js';
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import type { CommuneConfig } from '../config/communes.js';
import type { OutgoingMessage } from '../messaging/message.js';
import { categoryOf } from '../domain/categories.js';
import { workingDaysStart } from '../domain/workdays.js';
import { CLOCK_KINDS, calendarOf, clockDeadline, clockStopReason, type ClockKind } from '../domain/case-clocks.js';
import type { ReportSummary } from '../store/reports.js';
import { ackChoice } from '../actions/alert-text.js';
import { alertedIdentities, communeOf, loadCase, tellAdminsUnstaffed, type CaseState } from '../actions/case-alerts.js';
import { notifyIdentities } from '../actions/notify.js';
import { delayUntil, queueFor } from '../actions/queues.js';
import type { JobDeps, JobModule } from './job-module.js';
import { singleQueueModule, type ModuleWorkerOptions } from './module-worker.js';

export const CLOCKS_QUEUE = 'clocks';

export { CLOCK_KINDS, calendarOf, type ClockKind };

export const clockJobSchema = z.object({
  code: z.string().regex(/^TE-[0-9A-Z]{6}$/),
  clock: z.enum(CLOCK_KINDS),
  /** 'r1', 'r2', … (reminders in order) or 'due' (the deadline itself). */
  step: z.string().regex(/^(r\d{1,2}|due)$/),
  /** When this step was meant to run, and the deadline (ms), fixed at scheduling time. */
  runAt: z.number(),
  deadline: z.number(),
});
export type ClockJob = z.infer<typeof clockJobSchema>;

export const clockJobId = (code: string, clock: ClockKind, step: string): string => `clk-${code}-${clock}-${step}`;

export const CLOCK_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 30 * 86400, count: 100_000 },
  removeOnFail: { age: 30 * 86400 },
};

/** The steps of a case's clock, in time order (empty for P3). Pure: for scheduling and for tests. */
export function clockPlan(report: Pick<ReportSummary, 'code' | 'urgency' | 'createdAt'>, commune: CommuneConfig): ClockJob[] {
  const { code, createdAt } = report;
  const c = commune.clocks;
  const clock = clockDeadline(report, commune);
  if (clock?.kind === 'emergency') {
    const { deadline } = clock;
    const reminders = [...new Set(c.emergencyRemindAtHours)].filter((h) => h < c.emergencyHours).sort((a, b) => a - b);
    return [
      ...reminders.map((h, i) => ({ code, clock: 'emergency' as const, step: `r${i + 1}`, runAt: createdAt + Math.round(h * 3_600_000), deadline })),
      { code, clock: 'emergency', step: 'due', runAt: deadline, deadline },
    ];
  }
  if (clock?.kind === 'plan') {
    const cal = calendarOf(commune);
    const { deadline } = clock;
    const reminders = [...new Set(c.planRemindAtWorkingDays)].filter((d) => d < c.planWorkingDays).sort((a, b) => a - b);
    return [
      ...reminders.map((d, i) => ({ code, clock: 'plan' as const, step: `r${i + 1}`, runAt: workingDaysStart(createdAt, d, cal), deadline })),
      { code, clock: 'plan', step: 'due', runAt: deadline, deadline },
    ];
  }
  return [];
}

/** Schedules every step of the case's clock (idempotent: deterministic job ids). */
export async function scheduleClocks(services: Pick<JobDeps, 'queues' | 'log' | 'now'>, report: ReportSummary, commune: CommuneConfig): Promise<ClockJob[]> {
  const plan = clockPlan(report, commune);
  const queue = queueFor(services, CLOCKS_QUEUE);
  for (const step of plan) {
    await queue.add(`${step.clock}-${step.step}`, step, { ...CLOCK_JOB_OPTIONS, jobId: clockJobId(step.code, step.clock, step.step), delay: delayUntil(services, step.runAt) });
  }
  return plan;
}

/** Why a clock no longer runs, or undefined while it does. */
export function clockStopped(state: CaseState, clock: ClockKind): string | undefined {
  return clockStopReason(clock, { status: state.report.status, ...state.markers });
}

/** The assignee, or everyone alerted (and the alert roles) while nobody holds the case. */
export async function holders(services: Pick<JobDeps, 'redis' | 'roles'>, state: CaseState): Promise<string[]> {
  const assignee = state.markers.assignee ?? state.report.assignee;
  if (assignee) return [assignee];
  const who = new Set(await alertedIdentities(services, state.report.code));
  for (const role of state.report.alertRoles) for (const m of await services.roles.members(state.report.communeId, role)) who.add(m.identity);
  return [...who].sort();
}

function hoursText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m} phút` : m === 0 ? `${h} giờ` : `${h} giờ ${m} phút`;
}

function clockMessage(job: ClockJob, report: ReportSummary, commune: CommuneConfig, assigned: boolean): OutgoingMessage {
  const tz = commune.timezone;
  const what = `${report.code} (${categoryOf(report.category).label}, ${urgencyText(report.urgency)}, ${report.village})`;
  const lines: string[] = [];
  if (job.clock === 'emergency') {
    if (job.step === 'due') {
      lines.push(
        `🚨 QUÁ HẠN ${commune.clocks.emergencyHours} GIỜ: vụ khẩn cấp ${what} chưa ghi nhận biện pháp khẩn cấp (hạn ${formatLocal(job.deadline, tz)}).`,
        'Lãnh đạo UBND xã xin quyết định ngay biện pháp bảo vệ khẩn cấp hoặc tạm thời cách ly trẻ (NĐ 56/2017, Điều 26 k.3).',
      );
    } else {
      lines.push(
        `⏰ Vụ khẩn cấp ${what}: đã ${hoursText(job.runAt - report.createdAt)} từ khi nhận báo cáo, chưa ghi nhận biện pháp khẩn cấp.`,
        `Hạn ${commune.clocks.emergencyHours} giờ: ${formatLocal(job.deadline, tz)}.`,
      );
    }
    lines.push(`Khi đã thực hiện biện pháp khẩn cấp, gửi /khancap ${report.code} kèm nội dung; xem vụ việc: /xem ${report.code}.`);
  } else {
    const days = commune.clocks.planWorkingDays;
    if (job.step === 'due') {
      lines.push(
        `⚠️ QUÁ HẠN: vụ việc ${what} chưa có kế hoạch hỗ trợ, can thiệp sau ${days} ngày làm việc (hạn ${formatLocal(job.deadline, tz)}).`,
        'Xin trình Lãnh đạo UBND xã duyệt kế hoạch (/trinhduyet MÃ tóm tắt) và cập nhật tiến độ vụ việc.'.replace('MÃ', report.code),
      );
    } else {
      lines.push(
        `⏰ Vụ việc ${what}: hạn lập kế hoạch hỗ trợ, can thiệp là ${formatLocal(job.deadline, tz)} (${days} ngày làm việc từ khi nhận báo cáo).`,
      );
    }
    lines.push(`Xem và cập nhật vụ việc: /xem ${report.code}.`);
  }
  if (!assigned) lines.push(`Vụ việc CHƯA có ai tiếp nhận: bấm "Tiếp nhận" hoặc gửi /nhan ${report.code}.`);
  return { text: lines.join('\n'), ...(assigned ? {} : { choices: [ackChoice(report.code)] }) };
}

export type ClockOutcome = 'reminded' | 'stopped' | 'not_found';

/** Runs one clock step at `now`: re-check, remind (and at the deadline tell the chair), record. */
export async function processClock(services: JobDeps, job: ClockJob, now = services.now()): Promise<ClockOutcome> {
  const state = await loadCase(services, job.code);
  if (!state) return 'not_found';
  const commune = communeOf(services, state.report.communeId);
  if (!commune) return 'not_found';
  const stopped = clockStopped(state, job.clock);
  if (stopped) {
    services.log.debug({ code: job.code, clock: job.clock, step: job.step, stopped }, 'clock stopped');
    return 'stopped';
  }
  const { report } = state;
  const assigned = Boolean(state.markers.assignee ?? report.assignee);
  const recipients = await holders(services, state);
  const chairs = job.step === 'due' ? (await services.roles.members(report.communeId, 'chair')).map((m) => m.identity) : [];
  const message = clockMessage(job, report, commune, assigned);
  const emergencyLabel = `hạn ${commune.clocks.emergencyHours} giờ`;
  const sent = await notifyIdentities(services, [...recipients, ...chairs], message, `clock:${job.code}:${job.clock}-${job.step}`, report.communeId, `${job.clock === 'emergency' ? emergencyLabel : 'hạn kế hoạch'} ${job.step} ${job.code}`);
  if (!sent.length) await tellAdminsUnstaffed(services, report, job.step === 'due' ? ['officer', 'chair'] : report.alertRoles, `clock:${job.code}:${job.clock}-${job.step}`, true);
  const label = job.clock === 'emergency' ? emergencyLabel : `hạn kế hoạch ${commune.clocks.planWorkingDays} ngày làm việc`;
  await services.cases.addEntryOnce(job.code, `clock-${job.clock}-${job.step}`, {
    at: now,
    actor: 'system',
    kind: job.step === 'due' ? 'escalated' : 'reminder',
    text: job.step === 'due' ? `Quá ${label}: đã báo người giữ vụ việc và Lãnh đạo UBND xã (${sent.length} người)` : `Nhắc ${label} (${sent.length} người)`,
  });
  return 'reminded';
}

export function createClocksModule(opts: ModuleWorkerOptions = {}): JobModule {
  return singleQueueModule(CLOCKS_QUEUE, clockJobSchema, 'clock', processClock, opts);
}

export const clocksModule = createClocksModule();
