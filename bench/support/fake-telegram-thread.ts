/** The fake Bot API in its own thread; reports its apiRoot, then the number of sendMessage calls on request. */
import { parentPort } from 'node:worker_threads';
import { startFakeTelegram } from '../../tests/helpers/fake-telegram.js';

const fake = await startFakeTelegram();
parentPort?.postMessage({ type: 'ready', value: fake.apiRoot });
parentPort?.on('message', async (m: string) => {
  if (m === 'stop') {
    const sent = fake.callsTo('sendMessage').length;
    await fake.close();
    parentPort?.postMessage({ type: 'result', value: { sent, tooMany: fake.tooManyRequests } });
  }
});
