/**
 * Issue 15's memory figure: the resident set of the compiled web process (`node dist/main.js`, webhook
 * mode, workers apart) with BENCH_DRAFTS open report drafts (default 10,000): that many citizens each
 * start a report and answer two questions, then stop. Drafts live in Redis; what the process holds per
 * person (caches, locks, timers) shows here. Target: < 150 MB.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startRedisServer } from '../src/store/redis-server.js';
import { buildService, rssMb, runProcess, startCompiledService, type CompiledService } from './support/processes.js';
import { runThread } from './support/threads.js';
import type { LoadJob, LoadResult } from './support/webhook-load.js';

// The service refuses a webhook secret that is short or not random (src/config/env.ts).
const SECRET = randomBytes(32).toString('hex');
const METRICS_TOKEN = randomBytes(24).toString('hex');

export default async function run(): Promise<Record<string, number | string>> {
  const drafts = Number(process.env.BENCH_DRAFTS ?? 10_000);
  buildService();
  const dir = mkdtempSync(join(tmpdir(), 'treem-bench-memory-'));
  const redisServer = await startRedisServer(join(dir, 'redis'));
  const redis = new Redis(redisServer.url);
  const fake = runProcess(new URL('./support/fake-telegram-thread.ts', import.meta.url));
  let service: CompiledService | undefined;
  try {
    const apiRoot = (await fake.ready) as string;
    service = await startCompiledService({ apiRoot, redisUrl: redisServer.url, dataDir: join(dir, 'data'), secret: SECRET, metricsToken: METRICS_TOKEN });
    const pid = service.proc.child.pid as number;
    await new Promise((r) => setTimeout(r, 1000));
    const idle = rssMb(pid);
    const idleHeap = await heapFigures(service.port);
    const t0 = Date.now();
    const load = runThread<LoadResult>(new URL('./support/webhook-load.ts', import.meta.url), {
      url: service.webhookUrl,
      secret: SECRET,
      users: drafts,
      mode: 'closed',
      reportsPerUser: 1,
      steps: 3, // /baocao, the category, the village: a draft with answers in it
    } satisfies LoadJob);
    const { latencies, failures } = await load.result;
    const loaded = rssMb(pid);
    await new Promise((r) => setTimeout(r, 5000));
    const settled = rssMb(pid);
    const sessions = (await redis.keys('session:*')).length;
    const loadedHeap = await heapFigures(service.port);
    const redisMemory = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? NaN) / 1024 / 1024;
    return {
      'open drafts (citizens mid-report)': drafts,
      'updates sent': latencies.length,
      'failed updates': failures,
      'load seconds': Number(((Date.now() - t0) / 1000).toFixed(1)),
      'draft sessions in Redis': sessions,
      'RSS idle after start (MB)': Number(idle.toFixed(1)),
      'RSS right after the drafts (MB)': Number(loaded.toFixed(1)),
      'RSS 5 s later (MB)': Number(settled.toFixed(1)),
      'RSS peak (VmHWM, MB)': Number(rssMb(pid, 'VmHWM').toFixed(1)),
      'V8 heap used / reserved, idle (MB)': `${idleHeap.used} / ${idleHeap.total}`,
      'V8 heap used / reserved, 5 s after the drafts (MB)': `${loadedHeap.used} / ${loadedHeap.total}`,
      'off-heap (external) memory idle / after (MB)': `${idleHeap.external} / ${loadedHeap.external}`,
      'Redis used_memory (MB)': Number(redisMemory.toFixed(1)),
      target: 'RSS < 150 MB',
    };
  } finally {
    await service?.proc.stop();
    await fake.ask('stop', 'result').catch(() => undefined);
    await fake.stop();
    redis.disconnect();
    await redisServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The process's own account (prom-client's default metrics): V8 heap in use and reserved, off-heap buffers, in MB. */
async function heapFigures(port: number): Promise<{ used: string; total: string; external: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
  const metrics = await res.text();
  const mb = (name: string): string => {
    const value = new RegExp(`^${name} (\\S+)`, 'm').exec(metrics)?.[1];
    if (value === undefined) throw new Error(`/metrics has no ${name}`);
    return (Number(value) / 1024 / 1024).toFixed(1);
  };
  return { used: mb('nodejs_heap_size_used_bytes'), total: mb('nodejs_heap_size_total_bytes'), external: mb('nodejs_external_memory_bytes') };
}
