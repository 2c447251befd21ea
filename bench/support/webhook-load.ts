/**
 * Load generator thread: many Telegram users, each walking whole report conversations through a
 * webhook. One user's updates go one at a time, as Telegram delivers them per chat; users run
 * concurrently. Two modes:
 * - closed: every user sends its next update as soon as the previous one was answered (saturation);
 * - open: updates arrive at a fixed rate whatever the server does, spread over the users in turn; an
 *   arrival for a user still waiting queues behind that user's previous update, and its latency counts
 *   from the moment it was due (so a slow server is not hidden by the generator waiting for it).
 * Used by bench/webhook.bench.ts (closed), bench/compare.bench.ts (both, against two servers) and
 * bench/scale.bench.ts (closed, spread over several web processes).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';
import { REPORT_ANSWERS, textUpdateBody } from './conversation.js';

export interface LoadJob {
  url: string;
  /** Like a load balancer: user i's updates all go to `[url, ...alsoUrls][i % n]` (same path on each). */
  alsoUrls?: string[];
  secret: string;
  users: number;
  mode?: 'closed' | 'open';
  /** closed: conversations each user walks. */
  reportsPerUser?: number;
  /** closed: stop each conversation after this many updates (leaves drafts open); default all. */
  steps?: number;
  /** open: arrivals per second and for how long. */
  rate?: number;
  seconds?: number;
  /** Where user and update ids start: runs against one server must not reuse them (deduplication). */
  firstUserId?: number;
  firstUpdateId?: number;
}

export interface LoadResult {
  latencies: number[];
  seconds: number;
  failures: number;
}

const job = workerData as LoadJob;
const SCRIPT = [...REPORT_ANSWERS, '/trangthai TE-AAAAAA'];
const path = new URL(job.url).pathname;
const pools = [job.url, ...(job.alsoUrls ?? [])].map((u) => new Pool(new URL(u).origin, { connections: job.mode === 'open' ? 128 : 64, pipelining: 1 }));
const firstUserId = job.firstUserId ?? 1_000_000;
let updateId = job.firstUpdateId ?? 1;
const latencies: number[] = [];
let failures = 0;

/** Sends one update; resolves with the time it was answered. */
async function send(userId: number, text: string): Promise<number> {
  const body = textUpdateBody(updateId++, userId, text);
  try {
    const res = await (pools[userId % pools.length] as Pool).request({ method: 'POST', path, headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': job.secret }, body });
    await res.body.dump();
    if (res.statusCode !== 200) failures++;
  } catch {
    failures++;
  }
  return performance.now();
}

async function closedLoop(): Promise<number> {
  const reports = job.reportsPerUser ?? 6;
  const script = SCRIPT.slice(0, job.steps ?? SCRIPT.length);
  const user = async (userId: number): Promise<void> => {
    for (let r = 0; r < reports; r++) {
      for (const text of script) {
        const t0 = performance.now();
        latencies.push((await send(userId, text)) - t0);
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: job.users }, (_, i) => user(firstUserId + i)));
  return (performance.now() - t0) / 1000;
}

async function openLoop(): Promise<number> {
  const rate = job.rate ?? 100;
  const total = Math.round(rate * (job.seconds ?? 5));
  const chains: Array<Promise<void>> = Array.from({ length: job.users }, () => Promise.resolve());
  const step = new Array<number>(job.users).fill(0);
  const t0 = performance.now();
  let issued = 0;
  while (issued < total) {
    const now = performance.now();
    // Every arrival due by now, each on its user's chain (one update at a time per chat).
    for (; issued < total && t0 + (issued * 1000) / rate <= now; issued++) {
      const u = issued % job.users;
      const due = t0 + (issued * 1000) / rate;
      const text = SCRIPT[step[u]! % SCRIPT.length]!;
      step[u]!++;
      chains[u] = chains[u]!.then(async () => {
        latencies.push((await send(firstUserId + u, text)) - due);
      });
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(chains);
  return (performance.now() - t0) / 1000;
}

const seconds = job.mode === 'open' ? await openLoop() : await closedLoop();
await Promise.all(pools.map((p) => p.close()));
parentPort?.postMessage({ type: 'result', value: { latencies, seconds, failures } satisfies LoadResult });
