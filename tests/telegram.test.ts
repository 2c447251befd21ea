import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram, type ApiCall } from './helpers/fake-telegram.js';
import { outboxIdle } from './helpers/outbox-wait.js';
import { startService, type TestService } from './helpers/service.js';
import { buttonUpdate, stickerUpdate, textUpdate } from './helpers/telegram-updates.js';
import { until } from './helpers/wait.js';
import { startWorkers } from '../src/app/workers.js';

const SECRET = 'webhook_secret-123-0123456789abcdefghijklmnopqrstuv';
let fake: FakeTelegram;
let svc: TestService;

type Keyboard = { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };

beforeAll(async () => {
  fake = await startFakeTelegram();
  svc = await startService({
    TELEGRAM_BOT_TOKEN: '123456:TEST-token',
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    DATA_KEY: 'c570a2f1f1bd08021594cec1b5936961e28640452f626f24aa0e01fd70b001d7',
  });
});
afterAll(async () => {
  await svc.stop();
  await fake.close();
});

async function post(update: object, secret = SECRET) {
  return svc.app.inject({
    method: 'POST',
    url: '/telegram/webhook',
    headers: { 'x-telegram-bot-api-secret-token': secret, 'content-type': 'application/json' },
    payload: update,
  });
}

/** Sends an update through the webhook and returns the sendMessage calls it caused, for that chat. */
async function turn(update: { update_id: number }, chatId: number): Promise<ApiCall[]> {
  const before = fake.callsTo('sendMessage').length;
  const res = await post(update);
  expect(res.statusCode).toBe(200);
  return fake.callsTo('sendMessage').slice(before).filter((c) => String(c.payload.chat_id) === String(chatId));
}

const text = (calls: ApiCall[]) => calls.map((c) => String(c.payload.text)).join('\n---\n');
const buttons = (call: ApiCall | undefined) => ((call?.payload.reply_markup as Keyboard | undefined)?.inline_keyboard ?? []).flat();

describe('Telegram webhook', () => {
  it('refuses a wrong secret token with 401 and handles nothing', async () => {
    const before = fake.calls.length;
    const res = await post(textUpdate(900, '/start'), 'forged');
    expect(res.statusCode).toBe(401);
    expect(fake.calls.length).toBe(before);
  });

  it('processes a repeated update_id once', async () => {
    const update = textUpdate(901, '/start');
    const first = await turn(update, 901);
    const second = await turn(update, 901);
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(0);
  });

  it('runs a whole report with inline buttons, and typed answers work in between', async () => {
    const chat = 902;
    const start = await turn(textUpdate(chat, '/start'), chat);
    const menu = buttons(start[0]);
    expect(menu.map((b) => b.text)).toContain('📝 Báo cáo sự việc về trẻ em');
    const reportButton = menu.find((b) => b.callback_data === 'menu:report')!;

    const press = buttonUpdate(chat, reportButton.callback_data);
    const categoryPrompt = await turn(press, chat);
    // The button's spinner is stopped: the press itself is answered, once.
    expect(fake.callsTo('answerCallbackQuery').filter((c) => c.payload.callback_query_id === press.callback_query.id)).toHaveLength(1);
    const categories = buttons(categoryPrompt.at(-1));
    expect(categories.map((b) => b.text)).toContain('Bạo lực, đánh đập');
    for (const b of categories) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);

    const villagePrompt = await turn(buttonUpdate(chat, categories.find((b) => b.text === 'Bạo lực, đánh đập')!.callback_data), chat);
    expect(text(villagePrompt)).toContain('thôn');
    const village = buttons(villagePrompt[0]).find((b) => b.text === 'Thôn Khuổi Tát')!;
    expect(text(await turn(buttonUpdate(chat, village.callback_data), chat))).toContain('kể ngắn gọn');
    expect(text(await turn(textUpdate(chat, 'Em bé bị cha dượng đánh bằng gậy'), chat))).toContain('khi nào');
    const whenPrompt = fake.callsTo('sendMessage').at(-1);
    await turn(buttonUpdate(chat, buttons(whenPrompt).find((b) => b.text === 'Hôm nay')!.callback_data), chat);
    await turn(textUpdate(chat, '10'), chat); // typed age
    const sexPrompt = fake.callsTo('sendMessage').at(-1);
    await turn(buttonUpdate(chat, buttons(sexPrompt).find((b) => b.text === 'Nam')!.callback_data), chat);
    await turn(textUpdate(chat, 'không'), chat); // typed danger answer
    await turn(buttonUpdate(chat, 'skip'), chat);
    await turn(buttonUpdate(chat, 'skip'), chat);
    const summary = await turn(buttonUpdate(chat, 'anonymous'), chat);
    expect(text(summary)).toContain('Thôn Khuổi Tát');
    expect(buttons(summary[0]).map((b) => b.callback_data)).toEqual(['send', 'flow:back', 'flow:cancel']);
    const done = await turn(buttonUpdate(chat, 'send'), chat);
    const code = text(done).match(/TE-[0-9A-Z]{6}/)?.[0];
    expect(code).toBeDefined();
    const status = await turn(textUpdate(chat, `/trangthai ${code}`), chat);
    expect(text(status)).toContain('Đã nhận');
    // Another Telegram user cannot read it.
    expect(text(await turn(textUpdate(903, `/trangthai ${code}`), 903))).toContain('không do bạn gửi');
  });

  it('ignores update kinds it does not handle, and drops a body that is not JSON (200: Telegram must not retry it), without crashing', async () => {
    const before = fake.calls.length;
    const edited = await post({ update_id: 990001, edited_message: { message_id: 1, date: 0, chat: { id: 907, type: 'private' }, text: 'x' } });
    expect(edited.statusCode).toBe(200);
    const garbage = await svc.app.inject({ method: 'POST', url: '/telegram/webhook', headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' }, payload: '{not json' });
    expect(garbage.statusCode).toBe(200);
    expect(fake.calls.length).toBe(before);
    expect(text(await turn(textUpdate(907, '/start'), 907))).toContain('/baocao');
  });

  it('never runs a conversation in a group chat', async () => {
    const update = textUpdate(908, '/baocao');
    (update.message.chat as { id: number; type: string }) = { id: -100908, type: 'group' };
    const before = fake.callsTo('sendMessage').length;
    expect((await post(update)).statusCode).toBe(200);
    const sent = fake.callsTo('sendMessage').slice(before);
    expect(sent).toHaveLength(1);
    expect(String(sent[0]?.payload.text)).toContain('nhắn riêng');
    expect(await svc.runtime.services.sessions.get('telegram:908')).toBeUndefined();
  });

  it('answers a sticker politely', async () => {
    expect(text(await turn(stickerUpdate(904), 904))).toContain('nhãn dán');
  });

  it('a reply the Bot API refuses (500s) is handed to the outbox and delivered once', async () => {
    const chat = 905;
    const workers = await startWorkers(svc.runtime);
    try {
      fake.failNext(2, { status: 500 }); // the direct send fails, then the outbox's first try
      const res = await post(textUpdate(chat, '/help'));
      expect(res.statusCode).toBe(200);
      const delivered = () => fake.delivered().filter((c) => String(c.payload.chat_id) === String(chat));
      await until(() => delivered().length === 1, 10_000, 'the reply delivered through the outbox');
      await outboxIdle(svc, ['telegram']); // the outbox finished: a second delivery would have happened
      expect(delivered()).toHaveLength(1);
      expect(String(delivered()[0]?.payload.text)).toContain('Hướng dẫn');
    } finally {
      await workers.close();
    }
  });
});

describe('Telegram long polling', () => {
  it('receives updates with getUpdates and replies through the same core', async () => {
    const polling = await startService(
      { TELEGRAM_BOT_TOKEN: '123456:TEST-token', TELEGRAM_MODE: 'polling', TELEGRAM_API_ROOT: fake.apiRoot, DATA_KEY: '262cdfefb51873edc6242e6fdf792cd7331037bf0a0b58fb65a8c846873224be' },
      { redis: svc.redis, dataKey: svc.dataKey },
    );
    const bot = polling.runtime.telegram!.bot;
    void bot.start({ drop_pending_updates: false });
    const before = fake.callsTo('sendMessage').length;
    fake.pushUpdate(textUpdate(906, 'bao cao'));
    const mine = () => fake.callsTo('sendMessage').slice(before).filter((c) => String(c.payload.chat_id) === '906');
    await until(() => mine().length >= 2, 5000, 'two replies to chat 906');
    expect(text(mine())).toContain('việc gì');
    await bot.stop();
    await polling.stop();
  });
});
