/**
 * The conversations on the Zalo Bot channel: updates posted to /zalobot/webhook with the secret token
 * header, replies read from the fake Bot API; choices arrive as numbered lines, answered by the number.
 */
import { ZALO_BOT_SECRET_HEADER, ZALO_BOT_WEBHOOK_PATH } from '../../src/bot/zalo-bot/webhook.js';
import { startWorkers } from '../../src/app/workers.js';
import type { ChannelHarness, HarnessOptions } from './channels.js';
import { FakeZaloBot, botUpdate } from './fake-zalo-bot.js';
import { startService, type TestService } from './service.js';

export const ZALO_BOT_SECRET = 'zalobot-test-secret-0123456789abcdefghijklmnopqrstuv';

export function zaloBotEnv(fake: FakeZaloBot): Record<string, string> {
  return { ZALO_BOT_TOKEN: fake.token, ZALO_BOT_WEBHOOK_SECRET: ZALO_BOT_SECRET, ZALO_BOT_API_ROOT: fake.apiRoot };
}

/** Posts one update as Zalo would; resolves with the HTTP status. */
export async function postZaloBot(svc: TestService, update: object | string, secret: string | null = ZALO_BOT_SECRET): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== null) headers[ZALO_BOT_SECRET_HEADER] = secret;
  const res = await svc.app.inject({ method: 'POST', url: ZALO_BOT_WEBHOOK_PATH, headers, payload: update });
  return res.statusCode;
}

export interface ZaloBotHarness extends ChannelHarness {
  fake: FakeZaloBot;
}

export async function startZaloBotHarness(env: Record<string, string> = {}, opts: HarnessOptions = {}): Promise<ZaloBotHarness> {
  const fake = await new FakeZaloBot().start();
  const svc = await startService({ ...zaloBotEnv(fake), ...env }, opts);
  const workers = opts.outbox ? await startWorkers(svc.runtime, []) : undefined;
  return {
    channel: 'zalobot',
    svc,
    fake,
    user(n) {
      const chatId = `b0b0${String(n).padStart(16, '0')}`; // Bot ids are hex strings
      const replies: string[] = [];
      let taken = 0;
      const take = (): string[] => {
        const texts = fake.sentTexts(chatId).slice(taken);
        taken += texts.length;
        replies.push(...texts);
        return texts;
      };
      const say = async (text: string): Promise<string[]> => {
        // The webhook answers after the dispatcher ran and the replies were sent.
        const status = await postZaloBot(svc, botUpdate(chatId, { text }));
        if (status !== 200) throw new Error(`zalo bot webhook answered ${status}`);
        return take();
      };
      return {
        identity: `zalobot:${chatId}`,
        replies,
        say,
        received: async () => take(),
        offered: () => (replies.at(-1) ?? '').split('\n').filter((l) => /^\d+\.\s/.test(l)).map((l) => l.replace(/^\d+\.\s*/, '')),
        press(label) {
          const last = replies.at(-1) ?? '';
          const line = last.split('\n').find((l) => /^\d+\./.test(l) && l.replace(/^\d+\.\s*/, '') === label);
          if (!line) throw new Error(`no choice "${label}" in: ${last}`);
          return say(line.slice(0, line.indexOf('.')));
        },
      };
    },
    async stop() {
      await workers?.close();
      await svc.stop();
      await fake.close();
    },
  };
}
