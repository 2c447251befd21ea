/**
 * The fake Bot API in its own thread or process; reports its apiRoot, answers 'drain' with the number of
 * sendMessage calls so far, and on 'stop' reports that number and the 429s, then closes.
 */
import { startFakeTelegram } from '../../tests/helpers/fake-telegram.js';
import { parent } from './parent.js';

const up = parent();
const fake = await startFakeTelegram();
up.post({ type: 'ready', value: fake.apiRoot });
up.on(async (m) => {
  if (m === 'drain') {
    up.post({ type: 'count', value: fake.callsTo('sendMessage').length });
    // Forget what was counted: a process serving many runs would otherwise keep every call.
    fake.calls.length = 0;
  }
  if (m === 'stop') {
    const sent = fake.callsTo('sendMessage').length;
    await fake.close();
    up.post({ type: 'result', value: { sent, tooMany: fake.tooManyRequests } });
  }
});
