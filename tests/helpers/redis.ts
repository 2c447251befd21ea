import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startRedisServer, type RedisServerHandle } from '../../src/store/redis-server.js';

export interface TestRedis extends RedisServerHandle {
  client: Redis;
  dir: string;
}

/** A real redis-server on a free port in a temporary folder, removed by stop(). */
export async function startTestRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'treem-redis-'));
  const server = await startRedisServer(dir);
  const client = new Redis(server.url, { maxRetriesPerRequest: null });
  return {
    ...server,
    client,
    dir,
    stop: async () => {
      client.disconnect();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The file's redis-server: started before its tests, stopped after them, and with `flushEach` emptied
 * before each test. The object is filled in when the server has started.
 */
export function useTestRedis(opts: { flushEach?: boolean } = {}): TestRedis {
  const redis = {} as TestRedis;
  beforeAll(async () => {
    Object.assign(redis, await startTestRedis());
  });
  afterAll(async () => {
    await redis.stop?.();
  });
  if (opts.flushEach) beforeEach(async () => void (await redis.client.flushall()));
  return redis;
}
