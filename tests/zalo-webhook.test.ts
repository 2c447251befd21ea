/**
 * What arrives from Zalo: the webhook signature (the OA Secret Key and its rotation pair only), the
 * route's answers and logs, and the events read into the service's normalised messages.
 */
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { computeZaloSignature, verifyZaloSignature } from '../src/bot/zalo/signature.js';
import { ZaloWebhookEventSchema, toIncoming } from '../src/bot/zalo/webhook-event.js';
import { ZALO_WEBHOOK_PATH, registerZaloWebhook } from '../src/bot/zalo/webhook.js';

const USER = '8400123456789012345'; // 19 digits: beyond Number.MAX_SAFE_INTEGER
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('webhook signature', () => {
  const appId = '1234567890123456789';
  const config = { appId, oaSecretKey: 'oa-secret', previousOaSecretKey: 'oa-secret-old' };
  const body = JSON.stringify({
    app_id: appId,
    event_name: 'user_send_text',
    sender: { id: USER },
    recipient: { id: '579745863508352884' },
    message: { text: 'Chào', msg_id: 'abc' },
    timestamp: '1718000000000',
  });
  const raw = Buffer.from(body, 'utf8');

  it('accepts the OA Secret Key and, during a rotation, the previous one, with or without mac=, and says which', () => {
    const withOa = computeZaloSignature(appId, raw, '1718000000000', 'oa-secret');
    const withOld = computeZaloSignature(appId, raw, '1718000000000', 'oa-secret-old');
    expect(verifyZaloSignature(raw, `mac=${withOa}`, config)).toBe('oa_secret_key');
    expect(verifyZaloSignature(raw, withOa, config)).toBe('oa_secret_key');
    expect(verifyZaloSignature(raw, `mac=${withOld}`, config)).toBe('oa_secret_key_previous');
    expect(verifyZaloSignature(body, withOld.toUpperCase(), config)).toBe('oa_secret_key_previous');
    expect(verifyZaloSignature(raw, withOld, { appId, oaSecretKey: 'oa-secret' })).toBeNull();
  });

  it('never accepts the App Secret', () => {
    const withApp = computeZaloSignature(appId, raw, '1718000000000', 'app-secret');
    expect(verifyZaloSignature(raw, `mac=${withApp}`, config)).toBeNull();
  });

  it('is plain SHA-256 of app_id + body + timestamp + secret', async () => {
    const { createHash } = await import('node:crypto');
    const expected = createHash('sha256').update(appId + body + '1718000000000' + 'oa-secret').digest('hex');
    expect(verifyZaloSignature(raw, `mac=${expected}`, config)).toBe('oa_secret_key');
  });

  it('refuses forged signatures and altered bodies', () => {
    const good = computeZaloSignature(appId, raw, '1718000000000', 'oa-secret');
    const altered = Buffer.from(body.replace('Chào', 'Chao'), 'utf8');
    expect(verifyZaloSignature(altered, `mac=${good}`, config)).toBeNull();
    expect(verifyZaloSignature(raw, `mac=${'0'.repeat(64)}`, config)).toBeNull();
    expect(verifyZaloSignature(raw, `mac=${good.slice(0, 63)}`, config)).toBeNull();
    expect(verifyZaloSignature(raw, undefined, config)).toBeNull();
    expect(verifyZaloSignature(raw, `mac=${computeZaloSignature(appId, raw, '1718000000000', 'guess')}`, config)).toBeNull();
    // The timestamp comes from the body: changing it breaks the signature.
    const reTimed = Buffer.from(body.replace('1718000000000', '1718000000001'), 'utf8');
    expect(verifyZaloSignature(reTimed, `mac=${good}`, config)).toBeNull();
  });
});

describe('webhook route', () => {
  it('drops a signed event of an unexpected shape or a stale one with 200, logging paths and no values', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
    const added: unknown[] = [];
    const now = Date.parse('2026-03-10T03:00:00Z');
    const app = Fastify();
    registerZaloWebhook(app, { signature: { appId: 'app1', oaSecretKey: 'oa-key' }, inbound: { add: async (e) => (added.push(e), 'id') }, log, now: () => now });
    cleanups.push(() => app.close());
    const post = (body: object) => {
      const raw = JSON.stringify(body);
      const mac = computeZaloSignature('app1', raw, String((body as { timestamp: string }).timestamp), 'oa-key');
      return app.inject({ method: 'POST', url: ZALO_WEBHOOK_PATH, headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` }, payload: raw });
    };
    const event = { app_id: 'app1', event_name: 'user_send_text', timestamp: String(now), sender: { id: USER }, message: { msg_id: 'm1', text: 'bí mật của cháu' } };

    expect((await post({ ...event, message: { msg_id: 'm1', text: 42 } })).statusCode).toBe(200);
    expect((await post({ ...event, timestamp: String(now - 24 * 3_600_000 - 1) })).statusCode).toBe(200);
    expect((await post({ ...event, timestamp: String(now + 3_600_000 + 1) })).statusCode).toBe(200);
    expect((await post({ ...event, timestamp: 'yesterday' })).statusCode).toBe(200);
    expect(added).toEqual([]);
    expect((await post({ ...event, timestamp: String(now - 24 * 3_600_000) })).statusCode).toBe(200); // just inside
    expect((await post({ ...event, timestamp: String(now + 3_600_000) })).statusCode).toBe(200);
    expect(added).toHaveLength(2);

    const logged = lines.join('');
    expect(logged).toContain('"issues":["message.text"]');
    expect(logged.match(/too far from our clock/g)).toHaveLength(3);
    expect(logged).not.toContain(USER);
    expect(logged).not.toContain('bí mật');
  });
});

describe('webhook events', () => {
  const parse = (o: unknown) => ZaloWebhookEventSchema.parse(o);
  const base = { app_id: '1234567890123456789', timestamp: '1718000000000', user_id_by_app: '5555' };

  it('user_send_text becomes an IncomingMessage with string ids and NFC text', () => {
    const nfd = 'Chào bạn'.normalize('NFD');
    const ev = toIncoming(
      parse({ ...base, event_name: 'user_send_text', sender: { id: USER }, recipient: { id: '579745863508352884' }, message: { text: nfd, msg_id: '9876543210987654321' } }),
    );
    expect(ev).toEqual({
      kind: 'message',
      message: {
        channel: 'zalo',
        userId: USER,
        chatId: USER,
        text: 'Chào bạn'.normalize('NFC'),
        media: [],
        platformId: '9876543210987654321',
        receivedAt: 1718000000000,
      },
      anonymous: false,
    });
    const anon = toIncoming(parse({ ...base, event_name: 'anonymous_send_text', sender: { id: USER }, message: { text: 'cứu', msg_id: 'a1' } }));
    expect(anon).toMatchObject({ kind: 'message', anonymous: true, message: { userId: USER, text: 'cứu', platformId: 'a1', media: [] } });
  });

  it('rejects numeric ids instead of silently corrupting them', () => {
    expect(ZaloWebhookEventSchema.safeParse({ ...base, event_name: 'user_send_text', sender: { id: 123 } }).success).toBe(false);
  });

  it('maps media events', () => {
    const msg = (event_name: string, attachments: unknown[], text?: string) => {
      const ev = toIncoming(parse({ ...base, event_name, sender: { id: USER }, message: { msg_id: 'm', text, attachments } }));
      if (ev.kind !== 'message') throw new Error(ev.kind);
      return ev.message;
    };
    expect(msg('user_send_image', [{ type: 'image', payload: { url: 'https://f/a.jpg' } }], 'ảnh').media).toEqual([{ kind: 'photo', ref: 'https://f/a.jpg' }]);
    expect(msg('user_send_image', [{ type: 'image', payload: { url: 'u' } }], 'ảnh').text).toBe('ảnh');
    expect(msg('user_send_file', [{ type: 'file', payload: { url: 'https://f/b.pdf', name: 'b.pdf' } }]).media).toEqual([{ kind: 'file', ref: 'https://f/b.pdf' }]);
    expect(msg('user_send_sticker', [{ type: 'sticker', payload: { id: 'st1', url: 'https://s' } }]).media[0]?.kind).toBe('sticker');
    expect(msg('user_send_audio', [{ type: 'audio', payload: { url: 'https://a' } }]).media[0]?.kind).toBe('voice');
    expect(msg('user_send_location', [{ type: 'location', payload: { coordinates: { latitude: '21.02', longitude: '105.85' } } }]).media).toEqual([
      { kind: 'location', ref: '21.02,105.85' },
    ]);
    expect(msg('user_send_image', []).media).toEqual([{ kind: 'photo' }]);
  });

  it('classifies follow, unfollow, OA echoes and unknown events', () => {
    expect(toIncoming(parse({ ...base, event_name: 'follow', follower: { id: USER }, source: 'oa_profile' }))).toEqual({
      kind: 'follow',
      userId: USER,
      source: 'oa_profile',
      at: 1718000000000,
    });
    expect(toIncoming(parse({ ...base, event_name: 'unfollow', follower: { id: USER } }))).toMatchObject({ kind: 'unfollow', userId: USER });
    expect(
      toIncoming(parse({ ...base, event_name: 'oa_send_text', sender: { id: 'oa1' }, recipient: { id: USER }, message: { text: 'bot', msg_id: 'e1' } })),
    ).toMatchObject({ kind: 'oa_echo', byAdmin: false, userId: USER });
    expect(
      toIncoming(parse({ ...base, event_name: 'oa_send_text', sender: { id: 'oa1', admin_id: '7777' }, recipient: { id: USER }, message: { text: 'người' } })),
    ).toMatchObject({ kind: 'oa_echo', byAdmin: true, adminId: '7777', text: 'người' });
    expect(toIncoming(parse({ ...base, event_name: 'user_seen_message', sender: { id: USER } }))).toEqual({
      kind: 'unknown',
      eventName: 'user_seen_message',
      userId: USER,
    });
  });
});
