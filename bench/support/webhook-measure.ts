/**
 * One measured run of the webhook load generator against a server (one process or several behind a
 * "load balancer"), as the side-by-side benchmarks take it: updates/s, p50/p99, the CPU its processes
 * used, the Redis commands and Redis CPU it cost, each per update; and the table those benchmarks print.
 */
import type { Redis } from 'ioredis';
import { cpuSeconds, syscallCounts, type BenchProcess } from './processes.js';
import { percentile, runThread } from './threads.js';
import type { LoadJob, LoadResult } from './webhook-load.js';

export interface Target {
  name: string;
  /** Every process whose CPU counts for this side (web processes, workers). */
  procs: BenchProcess[];
  /** Webhook URLs; users are spread over them. */
  urls: string[];
  redis?: Redis;
}

export interface Measure {
  updates: number;
  failures: number;
  replies: number;
  perSecond: number;
  p50: number;
  p99: number;
  cpuMsPerUpdate: number;
  /** Socket reads and writes (read/write-family system calls) and main-thread sleeps of the server processes. */
  syscallsPerUpdate: number;
  sleepsPerUpdate: number;
  redisCommandsPerUpdate: number;
  redisCpuMsPerUpdate: number;
}

// Runs against one server must not reuse user or update ids (deduplication would answer them as seen).
let nextUser = 1_000_000;
let nextUpdate = 1;

async function redisCounters(redis: Redis | undefined): Promise<{ calls: number; cpu: number }> {
  if (!redis) return { calls: 0, cpu: 0 };
  const [stats, cpu] = await Promise.all([redis.info('commandstats'), redis.info('cpu')]);
  let calls = 0;
  for (const m of stats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (m[1] !== 'info') calls += Number(m[2]);
  const num = (name: string): number => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(cpu)?.[1] ?? 0);
  return { calls, cpu: num('used_cpu_user') + num('used_cpu_sys') };
}

const cpuOf = (t: Target): number => t.procs.reduce((sum, p) => sum + cpuSeconds(p.child.pid as number), 0);
const callsOf = (t: Target): { syscalls: number; sleeps: number } =>
  t.procs.reduce((sum, p) => {
    const c = syscallCounts(p.child.pid as number);
    return { syscalls: sum.syscalls + c.syscalls, sleeps: sum.sleeps + c.sleeps };
  }, { syscalls: 0, sleeps: 0 });

/**
 * `fake` is the fake Bot API process: it counts the replies it received (`drain`). Without it, another
 * run goes on at the same time against the same fake and Redis, whose counts are of both: `replies` and
 * the Redis figures are NaN.
 */
export async function measure(target: Target, fake: BenchProcess | undefined, secret: string, job: Omit<LoadJob, 'url' | 'secret'>): Promise<Measure> {
  const firstUserId = nextUser;
  const firstUpdateId = nextUpdate;
  nextUser += job.users;
  nextUpdate += 10_000_000;
  await fake?.ask<number>('drain', 'count');
  const cpu0 = cpuOf(target);
  const calls0 = callsOf(target);
  const redis = fake ? target.redis : undefined;
  const r0 = await redisCounters(redis);
  const [url, ...alsoUrls] = target.urls as [string, ...string[]];
  const load = runThread<LoadResult>(new URL('./webhook-load.ts', import.meta.url), { ...job, url, alsoUrls, secret, firstUserId, firstUpdateId } satisfies LoadJob);
  const { latencies, seconds, failures } = await load.result;
  const cpu1 = cpuOf(target);
  const calls1 = callsOf(target);
  const r1 = await redisCounters(redis);
  // Replies may still be on their way to the fake API for a moment after the last answer.
  await new Promise((r) => setTimeout(r, 200));
  const replies = fake ? await fake.ask<number>('drain', 'count') : NaN;
  latencies.sort((a, b) => a - b);
  const n = latencies.length || 1;
  return {
    updates: latencies.length,
    failures,
    replies,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuMsPerUpdate: ((cpu1 - cpu0) * 1000) / n,
    syscallsPerUpdate: (calls1.syscalls - calls0.syscalls) / n,
    sleepsPerUpdate: (calls1.sleeps - calls0.sleeps) / n,
    redisCommandsPerUpdate: fake ? (r1.calls - r0.calls) / n : NaN,
    redisCpuMsPerUpdate: fake ? ((r1.cpu - r0.cpu) * 1000) / n : NaN,
  };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)] as number) : NaN;
};
export const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '–');
export const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '–');

export function row(label: string, m: Measure): string {
  return [label.padEnd(22), f1(m.perSecond).padStart(8), f1(m.p50).padStart(8), f1(m.p99).padStart(8), f2(m.cpuMsPerUpdate).padStart(8), f1(m.syscallsPerUpdate).padStart(8), f1(m.sleepsPerUpdate).padStart(7), f2(m.redisCommandsPerUpdate).padStart(9), f2(m.redisCpuMsPerUpdate).padStart(9), String(m.failures).padStart(6), (Number.isNaN(m.replies) ? '–' : String(m.replies)).padStart(7)].join(' ');
}
export const HEADER = `${'run'.padEnd(22)} ${'upd/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'CPU ms'.padStart(8)} ${'syscalls'.padStart(8)} ${'sleeps'.padStart(7)} ${'redis cmd'.padStart(9)} ${'redis ms'.padStart(9)} ${'failed'.padStart(6)} ${'replies'.padStart(7)}   (per update)`;
