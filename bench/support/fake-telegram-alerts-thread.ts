/**
 * The fake Bot API for bench/alerts.bench.ts, in its own thread. On 'stop' it reports which code each
 * citizen was given (from the confirmation reply) and when each officer alert (a sendMessage to an
 * officer chat naming a code) arrived. Officer chats are the ids at or above `workerData.officerFrom`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startFakeTelegram } from '../../tests/helpers/fake-telegram.js';

const { officerFrom } = workerData as { officerFrom: number };
const fake = await startFakeTelegram();
parentPort?.postMessage({ type: 'ready', value: fake.apiRoot });
parentPort?.on('message', async (m: string) => {
  if (m === 'count') {
    const alerts = fake.callsTo('sendMessage').filter((c) => Number(c.payload.chat_id) >= officerFrom).length;
    parentPort?.postMessage({ type: 'count', value: alerts });
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
