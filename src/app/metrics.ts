/** Connects the domain metrics (src/actions/metrics.ts) to the hooks of a process's services. */
import { domainMetrics, purposeLabel, watchQueues } from '../actions/metrics.js';
import type { SentInfo } from '../jobs/outbox/processor.js';
import { queueFor } from '../actions/queues.js';
import { QUEUE_NAMES } from './queues.js';
import type { Services } from './services.js';

export function instrument(services: Services): { onSent: (info: SentInfo) => void } {
  const metrics = domainMetrics();
  services.outbox.onDeadLetter((dl) => void metrics.deadLetters.inc({ reason: dl.reason }));
  services.cases.onStatusChange(async ({ before, report }) => {
    if (before === 'new') metrics.ackSeconds.observe({ urgency: report.urgency }, Math.max(0, (services.now() - report.createdAt) / 1000));
  });
  watchQueues(() => QUEUE_NAMES.map((name) => queueFor(services, name)));
  return { onSent: (info) => metrics.sent.inc({ purpose: purposeLabel(info.key) }) };
}
