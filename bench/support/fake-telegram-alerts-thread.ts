/**
 * The fake Bot API for bench/alerts.bench.ts and bench/unaware.bench.ts, in its own thread. On 'stop' it
 * reports which code each citizen was given (from the confirmation reply) and when each staff alert (a
 * sendMessage to a staff chat naming a code) was accepted. Staff chats are the ids at or above
 * `officerFrom`. Optionally some chats have blocked the bot and a share of all sends fails.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startFakeTelegram, type Failure } from '../../tests/helpers/fake-telegram.js';

const { officerFrom, blocked = [], failures } = workerData as { officerFrom: number; blocked?: number[]; failures?: { share: number; kinds: Failure[]; seed: number } };
const fake = await startFakeTelegram();
const blockedChats = new Set(blocked);
for (const chat of blocked) fake.blockChat(chat);
if (failures) fake.failRandomly(failures.share, failures.kinds, failures.seed);
parentPort?.postMessage({ type: 'ready', value: fake.apiRoot });
parentPort?.on('message', async (m: string) => {
  if (m === 'count') {
    // Codes whose alert was accepted in a staff chat that can read it (not blocked).
    const reached = new Set<string>();
    for (const c of fake.callsTo('sendMessage')) {
      const chat = Number(c.payload.chat_id);
      if (chat < officerFrom || c.status !== 200 || blockedChats.has(chat)) continue;
      const code = /Mã: (TE-[0-9A-Z]{6})/.exec(String(c.payload.text))?.[1];
      if (code) reached.add(code);
    }
    parentPort?.postMessage({ type: 'count', value: reached.size });
    return;
  }
  if (m !== 'stop') return;
  const codes: Array<[number, string]> = [];
  const alerts: Array<[string, number, number]> = [];
  for (const c of fake.callsTo('sendMessage')) {
    const chat = Number(c.payload.chat_id);
    const text = String(c.payload.text);
    if (chat >= officerFrom) {
      const code = /Mã: (TE-[0-9A-Z]{6})/.exec(text)?.[1];
      if (code && c.status === 200) alerts.push([code, c.at, chat]);
    } else {
      const code = /Mã của bạn: (TE-[0-9A-Z]{6})/.exec(text)?.[1];
      if (code) codes.push([chat, code]);
    }
  }
  const sent = fake.callsTo('sendMessage').length;
  const tooMany = fake.tooManyRequests;
  await fake.close();
  parentPort?.postMessage({ type: 'result', value: { codes, alerts, sent, tooMany } });
});
