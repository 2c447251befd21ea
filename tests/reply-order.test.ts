/**
 * Replies leave in the order they were produced, also when a direct send fails (docs/turns.md): the
 * unsent parts go to the outbox as one ordered unit, later turns' replies queue behind them, the P0
 * hotline notice is never behind a later question, and a 429's retry_after is honoured (a short one by
 * the direct reply itself).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorkers, type RunningWorkers } from '../src/app/workers.js';
import { startFakeTelegram, type FakeTelegram } from './helpers/fake-telegram.js';
import { startService, type TestService } from './helpers/service.js';
import { textUpdate } from './helpers/telegram-updates.js';
import { until } from './helpers/wait.js';

const SECRET = 'order-secret-0123456789abcdefghijklmnopqrstuv';
const CONCERN = 'Cháu bé bị đánh chảy máu, bất tỉnh';
let fake: FakeTelegram;
let svc: TestService;
let workers: RunningWorkers;

beforeAll(async () => {
  fake = await startFakeTelegram();
  svc = await startService({ TELEGRAM_BOT_TOKEN: '123456:ORDER', TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot });
  workers = await startWorkers(svc.runtime);
});
afterAll(async () => {
  await workers.close();
  await svc.stop();
  await fake.close();
});

const post = (update: object) =>
  svc.app.inject({ method: 'POST', url: '/telegram/webhook', headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' }, payload: update });
/** Messages the chat received (accepted sends only), in arrival order. */
const delivered = (chat: number) => fake.calls.filter((c) => c.method === 'sendMessage' && c.status === 200 && String(c.payload.chat_id) === String(chat));
const texts = (chat: number) => delivered(chat).map((c) => String(c.payload.text));

it('a failed direct send: the rest of the turn and the next turn arrive once each, in order, the hotline notice first', async () => {
  // What the conversation looks like when every send works.
  const control = 7401;
  await post(textUpdate(control, CONCERN));
  await post(textUpdate(control, 'na ca'));
  const expected = texts(control);
  expect(expected.length).toBeGreaterThanOrEqual(3);
  expect(expected.findIndex((t) => t.includes('113'))).toBeLessThan(expected.length - 1);

  // The same conversation when the second part fails three times (the outbox's drain retries it).
  const chat = 7402;
  fake.failNext(3, { status: 500, description: 'Internal Server Error' }, 'sendMessage', 1);
  expect((await post(textUpdate(chat, CONCERN))).statusCode).toBe(200);
  // The person answers at once: this turn's reply must wait behind the first turn's.
  expect((await post(textUpdate(chat, 'na ca'))).statusCode).toBe(200);
  await until(async () => texts(chat).length >= expected.length, 15_000, 'every reply delivered');
  await new Promise((r) => setTimeout(r, 300)); // nothing more arrives
  expect(texts(chat)).toEqual(expected);
  const hotline = texts(chat).findIndex((t) => t.includes('113'));
  // The next turn's reply (the last message) comes after the hotline notice.
  expect(hotline).toBeGreaterThanOrEqual(0);
  expect(hotline).toBeLessThan(texts(chat).length - 1);
});

it("a 429 with retry_after longer than a direct reply may wait: the outbox sends it once the wait is over", async () => {
  const chat = 7403;
  fake.failNext(1, { status: 429, retryAfter: 3 });
  const t0 = Date.now();
  expect((await post(textUpdate(chat, '/help'))).statusCode).toBe(200);
  expect(Date.now() - t0).toBeLessThan(2_500); // the webhook is not held for the wait
  await until(async () => delivered(chat).length === 1, 15_000, 'the reply after the wait');
  const refused = fake.calls.find((c) => c.method === 'sendMessage' && c.status === 429 && String(c.payload.chat_id) === String(chat));
  expect(refused).toBeDefined();
  expect((delivered(chat)[0]?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(2_900);
  expect(texts(chat)[0]).toContain('Hướng dẫn');
});

it('a 429 with a short retry_after (at most 2 s) is waited out by the direct reply itself, and sent once', async () => {
  const chat = 7404;
  fake.failNext(1, { status: 429, retryAfter: 1 });
  expect((await post(textUpdate(chat, '/help'))).statusCode).toBe(200);
  // Sent before the webhook answered, not handed to the outbox.
  expect(delivered(chat)).toHaveLength(1);
  const refused = fake.calls.find((c) => c.method === 'sendMessage' && c.status === 429 && String(c.payload.chat_id) === String(chat));
  expect((delivered(chat)[0]?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(900);
  await new Promise((r) => setTimeout(r, 300)); // nothing more arrives
  expect(delivered(chat)).toHaveLength(1);
});
