/**
 * The P2 digest: medium-urgency reports are not alerted one by one but listed in one message per
 * officer, inside the commune's working hours (Mon–Fri, commune time zone, holidays skipped).
 *
 * The `digest` job {communeId, slot} has the id `digest-<commune>-<slot>` (src/actions/alert-queue.ts)
 * where slot is the send time: inside working hours, the next DIGEST_GATHER_MS boundary (P2 reports of
 * the same minute share one message); outside, the next working-hours start (everything that came in
 * overnight or over the weekend goes out as one message at 07:30). The job claims the waiting codes
 * atomically into a batch tied to the job, so a re-run sends the same batch under the same outbox key.
 * A digest job that fails for good puts its batch back into the waiting set (restoreDigestBatch).
 *
 * Redis keys besides BullMQ's: `alerts:digest:<communeId>` (sorted set of waiting P2 codes by receipt),
 * `alerts:digest:queued:<code>` (the code was put in a digest once, 30 days),
 * `alerts:digest:batch:<jobId>@<timestamp>` (a digest job's claimed codes, 7 days).
 */
import { timeAgo } from '../../domain/local-time.js';
import type { CommuneConfig } from '../../config/communes.js';
import type { OutgoingMessage } from '../../messaging/message.js';
import { categoryOf } from '../../domain/categories.js';
import { isWithinWorkingHours, nextWorkingHoursStart } from '../../domain/workdays.js';
import { ALERTS_QUEUE, DIGEST_JOB_OPTIONS, digestJobId, type AlertJob } from '../../actions/alert-queue.js';
import { ackChoice, rolesText } from '../../actions/alert-text.js';
import { awaitingAck, communeOf, loadCase, recordRecipients, tellAdminsUnstaffed, unstaffedRoles } from '../../actions/case-alerts.js';
import { moveOnIfNobodyReached, recordStep } from '../../actions/alert-chain.js';
import { ackDelayMs, chainFor, scheduleEscalation } from '../../actions/escalation.js';
import { CAN_WAIT_MS, notifyIdentity } from '../../actions/notify.js';
import { delayUntil, queueFor } from '../../actions/queues.js';
import type { ReportSummary } from '../../store/reports.js';
import { calendarOf } from '../clocks.js';
import type { JobDeps } from '../job-module.js';

/** P2 reports arriving within this window inside working hours share one digest message. */
export const DIGEST_GATHER_MS = 60_000;
/** Buttons in one digest message; further codes are listed with the typed /nhan alternative. */
const DIGEST_MAX_BUTTONS = 20;

export const digestKey = (communeId: string): string => `alerts:digest:${communeId}`;
const batchKey = (batchId: string): string => `alerts:digest:batch:${batchId}`;
/** Stable across the re-runs of one digest job, new for a later job with the same id. */
export const digestBatchId = (job: { id?: string | undefined; timestamp: number }): string => `${job.id}@${job.timestamp}`;

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

/** When a digest for P2 codes waiting at `now` goes out. */
export function digestSlot(now: number, commune: CommuneConfig, gatherMs = DIGEST_GATHER_MS): number {
  const cal = calendarOf(commune);
  if (isWithinWorkingHours(now, cal)) return Math.ceil(now / gatherMs) * gatherMs;
  return nextWorkingHoursStart(now, cal);
}

/** Schedules the commune's next digest (idempotent per slot). Returns the slot. */
export async function scheduleDigest(services: Pick<JobDeps, 'queues' | 'log' | 'now'>, commune: CommuneConfig, now = services.now()): Promise<number> {
  const slot = digestSlot(now, commune);
  const data: AlertJob = { kind: 'digest', communeId: commune.id, slot };
  await queueFor(services, ALERTS_QUEUE).add('digest', data, { ...DIGEST_JOB_OPTIONS, jobId: digestJobId(commune.id, slot), delay: delayUntil(services, slot) });
  return slot;
}

/** Puts a P2 report into its commune's next digest and schedules that digest. */
export async function addToDigest(services: Pick<JobDeps, 'redis' | 'queues' | 'log' | 'now'>, commune: CommuneConfig, report: ReportSummary, now: number): Promise<void> {
  // Once per code, even when the alert job runs again after the digest already took the code.
  await services.redis.eval(ADD_TO_DIGEST, 2, digestKey(commune.id), `alerts:digest:queued:${report.code}`, String(report.createdAt), report.code, String(30 * 86400));
  await scheduleDigest(services, commune, now);
}

/** Whether P2 codes of the commune wait for a digest. */
export async function hasWaitingCodes(services: Pick<JobDeps, 'redis'>, communeId: string): Promise<boolean> {
  return (await services.redis.zcard(digestKey(communeId))) > 0;
}

/**
 * A digest job failed for good: its claimed codes left the waiting set and their queued markers keep
 * them from being added again, so without this nobody would ever be alerted of them. They go back to
 * the waiting set and the next digest takes them (an officer the failed job had already told may see
 * them twice; better than never). Returns how many codes went back.
 */
export async function restoreDigestBatch(services: JobDeps, communeId: string, batchId: string): Promise<number> {
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
export async function processDigest(services: JobDeps, communeId: string, batchId: string, now = services.now()): Promise<number> {
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
    await notifyIdentity(services, identity, digestMessage(reports, commune, now), `alert:digest:${batchId}`, communeId, { preview: `tổng hợp P2 (${reports.length} mã)`, canWaitMs: CAN_WAIT_MS.digest });
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
    // From the digest on, a P2 escalates along its own chain like the others (alert-chain.ts).
    await recordStep(services, report.code, 0);
    const chain = chainFor(commune, report);
    if (chain) await scheduleEscalation(services, report.code, 1, now + ackDelayMs(chain));
    if (!told.length) await moveOnIfNobodyReached(services, report.code);
  }
  // Codes that arrived while this ran wait for the next slot (never the same one again).
  if (await hasWaitingCodes(services, communeId)) await scheduleDigest(services, commune, Math.max(now + 1, services.now()));
  if (waiting.length) services.log.info({ communeId, codes: waiting.length, recipients: perPerson.size }, 'P2 digest queued for delivery');
  return waiting.length;
}
