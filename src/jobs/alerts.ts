/**
 * Alerts: when a citizen confirms a report, the right officers learn of it within seconds.
 *
 * Queue `alerts`, three kinds of job (payload `alertJobSchema`):
 * - `report` {code}: id `alert-<code>`, so a second enqueue of the same report (the confirm hook and the
 *   start-up sweep racing, a retried webhook) is a no-op. The processor reads the report and, by urgency:
 *     P0 → report.alertRoles (officer, chair, police) at once; escalation step 1 after ackMinutes;
 *     P1 → report.alertRoles (officer) at once;
 *     P2 → into the commune's digest (below);
 *     P3 → stored only, no alert.
 *   P0–P2 also get their legal clock scheduled (src/jobs/clocks.ts). Each alert is queued in the outbox
 *   with key `alert:<code>:<identity>`, so a job that runs again (its worker died half way, a retry)
 *   never sends twice and still reaches whoever it had not reached. Roles nobody holds are reported to
 *   the commune's admins. The timeline gets one `alerted` entry.
 * - `digest` {communeId, slot}: one message per officer listing the P2 codes waiting, inside the
 *   commune's working hours (Mon–Fri, commune time zone, holidays skipped). Id `digest-<commune>-<slot>`
 *   where slot is the send time: inside working hours, the next DIGEST_GATHER_MS boundary (P2 reports of
 *   the same minute share one message); outside, the next working-hours start (everything that came in
 *   overnight or over the weekend goes out as one message at 07:30). The job claims the waiting codes
 *   atomically into a batch tied to the job, so a re-run sends the same batch under the same outbox key.
 *   A digest job that fails for good puts its batch back into the waiting set (restoreDigestBatch).
 * - `sweep` (every SWEEP_EVERY_MS, and once when the worker starts): enqueues reports saved whose alert
 *   was never queued (`reports.pendingAlerts()`: the process died between saving and queueing), and
 *   schedules a digest for communes with P2 codes still waiting. Nobody is left unaware.
 *
 * Every processor re-checks the case first: a case already acknowledged or closed is not alerted.
 *
 * Job options: report alerts 12 attempts with exponential backoff from 1 s (about an hour in all),
 * completed kept 7 days (duplicate enqueues stay no-ops), failed kept 30 days and logged as errors;
 * digests 12 attempts, removed on completion (a later P2 can schedule the same slot again).
 *
 * Redis keys besides BullMQ's: `alerts:digest:<communeId>` (sorted set of waiting P2 codes by receipt),
 * `alerts:digest:queued:<code>` (the code was put in a digest once, 30 days),
 * `alerts:digest:batch:<jobId>@<timestamp>` (a digest job's claimed codes, 7 days).
 */
import { timeAgo } from '../domain/local-time.js';
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import type { CommuneConfig } from '../config/communes.js';
import type { OutgoingMessage } from '../core/message.js';
import { categoryOf } from '../domain/categories.js';
import { isWithinWorkingHours, nextWorkingHoursStart } from '../domain/workdays.js';
import type { Services } from '../handlers/context.js';
import type { ReportSummary } from '../store/reports.js';
import {
  ackChoice,
  alertMessage,
  awaitingAck,
  communeOf,
  loadCase,
  recordRecipients,
  rolesText,
  sendCaseAlert,
  tellAdminsUnstaffed,
  unstaffedRoles,
  withCaseLock,
  type CaseState,
} from './alert-common.js';
import { calendarOf, scheduleClocks } from './clocks.js';
import { ackDelayMs, scheduleEscalation } from './escalation.js';
import { notifyIdentity } from './notify.js';
import { delayUntil, queueFor, startModuleWorker, validated, type ModuleWorkerOptions } from './queues.js';
import type { JobModule } from './workers.js';

export const ALERTS_QUEUE = 'alerts';
/** P2 reports arriving within this window inside working hours share one digest message. */
export const DIGEST_GATHER_MS = 60_000;
/** How often the sweep looks for reports whose alert was never queued and for waiting P2 codes. */
export const SWEEP_EVERY_MS = 60_000;
/** Buttons in one digest message; further codes are listed with the typed /nhan alternative. */
const DIGEST_MAX_BUTTONS = 20;

const code = z.string().regex(/^TE-[0-9A-Z]{6}$/);
export const alertJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('report'), code }),
  z.object({ kind: z.literal('digest'), communeId: z.string().min(1), slot: z.number().int() }),
  z.object({ kind: z.literal('sweep') }),
]);
export type AlertJob = z.infer<typeof alertJobSchema>;

export const alertJobId = (reportCode: string): string => `alert-${reportCode}`;
export const digestJobId = (communeId: string, slot: number): string => `digest-${communeId}-${slot}`;
export const digestKey = (communeId: string): string => `alerts:digest:${communeId}`;
const batchKey = (batchId: string): string => `alerts:digest:batch:${batchId}`;
/** Stable across the re-runs of one digest job, new for a later job with the same id. */
const digestBatchId = (job: { id?: string | undefined; timestamp: number }): string => `${job.id}@${job.timestamp}`;

export const ALERT_JOB_OPTIONS: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 7 * 86400, count: 100_000 },
  removeOnFail: { age: 30 * 86400 },
};

const DIGEST_JOB_OPTIONS: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: { age: 30 * 86400 },
};

// ---- producing -----------------------------------------------------------------------------------

/** Queues the alert of a saved report. Idempotent: the job id is derived from the code. */
export async function enqueueAlert(services: Pick<Services, 'redis'>, reportCode: string): Promise<void> {
  const data: AlertJob = { kind: 'report', code: reportCode };
  await queueFor(services, ALERTS_QUEUE).add('report', data, { ...ALERT_JOB_OPTIONS, jobId: alertJobId(reportCode) });
}

/**
 * The `reportConfirmed` hook: queue the alert, then mark it queued. If queueing fails the report stays
 * in the pending set and the sweep queues it (the citizen's confirmation is not undone).
 */
export async function onReportConfirmed(services: Pick<Services, 'redis' | 'cases' | 'log'>, report: Pick<ReportSummary, 'code' | 'urgency'>): Promise<void> {
  try {
    await enqueueAlert(services, report.code);
    await services.cases.markAlertQueued(report.code);
    services.log.info({ code: report.code, urgency: report.urgency }, 'report confirmed, alert queued');
  } catch (err) {
    services.log.error({ code: report.code, err: (err as Error).message }, 'report confirmed, alert NOT queued yet: the sweep will queue it');
  }
}

/** Queues the alerts of reports saved but never queued. Returns how many were found. */
export async function sweepPendingAlerts(services: Pick<Services, 'redis' | 'cases' | 'log'>): Promise<number> {
  const pending = await services.cases.pendingAlerts();
  for (const c of pending) {
    await enqueueAlert(services, c);
    await services.cases.markAlertQueued(c);
  }
  if (pending.length) services.log.warn({ count: pending.length }, 'alerts: queued alerts of reports saved without one');
  return pending.length;
}

/** When a digest for P2 codes waiting at `now` goes out. */
export function digestSlot(now: number, commune: CommuneConfig, gatherMs = DIGEST_GATHER_MS): number {
  const cal = calendarOf(commune);
  if (isWithinWorkingHours(now, cal)) return Math.ceil(now / gatherMs) * gatherMs;
  return nextWorkingHoursStart(now, cal);
}

/** Schedules the commune's next digest (idempotent per slot). Returns the slot. */
export async function scheduleDigest(services: Pick<Services, 'redis' | 'now'>, commune: CommuneConfig, now = services.now()): Promise<number> {
  const slot = digestSlot(now, commune);
  const data: AlertJob = { kind: 'digest', communeId: commune.id, slot };
  await queueFor(services, ALERTS_QUEUE).add('digest', data, { ...DIGEST_JOB_OPTIONS, jobId: digestJobId(commune.id, slot), delay: delayUntil(services, slot) });
  return slot;
}

// ---- processing ----------------------------------------------------------------------------------

export type AlertOutcome = 'alerted' | 'digest' | 'stored' | 'skipped' | 'not_found';

/** Handles the `report` job at `now`. Safe to run any number of times. */
export async function processReportAlert(services: Services, reportCode: string, now = services.now()): Promise<AlertOutcome> {
  const state = await loadCase(services, reportCode);
  if (!state) {
    services.log.warn({ code: reportCode }, 'alert: report not found');
    return 'not_found';
  }
  const { report } = state;
  const commune = communeOf(services, report.communeId);
  if (!commune) {
    services.log.error({ code: reportCode, communeId: report.communeId }, 'alert: commune no longer configured');
    return 'not_found';
  }
  if (report.urgency === 'P3') return 'stored';
  const outcome = await alertOnce(services, state, commune, now);
  // Legal clocks run from receipt whoever takes the case (their processors stop them when done);
  // scheduled after the alert so they never delay it, and again on a re-run (same ids: no-op).
  await scheduleClocks(services, report, commune);
  return outcome;
}

async function alertOnce(services: Services, state: CaseState, commune: CommuneConfig, now: number): Promise<AlertOutcome> {
  const { report } = state;
  if (!awaitingAck(state)) return 'skipped';
  if (report.urgency === 'P2') {
    // Once per code, even when this job runs again after the digest already took the code.
    await services.redis.eval(ADD_TO_DIGEST, 2, digestKey(commune.id), `alerts:digest:queued:${report.code}`, String(report.createdAt), report.code, String(30 * 86400));
    await scheduleDigest(services, commune, now);
    return 'digest';
  }
  return withCaseLock(services, report.code, async () => {
    const fresh = await loadCase(services, report.code);
    if (!fresh || !awaitingAck(fresh)) return 'skipped';
    const result = await sendCaseAlert(services, report, report.alertRoles, alertMessage(report, commune, now), `alert:${report.code}`, {
      preview: `cảnh báo ${report.urgency} ${report.code}`,
    });
    await services.cases.addEntryOnce(report.code, 'alerted', {
      at: now,
      actor: 'system',
      kind: 'alerted',
      text: `Đã báo ${rolesText(report.alertRoles)} (${result.sent.length} người)${result.missing.length ? `; chưa có người: ${rolesText(result.missing)}` : ''}`,
    });
    if (report.urgency === 'P0') await scheduleEscalation(services, report.code, 1, now + ackDelayMs(commune));
    services.log.info({ code: report.code, urgency: report.urgency, recipients: result.sent.length }, 'alert queued for delivery');
    return 'alerted';
  });
}

// Adds a P2 code to the commune's digest the first time only (marker and entry together).
const ADD_TO_DIGEST = `
if redis.call('set', KEYS[2], '1', 'NX', 'EX', ARGV[3]) then redis.call('zadd', KEYS[1], ARGV[1], ARGV[2]) return 1 end
return 0`;

// Moves the commune's waiting codes into the batch unless the batch exists; returns the batch.
const CLAIM = `
if redis.call('exists', KEYS[2]) == 1 then return redis.call('lrange', KEYS[2], 0, -1) end
local codes = redis.call('zrange', KEYS[1], 0, -1)
if #codes == 0 then return {} end
redis.call('rpush', KEYS[2], unpack(codes))
redis.call('expire', KEYS[2], ARGV[1])
redis.call('zrem', KEYS[1], unpack(codes))
return codes`;

// Puts a digest batch's codes back among the commune's waiting codes (scored now: the digest orders by
// the reports' own times) and drops the batch; returns the codes.
const RESTORE = `
local codes = redis.call('lrange', KEYS[2], 0, -1)
for _, c in ipairs(codes) do redis.call('zadd', KEYS[1], 'NX', ARGV[1], c) end
redis.call('del', KEYS[2])
return codes`;

/**
 * A digest job failed for good: its claimed codes left the waiting set and their queued markers keep
 * them from being added again, so without this nobody would ever be alerted of them. They go back to
 * the waiting set and the next digest takes them (an officer the failed job had already told may see
 * them twice; better than never). Returns how many codes went back.
 */
export async function restoreDigestBatch(services: Services, communeId: string, batchId: string): Promise<number> {
  const codes = (await services.redis.eval(RESTORE, 2, digestKey(communeId), batchKey(batchId), String(services.now()))) as string[];
  if (codes.length === 0) return 0;
  services.log.error({ communeId, codes: codes.length }, 'P2 digest failed for good: its codes wait for the next digest');
  const commune = communeOf(services, communeId);
  // The sweep would schedule it within SWEEP_EVERY_MS too; this does not wait for it.
  if (commune) await scheduleDigest(services, commune);
  return codes.length;
}

function digestMessage(reports: ReportSummary[], commune: CommuneConfig, now: number): OutgoingMessage {
  const lines = reports.map((r) => `• ${r.code}: ${categoryOf(r.category).label}, ${r.village}, nhận ${timeAgo(r.createdAt, now)}`);
  return {
    text:
      `📋 ${commune.name}: ${reports.length} báo cáo mức Trung bình (P2) chờ tiếp nhận\n${lines.join('\n')}\n` +
      `Bấm "Tiếp nhận" ở mã tương ứng, hoặc gửi /nhan MÃ (ví dụ /nhan ${reports[0]?.code ?? 'TE-XXXXXX'}).`,
    choices: reports.slice(0, DIGEST_MAX_BUTTONS).map((r) => ackChoice(r.code, `Tiếp nhận ${r.code}`)),
  };
}

/**
 * Handles a `digest` job: claims the waiting codes into the batch `batchId` (stable across re-runs of
 * one job), sends each recipient one message listing the codes still waiting for them.
 */
export async function processDigest(services: Services, communeId: string, batchId: string, now = services.now()): Promise<number> {
  const commune = communeOf(services, communeId);
  if (!commune) {
    services.log.error({ communeId }, 'digest: commune no longer configured');
    return 0;
  }
  const codes = (await services.redis.eval(CLAIM, 2, digestKey(communeId), batchKey(batchId), String(7 * 86400))) as string[];
  const states = (await Promise.all(codes.map((c) => loadCase(services, c)))).filter((s) => s !== undefined);
  const waiting = states.filter(awaitingAck).map((s) => s.report).sort((a, b) => a.createdAt - b.createdAt);
  // One message per person, listing the codes whose alert roles they hold.
  const perPerson = new Map<string, ReportSummary[]>();
  for (const report of waiting) {
    for (const role of new Set(report.alertRoles)) {
      for (const m of await services.roles.members(communeId, role)) {
        const list = perPerson.get(m.identity) ?? [];
        if (!list.includes(report)) list.push(report);
        perPerson.set(m.identity, list);
      }
    }
    const missing = await unstaffedRoles(services, communeId, report.alertRoles);
    if (missing.length) {
      const anyone = report.alertRoles.some((r) => !missing.includes(r));
      await tellAdminsUnstaffed(services, report, missing, `alert:${report.code}`, !anyone);
    }
  }
  for (const [identity, reports] of perPerson) {
    await notifyIdentity(services, identity, digestMessage(reports, commune, now), `alert:digest:${batchId}`, communeId, { preview: `tổng hợp P2 (${reports.length} mã)` });
  }
  for (const report of waiting) {
    const told = [...perPerson].filter(([, list]) => list.includes(report)).map(([identity]) => identity);
    await recordRecipients(services, report.code, told);
    await services.cases.addEntryOnce(report.code, 'alerted', {
      at: now,
      actor: 'system',
      kind: 'alerted',
      text: `Đã báo trong bản tổng hợp P2: ${rolesText(report.alertRoles)} (${told.length} người)`,
    });
  }
  // Codes that arrived while this ran wait for the next slot (never the same one again).
  if ((await services.redis.zcard(digestKey(communeId))) > 0) await scheduleDigest(services, commune, Math.max(now + 1, services.now()));
  if (waiting.length) services.log.info({ communeId, codes: waiting.length, recipients: perPerson.size }, 'P2 digest queued for delivery');
  return waiting.length;
}

/** The periodic sweep: pending alerts, and digests for communes with P2 codes waiting. */
export async function sweep(services: Services, now = services.now()): Promise<void> {
  await sweepPendingAlerts(services);
  for (const commune of services.config.communes) {
    if ((await services.redis.zcard(digestKey(commune.id))) > 0) await scheduleDigest(services, commune, now);
  }
}

// ---- module --------------------------------------------------------------------------------------

export interface AlertsModuleOptions extends ModuleWorkerOptions {
  /** How often the sweep runs (default SWEEP_EVERY_MS); 0 turns the periodic sweep off (tests). */
  sweepEveryMs?: number;
}

export function createAlertsModule(opts: AlertsModuleOptions = {}): JobModule {
  return {
    name: ALERTS_QUEUE,
    async start(services) {
      const processor = validated(alertJobSchema, 'alert', async (data, job): Promise<unknown> => {
        if (data.kind === 'report') return processReportAlert(services, data.code);
        if (data.kind === 'digest') return processDigest(services, data.communeId, digestBatchId(job));
        return sweep(services);
      });
      const running = await startModuleWorker(services, ALERTS_QUEUE, processor, opts);
      running.worker.on('failed', (job, err) => {
        if (!job || (err.name !== 'UnrecoverableError' && job.attemptsMade < (job.opts.attempts ?? 1))) return; // will retry
        if (job.data.kind === 'report') {
          services.log.error({ code: job.data.code, err: err.message }, 'ALERT NOT SENT after all attempts: check the logs and the case');
        }
        if (job.data.kind === 'digest') {
          const { communeId } = job.data;
          restoreDigestBatch(services, communeId, digestBatchId(job)).catch((e: unknown) =>
            services.log.error({ communeId, err: (e as Error).message }, 'P2 digest failed and its codes could not be put back'),
          );
        }
      });
      // Reports saved while no process could queue their alert (a crash between save and enqueue).
      await sweep(services);
      const every = opts.sweepEveryMs ?? SWEEP_EVERY_MS;
      const queue = queueFor(services, ALERTS_QUEUE);
      if (every > 0) {
        await queue.upsertJobScheduler('alerts-sweep', { every }, { name: 'sweep', data: { kind: 'sweep' }, opts: { removeOnComplete: true, removeOnFail: true } });
      }
      return running;
    },
  };
}

export const alertsModule = createAlertsModule();
