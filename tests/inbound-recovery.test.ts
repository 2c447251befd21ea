import { afterAll, beforeAll, expect, it } from 'vitest';
import { processIncoming, UpdateInProgressError, type InboundDeps } from '../src/bot/inbound.js';
import type { ChannelSender } from '../src/messaging/channel.js';
import type { IncomingMessage, OutgoingMessage } from '../src/messaging/message.js';
import { silentLogger } from '../src/logger.js';
import { UpdateDedup } from '../src/store/dedup.js';
import { startService, type TestService } from './helpers/service.js';
import { until } from './helpers/wait.js';

let svc: TestService;
beforeAll(async () => {
  svc = await startService();
});
afterAll(async () => {
  await svc.stop();
});

const message = (platformId: string, text: string): IncomingMessage => ({ channel: 'local', userId: 'dan-inbound', chatId: 'dan-inbound', text, media: [], platformId, receivedAt: Date.now() });

function deps(sender: ChannelSender, dedup: UpdateDedup, fallback?: InboundDeps['fallback']): InboundDeps {
  return { dispatcher: svc.runtime.dispatcher, dedup, sender, fallback, log: silentLogger };
}

it('a claim left by a process that died expires, and the platform\'s retry is then handled', async () => {
  const dedup = new UpdateDedup(svc.redis.client, 3600, 1);
  const sent: OutgoingMessage[] = [];
  const sender: ChannelSender = { send: async (_c, m) => void sent.push(m) };
  // A process claimed the update and died before finishing.
  expect(await dedup.claim('local', 'u-crash')).toBe('claimed');
  await expect(processIncoming(message('u-crash', '/help'), deps(sender, dedup))).rejects.toBeInstanceOf(UpdateInProgressError);
  // The platform retries until the dead process's claim has expired (1 s) and the update is handled.
  let outcome: Awaited<ReturnType<typeof processIncoming>> | undefined;
  await until(async () => {
    try {
      outcome = await processIncoming(message('u-crash', '/help'), deps(sender, dedup));
      return true;
    } catch (err) {
      if (err instanceof UpdateInProgressError) return false;
      throw err;
    }
  }, 10_000, 'the dead claim to expire');
  expect(outcome).toBe('handled');
  expect(sent.map((m) => m.text).join()).toContain('Hướng dẫn');
  // Once handled, a late duplicate is ignored.
  expect(await processIncoming(message('u-crash', '/help'), deps(sender, dedup))).toBe('duplicate');
  expect(sent).toHaveLength(1);
});

it('a reply part that fails is handed to the outbox with the parts after it, and sent parts are not repeated', async () => {
  const dedup = new UpdateDedup(svc.redis.client);
  const sent: string[] = [];
  const handed: string[] = [];
  const sender: ChannelSender = {
    split: (m) => [{ text: `${m.text.slice(0, 10)}#1` }, { text: `${m.text.slice(0, 10)}#2` }],
    send: async (_c, m) => {
      if (m.text.endsWith('#2')) throw new Error('network down');
      sent.push(m.text);
    },
  };
  await processIncoming(message('u-parts', '/help'), deps(sender, dedup, async (_to, m) => void handed.push(m.text)));
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatch(/#1$/);
  expect(handed).toHaveLength(1);
  expect(handed[0]).toMatch(/#2$/);
});
