/**
 * The OA's API client against a local server that plays Zalo: sending (the reply form, splitting,
 * errors classified, the 7-day window), the token store (refresh timing, single-use refresh tokens
 * across processes, re-authorisation) and `npm run zalo:auth`. One file because every test builds its
 * "processes" (connection, token store, client) with the same helper on the same fake.
 */
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ZaloClient, ZaloPermanentSendError, splitText, type ZaloClientOptions } from '../src/bot/zalo/client.js';
import { ZaloSender, renderOutgoing } from '../src/bot/zalo/sender.js';
import { buildConsentUrl } from '../src/bot/zalo/oauth.js';
import { createPkcePair, pkceChallenge } from '../src/bot/zalo/pkce.js';
import { ZaloReauthorizationRequired, ZaloTokenStore, zaloTokenKeys, type ZaloTokenStoreOptions } from '../src/bot/zalo/tokens.js';
import { WindowedSender, ZALO_REPLY_HINT, ZaloWindow } from '../src/bot/zalo/window.js';
import { zaloUserTag } from '../src/bot/zalo/user-tag.js';
import { DataCipher, generateDataKey } from '../src/store/crypto.js';
import { dumpText } from './helpers/redis-dump.js';
import { OutsideWindowError, RetryableSendError, UnreachableError } from '../src/messaging/channel.js';
import { TestOutbox } from './helpers/outbox.js';
import { outboxIdle } from './helpers/outbox-wait.js';
import { silentLogger } from '../src/logger.js';
import { freePort } from '../src/store/redis-server.js';
import { startFakeZalo, type FakeZalo } from './helpers/fake-zalo.js';
import { useTestRedis } from './helpers/redis.js';
import { until } from './helpers/wait.js';

const USER = '8400123456789012345'; // 19 digits: beyond Number.MAX_SAFE_INTEGER
const DATA_KEY_TEXT = generateDataKey();
const CIPHER = DataCipher.fromString(DATA_KEY_TEXT);

const redis = useTestRedis({ flushEach: true });
let fake: FakeZalo;
const cleanups: (() => Promise<unknown> | void)[] = [];

beforeEach(async () => {
  fake = await startFakeZalo();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await fake.close();
});

/** One "process": its own Redis connection, token store and client. */
function makeProcess(extra: Partial<ZaloTokenStoreOptions> = {}, clientExtra: Partial<ZaloClientOptions> = {}) {
  const conn = new Redis(redis.url, { maxRetriesPerRequest: null });
  const tokens = new ZaloTokenStore({
    redis: conn,
    cipher: CIPHER,
    appId: fake.appId,
    appSecret: fake.appSecret,
    oauthRoot: fake.url,
    ...extra,
  });
  const client = new ZaloClient({ tokens, apiRoot: fake.url, ...clientExtra });
  cleanups.push(async () => {
    await client.close();
    await tokens.close();
    conn.disconnect();
  });
  return { tokens, client };
}

/** Authorises through the real code exchange, as `npm run zalo:auth` does. */
async function authorise(tokens: ZaloTokenStore) {
  const { codeVerifier, codeChallenge } = createPkcePair();
  fake.addAuthCode('consent-code', codeChallenge);
  return tokens.exchangeCode('consent-code', codeVerifier);
}

describe('sending', () => {
  it('posts to /v3.0/oa/message/cs with the access_token header and the documented body', async () => {
    const { tokens, client } = makeProcess();
    const pair = await authorise(tokens);
    const result = await client.sendText(USER, 'Xin chào');
    expect(result.messageIds).toHaveLength(1);
    expect(fake.messages).toEqual([{ userId: USER, text: 'Xin chào', accessToken: pair.accessToken, quotaType: 'sub_quota' }]);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]).toMatchObject({ path: '/v3.0/oa/message/cs', error: 0 });
  });

  it('the reply form names the person\'s message: a free reply, reported as such; by user id it is proactive', async () => {
    const quotas: unknown[] = [];
    const { tokens, client } = makeProcess({}, { onQuota: async (q) => void quotas.push(q) });
    await authorise(tokens);
    fake.noteIncoming(USER, 'msg-from-person');
    await client.sendText({ userId: USER, replyTo: 'msg-from-person' }, 'Đã nhận tin của bạn.');
    await client.sendText(USER, 'Nhắc việc');
    expect(fake.messages.map((m) => [m.replyTo, m.quotaType])).toEqual([
      ['msg-from-person', 'reply'],
      [undefined, 'sub_quota'],
    ]);
    expect(quotas).toEqual([{ type: 'reply' }, { type: 'sub_quota', remain: 999, total: 1000 }]);
    // A reply naming a message the person never sent is refused as an invalid parameter.
    await expect(client.sendText({ userId: USER, replyTo: 'unknown' }, 'x')).rejects.toMatchObject({ code: -201 });
  });

  it('ZaloSender renders choices as numbered lines', async () => {
    const { tokens, client } = makeProcess();
    await authorise(tokens);
    const msg = { text: 'Bạn cần gì?', choices: [{ label: 'Báo tin', value: 'report' }, { label: 'Hỏi', value: 'ask' }] };
    expect(renderOutgoing(msg)).toBe('Bạn cần gì?\n\n1. Báo tin\n2. Hỏi');
    await new ZaloSender(client).send(USER, msg);
    expect(fake.messages[0]?.text).toBe('Bạn cần gì?\n\n1. Báo tin\n2. Hỏi');
    expect(new ZaloSender(client).split(msg)).toEqual([{ text: 'Bạn cần gì?\n\n1. Báo tin\n2. Hỏi' }]);
  });

  it('a long outbox message whose second part is refused once (-32) arrives once per part, in order', async () => {
    const { tokens, client } = makeProcess({}, { rateLimitRetryMs: 50 });
    await authorise(tokens);
    const conn = new Redis(redis.url, { maxRetriesPerRequest: null });
    const window = new ZaloWindow(conn, zaloUserTag(CIPHER));
    await window.record(USER, Date.now() - 3 * 24 * 3_600_000); // quiet for 3 days: the reply hint is due
    const outbox = new TestOutbox({
      connection: redis.url,
      senders: { zalo: new WindowedSender(new ZaloSender(client), window) },
      logger: silentLogger,
      limits: { zalo: { perChatGapMs: 0 } },
      retry: { attempts: 3, backoffMs: 40 },
    });
    cleanups.push(async () => {
      await outbox.close({ force: true });
      conn.disconnect();
    });
    await outbox.startWorkers();
    const paragraphs = Array.from({ length: 30 }, (_, i) => `Đoạn ${i + 1}: ${'trẻ em cần được bảo vệ. '.repeat(6).trim()}`);
    const text = paragraphs.join('\n\n');
    expect(text.length).toBeGreaterThanOrEqual(4500);
    expect(text.length).toBeLessThan(5000);
    // The fake refuses the call right after the first part is accepted: the second part, once.
    const push = fake.messages.push.bind(fake.messages);
    fake.messages.push = (...items) => {
      const n = push(...items);
      if (n === 1) fake.failNext(-32);
      return n;
    };
    const key = `test-long:${USER}`;
    await outbox.enqueue({ to: { channel: 'zalo', chatId: USER }, message: { text }, key });
    await until(() => outbox.wasSent(key), 10_000, 'the message to be sent');
    await outboxIdle(outbox, ['zalo']); // the job finished: no part can still be on its way
    expect(fake.calls.map((c) => c.error)).toEqual([0, -32, 0, 0]);
    const parts = fake.messages.map((m) => m.text);
    expect(parts).toHaveLength(3);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(2000);
    expect(parts.join('\n\n')).toBe(`${text}\n\n${ZALO_REPLY_HINT}`); // in order, once each, the hint at the end
  });

  it('100 concurrent sends across 3 processes with an expired token: exactly one refresh, all delivered', async () => {
    const procs = [makeProcess(), makeProcess(), makeProcess()];
    const old = await authorise(procs[0]!.tokens);
    fake.expireAccessTokens(); // Zalo says -216 although we think the token is valid
    const sends = Array.from({ length: 100 }, (_, i) => procs[i % 3]!.client.sendText(USER, `tin ${i}`));
    await Promise.all(sends);
    expect(fake.refreshCount).toBe(1);
    expect(fake.messages).toHaveLength(100);
    expect(new Set(fake.messages.map((m) => m.text)).size).toBe(100);
    const stored = await procs[1]!.tokens.readPair();
    expect(stored?.accessToken).not.toBe(old.accessToken);
    expect(fake.messages.every((m) => m.accessToken === stored?.accessToken)).toBe(true);
  });

  it('100 concurrent sends with a stored token about to expire: exactly one refresh', async () => {
    const procs = [makeProcess(), makeProcess()];
    const pair = fake.issuePair();
    await redis.client.hset(zaloTokenKeys(fake.appId).pair, {
      access_token: pair.accessToken,
      refresh_token: pair.refreshToken,
      expires_at: String(Date.now() + 60 * 60_000),
      refresh_at: String(Date.now() - 1), // due for refresh
    });
    await Promise.all(Array.from({ length: 100 }, (_, i) => procs[i % 2]!.client.sendText(USER, `x${i}`)));
    expect(fake.refreshCount).toBe(1);
    expect(fake.messages).toHaveLength(100);
    const stored = await procs[0]!.tokens.readPair();
    expect(stored!.expiresAt).toBeGreaterThan(Date.now() + 24 * 3_600_000); // expires_in "90000" parsed
  });

  it('with a short lifetime (100 s) the single-use refresh token is spent once per lifetime, not per send', async () => {
    await fake.close();
    fake = await startFakeZalo({ expiresIn: '100' });
    let clock = Date.now();
    const { tokens, client } = makeProcess({ now: () => clock, refreshTiming: { floorMs: 10_000 } });
    await authorise(tokens);
    const start = clock;
    const sendAt = async (offsetSec: number) => {
      clock = start + offsetSec * 1000;
      await client.sendText(USER, `lúc ${offsetSec}s`);
    };
    for (let s = 0; s < 80; s += 4) await sendAt(s); // 20 sends within 80% of the lifetime
    expect(fake.refreshCount).toBe(0);
    for (let s = 80; s < 160; s += 4) await sendAt(s); // due at 80 s; the new token is due at 160 s
    expect(fake.refreshCount).toBe(1);
    await sendAt(160);
    expect(fake.refreshCount).toBe(2);
    expect(fake.messages).toHaveLength(41);
  });

  it('-230 throws OutsideWindowError without retrying', async () => {
    const { tokens, client } = makeProcess();
    await authorise(tokens);
    fake.failNext(-230);
    await expect(client.sendText(USER, 'hi')).rejects.toBeInstanceOf(OutsideWindowError);
    expect(fake.calls).toHaveLength(1);
    expect(fake.messages).toHaveLength(0);
  });

  it('-213 throws UnreachableError, -32 RetryableSendError with a delay, -320 a billing error', async () => {
    const { tokens, client } = makeProcess();
    await authorise(tokens);
    fake.failNext(-213);
    await expect(client.sendText(USER, 'a')).rejects.toBeInstanceOf(UnreachableError);
    fake.failNext(-32);
    const rate = await client.sendText(USER, 'b').catch((e: unknown) => e);
    expect(rate).toBeInstanceOf(RetryableSendError);
    expect((rate as RetryableSendError).retryAfterMs).toBeGreaterThan(0);
    fake.failNext(-320);
    const billing = await client.sendText(USER, 'c').catch((e: unknown) => e);
    expect(billing).toBeInstanceOf(ZaloPermanentSendError);
    expect((billing as ZaloPermanentSendError).billing).toBe(true);
    fake.failNext(-999);
    const unknown = await client.sendText(USER, 'd').catch((e: unknown) => e);
    expect(unknown).toMatchObject({ reason: 'unknown', code: -999, billing: false });
    expect(fake.calls).toHaveLength(4);
  });

  it('a malformed body is refused by the fake with -201 and becomes a permanent error', async () => {
    const { tokens, client } = makeProcess();
    await authorise(tokens);
    const err = await client.sendText('not-a-zalo-id', 'hi').catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'invalid_request', code: -201 });
  });

  it('network failure and HTTP 5xx are retryable', async () => {
    const { tokens } = makeProcess();
    await authorise(tokens);
    const dead = new ZaloClient({ tokens, apiRoot: `http://127.0.0.1:${await freePort()}` });
    cleanups.push(() => dead.close());
    await expect(dead.sendText(USER, 'hi')).rejects.toBeInstanceOf(RetryableSendError);
    const notFound = new ZaloClient({ tokens, apiRoot: `${fake.url}/down` });
    cleanups.push(() => notFound.close());
    // The fake answers 404 on unknown paths; that is a bug (permanent), not a passing fault.
    await expect(notFound.sendText(USER, 'hi')).rejects.toBeInstanceOf(ZaloPermanentSendError);
  });

  it('a reply longer than 2,000 characters arrives in parts, in order, each at most 2,000', async () => {
    const { tokens, client } = makeProcess();
    await authorise(tokens);
    const paragraphs = Array.from({ length: 12 }, (_, i) => `Đoạn ${i}: ` + 'trẻ em cần được bảo vệ. '.repeat(20).trim());
    const long = paragraphs.join('\n\n');
    expect(long.length).toBeGreaterThan(5000);
    const res = await client.sendText(USER, long);
    expect(fake.messages.length).toBeGreaterThanOrEqual(3);
    expect(res.messageIds).toHaveLength(fake.messages.length);
    for (const m of fake.messages) expect(m.text.length).toBeLessThanOrEqual(2000);
    // In order and nothing lost: the parts rejoined hold every word in sequence.
    const words = (s: string) => s.split(/\s+/).filter(Boolean);
    expect(fake.messages.flatMap((m) => words(m.text))).toEqual(words(long));
    // Cut at paragraph breaks when there are some.
    for (const m of fake.messages) expect(m.text).toMatch(/^Đoạn \d+:/);
  });

  it('splitText cuts words that are too long without breaking surrogate pairs', () => {
    const emoji = '😀'.repeat(1500); // 3,000 UTF-16 units, no spaces
    const parts = splitText(emoji, 2000);
    expect(parts.join('')).toBe(emoji);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(2000);
      expect(p).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
    }
    expect(splitText('short')).toEqual(['short']);
  });
});

describe('tokens', () => {
  it('a rejected refresh raises ZaloReauthorizationRequired, logs the OAuth body, sets the flag and calls back once', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
    const onReauthorizationRequired = vi.fn();
    const { tokens, client } = makeProcess({ onReauthorizationRequired, logger });
    const old = await authorise(tokens);
    fake.expireAccessTokens();
    fake.rejectRefreshes(true);
    await expect(tokens.forceRefresh(old.accessToken)).rejects.toBeInstanceOf(ZaloReauthorizationRequired);
    expect(onReauthorizationRequired).toHaveBeenCalledTimes(1);
    expect(await tokens.isReauthorizationRequired()).toBe(true);
    expect(lines.join('')).toContain('Invalid refresh token');
    expect(lines.join('')).toContain('-14014');

    // A send now fails permanently (an admin must act) without hammering the OAuth server again.
    const before = fake.refreshCount;
    const err = await client.sendText(USER, 'hi').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloPermanentSendError);
    expect((err as ZaloPermanentSendError).reason).toBe('reauthorization');
    expect(fake.refreshCount).toBe(before);
    expect(onReauthorizationRequired).toHaveBeenCalledTimes(1);

    // Re-authorising clears the flag and sending works again.
    await authorise(tokens);
    expect(await tokens.isReauthorizationRequired()).toBe(false);
    await client.sendText(USER, 'lại được');
    expect(fake.messages.map((m) => m.text)).toEqual(['lại được']);
  });

  it('keeps using a still-valid token when an early refresh is rejected', async () => {
    const { tokens } = makeProcess();
    const pair = fake.issuePair();
    await redis.client.hset(zaloTokenKeys(fake.appId).pair, {
      access_token: pair.accessToken,
      refresh_token: pair.refreshToken,
      expires_at: String(Date.now() + 60 * 60_000),
      refresh_at: String(Date.now() - 1),
    });
    fake.rejectRefreshes(true);
    expect(await tokens.getAccessToken()).toBe(pair.accessToken);
    expect(await tokens.isReauthorizationRequired()).toBe(true);
  });

  it('forceRefresh with an already replaced token does not refresh again', async () => {
    const { tokens } = makeProcess();
    const first = await authorise(tokens);
    const second = await tokens.forceRefresh(first.accessToken);
    expect(await tokens.forceRefresh(first.accessToken)).toBe(second);
    expect(fake.refreshCount).toBe(1);
  });

  it('PKCE, consent URL and the stored verifier', async () => {
    const { tokens } = makeProcess();
    const { codeVerifier, codeChallenge } = createPkcePair();
    expect(codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(codeChallenge).toBe(pkceChallenge(codeVerifier));
    // RFC 7636 appendix B example.
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    const url = new URL(
      buildConsentUrl({ oauthRoot: 'https://oauth.zaloapp.com/', appId: '42', redirectUri: 'https://x.vn/cb?a=1', codeChallenge, state: 's1' }),
    );
    expect(url.origin + url.pathname).toBe('https://oauth.zaloapp.com/v4/oa/permission');
    expect(Object.fromEntries(url.searchParams)).toEqual({ app_id: '42', redirect_uri: 'https://x.vn/cb?a=1', code_challenge: codeChallenge, state: 's1' });

    await tokens.savePkceVerifier('s1', codeVerifier);
    expect(await redis.client.ttl(zaloTokenKeys(fake.appId).pkce(CIPHER.blind('zalo-pkce:s1')))).toBeGreaterThan(590);
    expect(await tokens.takePkceVerifier()).toBe(codeVerifier);
    expect(await tokens.takePkceVerifier('s1')).toBeNull(); // taken once
  });

  it('a copy of Redis without DATA_KEY holds neither token, nor a verifier, nor its state', async () => {
    const { tokens } = makeProcess();
    const pair = await authorise(tokens);
    const { codeVerifier } = createPkcePair();
    await tokens.savePkceVerifier('state-7f3a9c', codeVerifier);
    const dump = await dumpText(redis.client);
    for (const secret of [pair.accessToken, pair.refreshToken, codeVerifier, 'state-7f3a9c']) expect(dump).not.toContain(secret);
    expect(await redis.client.hkeys(zaloTokenKeys(fake.appId).pair)).not.toContain('access_token');
    // A sealed pair copied under another OA app's key does not open there (bound to its record).
    const other = zaloTokenKeys('other-app').pair;
    await redis.client.hset(other, await redis.client.hgetall(zaloTokenKeys(fake.appId).pair));
    const thief = new ZaloTokenStore({ redis: redis.client, cipher: CIPHER, appId: 'other-app', appSecret: 'x', oauthRoot: fake.url });
    await expect(thief.readPair()).rejects.toThrow();
    await thief.close();
    // The verifier still opens for the one who made the link.
    expect(await tokens.takePkceVerifier()).toBe(codeVerifier);
  });

  it('a pair stored in clear by an older version is sealed in place when first read', async () => {
    const { tokens } = makeProcess();
    const pair = fake.issuePair();
    await redis.client.hset(zaloTokenKeys(fake.appId).pair, { access_token: pair.accessToken, refresh_token: pair.refreshToken, expires_at: String(Date.now() + 3_600_000) });
    expect(await tokens.getAccessToken()).toBe(pair.accessToken);
    expect(await dumpText(redis.client)).not.toContain(pair.refreshToken);
    expect((await tokens.readPair())?.refreshToken).toBe(pair.refreshToken);
  });

  it('a wrong code verifier is rejected by the exchange', async () => {
    const { tokens } = makeProcess();
    fake.addAuthCode('c', createPkcePair().codeChallenge);
    await expect(tokens.exchangeCode('c', createPkcePair().codeVerifier)).rejects.toMatchObject({ name: 'ZaloOAuthRejected' });
    expect(await tokens.readPair()).toBeNull();
  });
});

describe('zalo:auth command', () => {
  it('prints a PKCE consent link, reads the pasted redirect URL, exchanges the code and stores the pair', async () => {
    const { runZaloAuth, parseCodeInput } = await import('../src/cli/zalo-auth.js');
    const { loadEnv } = await import('../src/config/env.js');
    const { PassThrough } = await import('node:stream');
    expect(parseCodeInput('abc')).toEqual({ code: 'abc' });
    expect(parseCodeInput('https://x.vn/cb?code=c1&state=s1&oa_id=9')).toEqual({ code: 'c1', state: 's1' });

    const env = loadEnv({
      REDIS_URL: redis.url,
      ZALO_APP_ID: fake.appId,
      ZALO_APP_SECRET: fake.appSecret,
      ZALO_OA_SECRET_KEY: 'oa',
      ZALO_REDIRECT_URI: 'https://commune.example.vn/zalo/callback',
      ZALO_OAUTH_ROOT: fake.url,
      DATA_KEY: DATA_KEY_TEXT,
    });
    const stdin = new PassThrough();
    let printed = '';
    const stdout = new Writable({
      write(chunk, _enc, cb) {
        printed += String(chunk);
        const m = printed.match(/(http:\/\/127\.0\.0\.1:\d+\/v4\/oa\/permission\?\S+)/);
        if (m && printed.includes('Paste') && !stdin.writableEnded) {
          const link = new URL(m[1]!);
          expect(link.searchParams.get('redirect_uri')).toBe('https://commune.example.vn/zalo/callback');
          fake.addAuthCode('code-from-zalo', link.searchParams.get('code_challenge')!);
          stdin.end(`https://commune.example.vn/zalo/callback?code=code-from-zalo&state=${link.searchParams.get('state')}\n`);
        }
        cb();
      },
    });
    const code = await runZaloAuth({ argv: [], env, stdin, stdout, logger: pino({ level: 'silent' }) });
    expect(code).toBe(0);
    expect(printed).toContain('Zalo OA authorised');
    const tokens = makeProcess().tokens;
    const pair = await tokens.readPair();
    expect(pair).not.toBeNull();
    expect(printed).not.toContain(pair!.accessToken);
    expect(printed).not.toContain(pair!.refreshToken);
  });
});
