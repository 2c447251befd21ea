/**
 * A Redis outage does not pile up requests in the web process: beyond OUTAGE_IN_FLIGHT turns waiting for
 * Redis, a Telegram update is answered 503 with Retry-After at once (Telegram redelivers it); the turns
 * that waited finish once Redis is back, and a put-off update redelivered then is handled once.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { OUTAGE_IN_FLIGHT } from '../src/bot/inbound.js';
import { startRedisServer } from '../src/store/redis-server.js';
import { startFakeTelegram } from './helpers/fake-telegram.js';
import { startService } from './helpers/service.js';
import { textUpdate } from './helpers/telegram-updates.js';

it('during a Redis outage, turns beyond the cap get 503 + Retry-After at once; the rest finish when Redis is back', async () => {
  const SECRET = 'outage-secret-0123456789abcdefghijklmnopqrstuv';
  const fake = await startFakeTelegram();
  const svc = await startService({ TELEGRAM_BOT_TOKEN: '123456:OUTAGE', TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot });
  const post = (update: object) =>
    svc.app.inject({ method: 'POST', url: '/telegram/webhook', headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' }, payload: update });
  const { port, dir } = svc.redis;
  svc.redis.client.on('error', () => undefined); // it reconnects through the outage too
  try {
    await svc.redis.kill(); // Redis goes away; the service's connection keeps trying
    await new Promise((r) => setTimeout(r, 200));
    const total = OUTAGE_IN_FLIGHT + 40;
    const answered: Array<{ statusCode: number; headers: Record<string, unknown> }> = [];
    const answers = Array.from({ length: total }, (_, i) => post(textUpdate(990_000 + i, '/start', 770_000 + i)).then((res) => (answered.push(res), res)));
    const deadline = Date.now() + 3_000;
    while (answered.length < total - OUTAGE_IN_FLIGHT && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(answered).toHaveLength(total - OUTAGE_IN_FLIGHT);
    for (const res of answered) {
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
    }
    const back = await startRedisServer(join(dir), { port });
    try {
      const all = await Promise.all(answers);
      expect(all.filter((r) => r.statusCode === 200)).toHaveLength(OUTAGE_IN_FLIGHT);
      // Telegram redelivers a put-off update: handled now, and once (a second delivery sends nothing more).
      const putOff = all.findIndex((r) => r.statusCode === 503);
      const handled = all.findIndex((r) => r.statusCode === 200);
      const to = (i: number) => fake.callsTo('sendMessage').filter((c) => String(c.payload.chat_id) === String(990_000 + i));
      expect(to(putOff)).toHaveLength(0);
      for (let n = 0; n < 2; n++) expect((await post(textUpdate(990_000 + putOff, '/start', 770_000 + putOff))).statusCode).toBe(200);
      expect(to(handled).length).toBeGreaterThan(0);
      expect(to(putOff).length).toBe(to(handled).length);
    } finally {
      await back.stop();
    }
  } finally {
    await svc.app.close();
    svc.runtime.redis.disconnect();
    await svc.runtime.services.outbox.close({ force: true }).catch(() => undefined);
    await fake.close();
    svc.redis.client.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
