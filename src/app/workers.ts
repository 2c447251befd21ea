/**
 * Starts the background work of this process: the outbox's workers and the job modules, in order
 * (alerts, escalation, legal clocks, referral follow-ups, reminders, and Zalo's inbound events when an OA is configured).
 * Runs inside the web process by default, or alone with `npm run worker`.
 */
import { alertsModule } from '../jobs/alerts/module.js';
import { clocksModule } from '../jobs/clocks.js';
import { escalationModule } from '../jobs/escalation.js';
import { followUpModule } from '../jobs/follow-up.js';
import type { Closable, JobModule } from '../jobs/job-module.js';
import { remindersModule } from '../jobs/reminders.js';
import type { Runtime } from './runtime.js';

/** The job modules this runtime runs, in start order; each is self-contained (payload schema, processor, options). */
export function jobModules(runtime: Pick<Runtime, 'zalo'>): JobModule[] {
  return [alertsModule, escalationModule, clocksModule, followUpModule, remindersModule, ...(runtime.zalo ? [runtime.zalo.inboundJob] : [])];
}

export type RunningWorkers = Closable;

export async function startWorkers(runtime: Pick<Runtime, 'services' | 'outboxWorkers' | 'zalo'>, modules: JobModule[] = jobModules(runtime)): Promise<RunningWorkers> {
  const { services } = runtime;
  await runtime.outboxWorkers.start();
  const running: Closable[] = [];
  for (const m of modules) {
    running.push(await m.start(services));
    services.log.info({ module: m.name }, 'worker started');
  }
  return {
    async close() {
      // Reverse order: producers (schedulers) stop before the outbox they feed.
      for (const r of running.reverse()) await r.close();
    },
  };
}
