import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
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
