/**
 * Load generator thread: many Telegram users, each walking whole report conversations through the
 * webhook. One user's updates go one at a time, as Telegram delivers them; users run concurrently.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';

interface Job {
  url: string;
  secret: string;
  users: number;
  reportsPerUser: number;
}

const job = workerData as Job;
const SCRIPT = ['/baocao', '5', 'na ca', 'Cháu bé bị đánh nhiều lần, có vết bầm', 'hom nay', '8', 'nu', 'khong', 'bo qua', 'bo qua', 'an danh', 'gui', '/trangthai TE-AAAAAA'];
const origin = new URL(job.url).origin;
const pool = new Pool(origin, { connections: 64, pipelining: 1 });
let updateId = 1;
const latencies: number[] = [];
let failures = 0;

async function send(userId: number, text: string): Promise<void> {
  const body = JSON.stringify({
    update_id: updateId++,
    message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: userId, type: 'private' }, from: { id: userId, is_bot: false, first_name: 'B' }, text },
  });
  const t0 = performance.now();
  const res = await pool.request({ method: 'POST', path: new URL(job.url).pathname, headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': job.secret }, body });
  await res.body.dump();
  latencies.push(performance.now() - t0);
  if (res.statusCode !== 200) failures++;
}

async function user(userId: number): Promise<void> {
  for (let r = 0; r < job.reportsPerUser; r++) for (const text of SCRIPT) await send(userId, text);
}

const t0 = performance.now();
await Promise.all(Array.from({ length: job.users }, (_, i) => user(1_000_000 + i)));
const seconds = (performance.now() - t0) / 1000;
await pool.close();
parentPort?.postMessage({ type: 'result', value: { latencies, seconds, failures } });
