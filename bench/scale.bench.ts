/**
 * Issue 15's scale-out figure: the compiled service as one process (web + job workers, WORKERS=in-process)
 * against the README's province set-up in miniature: two web processes (WORKERS=off) behind a "load
 * balancer" (the generator spreads users over them) and one `node dist/worker.js`, all on one
 * redis-server and one fake Bot API (its own process). The same closed-loop generator (BENCH_USERS users,
 * default 200, walking the report conversation) drives each side in turn, A, B, A, B… BENCH_ROUNDS times
 * (default 3); the summary takes the median. CPU per update counts every process of the side.
 * On the 2-core development machine the generator, the fake API and Redis share the cores with the
 * service, so this shows whether splitting costs anything, not how far it scales with more cores.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { generateDataKey } from '../src/store/crypto.js';
import { startRedisServer } from '../src/store/redis-server.js';
import { buildService, runProcess, startCompiledService, startCompiledWorker, type BenchProcess, type ServiceOptions } from './support/processes.js';
import { HEADER, f1, f2, measure, median, row, type Measure, type Target } from './support/webhook-measure.js';

const SECRET = randomBytes(32).toString('hex');

export default async function run(): Promise<Record<string, number | string>> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const users = Number(process.env.BENCH_USERS ?? 200);

  buildService();
  const dir = mkdtempSync(join(tmpdir(), 'treem-bench-scale-'));
  const redisServer = await startRedisServer(join(dir, 'redis'));
  const redis = new Redis(redisServer.url);
  const fake = runProcess(new URL('./support/fake-telegram-thread.ts', import.meta.url));
  const procs: BenchProcess[] = [];
  try {
    const opts: ServiceOptions = { apiRoot: (await fake.ready) as string, redisUrl: redisServer.url, dataDir: join(dir, 'data'), secret: SECRET, dataKey: generateDataKey() };
    const one = await startCompiledService({ ...opts, workers: 'in-process' });
    const webs = [await startCompiledService(opts), await startCompiledService(opts)];
    const worker = startCompiledWorker(opts);
    procs.push(one.proc, ...webs.map((w) => w.proc), worker);
    const targets: Target[] = [
      { name: 'one process', procs: [one.proc], urls: [one.webhookUrl], redis },
      { name: '2 web + 1 worker', procs: [...webs.map((w) => w.proc), worker], urls: webs.map((w) => w.webhookUrl), redis },
    ];

    // Warm-up (JIT, connection pools, Redis scripts), not counted.
    for (const t of targets) await measure(t, fake, SECRET, { mode: 'closed', users: 50, reportsPerUser: 2 });

    console.log(`\nclosed loop: ${users} users, each walking 2 report conversations (13 updates each)`);
    console.log(HEADER);
    const runs: Record<string, Measure[]> = Object.fromEntries(targets.map((t) => [t.name, []]));
    for (let r = 1; r <= rounds; r++) {
      for (const t of targets) {
        const m = await measure(t, fake, SECRET, { mode: 'closed', users, reportsPerUser: 2 });
        runs[t.name]!.push(m);
        console.log(row(`${t.name} #${r}`, m));
      }
    }
    const med = (name: string, pick: (m: Measure) => number): number => median(runs[name]!.map(pick));
    const [a, b] = targets.map((t) => t.name) as [string, string];
    return {
      'rounds (A, B alternated)': rounds,
      'one process: updates/s (median)': f1(med(a, (m) => m.perSecond)),
      '2 web + 1 worker: updates/s (median)': f1(med(b, (m) => m.perSecond)),
      'ratio split/one (goal ≥ 1 on 2 cores)': f2(med(b, (m) => m.perSecond) / med(a, (m) => m.perSecond)),
      'p50 / p99 ms: one process': `${f1(med(a, (m) => m.p50))} / ${f1(med(a, (m) => m.p99))}`,
      'p50 / p99 ms: 2 web + 1 worker': `${f1(med(b, (m) => m.p50))} / ${f1(med(b, (m) => m.p99))}`,
      'CPU ms per update (all processes): one / split': `${f2(med(a, (m) => m.cpuMsPerUpdate))} / ${f2(med(b, (m) => m.cpuMsPerUpdate))}`,
      'failed updates (all runs)': Object.values(runs).flat().reduce((sum, m) => sum + m.failures, 0),
    };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await fake.ask('stop', 'result').catch(() => undefined);
    await fake.stop();
    redis.disconnect();
    await redisServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
