/**
 * Issue 15's side-by-side figure: the service as it runs in production (compiled, `node dist/main.js`,
 * Telegram webhook mode, its own redis-server) against a bare grammY echo bot (bench/support/echo-bot.ts),
 * both in their own processes, both answering the same fake Bot API (its own process), both driven by
 * the same load generator (bench/support/webhook-load.ts, in a thread of this process).
 *
 * - closed loop: BENCH_USERS users (default 200) walk the report conversation as fast as they are
 *   answered (the bare bot echoes each text): updates/s at saturation, p50/p99.
 * - open loop: fixed arrival rates (BENCH_RATES, default 100…4000/s, BENCH_OPEN_SECONDS each): the
 *   highest rate whose p99 stays at or under 100 ms, for each side (the list goes on until both failed:
 *   at 2,000/s the bare bot had not, so its knee was only a lower bound).
 * Each measurement alternates the two sides A, B, A, B… BENCH_ROUNDS times (default 3) so a machine
 * that gets busier or quieter affects both alike; the summary takes the median over rounds.
 * Per update: CPU of the server process (user + system, /proc/<pid>/stat), its read/write system calls
 * (/proc/<pid>/io) and main-thread sleeps (voluntary context switches), Redis commands (INFO
 * commandstats delta) and Redis CPU (INFO cpu delta). The counts do not change with the machine's load,
 * CPU time does; on a VM whose system calls are dear they are much of it. The web process runs without job workers
 * (WORKERS=off, as in the deployment the README describes: workers apart); BENCH_SERVICE_WORKERS=in-process
 * puts them back. BENCH_SKIP_BUILD=1 uses dist/ as it is. BENCH_BASELINE_DIST=<folder> (a copy of a
 * previous build's dist/, with config/, models/, node_modules/ and package.json beside it as in the
 * repository) runs that build in the bare bot's place: an A/B of two builds under the same generator,
 * alternated, for CPU per update on a shared machine. It gets the same node flags as the service unless
 * BENCH_BASELINE_NODE_FLAGS (space-separated) gives its own. With a baseline, BENCH_TOGETHER=1 runs each
 * closed-loop round against both builds at once (the same users and conversation, one generator each)
 * instead of one after the other: both see the same moment of a shared machine, whose load moves CPU per
 * update by ±30 % between alternated rounds (two copies of one build measured so differed by 0.5 % in
 * their means, at most 7 % in a round); the replies and Redis columns are then not counted (both
 * sides share the fake API and the Redis).
 * On a shared machine these figures are noisy: the generator, the fake API, the server and Redis
 * share the cores. The ratio service/bare is the figure to read.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startRedisServer } from '../src/store/redis-server.js';
import { generateDataKey } from '../src/store/crypto.js';
import { buildService, runProcess, startCompiledService, type CompiledService } from './support/processes.js';
import { HEADER, f1, f2, measure, median, row, type Measure, type Target } from './support/webhook-measure.js';

// The service refuses a webhook secret that is short or not random (src/config/env.ts).
const SECRET = randomBytes(32).toString('hex');
const P99_LIMIT_MS = 100;

export default async function run(): Promise<Record<string, number | string>> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const users = Number(process.env.BENCH_USERS ?? 200);
  const openSeconds = Number(process.env.BENCH_OPEN_SECONDS ?? 4);
  const rates = (process.env.BENCH_RATES ?? '100,200,300,400,500,600,800,1000,1200,1500,2000,2500,3000,3500,4000').split(',').map(Number);

  buildService();
  const dir = mkdtempSync(join(tmpdir(), 'treem-bench-compare-'));
  const redisServer = await startRedisServer(join(dir, 'redis'));
  const redis = new Redis(redisServer.url);
  const fake = runProcess(new URL('./support/fake-telegram-thread.ts', import.meta.url));
  const apiRoot = (await fake.ready) as string;
  const bare = runProcess(new URL('./support/echo-bot.ts', import.meta.url), { ECHO_API_ROOT: apiRoot, ECHO_SECRET: SECRET });
  let service: CompiledService | undefined;
  let baseline: CompiledService | undefined;
  const targets: Target[] = [];
  try {
    // One data key: a baseline build shares the Redis (and refuses data sealed under another key).
    const dataKey = generateDataKey();
    service = await startCompiledService({ apiRoot, redisUrl: redisServer.url, dataDir: join(dir, 'data'), secret: SECRET, workers: process.env.BENCH_SERVICE_WORKERS, dataKey });
    const barePort = (await bare.ready) as number;
    const baselineDist = process.env.BENCH_BASELINE_DIST;
    if (baselineDist) {
      const nodeFlags = process.env.BENCH_BASELINE_NODE_FLAGS?.split(' ').filter(Boolean);
      baseline = await startCompiledService({ apiRoot, redisUrl: redisServer.url, dataDir: join(dir, 'data-baseline'), secret: SECRET, workers: process.env.BENCH_SERVICE_WORKERS, dataKey, dist: baselineDist, nodeFlags });
    }
    targets.push(
      { name: 'service', procs: [service.proc], urls: [service.webhookUrl], redis },
      baseline ? { name: 'bare', procs: [baseline.proc], urls: [baseline.webhookUrl], redis } : { name: 'bare', procs: [bare], urls: [`http://127.0.0.1:${barePort}/telegram/webhook`] },
    );
    if (baseline) console.log(`"bare" below is the build in ${baselineDist}`);

    // Warm-up (JIT, connection pools, Redis scripts), not counted.
    for (const t of targets) await measure(t, fake, SECRET, { mode: 'closed', users: 50, reportsPerUser: 2 });

    console.log(`\nclosed loop: ${users} users, each walking 2 report conversations (13 updates each)`);
    console.log(HEADER);
    const closed: Record<string, Measure[]> = { service: [], bare: [] };
    const together = Boolean(baseline) && process.env.BENCH_TOGETHER === '1';
    const closedRound = (t: Target): Promise<Measure> => measure(t, together ? undefined : fake, SECRET, { mode: 'closed', users, reportsPerUser: 2 });
    for (let r = 1; r <= rounds; r++) {
      const ms = together ? await Promise.all(targets.map(closedRound)) : [];
      for (const [i, t] of targets.entries()) {
        const m = ms[i] ?? (await closedRound(t));
        closed[t.name]!.push(m);
        console.log(row(`${t.name} #${r}`, m));
      }
    }

    console.log(`\nopen loop: fixed arrival rates, ${openSeconds} s each; a side stops once its median p99 passes ${P99_LIMIT_MS} ms`);
    console.log(HEADER);
    const knee: Record<string, { passed: number; failed: number | null }> = { service: { passed: 0, failed: null }, bare: { passed: 0, failed: null } };
    const openAt: Record<string, Map<number, Measure[]>> = { service: new Map(), bare: new Map() };
    for (const rate of rates) {
      const active = targets.filter((t) => knee[t.name]!.failed === null);
      if (!active.length) break;
      for (let r = 1; r <= rounds; r++) {
        for (const t of active) {
          const m = await measure(t, fake, SECRET, { mode: 'open', users: Math.max(100, rate), rate, seconds: openSeconds });
          const list = openAt[t.name]!.get(rate) ?? [];
          list.push(m);
          openAt[t.name]!.set(rate, list);
          console.log(row(`${t.name} ${rate}/s #${r}`, m));
        }
      }
      for (const t of active) {
        const p99 = median(openAt[t.name]!.get(rate)!.map((m) => m.p99));
        if (p99 <= P99_LIMIT_MS) knee[t.name]!.passed = rate;
        else knee[t.name]!.failed = rate;
      }
    }

    const med = (name: string, pick: (m: Measure) => number): number => median(closed[name]!.map(pick));
    const ratio = (pick: (m: Measure) => number): string => f2(med('service', pick) / med('bare', pick));
    const kneeText = (name: string): string => `${knee[name]!.passed}/s${knee[name]!.failed !== null ? ` (p99 > ${P99_LIMIT_MS} ms at ${knee[name]!.failed}/s)` : ' (never passed in the rates tried)'}`;
    return {
      'rounds (A, B alternated)': rounds,
      'closed loop: service updates/s (median)': f1(med('service', (m) => m.perSecond)),
      'closed loop: bare grammY updates/s (median)': f1(med('bare', (m) => m.perSecond)),
      'closed loop: ratio service/bare (goal ≥ 0.8)': ratio((m) => m.perSecond),
      'closed loop: service p50 / p99 ms': `${f1(med('service', (m) => m.p50))} / ${f1(med('service', (m) => m.p99))}`,
      'closed loop: bare p50 / p99 ms': `${f1(med('bare', (m) => m.p50))} / ${f1(med('bare', (m) => m.p99))}`,
      'CPU ms per update: service / bare': `${f2(med('service', (m) => m.cpuMsPerUpdate))} / ${f2(med('bare', (m) => m.cpuMsPerUpdate))}`,
      'closed-loop rounds where the service used less CPU per update': `${closed.service!.filter((m, i) => m.cpuMsPerUpdate < closed.bare![i]!.cpuMsPerUpdate).length} of ${rounds}${together ? ' (both at once)' : ''}`,
      'read/write system calls per update: service / bare': `${f1(med('service', (m) => m.syscallsPerUpdate))} / ${f1(med('bare', (m) => m.syscallsPerUpdate))}`,
      'main-thread sleeps per update: service / bare': `${f2(med('service', (m) => m.sleepsPerUpdate))} / ${f2(med('bare', (m) => m.sleepsPerUpdate))}`,
      'service Redis commands per update': f2(med('service', (m) => m.redisCommandsPerUpdate)),
      'service Redis CPU ms per update': f2(med('service', (m) => m.redisCpuMsPerUpdate)),
      'open loop: service, highest rate with p99 ≤ 100 ms': kneeText('service'),
      'open loop: bare, highest rate with p99 ≤ 100 ms': kneeText('bare'),
      'open loop: ratio service/bare (goal ≥ 0.8)': f2(knee.service!.passed / (knee.bare!.passed || NaN)),
      'failed updates (all runs)': [...closed.service!, ...closed.bare!].reduce((a, m) => a + m.failures, 0),
    };
  } finally {
    await Promise.all([service?.proc.stop(), baseline?.proc.stop(), bare.stop()]);
    await fake.ask('stop', 'result').catch(() => undefined);
    await fake.stop();
    redis.disconnect();
    await redisServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
