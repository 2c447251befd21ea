/**
 * The alerts job module: one worker for the `alerts` queue (contract in src/actions/alert-queue.ts),
 * dispatching to the report alert, the P2 digest and the sweep. A digest that fails for good puts its
 * codes back; a report alert that fails for good is logged as an error.
 */
import { ALERTS_QUEUE, alertJobSchema } from '../../actions/alert-queue.js';
import { queueFor } from '../../actions/queues.js';
import type { JobModule } from '../job-module.js';
import { startModuleWorker, validated, type ModuleWorkerOptions } from '../module-worker.js';
import { digestBatchId, processDigest, restoreDigestBatch } from './digest.js';
import { processReportAlert } from './report-alert.js';
import { sweep, SWEEP_EVERY_MS } from './sweep.js';

export interface AlertsModuleOptions extends ModuleWorkerOptions {
  /** How often the sweep runs (default SWEEP_EVERY_MS); 0 turns the periodic sweep off (tests). */
  sweepEveryMs?: number;
}

export function createAlertsModule(opts: AlertsModuleOptions = {}): JobModule {
  return {
    name: ALERTS_QUEUE,
    async start(services) {
      const processor = validated(alertJobSchema, 'alert', async (data, job): Promise<unknown> => {
        if (data.kind === 'report') return processReportAlert(services, data.code);
        if (data.kind === 'digest') return processDigest(services, data.communeId, digestBatchId(job));
        return sweep(services);
      });
      const running = await startModuleWorker(services, ALERTS_QUEUE, processor, opts);
      running.worker.on('failed', (job, err) => {
        if (!job || (err.name !== 'UnrecoverableError' && job.attemptsMade < (job.opts.attempts ?? 1))) return; // will retry
        if (job.data.kind === 'report') {
          services.log.error({ code: job.data.code, err: err.message }, 'ALERT NOT SENT after all attempts: check the logs and the case');
        }
        if (job.data.kind === 'digest') {
          const { communeId } = job.data;
          restoreDigestBatch(services, communeId, digestBatchId(job)).catch((e: unknown) =>
            services.log.error({ communeId, err: (e as Error).message }, 'P2 digest failed and its codes could not be put back'),
          );
        }
      });
      // Reports saved while no process could queue their alert (a crash between save and enqueue).
      await sweep(services);
      const every = opts.sweepEveryMs ?? SWEEP_EVERY_MS;
      const queue = queueFor(services, ALERTS_QUEUE);
      if (every > 0) {
        await queue.upsertJobScheduler('alerts-sweep', { every }, { name: 'sweep', data: { kind: 'sweep' }, opts: { removeOnComplete: true, removeOnFail: true } });
      }
      return running;
    },
  };
}

export const alertsModule = createAlertsModule();
