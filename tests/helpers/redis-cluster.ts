/**
 * A real Redis Cluster for tests: three masters (redis-server --cluster-enabled yes) on free loopback
 * ports, slots split evenly with CLUSTER ADDSLOTSRANGE, joined with CLUSTER MEET (no redis-cli needed),
 * ready once every node sees the whole cluster and state ok. stop() ends the nodes and removes their folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { startRedisServer, type RedisServerHandle } from '../../src/store/redis-server.js';
import { until } from './wait.js';

const SLOTS = 16384;

export interface TestCluster {
  nodes: Array<{ host: string; port: number }>;
  servers: RedisServerHandle[];
  /** A cluster client for the test's own reads and checks (closed by stop()). */
  client: Cluster;
  stop(): Promise<void>;
}

export async function startTestCluster(masters = 3): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'treem-cluster-'));
  const servers = await Promise.all(
    Array.from({ length: masters }, (_, i) =>
      startRedisServer(join(dir, `node-${i}`), { args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000'] }),
    ),
  );
  const admins = servers.map((s) => new Redis(s.url, { maxRetriesPerRequest: 1 }));
  try {
    await Promise.all(
      admins.map((a, i) => a.call('CLUSTER', 'ADDSLOTSRANGE', String(Math.floor((i * SLOTS) / masters)), String(Math.floor(((i + 1) * SLOTS) / masters) - 1))),
    );
    for (const s of servers.slice(1)) await admins[0]!.call('CLUSTER', 'MEET', '127.0.0.1', String(s.port));
    await until(
      async () => {
        const infos = await Promise.all(admins.map((a) => a.call('CLUSTER', 'INFO') as Promise<string>));
        return infos.every((info) => info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${masters}`));
      },
      20_000,
      'the cluster to form',
    );
  } finally {
    for (const a of admins) a.disconnect();
  }
  const nodes = servers.map((s) => ({ host: '127.0.0.1', port: s.port }));
  const client = new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: null } });
  return {
    nodes,
    servers,
    client,
    async stop() {
      client.disconnect();
      await Promise.all(servers.map((s) => s.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
