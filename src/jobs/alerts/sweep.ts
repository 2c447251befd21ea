/**
 * The alerts queue's `sweep` job (every SWEEP_EVERY_MS, and once when the worker starts): queues the
 * alerts of reports saved whose alert was never queued (`cases.pendingAlerts()`: the process died
 * between saving and queueing), and schedules a digest for communes with P2 codes still waiting.
 * Open cases whose holder lost their role or all reach go back to the commune (src/actions/handback.ts).
 * Nobody is left unaware.
 */
import { enqueueAlert } from '../../actions/alert-queue.js';
import { sweepHeldCases } from '../../actions/handback.js';
import type { JobDeps } from '../job-module.js';
import { hasWaitingCodes, scheduleDigest } from './digest.js';

/** How often the sweep looks for reports whose alert was never queued and for waiting P2 codes. */
export const SWEEP_EVERY_MS = 60_000;

/** Queues the alerts of reports saved but never queued. Returns how many were found. */
export async function sweepPendingAlerts(services: Pick<JobDeps, 'queues' | 'cases' | 'log'>): Promise<number> {
  const pending = await services.cases.pendingAlerts();
  for (const c of pending) {
    await enqueueAlert(services, c);
    await services.cases.markAlertQueued(c);
  }
  if (pending.length) services.log.warn({ count: pending.length }, 'alerts: queued alerts of reports saved without one');
  return pending.length;
}

/** The periodic sweep: pending alerts, digests for communes with P2 codes waiting, cases whose holder is gone. */
export async function sweep(services: JobDeps, now = services.now()): Promise<void> {
  await sweepPendingAlerts(services);
  await sweepHeldCases(services);
  for (const commune of services.config.communes) {
    if (await hasWaitingCodes(services, commune.id)) await scheduleDigest(services, commune, now);
  }
}
