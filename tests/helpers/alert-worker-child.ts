/**
 * A worker process for tests/alerts.test.ts: runs the real alerts module against the test's Redis and
 * freezes in the middle of an alert job, right after the first alert was handed to the outbox, so the
 * test can kill it there (SIGKILL) and check that another worker finishes the job without doubling.
 * Prints READY once the worker listens and STUCK once it froze.
 * Env: REDIS_URL, DATA_KEY, CONFIG_FILE.
 */
import { createRuntime } from '../../src/app/runtime.js';
import { loadServiceConfig } from '../../src/config/communes.js';
import { loadEnv } from '../../src/config/env.js';
import { createAlertsModule } from '../../src/jobs/alerts/module.js';
import { silentLogger } from '../../src/logger.js';

const env = loadEnv({ CONFIG_FILE: process.env.CONFIG_FILE, LOG_LEVEL: 'silent' });
const runtime = await createRuntime({
  env,
  config: loadServiceConfig(env.CONFIG_FILE),
  redis: process.env.REDIS_URL ?? '',
  dataKey: process.env.DATA_KEY ?? '',
  log: silentLogger,
});
const outbox = runtime.services.outbox;
const enqueue = outbox.enqueue.bind(outbox);
let handedOver = 0;
outbox.enqueue = async (item) => {
  const result = await enqueue(item);
  handedOver++;
  if (handedOver === 1) {
    process.stdout.write('STUCK\n');
    await new Promise(() => undefined); // never returns: the job is half done when the process dies
  }
  return result;
};
// A short lock, so the job is free for another worker soon after this process is killed (the stalled
// check is shared by all workers of the queue: its interval must be short here too).
await createAlertsModule({ lockDurationMs: 1000, stalledIntervalMs: 300, sweepEveryMs: 0 }).start(runtime.services);
process.stdout.write('READY\n');
