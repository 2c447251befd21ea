/**
 * The fake Bot API in its own thread with a flood limit and a latency (workerData), so its arrival
 * times are not skewed by the service's event loop. Answers 'count' with the messages delivered so
 * far; on 'stop', reports every delivery (chat id, arrival time) and the number of 429s.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startFakeTelegram } from '../../tests/helpers/fake-telegram.js';

const opts = workerData as { floodLimit: number; latencyMs: number };
const fake = await startFakeTelegram({ latencyMs: opts.latencyMs });
fake.setFloodLimit(opts.floodLimit);
parentPort?.postMessage({ type: 'ready', value: fake.apiRoot });
parentPort?.on('message', async (m: string) => {
  if (m === 'count') parentPort?.postMessage({ type: 'count', value: fake.delivered().length });
  if (m === 'stop') {
    const delivered = fake.delivered().map((c) => ({ chatId: String(c.payload.chat_id), at: c.at }));
    await fake.close();
    parentPort?.postMessage({ type: 'result', value: { delivered, tooMany: fake.tooManyRequests } });
  }
});
