/**
 * Every webhook body gets the answer it should (docs/turns.md): a forged one 401, one that is not JSON
 * 400, one signed or carrying the right secret but not an update we can read 200 and exactly one warn
 * line (so the platform does not retry it for hours), never 500, never a stack, and nothing handled.
 */
import { pino, type Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postZalo, startZaloHarness, type ZaloHarness } from './helpers/channels.js';
import { startFakeTelegram, type FakeTelegram } from './helpers/fake-telegram.js';
import { startService, type TestService } from './helpers/service.js';
import { textUpdate } from './helpers/telegram-updates.js';

interface Line {
  level: number;
  msg: string;
  err?: { stack?: string };
}

function capturingLogger(): { log: Logger; lines: Line[] } {
  const lines: Line[] = [];
  return { lines, log: pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as Line) }) };
}
const WARN = 40;
const ERROR = 50;

const message = { message_id: 1, date: 0, chat: { id: 7501, type: 'private' }, from: { id: 7501, is_bot: false, first_name: 'A' } };
/** [what, body, an update we read (0 warn lines) or not (1)] */
const TELEGRAM_TABLE: Array<[string, unknown, 0 | 1]> = [
  ['null', null, 1],
  ['an array', [], 1],
  ['a string', 'update', 1],
  ['no update_id', { message: { ...message, text: 'hi' } }, 1],
  ['update_id a string', { update_id: '5', message: { ...message, text: 'hi' } }, 1],
  ['update_id negative', { update_id: -1, message: { ...message, text: 'hi' } }, 1],
  ['update_id a fraction', { update_id: 1.5, message: { ...message, text: 'hi' } }, 1],
  ['text a number', { update_id: 880001, message: { ...message, text: 42 } }, 1],
  ['message a string', { update_id: 880002, message: 'hello' }, 1],
  ['chat missing', { update_id: 880003, message: { message_id: 1, date: 0, from: message.from, text: 'hi' } }, 1],
  ['photo not a list', { update_id: 880004, message: { ...message, photo: 'x' } }, 1],
  ['a photo without file_id', { update_id: 880010, message: { ...message, photo: [{ file_id: 'a' }, { width: 9 }] } }, 1],
  ['location latitude a string', { update_id: 880011, message: { ...message, location: { latitude: '1', longitude: 2 } } }, 1],
  ['chat id a string', { update_id: 880012, message: { ...message, chat: { id: '7501', type: 'private' }, text: 'hi' } }, 1],
  ['message null', { update_id: 880013, message: null }, 1],
  ['callback data a number', { update_id: 880005, callback_query: { id: 'c', from: message.from, data: 5, message } }, 1],
  ['callback without from', { update_id: 880006, callback_query: { id: 'c', data: 'menu:help', message } }, 1],
  ['from missing (a channel post)', { update_id: 880007, message: { message_id: 1, date: 0, chat: message.chat, text: 'hi' } }, 0],
  ['a kind we do not handle', { update_id: 880008, edited_message: { ...message, text: 'x' } }, 0],
];

describe('Telegram webhook', () => {
  const SECRET = 'bodies-secret-0123456789abcdefghijklmnopqrstuv';
  const { log, lines } = capturingLogger();
  let fake: FakeTelegram;
  let svc: TestService;
  beforeAll(async () => {
    fake = await startFakeTelegram();
    svc = await startService({ TELEGRAM_BOT_TOKEN: '123456:BODIES', TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot }, { log });
  });
  afterAll(async () => {
    await svc.stop();
    await fake.close();
  });
  const post = (payload: string, secret = SECRET) =>
    svc.app.inject({ method: 'POST', url: '/telegram/webhook', headers: { 'x-telegram-bot-api-secret-token': secret, 'content-type': 'application/json' }, payload });

  it.each(TELEGRAM_TABLE)('%s: 200, %i warn line, nothing handled', async (_what, body, warns) => {
    const from = lines.length;
    const res = await post(JSON.stringify(body));
    expect(res.statusCode).toBe(200);
    const mine = lines.slice(from);
    expect(mine.filter((l) => l.level >= WARN)).toHaveLength(warns);
    expect(mine.some((l) => l.err?.stack)).toBe(false);
    expect(fake.callsTo('sendMessage')).toHaveLength(0);
  });

  it('forged: 401 and nothing else; not JSON with the right secret: 200 and one warn; then a real update is still handled; no key names an undefined id', async () => {
    expect((await post(JSON.stringify(textUpdate(7502, '/start')), 'forged')).statusCode).toBe(401);
    const from = lines.length;
    expect((await post('{not json')).statusCode).toBe(200);
    expect(lines.slice(from).filter((l) => l.level >= WARN)).toHaveLength(1);
    expect(lines.filter((l) => l.level >= ERROR)).toEqual([]);
    expect(fake.callsTo('sendMessage')).toHaveLength(0);
    expect((await post(JSON.stringify(textUpdate(7502, '/start')))).statusCode).toBe(200);
    expect(fake.callsTo('sendMessage')).toHaveLength(1);
    expect(await svc.redis.client.keys('*undefined*')).toEqual([]);
  });
});

describe('the local page', () => {
  const { log, lines } = capturingLogger();
  let svc: TestService;
  beforeAll(async () => {
    svc = await startService({}, { log });
  });
  afterAll(async () => {
    await svc.stop();
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an empty object', {}],
    ['a user id with spaces', { userId: 'A B', text: 'hi' }],
    ['text a number', { userId: 'dan-body', text: 5 }],
    ['a client id with odd characters', { userId: 'dan-body', text: 'hi', clientId: 'a b:c' }],
    ['neither text nor choice', { userId: 'dan-body' }],
  ])('%s: 400 with the reason, never 500', async (_what, payload) => {
    const res = await svc.app.inject({ method: 'POST', url: '/local/send', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toHaveProperty('error');
    expect(lines.filter((l) => l.level >= ERROR)).toEqual([]);
  });
});

describe('Zalo webhook', () => {
  const { log, lines } = capturingLogger();
  let h: ZaloHarness;
  beforeAll(async () => {
    h = await startZaloHarness({ log });
  });
  afterAll(async () => {
    await h?.stop();
  });

  // A signature covers the body's timestamp: a body without one (null, a list) cannot be signed, and is a 401.
  it('an unsignable body (null): 401', async () => {
    expect((await postZalo(h.svc, 'null')).statusCode).toBe(401);
  });

  it.each<[string, object]>([
    ['event_name a number', { event_name: 5, timestamp: String(Date.now()) }],
    ['sender id a number', { event_name: 'user_send_text', timestamp: String(Date.now()), sender: { id: 5 }, message: { text: 'hi' } }],
    ['message a string', { event_name: 'user_send_text', timestamp: String(Date.now()), sender: { id: '8412' }, message: 'hi' }],
    ['attachments not a list', { event_name: 'user_send_image', timestamp: String(Date.now()), sender: { id: '8412' }, message: { attachments: 'x' } }],
  ])('signed, %s: 200 and one warn line, nothing queued', async (_what, body) => {
    const from = lines.length;
    const res = await postZalo(h.svc, body);
    expect(res.statusCode).toBe(200);
    expect(lines.slice(from).filter((l) => l.level >= WARN)).toHaveLength(1);
    expect(await h.svc.runtime.zalo?.inbound.queue.count()).toBe(0);
  });
});
