/**
 * The `follow-ups` queue's contract and producer: a referred case is followed until it is closed. At the
 * referral's follow-up date the holder is reminded to ask the agency and close the case with its outcome
 * (src/jobs/follow-up.ts), and again every `referral.followUpWorkingDays` working days while it stays
 * referred.
 *
 * Job id `fu-<code>-<referredAt>-<n>`: one series per referral (a reopened and referred-again case starts
 * a new one), each reminder once. The processor re-checks that the case is still in that referral.
 * Job options: attempts 8, exponential backoff from 2 s; completed and failed kept 30 days.
 */
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import type { ActionDeps } from './deps.js';
import { delayUntil, queueFor } from './queues.js';

export const FOLLOW_UP_QUEUE = 'follow-ups';

export const followUpJobSchema = z.object({
  code: z.string().regex(/^TE-[0-9A-Z]{6}$/),
  /** The referral this reminder belongs to (the case's referredAt when it was referred). */
  referredAt: z.number().int(),
  n: z.number().int().min(1).max(50),
});
export type FollowUpJob = z.infer<typeof followUpJobSchema>;

export const followUpJobId = (j: FollowUpJob): string => `fu-${j.code}-${j.referredAt}-${j.n}`;

export const FOLLOW_UP_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 30 * 86400, count: 100_000 },
  removeOnFail: { age: 30 * 86400 },
};

/** Schedules reminder `n` of a referral at `runAt` (services clock). Idempotent. */
export async function scheduleFollowUp(services: Pick<ActionDeps, 'queues' | 'log' | 'now'>, job: FollowUpJob, runAt: number): Promise<void> {
  await queueFor(services, FOLLOW_UP_QUEUE).add('follow-up', job, { ...FOLLOW_UP_JOB_OPTIONS, jobId: followUpJobId(job), delay: delayUntil(services, runAt) });
}
