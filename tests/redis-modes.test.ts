/**
 * The distributed-mode harness itself: a real 3-master Cluster and a real Sentinel set start, serve
 * keys, and (Sentinel) fail over when the master is killed. The service's own runs on them build on this.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startTestCluster, type TestCluster } from './helpers/redis-cluster.js';
import { startTestSentinel, type TestSentinel } from './helpers/redis-sentinel.js';

describe('Redis Cluster harness', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startTestCluster();
  }, 60_000);
  afterAll(async () => cluster?.stop());

  it('spreads keys over three masters that each own a third of the slots', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
    for (const k of keys) await cluster.client.set(k, k);
    const perNode = await Promise.all(cluster.client.nodes('master').map((n) => n.dbsize()));
    expect(perNode).toHaveLength(3);
    expect(perNode.every((n) => n > 0)).toBe(true);
    expect(perNode.reduce((a, b) => a + b, 0)).toBe(keys.length);
    expect(await cluster.client.get('k7')).toBe('k7');
  });
});

describe('Redis Sentinel harness', () => {
  let set: TestSentinel;
  beforeAll(async () => {
    set = await startTestSentinel();
  }, 60_000);
  afterAll(async () => set?.stop());

  it('promotes the replica when the master is killed, and a sentinel client follows it', async () => {
    const client = new Redis({ sentinels: set.sentinels, name: set.masterName, maxRetriesPerRequest: null });
    client.on('error', () => undefined);
    try {
      await client.set('before', '1');
      expect(await client.wait(1, 5000)).toBe(1); // the replica has it
      const old = await set.killMaster();
      const promoted = await set.waitForFailover(old);
      expect(promoted).not.toBe(old);
      expect(await client.get('before')).toBe('1');
      await client.set('after', '2');
      expect(await client.get('after')).toBe('2');
    } finally {
      client.disconnect();
    }
  }, 60_000);
});
