/**
 * Shared start-up of the command-line tools: configuration, the Redis they work on (REDIS_URL, or
 * the private redis-server a running `npm start` left its address for), and the audit log their
 * actions go into (it needs DATA_KEY, as the service does: the chain's key comes from it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { dataKeyFile } from '../app/data-key.js';
import { loadServiceConfig, type ServiceConfig } from '../config/communes.js';
import { ConfigError, loadEnv, redisTarget, type Env } from '../config/env.js';
import { createLogger } from '../logger.js';
import { AuditLog } from '../store/audit.js';
import { openRedis } from '../store/connections.js';
import type { DataCipher } from '../store/crypto.js';
import { openKeyRing } from '../store/key-ring.js';

export const LOCAL_REDIS_URL_FILE = 'redis.url';

export interface CliContext {
  env: Env;
  config: ServiceConfig;
  redis: Redis;
  cipher: DataCipher;
  audit: AuditLog;
  /** Who the audit log names for this tool's actions: `cli:<login name>`. */
  actor: string;
}

export function localRedisUrlFile(dataDir: string): string {
  return join(dataDir, LOCAL_REDIS_URL_FILE);
}

/** DATA_KEY, or the try-out mode's key file; a tool never makes a key up (it would not match the data). */
function cliDataKey(env: Env): string {
  if (env.DATA_KEY) return env.DATA_KEY;
  const file = dataKeyFile(env.DATA_DIR);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  throw new ConfigError(`DATA_KEY is needed: the audit log records what this tool does, under a key that comes from it (or run it beside \`npm start\`, which keeps ${file}).`);
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
  // The ring checks the key and holds the index key the chain and the blinded names use (docs/keys.md).
  const cipher = await openKeyRing(redis, { current: cliDataKey(env), previous: env.DATA_KEY_PREVIOUS });
  return { env, config, redis, cipher, audit: new AuditLog(redis, cipher), actor: `cli:${userInfo().username}` };
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
