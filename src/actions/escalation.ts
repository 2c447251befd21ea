/**
 * The `escalation` queue's contract and its producer side. Every urgency with a chain in the commune's
 * configuration (P0: `escalation`, P1 and P2: `chains`, src/config/communes.ts) escalates when nobody
 * acknowledges: after the chain's `ackMinutes` the alert is sent again and goes one step further along
 * the chain (e.g. officer → chair → province), then again after another `ackMinutes`, until it ends.
 *
 * Step n (1, 2, …) re-alerts everyone alerted so far (the report's alert roles and chain[0..n-1]) plus
 * chain[n]; the last chain step is the one that reaches its end (at least one re-alert even when the
 * chain has a single role). Steps past the end are the rounds that keep trying when nobody at all could
 * be reached (src/actions/alert-chain.ts): everyone on the chain, on every channel they have. Each step:
 * - is a delayed BullMQ job with the deterministic id `esc-<code>-<n>` (scheduling it twice is a no-op;
 *   an unreachable recipient brings the next one forward: `runEscalationNow`);
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
import { chainOf, type AlertChain, type CommuneConfig, type StaffRole } from '../config/communes.js';
import { addressOfIdentity } from '../messaging/message.js';
import type { ReportSummary } from '../store/reports.js';
import { alertedIdentities, communeOf } from './case-alerts.js';
import type { ActionDeps } from './deps.js';
import { delayUntil, queueFor, removeJob } from './queues.js';

export const ESCALATION_QUEUE = 'escalation';

/** Rounds of "keep trying" after the chain ends with nobody reached: at most this many steps in all. */
export const MAX_STEPS = 500;

export const escalationJobSchema = z.object({
  code: z.string().regex(/^TE-[0-9A-Z]{6}$/),
  step: z.number().int().min(1).max(MAX_STEPS),
});
export type EscalationJob = z.infer<typeof escalationJobSchema>;

export const escalationJobId = (code: string, step: number): string => `esc-${code}-${step}`;

export const ESCALATION_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 7 * 86400, count: 100_000 },
  removeOnFail: { age: 30 * 86400 },
};

/** The chain of the report's urgency in its commune (P3 has none). */
export function chainFor(commune: Pick<CommuneConfig, 'escalation' | 'chains'>, report: Pick<ReportSummary, 'urgency'>): AlertChain | undefined {
  return chainOf(commune, report.urgency);
}

/** How many escalation steps a chain gives (at least one re-alert). */
export function escalationSteps(chain: AlertChain): number {
  return Math.max(1, chain.chain.length - 1);
}

/** Roles alerted at step n (0: the first alert): the report's alert roles and the chain up to n. */
export function rolesForStep(report: Pick<ReportSummary, 'alertRoles'>, chain: AlertChain | undefined, step: number): StaffRole[] {
  const roles = chain?.chain ?? [];
  const upTo = step === 0 ? 0 : Math.min(step, roles.length - 1) + 1;
  return [...new Set<StaffRole>([...report.alertRoles, ...roles.slice(0, upTo)])];
}

export function ackDelayMs(chain: AlertChain): number {
  return Math.round(chain.ackMinutes * 60_000);
}

/** Schedules step `step` of the case's escalation to run at `runAt` (services clock). Idempotent. */
export async function scheduleEscalation(services: Pick<ActionDeps, 'queues' | 'log' | 'now'>, code: string, step: number, runAt: number): Promise<void> {
  if (step > MAX_STEPS) {
    services.log.error({ code, step }, 'escalation: gave up after the last round; the admins were told');
    return;
  }
  const data: EscalationJob = { code, step };
  await queueFor(services, ESCALATION_QUEUE).add('escalate', data, {
    ...ESCALATION_JOB_OPTIONS,
    jobId: escalationJobId(code, step),
    delay: delayUntil(services, runAt),
  });
}

/**
 * Runs step `step` now: brings a delayed one forward, or schedules it at once. A step that already ran
 * is left alone (its id is kept 7 days), so this never sends a step twice.
 */
export async function runEscalationNow(services: Pick<ActionDeps, 'queues' | 'log' | 'now'>, code: string, step: number): Promise<void> {
  const job = await queueFor(services, ESCALATION_QUEUE).getJob(escalationJobId(code, step));
  if (job) {
    if ((await job.getState()) === 'delayed') await job.promote().catch(() => undefined); // started meanwhile: fine
    return;
  }
  await scheduleEscalation(services, code, step, services.now());
}

/** Steps whose jobs or re-alerts may exist for a case: the chain's, and any rounds after it. */
async function stepsTried(services: Pick<ActionDeps, 'redis'>, code: string, chainSteps: number): Promise<number> {
  const reached = Number((await services.redis.get(stepKey(code))) ?? 0);
  return Math.min(MAX_STEPS, Math.max(chainSteps, reached + 1));
}

/**
 * Stops the case's escalation: removes every step not yet started, and the re-alerts queued in the
 * outbox and not yet sent. Called when the case is acknowledged (processors re-check all the same).
 */
export async function cancelEscalation(services: Pick<ActionDeps, 'queues' | 'log' | 'redis' | 'config' | 'roles' | 'cases' | 'outbox' | 'links'>, code: string): Promise<number> {
  const report = await services.cases.get(code);
  const commune = report ? communeOf(services, report.communeId) : undefined;
  const chain = commune && report ? chainFor(commune, report) : undefined;
  if (report && !chain) return 0; // P3: nothing escalates
  const steps = await stepsTried(services, code, chain ? escalationSteps(chain) : 10);
  let removed = 0;
  const queue = queueFor(services, ESCALATION_QUEUE);
  for (let n = 1; n <= steps; n++) if (await removeJob(queue, escalationJobId(code, n))) removed++;
  // Re-alerts already handed to the outbox but not sent: everyone who could have been re-alerted.
  if (report && commune) {
    const who = new Set(await alertedIdentities(services, code));
    for (const role of rolesForStep(report, chain, steps)) {
      for (const m of await services.roles.members(report.communeId, role)) {
        who.add(m.identity);
        for (const other of await services.links.othersOf(m.identity)) who.add(other);
      }
    }
    for (let n = 1; n <= steps; n++) {
      for (const identity of who) {
        if (await services.outbox.cancel(addressOfIdentity(identity), `${realertKey(code, n)}:${identity}`)) removed++;
      }
    }
  }
  return removed;
}

export const realertKey = (code: string, step: number): string => `alert:${code}:esc${step}`;

/** `alerts:step:<code>`: the last step that alerted (0: the first alert), kept 180 days. */
export const stepKey = (code: string): string => `alerts:step:${code}`;
