/**
 * Issue 15's hot-path budget, measured from outside with MONITOR: one ordinary conversation step through
 * the Telegram webhook costs the request connection three Redis commands, one after another (begin,
 * commit, confirm of the one reply part), each a script called by SHA, and no other command.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from './helpers/fake-telegram.js';
import { startService, type TestService } from './helpers/service.js';
import { textUpdate } from './helpers/telegram-updates.js';

const SECRET = 'rt-secret';
let fake: FakeTelegram;
let svc: TestService;

beforeAll(async () => {
  fake = await startFakeTelegram();
  svc = await startService({ TELEGRAM_BOT_TOKEN: '123456:RT', TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot });
});
afterAll(async () => {
  await svc.stop();
  await fake.close();
});

async function say(chat: number, text: string): Promise<void> {
  const res = await svc.app.inject({ method: 'POST', url: '/telegram/webhook', headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' }, payload: textUpdate(chat, text) });
  expect(res.statusCode).toBe(200);
}

/** The commands the service's request connection sent while `fn` ran (scripts' inner commands excluded). */
async function commandsDuring(fn: () => Promise<void>): Promise<string[]> {
  const redis = svc.runtime.redis as Redis & { stream?: { localPort?: number } };
  const port = redis.stream?.localPort;
  const monitor = await svc.redis.client.monitor();
  const seen: string[] = [];
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source.endsWith(`:${port}`) && !args.some((a) => a.startsWith('alive:'))) seen.push(args[0]?.toLowerCase() ?? '');
  });
  await new Promise((r) => setTimeout(r, 50));
  await fn();
  await new Promise((r) => setTimeout(r, 50));
  monitor.disconnect();
  return seen;
}

it('an ordinary report step is three scripts by SHA on the request connection', async () => {
  const chat = 6101;
  await say(chat, '/baocao');
  await say(chat, '5');
  const steps: string[][] = [];
  for (const answer of ['na ca', 'Cháu bé bị đánh nhiều lần, có vết bầm', 'hom nay', '8']) steps.push(await commandsDuring(() => say(chat, answer)));
  console.log(`commands per ordinary step: ${steps.map((s) => `${s.length} (${s.join(' ')})`).join('; ')}`);
  for (const s of steps) expect(s).toEqual(['evalsha', 'evalsha', 'evalsha']);
});
