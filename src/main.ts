/**
 * Entry point of the web process: reads configuration, makes sure a Redis is there, builds the runtime
 * and the HTTP server, starts the Telegram and Zalo Bot pollers (or registers their webhooks) if configured, and shuts everything down on a signal.
 */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { localRedisUrlFile } from './cli/connect.js';
import { resolveDataKey } from './app/data-key.js';
import { DEMO_USERS, seedDemoRoles } from './app/demo.js';
import { createRuntime } from './app/runtime.js';
import { loadServiceConfig } from './config/communes.js';
import { ConfigError, loadEnv, redisTarget, tryOutMode, withTryOutConsole } from './config/env.js';
import { describeTarget } from './store/connections.js';
import { KeyMismatchError } from './store/key-ring.js';
import { buildServer } from './http/server.js';
import { buildMetricsServer } from './http/metrics.js';
import { stopOnSignals } from './app/shutdown.js';
import { startWorkers, type RunningWorkers } from './app/workers.js';
import { createLogger } from './logger.js';
import { startRedisServer, RedisBinaryMissingError, type RedisServerHandle } from './store/redis-server.js';

async function main(): Promise<void> {
  const env = withTryOutConsole(loadEnv());
  const log = createLogger(env.LOG_LEVEL);
  const config = loadServiceConfig(env.CONFIG_FILE);
  const localMode = tryOutMode(env);
  const dataKey = resolveDataKey({ dataKey: env.DATA_KEY, dataDir: env.DATA_DIR, localMode });

  let ownRedis: RedisServerHandle | undefined;
  let redis = redisTarget(env);
  if (!redis) {
    // DATA_DIR holds the key file, the AOF and the password: owner-only, like everything in it.
    mkdirSync(env.DATA_DIR, { recursive: true, mode: 0o700 });
    chmodSync(env.DATA_DIR, 0o700);
    ownRedis = await startRedisServer(resolve(env.DATA_DIR, 'redis'), { ownProcessGroup: true, private: true });
    redis = { mode: 'single', url: ownRedis.url };
    // The command-line tools (invite, roles, export) find this Redis through the file (it holds the password).
    const urlFile = localRedisUrlFile(env.DATA_DIR);
    writeFileSync(urlFile, `${ownRedis.url}\n`, { mode: 0o600 });
    chmodSync(urlFile, 0o600);
    log.info({ port: ownRedis.port, dir: resolve(env.DATA_DIR, 'redis') }, 'started a private redis-server (AOF on, password in redis.url)');
  } else {
    log.info({ redis: describeTarget(redis) }, 'using redis');
  }

  // Host and port name this process in lock owners: after a restart its predecessor's locks are freed at once.
  const instance = env.INSTANCE_ID ?? (env.PORT ? `web:${hostname()}:${env.PORT}` : undefined);
  const runtime = await createRuntime({ env, config, redis, dataKey, dataKeyPrevious: env.DATA_KEY_PREVIOUS, log, instance });
  if (runtime.localMode) await seedDemoRoles(runtime.services);
  let workers: RunningWorkers | undefined;
  if (env.WORKERS === 'in-process') workers = await startWorkers(runtime);
  const app = buildServer({ env, runtime, demoUsers: DEMO_USERS });
  await app.listen({ host: env.HOST, port: env.PORT });
  const metricsApp = env.METRICS_PORT !== undefined ? buildMetricsServer(env.METRICS_TOKEN) : undefined;
  if (metricsApp) {
    await metricsApp.listen({ host: env.METRICS_HOST, port: env.METRICS_PORT });
    log.info({ host: env.METRICS_HOST, port: env.METRICS_PORT }, 'metrics listener started');
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;

  if (runtime.telegram) {
    const { bot } = runtime.telegram;
    if (env.TELEGRAM_MODE === 'webhook') {
      if (env.TELEGRAM_WEBHOOK_URL) {
        await bot.api.setWebhook(env.TELEGRAM_WEBHOOK_URL, { secret_token: env.TELEGRAM_WEBHOOK_SECRET });
        log.info({ url: env.TELEGRAM_WEBHOOK_URL }, 'telegram webhook set');
      }
    } else {
      await bot.api.deleteWebhook();
      void bot.start({ onStart: (me) => log.info({ bot: me.username }, 'telegram long polling started') });
    }
  }
  await runtime.zaloBot?.start();
  if (env.PUBLIC_URL) log.info(`Web console: ${env.PUBLIC_URL}/console/ (staff sign in by sending /web in chat).`);
  if (runtime.localMode) {
    log.info(`Local chat: open http://${env.HOST}:${port}/ in a browser (no platform token configured).`);
  }

  stopOnSignals({
    log,
    deadlineMs: env.SHUTDOWN_SECONDS * 1000,
    steps: [
      { name: 'stop taking updates', run: () => app.close() },
      { name: 'metrics listener', run: async () => metricsApp?.close() },
      { name: 'finish running jobs', run: async () => workers?.close() },
      { name: 'close connections', run: () => runtime.close() },
      // Last: everything above still needs it.
      { name: 'private redis-server', run: async () => ownRedis?.stop() },
    ],
    force: () => ownRedis?.signalStop(),
    done: () => {
      if (ownRedis) rmSync(localRedisUrlFile(env.DATA_DIR), { force: true });
    },
  });
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof RedisBinaryMissingError || err instanceof KeyMismatchError) {
    console.error(err.message);
  } else {
    console.error(err);
  }
  process.exit(1);
});
