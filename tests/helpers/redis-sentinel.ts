/**
 * A real Redis Sentinel set for tests: one master and one replica (redis-server --replicaof), watched by
 * three sentinels (redis-server <conf> --sentinel, quorum 2, master down after 1 s), all on free
 * loopback ports. Ready once every sentinel knows the replica and the other two sentinels, so a
 * failover can happen. killMaster() ends the current master as a crash would; stop() ends everything.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, startRedisServer, type RedisServerHandle } from '../../src/store/redis-server.js';
import { until } from './wait.js';

export const SENTINEL_MASTER = 'treem';

export interface TestSentinel {
  sentinels: Array<{ host: string; port: number }>;
  masterName: string;
  /** The data servers, first the initial master. */
  servers: RedisServerHandle[];
  /** host:port of the master the sentinels name now. */
  masterAddress(): Promise<string>;
  /** SIGKILLs whichever server is master now; resolves with its address. */
  killMaster(): Promise<string>;
  /** Resolves once the sentinels name a master other than `old`. */
  waitForFailover(old: string, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestSentinel(): Promise<TestSentinel> {
  const dir = mkdtempSync(join(tmpdir(), 'treem-sentinel-'));
  const master = await startRedisServer(join(dir, 'master'));
  const replica = await startRedisServer(join(dir, 'replica'), { args: ['--replicaof', '127.0.0.1', String(master.port)] });
  const servers = [master, replica];
  const sentinelServers: RedisServerHandle[] = [];
  for (let i = 0; i < 3; i++) {
    const sdir = join(dir, `sentinel-${i}`);
    mkdirSync(sdir, { recursive: true });
    const conf = join(sdir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `sentinel monitor ${SENTINEL_MASTER} 127.0.0.1 ${master.port} 2`,
        `sentinel down-after-milliseconds ${SENTINEL_MASTER} 1000`,
        `sentinel failover-timeout ${SENTINEL_MASTER} 5000`,
        `sentinel parallel-syncs ${SENTINEL_MASTER} 1`,
        '',
      ].join('\n'),
    );
    sentinelServers.push(await startRedisServer(sdir, { port: await freePort(), configFile: conf, args: ['--sentinel'] }));
  }
  const admin = (port: number) => new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
  const ask = async <T>(port: number, ...args: string[]): Promise<T> => {
    const c = admin(port);
    c.on('error', () => undefined);
    try {
      await c.connect();
      return (await c.call('SENTINEL', ...args)) as T;
    } finally {
      c.disconnect();
    }
  };
  await until(
    async () => {
      const views = await Promise.all(
        sentinelServers.map(async (s) => ({
          replicas: await ask<unknown[]>(s.port, 'REPLICAS', SENTINEL_MASTER),
          sentinels: await ask<unknown[]>(s.port, 'SENTINELS', SENTINEL_MASTER),
        })),
      );
      return views.every((v) => v.replicas.length >= 1 && v.sentinels.length >= 2);
    },
    30_000,
    'the sentinels to know the replica and each other',
  );

  const masterAddress = async (): Promise<string> => {
    for (const s of sentinelServers) {
      try {
        const [host, port] = await ask<[string, string]>(s.port, 'GET-MASTER-ADDR-BY-NAME', SENTINEL_MASTER);
        return `${host}:${port}`;
      } catch {
        // ask the next sentinel
      }
    }
    throw new Error('no sentinel answered');
  };
  return {
    sentinels: sentinelServers.map((s) => ({ host: '127.0.0.1', port: s.port })),
    masterName: SENTINEL_MASTER,
    servers,
    masterAddress,
    async killMaster() {
      const address = await masterAddress();
      const server = servers.find((s) => address.endsWith(`:${s.port}`));
      if (!server) throw new Error(`master ${address} is not one of ours`);
      await server.kill();
      return address;
    },
    async waitForFailover(old, timeoutMs = 30_000) {
      let now = old;
      await until(async () => (now = await masterAddress()) !== old, timeoutMs, 'the sentinels to promote the replica');
      return now;
    },
    async stop() {
      await Promise.all([...sentinelServers, ...servers].map((s) => s.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
