/**
 * The service's own Prometheus metrics (beside Node's process figures): reports by urgency, messages
 * delivered by purpose (alerts, escalations, reminders, status notices), time to acknowledge, dead
 * letters by reason, queue depths. Counted where things happen; served by src/http/metrics.ts.
 */
import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, collectDefaultMetrics } from 'prom-client';

export interface DomainMetrics {
  reports: Counter<'urgency'>;
  /** Proactive messages delivered, by purpose (alert, escalation, reminder, status notice, other). */
  sent: Counter<'purpose'>;
  ackSeconds: Histogram<'urgency'>;
  deadLetters: Counter<'reason'>;
}

let metrics: DomainMetrics | undefined;
/** The queues whose depths a scrape reads: those of the latest runtime of this process. */
let depthSource: (() => Queue[]) | undefined;

/** The process's metrics, registered once (several runtimes in one test process share them). */
export function domainMetrics(): DomainMetrics {
  if (metrics) return metrics;
  collectDefaultMetrics();
  new Gauge({
    name: 'treem_queue_jobs',
    help: 'Jobs in each background queue by state',
    labelNames: ['queue', 'state'] as const,
    async collect() {
      this.reset();
      for (const q of depthSource?.() ?? []) {
        const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed').catch(() => undefined);
        for (const [state, n] of Object.entries(counts ?? {})) this.set({ queue: q.name, state }, n);
      }
    },
  });
  metrics = {
    reports: new Counter({ name: 'treem_reports_total', help: 'Confirmed reports by urgency', labelNames: ['urgency'] as const }),
    sent: new Counter({ name: 'treem_messages_sent_total', help: 'Proactive messages delivered, by purpose', labelNames: ['purpose'] as const }),
    ackSeconds: new Histogram({
      name: 'treem_time_to_acknowledge_seconds',
      help: 'From receipt of a report to its acknowledgement',
      labelNames: ['urgency'] as const,
      buckets: [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 3 * 86400],
    }),
    deadLetters: new Counter({ name: 'treem_dead_letters_total', help: 'Messages that could not be delivered, by reason', labelNames: ['reason'] as const }),
  };
  return metrics;
}

export function watchQueues(source: () => Queue[]): void {
  depthSource = source;
}

/** The purpose label of an outbox key: escalation re-alerts are alerts with an `:esc<n>` step. */
export function purposeLabel(key: string): string {
  const purpose = key.slice(0, key.indexOf(':') === -1 ? undefined : key.indexOf(':'));
  if (purpose === 'alert') return /:esc\d+/.test(key) ? 'escalation' : 'alert';
  if (purpose === 'remind' || purpose === 'clock') return 'reminder';
  if (purpose === 'status') return 'status_notice';
  return 'other';
}
