/**
 * The `alerts` queue's contract, and its producer: when a citizen confirms a report, the alert job is
 * queued here so that the right officers learn of it within seconds (src/jobs/alerts/ processes it).
 *
 * Three kinds of job (payload `alertJobSchema`):
 * - `report` {code}: id `alert-<code>`, so a second enqueue of the same report (the confirmation and the
 *   start-up sweep racing, a retried webhook) is a no-op. Processed by src/jobs/alerts/report-alert.ts.
 * - `digest` {communeId, slot}: one message per officer listing the P2 codes waiting; id
 *   `digest-<commune>-<slot>`. Scheduled and processed by src/jobs/alerts/digest.ts.
 * - `sweep`: periodic; queues alerts never queued and digests still due (src/jobs/alerts/sweep.ts).
 *
 * Job options: report alerts 12 attempts with exponential backoff from 1 s (about an hour in all),
 * completed kept 7 days (duplicate enqueues stay no-ops), failed kept 30 days and logged as errors;
 * digests 12 attempts, removed on completion (a later P2 can schedule the same slot again).
 */
import { domainMetrics } from './metrics.js';
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import type { ReportSummary } from '../store/reports.js';
import type { ActionDeps } from './deps.js';
import { queueFor } from './queues.js';

export const ALERTS_QUEUE = 'alerts';

const code = z.string().regex(/^TE-[0-9A-Z]{6}$/);
export const alertJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('report'), code }),
  z.object({ kind: z.literal('digest'), communeId: z.string().min(1), slot: z.number().int() }),
  z.object({ kind: z.literal('sweep') }),
]);
export type AlertJob = z.infer<typeof alertJobSchema>;

export const alertJobId = (reportCode: string): string => `alert-${reportCode}`;
export const digestJobId = (communeId: string, slot: number): string => `digest-${communeId}-${slot}`;

export const ALERT_JOB_OPTIONS: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 7 * 86400, count: 100_000 },
  removeOnFail: { age: 30 * 86400 },
};

export const DIGEST_JOB_OPTIONS: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: { age: 30 * 86400 },
};

/** Queues the alert of a saved report. Idempotent: the job id is derived from the code. */
export async function enqueueAlert(services: Pick<ActionDeps, 'queues' | 'log'>, reportCode: string): Promise<void> {
  const data: AlertJob = { kind: 'report', code: reportCode };
  await queueFor(services, ALERTS_QUEUE).add('report', data, { ...ALERT_JOB_OPTIONS, jobId: alertJobId(reportCode) });
}

/**
 * After a citizen confirmed a report: queue the alert, then mark it queued. If queueing fails the report
 * stays in the pending set and the sweep queues it (the citizen's confirmation is not undone).
 */
export async function reportConfirmed(services: Pick<ActionDeps, 'queues' | 'cases' | 'log'>, report: Pick<ReportSummary, 'code' | 'urgency'>): Promise<void> {
  try {
    await enqueueAlert(services, report.code);
    await services.cases.markAlertQueued(report.code);
    services.log.info({ code: report.code, urgency: report.urgency }, 'report confirmed, alert queued');
    domainMetrics().reports.inc({ urgency: report.urgency });
  } catch (err) {
    services.log.error({ code: report.code, err: (err as Error).message }, 'report confirmed, alert NOT queued yet: the sweep will queue it');
  }
}
