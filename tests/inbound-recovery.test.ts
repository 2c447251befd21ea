import { afterAll, beforeAll, expect, it } from 'vitest';
import { processIncoming, RetryLaterError, type InboundDeps } from '../src/bot/inbound.js';
import type { ChannelSender } from '../src/messaging/channel.js';
import type { IncomingMessage, OutgoingMessage } from '../src/messaging/message.js';
import { silentLogger } from '../src/logger.js';
import { ProcessLiveness } from '../src/store/liveness.js';
import { startService, type TestService } from './helpers/service.js';

let svc: TestService;
beforeAll(async () => {
  svc = await startService();
});
afterAll(async () => {
  await svc.stop();
});

const message = (platformId: string, text: string): IncomingMessage => ({ channel: 'local', userId: 'dan-inbound', chatId: 'dan-inbound', text, media: [], platformId, receivedAt: Date.now() });

function deps(sender: ChannelSender, extra: Partial<InboundDeps> = {}): InboundDeps {
  return { ...svc.runtime.turnPath, sender, log: silentLogger, ...extra };
}

it("a lock left by a process that died is taken over as soon as the process is gone, and the platform's retry is then handled", async () => {
  const sent: OutgoingMessage[] = [];
  const sender: ChannelSender = { send: async (_c, m) => void sent.push(m) };
  // Another process took the person's lock for an update and is still alive: this one waits, then is put off.
  const other = new ProcessLiveness(svc.redis.client, { instance: 'other-web' });
  await other.start();
  const k = svc.runtime.turnPath.turns.keys('local:dan-inbound');
  expect((await svc.runtime.turnPath.turns.begin(k, 'u-other', `${other.id}|t1`)).kind).toBe('new');
  await expect(processIncoming(message('u-crash', '/help'), deps(sender, { waitMs: 200 }))).rejects.toBeInstanceOf(RetryLaterError);
  // It dies: no waiting for any expiry.
  await other.stop();
  const t0 = Date.now();
  expect(await processIncoming(message('u-crash', '/help'), deps(sender))).toBe('handled');
  expect(Date.now() - t0).toBeLessThan(1_000);
  expect(sent.map((m) => m.text).join()).toContain('Hướng dẫn');
  // Once handled, a late duplicate is ignored.
  expect(await processIncoming(message('u-crash', '/help'), deps(sender))).toBe('duplicate');
  expect(sent).toHaveLength(1);
});

it('a reply part that fails is handed to the outbox with the parts after it, and sent parts are not repeated', async () => {
  const sent: string[] = [];
  const handed: string[] = [];
  const sender: ChannelSender = {
    split: (m) => [{ text: `${m.text.slice(0, 10)}#1` }, { text: `${m.text.slice(0, 10)}#2` }],
    send: async (_c, m) => {
      if (m.text.endsWith('#2')) throw new Error('network down');
      sent.push(m.text);
    },
  };
  const { turns } = svc.runtime.turnPath;
  // The outbox's drain reads what is left, from the person's reply list, in order.
  const handover: InboundDeps['handover'] = async (_to, person, epoch) => {
    const head = await turns.drainPeek(person, epoch);
    if (typeof head !== 'string') handed.push(...head.parts.slice(head.sent).map((p) => p.text));
  };
  await processIncoming(message('u-parts', '/help'), deps(sender, { handover }));
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatch(/#1$/);
  expect(handed).toHaveLength(1);
  expect(handed[0]).toMatch(/#2$/);
});
