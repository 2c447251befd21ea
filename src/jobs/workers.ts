/**
 * Starts every background worker of this process: the outbox and the job modules (alerts, escalation,
 * legal clocks, reminders). Runs inside the web process by default, or alone with `npm run worker`.
 */
import type { Services } from '../handlers/context.js';
import { alertsModule } from './alerts.js';
import { clocksModule } from './clocks.js';
import { escalationModule } from './escalation.js';
import { remindersModule } from './reminders.js';
import { zaloInboundJob } from './zalo-inbound.js';

/** A job module: a queue with its processor (and schedulers), started and stopped with the process. */
export interface JobModule {
  name: string;
  start(services: Services): Promise<{ close(): Promise<void> }>;
}

/** Job modules in start order; each is self-contained (payload schema, processor, options). */
export const JOB_MODULES: JobModule[] = [alertsModule, escalationModule, clocksModule, remindersModule, zaloInboundJob];

export interface RunningWorkers {
  close(): Promise<void>;
}

export async function startWorkers(services: Services, modules: JobModule[] = JOB_MODULES): Promise<RunningWorkers> {
  await services.outbox.startWorkers();
  const running: Array<{ close(): Promise<void> }> = [];
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
