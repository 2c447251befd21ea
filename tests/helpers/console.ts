/**
 * The whole service as the web console's end-to-end tests need it: a real redis-server, the runtime
 * with its background workers, the HTTP server listening on a loopback port named by PUBLIC_URL, the
 * fake Bot API as Telegram (it also serves the files people sent), and Telegram users who chat with
 * the service through its webhook.
 */
import { startWorkers, type RunningWorkers } from '../../src/app/workers.js';
import { freePort } from './browser.js';
import { startFakeTelegram, type ApiCall, type FakeTelegram } from './fake-telegram.js';
import { startService, type TestService } from './service.js';
import { textUpdate } from './telegram-updates.js';

export interface ConsoleService {
  svc: TestService;
  fake: FakeTelegram;
  workers: RunningWorkers;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** Sends a message as Telegram user `chatId`; resolves with what the service answered in that chat. */
  say(chatId: number, text: string): Promise<ApiCall[]>;
  /** Posts any update through the webhook. */
  post(update: object): Promise<void>;
  stop(): Promise<void>;
}

const SECRET = 'console-e2e-secret-0123456789abcdefghijklmnopqrstuv';

export async function startConsoleService(env: Record<string, string> = {}): Promise<ConsoleService> {
  const fake = await startFakeTelegram();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const svc = await startService({
    TELEGRAM_BOT_TOKEN: '123456:CONSOLE-token',
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    PUBLIC_URL: baseUrl,
    ...env,
  });
  await svc.app.listen({ host: '127.0.0.1', port });
  const workers = await startWorkers(svc.runtime);
  const post = async (update: object) => {
    const res = await svc.app.inject({
      method: 'POST',
      url: '/telegram/webhook',
      headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' },
      payload: update,
    });
    if (res.statusCode !== 200) throw new Error(`telegram webhook answered ${res.statusCode}`);
  };
  return {
    svc,
    fake,
    workers,
    baseUrl,
    post,
    async say(chatId, text) {
      const before = fake.callsTo('sendMessage').length;
      await post(textUpdate(chatId, text));
      return fake.callsTo('sendMessage').slice(before).filter((c) => String(c.payload.chat_id) === String(chatId));
    },
    async stop() {
      await workers.close();
      await svc.stop();
      await fake.close();
    },
  };
}
