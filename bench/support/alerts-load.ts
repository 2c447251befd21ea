/**
 * Load generator thread for bench/alerts.bench.ts: one Telegram citizen per report. Citizen i walks a
 * whole report conversation through the webhook a few seconds before its slot, then sends the final
 * "gửi" (the update that confirms the report) exactly at start + i / rate, so confirmations are spread
 * evenly while other citizens are mid-conversation. Records when each confirming update was sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';

interface Job {
  url: string;
  secret: string;
  reports: number;
  /** Confirmations per second. */
  rate: number;
  communes: number;
  firstUserId: number;
}

const job = workerData as Job;
/** Walking starts this long before the citizen's slot (a conversation takes well under a second). */
const LEAD_MS = 3000;
const origin = new URL(job.url).origin;
const path = new URL(job.url).pathname;
const pool = new Pool(origin, { connections: 128, pipelining: 1 });
let updateId = 1;
let failures = 0;

/** Category 5 is "Bạo lực, đánh đập" (P1: the officer is alerted at once); village 1 of the commune. */
const script = (commune: number): string[] => ['/baocao', String(commune), '5', '1', 'Cháu bé bị đánh nhiều lần, có vết bầm', 'hom nay', '8', 'nu', 'khong', 'bo qua', 'bo qua', 'an danh'];

async function send(userId: number, text: string): Promise<number> {
  const body = JSON.stringify({
    update_id: updateId++,
    message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: userId, type: 'private' }, from: { id: userId, is_bot: false, first_name: 'B' }, text },
  });
  const t0 = performance.now();
  const res = await pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': job.secret }, body });
  await res.body.dump();
  if (res.statusCode !== 200) failures++;
  return performance.now() - t0;
}

const sleepUntil = async (at: number): Promise<void> => {
  const wait = at - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
};

const confirms: Array<{ userId: number; at: number; late: number; requestMs: number }> = [];
const start = Date.now() + LEAD_MS + 500;

async function citizen(i: number): Promise<void> {
  const userId = job.firstUserId + i;
  const slot = start + (i * 1000) / job.rate;
  await sleepUntil(slot - LEAD_MS);
  for (const text of script((i % job.communes) + 1)) await send(userId, text);
  await sleepUntil(slot);
  const at = Date.now();
  const requestMs = await send(userId, 'gửi');
  confirms.push({ userId, at, late: at - slot, requestMs });
}

await Promise.all(Array.from({ length: job.reports }, (_, i) => citizen(i)));
await pool.close();
parentPort?.postMessage({ type: 'result', value: { confirms, failures, seconds: (Date.now() - start) / 1000 } });
