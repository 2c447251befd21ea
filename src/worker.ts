/**
 * Entry point of a worker-only process (`npm run worker`): the outbox and every job module, no HTTP.
 * Several can run beside the web processes; BullMQ shares the work and the job ids keep it single.
 */
import { resolveDataKey } from './app/data-key.js';
import { createRuntime } from './app/runtime.js';
import { loadServiceConfig } from './config/communes.js';
import { ConfigError, loadEnv, redisTarget, tryOutMode } from './config/env.js';
import { stopOnSignals } from './app/shutdown.js';
import { startWorkers } from './app/workers.js';
import { createLogger } from './logger.js';
import { KeyMismatchError } from './store/key-ring.js';

async function main(): Promise<void> {
  const env = loadEnv();
  const log = createLogger(env.LOG_LEVEL);
  const redis = redisTarget(env);
  if (!redis) throw new ConfigError('Invalid environment:\n  REDIS_URL (or REDIS_SENTINELS, REDIS_CLUSTER_NODES): is required for a separate worker process (it must share the web process\'s Redis)');
  const config = loadServiceConfig(env.CONFIG_FILE);
  const localMode = tryOutMode(env);
  const dataKey = resolveDataKey({ dataKey: env.DATA_KEY, dataDir: env.DATA_DIR, localMode });
  const runtime = await createRuntime({ env, config, redis, dataKey, dataKeyPrevious: env.DATA_KEY_PREVIOUS, log });
  const workers = await startWorkers(runtime);
  log.info('worker process started');

  stopOnSignals({
    log,
    deadlineMs: env.SHUTDOWN_SECONDS * 1000,
    steps: [
      { name: 'finish running jobs', run: () => workers.close() },
      { name: 'close connections', run: () => runtime.close() },
    ],
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError || err instanceof KeyMismatchError ? err.message : err);
  process.exit(1);
});
