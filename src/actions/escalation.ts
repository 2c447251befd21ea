/**
 * The `escalation` queue's contract and its producer side. Escalation of an emergency (P0) nobody
 * acknowledged: after `escalation.ackMinutes` the alert is sent
 * again and goes one step further along the commune's `escalation.chain` (e.g. officer → chair →
 * province), then again after another `ackMinutes`, until the chain ends.
 *
 * Step n (1, 2, …) re-alerts everyone alerted so far (the report's alert roles and chain[0..n-1]) plus
 * chain[n]; the last step is the one that reaches the end of the chain (at least one re-alert even when
 * the chain has a single role). Each step:
 * - is a delayed BullMQ job with the deterministic id `esc-<code>-<n>` (scheduling it twice is a no-op);
 * - re-checks the case first, under the case lock: once someone acknowledged, or the case was closed,
 *   it does nothing (the acknowledgement also removes the delayed steps, but this check is the guarantee);
 * - sends through the outbox with keys `alert:<code>:esc<n>:<identity>` (a re-run sends nothing twice);
 * - is written to the case timeline once (`escalated` when it reached new roles, else `re_alerted`).
 *
 * Job options: attempts 8, exponential backoff from 1 s; completed jobs kept 7 days (so a late
 * duplicate schedule stays a no-op), failed ones 30 days. The step itself runs in src/jobs/escalation.ts;
 * an acknowledgement stops the rest here (cancelEscalation).
 */
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import type { CommuneConfig, StaffRole } from '../config/communes.js';
import { addressOfIdentity } from '../messaging/message.js';
import type { ReportSummary } from '../store/reports.js';
import { alertedIdentities, communeOf } from './case-alerts.js';
import type { ActionDeps } from './deps.js';
import { delayUntil, queueFor, removeJob } from './queues.js';

export const ESCALATION_QUEUE = 'escalation';

export const escalationJobSchema = z.object({
  code: z.string().regex(/^TE-[0-9A-Z]{6}$/),
  step: z.number().int().min(1).max(50),
});
export type EscalationJob = z.infer<typeof escalationJobSchema>;

export const escalationJobId = (code: string, step: number): string => `esc-${code}-${step}`;

export const ESCALATION_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 7 * 86400, count: 100_000 },
  removeOnFail: { age: 30 * 86400 },
};

/** How many escalation steps the commune's chain gives (at least one re-alert). */
export function escalationSteps(commune: Pick<CommuneConfig, 'escalation'>): number {
  return Math.max(1, commune.escalation.chain.length - 1);
}

/** Roles alerted at step n: the report's alert roles and the chain up to n. */
export function rolesForStep(report: Pick<ReportSummary, 'alertRoles'>, commune: Pick<CommuneConfig, 'escalation'>, step: number): StaffRole[] {
  const chain = commune.escalation.chain;
  return [...new Set<StaffRole>([...report.alertRoles, ...chain.slice(0, Math.min(step, chain.length - 1) + 1)])];
}

export function ackDelayMs(commune: Pick<CommuneConfig, 'escalation'>): number {
  return Math.round(commune.escalation.ackMinutes * 60_000);
}

/** Schedules step `step` of the case's escalation to run at `runAt` (services clock). Idempotent. */
export async function scheduleEscalation(services: Pick<ActionDeps, 'queues' | 'log' | 'now'>, code: string, step: number, runAt: number): Promise<void> {
  const data: EscalationJob = { code, step };
  await queueFor(services, ESCALATION_QUEUE).add('escalate', data, {
    ...ESCALATION_JOB_OPTIONS,
    jobId: escalationJobId(code, step),
    delay: delayUntil(services, runAt),
  });
}

/**
 * Stops the case's escalation: removes every step not yet started, and the re-alerts queued in the
 * outbox and not yet sent. Called when the case is acknowledged (processors re-check all the same).
 */
export async function cancelEscalation(services: Pick<ActionDeps, 'queues' | 'log' | 'redis' | 'config' | 'roles' | 'cases' | 'outbox'>, code: string): Promise<number> {
  const report = await services.cases.get(code);
  if (report && report.urgency !== 'P0') return 0; // only emergencies escalate
  const commune = report ? communeOf(services, report.communeId) : undefined;
  const steps = commune ? escalationSteps(commune) : 10;
  let removed = 0;
  const queue = queueFor(services, ESCALATION_QUEUE);
  for (let n = 1; n <= steps; n++) if (await removeJob(queue, escalationJobId(code, n))) removed++;
  // Re-alerts already handed to the outbox but not sent: everyone who could have been re-alerted.
  if (report && commune) {
    const who = new Set(await alertedIdentities(services, code));
    for (const role of rolesForStep(report, commune, steps)) for (const m of await services.roles.members(report.communeId, role)) who.add(m.identity);
    for (let n = 1; n <= steps; n++) {
      for (const identity of who) {
        if (await services.outbox.cancel(addressOfIdentity(identity), `${realertKey(code, n)}:${identity}`)) removed++;
      }
    }
  }
  return removed;
}

export const realertKey = (code: string, step: number): string => `alert:${code}:esc${step}`;
