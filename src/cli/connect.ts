/**
 * Shared start-up of the command-line tools: configuration, and the Redis they work on (REDIS_URL, or
 * the private redis-server a running `npm start` left its address for).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { loadServiceConfig, type ServiceConfig } from '../config/communes.js';
import { ConfigError, loadEnv, redisTarget, type Env } from '../config/env.js';
import { createLogger } from '../logger.js';
import { openRedis } from '../store/connections.js';

export const LOCAL_REDIS_URL_FILE = 'redis.url';

export interface CliContext {
  env: Env;
  config: ServiceConfig;
  redis: Redis;
}

export function localRedisUrlFile(dataDir: string): string {
  return join(dataDir, LOCAL_REDIS_URL_FILE);
}

export async function connectCli(): Promise<CliContext> {
  const env = loadEnv();
  const config = loadServiceConfig(env.CONFIG_FILE);
  const file = localRedisUrlFile(env.DATA_DIR);
  const target = redisTarget(env) ?? (existsSync(file) ? { mode: 'single' as const, url: readFileSync(file, 'utf8').trim() } : undefined);
  if (!target) throw new ConfigError('No Redis to work on: set REDIS_URL (or REDIS_SENTINELS, REDIS_CLUSTER_NODES), or keep `npm start` running in another terminal.');
  // The same data connection as the service (in Cluster mode its keys carry the service's hash tag).
  const redis = openRedis(target, 'data', createLogger('warn'));
  await redis.ping();
  return { env, config, redis };
}

/** Runs a CLI main with readable errors and a proper exit code. */
export function runCli(main: () => Promise<number | void>): void {
  main()
    .then((code) => process.exit(code ?? 0))
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
