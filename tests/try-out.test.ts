/**
 * The try-out mode contained, tried the way an attacker would: a page on another host posting to the
 * local chat, a production start (token or Redis named) that still offers /local, a demo officer left
 * in a production Redis.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadEnv, tryOutMode } from '../src/config/env.js';
import { startService, type TestService } from './helpers/service.js';

const send = { userId: 'nguoi-dan-1', text: '/start' };

describe('in the try-out mode the local chat answers loopback pages only', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startService();
  });
  afterAll(async () => svc.stop());

  it('a page this machine loaded is answered', async () => {
    const res = await svc.app.inject({ method: 'POST', url: '/local/send', headers: { host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000' }, payload: send });
    expect(res.statusCode).toBe(200);
    expect((await svc.app.inject({ method: 'GET', url: '/', headers: { host: '[::1]:3000' } })).statusCode).toBe(200);
  });

  it('a foreign Host (DNS rebinding) or a foreign Origin gets 403 and nothing is handled', async () => {
    for (const headers of [{ host: 'evil.example:3000' }, { host: 'localhost:3000', origin: 'http://evil.example' }, { host: '127.0.0.1.evil.example' }, { host: 'localhost', origin: 'null' }]) {
      const res = await svc.app.inject({ method: 'POST', url: '/local/send', headers, payload: { userId: 'bi-lua', text: '/start' } });
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      const read = await svc.app.inject({ method: 'GET', url: '/local/messages?userId=can-bo', headers });
      expect(read.statusCode).toBe(403);
    }
    expect(await svc.redis.client.exists('local:chat:bi-lua')).toBe(0);
  });
});

describe('with a platform token or a Redis named there is no try-out mode', () => {
  it('is chosen only with no token and no REDIS_URL / REDIS_SENTINELS / REDIS_CLUSTER_NODES', () => {
    expect(tryOutMode(loadEnv({}))).toBe(true);
    expect(tryOutMode(loadEnv({ REDIS_URL: 'redis://db.internal:6379' }))).toBe(false);
    expect(tryOutMode(loadEnv({ REDIS_SENTINELS: 'a:26379', REDIS_SENTINEL_MASTER: 'm' }))).toBe(false);
    expect(tryOutMode(loadEnv({ REDIS_CLUSTER_NODES: 'a:7000' }))).toBe(false);
    expect(tryOutMode(loadEnv({ TELEGRAM_BOT_TOKEN: '123:abc' }))).toBe(false);
  });

  it('the try-out mode refuses a non-loopback HOST; a production start may listen anywhere', () => {
    expect(() => loadEnv({ HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => loadEnv({ HOST: '0.0.0.0' })).toThrow(/HOST: must be 127\.0\.0\.1, ::1 or localhost in the try-out mode/);
    expect(loadEnv({ HOST: '0.0.0.0', TELEGRAM_BOT_TOKEN: '123:abc' }).HOST).toBe('0.0.0.0');
  });

  let svc: TestService;
  let first: TestService;
  const lines: string[] = [];
  beforeAll(async () => {
    first = await startService(); // a try-out run left its demo officer in this Redis
    await first.runtime.services.roles.assign({ identity: 'local:can-bo', communeId: 'bao-linh', role: 'officer', since: 1 }, 'demo');
    await first.app.close();
    await first.runtime.close();
    const log = pino({ level: 'error' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
    svc = await startService({ TELEGRAM_BOT_TOKEN: '123456:PROD' }, { redis: first.redis, dataKey: first.dataKey, log });
  });
  afterAll(async () => {
    await svc.stop();
    await first.redis.stop(); // shared by both services, so neither stops it
  });

  it('no /local route exists (404), even from loopback', async () => {
    for (const [method, url] of [['POST', '/local/send'], ['GET', '/local/messages?userId=can-bo'], ['GET', '/local/users'], ['GET', '/']] as const) {
      const res = await svc.app.inject({ method, url, headers: { host: '127.0.0.1:3000' }, ...(method === 'POST' ? { payload: send } : {}) });
      expect(res.statusCode, url).toBe(404);
    }
  });

  it('a leftover demo officer is refused (no role, never a recipient) and reported at start-up', async () => {
    const roles = svc.runtime.services.roles;
    expect(await roles.get('local:can-bo')).toBeUndefined();
    expect((await roles.members('bao-linh', 'officer')).map((m) => m.identity)).not.toContain('local:can-bo');
    expect(lines.join('')).toContain('a demo role is in this Redis outside the try-out mode');
    expect(lines.join('')).toContain('local:can-bo');
  });
});
