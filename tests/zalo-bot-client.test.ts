import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZaloBotApiError, ZaloBotClient, ZaloBotNetworkError, toSendError } from '../src/bot/zalo-bot/client.js';
import { ZaloBotPoller } from '../src/bot/zalo-bot/poller.js';
import { ZaloBotSender } from '../src/bot/zalo-bot/sender.js';
import { unsupportedReply } from '../src/bot/zalo-bot/unsupported.js';
import { parseZaloBotUpdate, toZaloBotEvent, type ZaloBotUpdate } from '../src/bot/zalo-bot/update.js';
import { ZALO_BOT_WEBHOOK_PATH, registerZaloBotWebhook } from '../src/bot/zalo-bot/webhook.js';
import { PermanentSendError, RetryableSendError, UnreachableError } from '../src/messaging/channel.js';
import { silentLogger } from '../src/logger.js';
import { freePort } from '../src/store/redis-server.js';
import { FakeZaloBot, botUpdate } from './helpers/fake-zalo-bot.js';
import { until } from './helpers/wait.js';

const CHAT = 'e4ea2cd5189df1c3a88c';
let fake: FakeZaloBot;
let client: ZaloBotClient;
const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  fake = await new FakeZaloBot().start();
  client = new ZaloBotClient({ token: fake.token, apiRoot: fake.apiRoot });
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await client.close();
  await fake.close();
});

describe('calls', () => {
  it('sendMessage posts JSON {chat_id, text} to /bot<token>/sendMessage and returns the message id', async () => {
    const sent = await client.sendMessage(CHAT, 'Xin chào');
    expect(sent.messageId).toMatch(/^[0-9a-f]{20}$/);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]).toMatchObject({ method: 'sendMessage', token: fake.token, contentType: 'application/json', payload: { chat_id: CHAT, text: 'Xin chào' }, status: 200 });
  });

  it('getMe, sendPhoto, sendSticker and sendChatAction send the documented fields', async () => {
    expect((await client.getMe()).id).toBe(fake.token.split(':')[0]);
    await client.sendPhoto(CHAT, 'https://example.org/a.jpg', 'Ảnh');
    await client.sendSticker(CHAT, '0e078a2fb66a5f34067b');
    await client.sendChatAction(CHAT);
    expect(fake.calls.map((c) => [c.method, c.payload, c.ok])).toEqual([
      ['getMe', {}, true],
      ['sendPhoto', { chat_id: CHAT, photo: 'https://example.org/a.jpg', caption: 'Ảnh' }, true],
      ['sendSticker', { chat_id: CHAT, sticker: '0e078a2fb66a5f34067b' }, true],
      ['sendChatAction', { chat_id: CHAT, action: 'typing' }, true],
    ]);
  });

  it('setWebhook sends url and secret_token; a secret under 8 characters is refused before any call', async () => {
    await expect(client.setWebhook('https://xa.example.vn/zalobot/webhook', 'short')).rejects.toThrow(TypeError);
    expect(fake.calls).toHaveLength(0);
    await expect(client.setWebhook('http://xa.example.vn/zalobot/webhook', 'a-secret-of-16ch')).rejects.toMatchObject({ errorCode: 400 });
    await client.setWebhook('https://xa.example.vn/zalobot/webhook', 'a-secret-of-16ch');
    expect(fake.callsTo('setWebhook')[1]?.payload).toEqual({ url: 'https://xa.example.vn/zalobot/webhook', secret_token: 'a-secret-of-16ch' });
    expect(await client.getWebhookInfo()).toMatchObject({ url: 'https://xa.example.vn/zalobot/webhook' });
    await client.deleteWebhook();
    expect(fake.webhook).toBeNull();
  });
});

describe('errors', () => {
  it('a wrong token: the API said no (401), a permanent send error, and the token appears nowhere', async () => {
    const wrong = new ZaloBotClient({ token: '1459232241454765289:notTheRightSecret', apiRoot: fake.apiRoot });
    cleanups.push(() => wrong.close());
    const err = await wrong.sendMessage(CHAT, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloBotApiError);
    expect(err).toMatchObject({ method: 'sendMessage', errorCode: 401, httpStatus: 401 });
    const send = toSendError(err);
    expect(send).toBeInstanceOf(PermanentSendError);
    expect(send.cause).toBe(err);
    expect(JSON.stringify([String(err), String(send)])).not.toContain('notTheRightSecret');
  });

  it('429 with retry_after and 5xx pass (retryable), 403 is unreachable, 400 permanent', async () => {
    fake.failNext('sendMessage', { errorCode: 429, description: 'Too Many Requests', retryAfter: 7 });
    fake.failNext('sendMessage', { errorCode: 502, description: 'Bad Gateway' });
    fake.blockChat('blocked-chat');
    const caught = async (p: Promise<unknown>) => toSendError(await p.catch((e: unknown) => e));
    const limited = await caught(client.sendMessage(CHAT, 'a'));
    expect(limited).toBeInstanceOf(RetryableSendError);
    expect((limited as RetryableSendError).retryAfterMs).toBe(7000);
    expect(await caught(client.sendMessage(CHAT, 'b'))).toBeInstanceOf(RetryableSendError);
    expect(await caught(client.sendMessage('blocked-chat', 'c'))).toBeInstanceOf(UnreachableError);
    expect(await caught(client.sendMessage(CHAT, 'x'.repeat(2001)))).toBeInstanceOf(PermanentSendError);
    expect(fake.calls.map((c) => c.status)).toEqual([429, 502, 403, 400]);
  });

  it('a dropped connection or a closed port: the network failed, cause kept, retryable', async () => {
    fake.failNext('sendMessage', { errorCode: 0, drop: true });
    const dropped = await client.sendMessage(CHAT, 'a').catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(ZaloBotNetworkError);
    expect((dropped as Error).cause).toBeInstanceOf(Error);
    const nowhere = new ZaloBotClient({ token: fake.token, apiRoot: `http://127.0.0.1:${await freePort()}` });
    cleanups.push(() => nowhere.close());
    const refused = await nowhere.getMe().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ZaloBotNetworkError);
    expect(String(refused)).not.toContain(fake.token);
    const send = toSendError(refused);
    expect(send).toBeInstanceOf(RetryableSendError);
    expect(send.cause).toBe(refused);
  });
});

describe('sender', () => {
  it('choices become numbered lines; a long text goes as parts of at most 2,000 characters, in order', async () => {
    const sender = new ZaloBotSender(client);
    await sender.send(CHAT, { text: 'Bạn cần gì?', choices: [{ label: 'Báo tin', value: 'report' }, { label: 'Hỏi', value: 'ask' }] });
    expect(fake.sentTexts(CHAT)).toEqual(['Bạn cần gì?\n\n1. Báo tin\n2. Hỏi']);
    const long = Array.from({ length: 12 }, (_, i) => `Đoạn ${i + 1}: ${'trẻ em cần được bảo vệ. '.repeat(10).trim()}`).join('\n\n');
    const parts = sender.split({ text: long });
    expect(parts).toHaveLength(2); // about 3,000 characters: two parts, cut between paragraphs
    for (const p of parts) await sender.send(CHAT, p);
    const texts = fake.sentTexts(CHAT).slice(1);
    expect(texts.every((t) => t.length <= 2000)).toBe(true);
    expect(texts.join('\n\n')).toBe(long);
  });

  it('a send the API refuses reaches the outbox as a send error with its cause', async () => {
    fake.blockChat(CHAT);
    const err = await new ZaloBotSender(client).send(CHAT, { text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).cause).toBeInstanceOf(ZaloBotApiError);
  });
});

describe('updates', () => {
  const parse = (body: unknown) => {
    const u = parseZaloBotUpdate(body);
    if (!u.success) throw new Error('unparsed');
    return toZaloBotEvent(u.data, 1_000);
  };

  it('text, flat or wrapped in {ok, result}, becomes the core message with string ids', () => {
    const update = botUpdate(CHAT, { text: 'Cha\u0300o', messageId: '16f6366b3f02645a3d15', date: 1766619597466 });
    for (const body of [update, { ok: true, result: update }]) {
      expect(parse(body)).toEqual({
        kind: 'message',
        message: { channel: 'zalobot', userId: CHAT, chatId: CHAT, text: 'Chào', media: [], platformId: '16f6366b3f02645a3d15', receivedAt: 1766619597466 },
      });
    }
  });

  it('a picture is an attachment (its URL) with the caption as text; stickers and other types are media', () => {
    const photo = parse(botUpdate(CHAT, { eventName: 'message.image.received', photo: 'https://f.zalo.me/p.jpg', caption: 'vết bầm' }));
    expect(photo).toMatchObject({ kind: 'message', message: { text: 'vết bầm', media: [{ kind: 'photo', ref: 'https://f.zalo.me/p.jpg' }] } });
    expect(parse(botUpdate(CHAT, { eventName: 'message.sticker.received' }))).toMatchObject({ message: { media: [{ kind: 'sticker' }] } });
    expect(parse(botUpdate(CHAT, { eventName: 'message.voice.received' }))).toMatchObject({ message: { media: [{ kind: 'voice' }] } });
    expect(parse(botUpdate(CHAT, { eventName: 'message.constructor.received' }))).toMatchObject({ message: { media: [{ kind: 'other' }] } });
  });

  it('unsupported carries no content; groups and unknown events are ignored', () => {
    const u = parse(botUpdate(CHAT, { eventName: 'message.unsupported.received', messageId: 'abc' }));
    expect(u).toEqual({ kind: 'unsupported', userId: CHAT, chatId: CHAT, platformId: 'abc', receivedAt: expect.any(Number) });
    expect(parse(botUpdate(CHAT, { chatType: 'GROUP', text: 'hi' }))).toMatchObject({ kind: 'ignored', reason: 'group' });
    expect(parse(botUpdate(CHAT, { eventName: 'user.follow' }))).toMatchObject({ kind: 'ignored', reason: 'unknown_event' });
    expect(parseZaloBotUpdate({ event_name: 'message.text.received' }).success).toBe(false);
  });

  it('the answer to an unsupported message gives 111, 113, 115 and the commune OA, no ids', () => {
    const text = unsupportedReply({ hotlines: { child: '111', police: '113', ambulance: '115' }, oaName: 'UBND xã Bảo Linh' }).text;
    for (const s of ['111', '113', '115', 'Zalo OA "UBND xã Bảo Linh"']) expect(text).toContain(s);
    expect(unsupportedReply({ hotlines: { child: '111', police: '113', ambulance: '115' } }).text).toContain('UBND xã');
  });
});

describe('webhook', () => {
  let app: FastifyInstance;
  let taken: ZaloBotUpdate[];
  /** Registers our local http address, which the real platform (HTTPS only) would refuse. */
  let webhookFake: FakeZaloBot;
  const SECRET = 'zalobot-webhook-secret-1';

  beforeEach(async () => {
    taken = [];
    app = Fastify();
    registerZaloBotWebhook(app, { secretToken: SECRET, onUpdate: async (u) => void taken.push(u), log: silentLogger });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const local = new FakeZaloBot({ token: fake.token, requireHttps: false });
    await local.start();
    cleanups.push(() => app.close(), () => local.close());
    const c = new ZaloBotClient({ token: local.token, apiRoot: local.apiRoot });
    cleanups.push(() => c.close());
    await c.setWebhook(`${address}${ZALO_BOT_WEBHOOK_PATH}`, SECRET);
    webhookFake = local;
  });

  it('an update with the secret token header is taken and answered 200', async () => {
    const update = botUpdate(CHAT, { text: 'cứu' });
    expect((await webhookFake.deliver(update)).status).toBe(200);
    expect(taken).toEqual([update]);
  });

  it('a missing or wrong secret gets 401 and nothing is taken, whatever the body', async () => {
    expect((await webhookFake.deliver(botUpdate(CHAT, { text: 'x' }), null)).status).toBe(401);
    expect((await webhookFake.deliver(botUpdate(CHAT, { text: 'x' }), 'zalobot-webhook-secret-2')).status).toBe(401);
    expect((await webhookFake.deliver('not json at all', 'wrong')).status).toBe(401);
    expect(taken).toEqual([]);
  });

  it('an odd shape is answered 200 and dropped', async () => {
    expect((await webhookFake.deliver({ event_name: 'message.text.received' })).status).toBe(200);
    expect(taken).toEqual([]);
  });
});

describe('long polling', () => {
  it('removes the webhook, takes queued and waiting updates in order, and stops promptly', async () => {
    await client.setWebhook('https://xa.example.vn/zalobot/webhook', 'a-secret-of-16ch');
    const taken: string[] = [];
    const poller = new ZaloBotPoller({ client, log: silentLogger, timeoutSec: 1, onUpdate: async (u) => void taken.push(String(u.message.text)) });
    fake.queueUpdate(botUpdate(CHAT, { text: 'một' }));
    await poller.start();
    expect(fake.webhook).toBeNull();
    await until(() => taken.length === 1, 5_000, 'the queued update');
    await until(() => fake.callsTo('getUpdates').length >= 2, 5_000, 'a waiting poll');
    fake.queueUpdate(botUpdate(CHAT, { text: 'hai' }));
    await until(() => taken.length === 2, 5_000, 'the update sent while waiting');
    const started = Date.now();
    await poller.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(taken).toEqual(['một', 'hai']);
    expect(fake.callsTo('getUpdates')[0]?.payload).toEqual({ timeout: '1' });
  });

  it('a poll that times out (408) is not an error; a refused one is retried after a wait', async () => {
    fake.failNext('getUpdates', { errorCode: 500, description: 'Internal' });
    const taken: string[] = [];
    const poller = new ZaloBotPoller({ client, log: silentLogger, timeoutSec: 1, backoffMs: { min: 50, max: 100 }, onUpdate: async (u) => void taken.push(String(u.message.text)) });
    await poller.start();
    await until(() => fake.callsTo('getUpdates').some((c) => c.status === 408), 5_000, 'a poll to time out');
    fake.queueUpdate(botUpdate(CHAT, { text: 'ba' }));
    await until(() => taken.length === 1, 5_000, 'the update');
    await poller.stop();
    expect(fake.callsTo('getUpdates')[0]?.status).toBe(500);
  });

  it('an update it cannot take yet (Redis down) is retried until taken, however long, and nothing after it is fetched meanwhile', async () => {
    const taken: string[] = [];
    let refusals = 0;
    const poller = new ZaloBotPoller({
      client,
      log: silentLogger,
      timeoutSec: 1,
      backoffMs: { min: 10, max: 20 },
      onUpdate: async (u) => {
        if (refusals < 12) {
          refusals++;
          throw new Error('Connection is closed.');
        }
        taken.push(String(u.message.text));
      },
    });
    fake.queueUpdate(botUpdate(CHAT, { text: 'bốn' }));
    await poller.start();
    await until(() => refusals >= 6, 5_000, 'several refusals');
    expect(fake.callsTo('getUpdates')).toHaveLength(1); // holding the update, not polling past it
    await until(() => taken.length === 1, 5_000, 'the update, once it can be taken');
    await poller.stop();
    expect(taken).toEqual(['bốn']);
    expect(refusals).toBe(12);
  });
});
