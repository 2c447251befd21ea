/**
 * The Telegram adapter: it only translates. Every message and button press becomes a normalised message
 * for the dispatcher; replies go back through the channel sender. The webhook route calls the update
 * handler directly; the poller reaches it through grammY's middleware.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, type Api } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import type { Logger } from '../../logger.js';
import { processIncoming, RetryLaterError, type InboundDeps } from '../inbound.js';
import { telegramClient } from './http.js';
import { normalizeUpdate } from './normalize.js';

export interface TelegramBotOptions {
  token: string;
  apiRoot: string;
  /** Skips the start-up getMe (tests, benchmarks). */
  botInfo?: UserFromGetMe;
  log: Logger;
}

export function createTelegramBot(opts: TelegramBotOptions): Bot {
  const bot = new Bot(opts.token, { client: telegramClient(opts.apiRoot), botInfo: opts.botInfo });
  // A call waits out a short 429 only; 5xx and network failures go straight to the caller, so a webhook
  // answer never hangs near Telegram's timeout.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 2, maxDelaySeconds: 2, rethrowInternalServerErrors: true, rethrowHttpErrors: true }));
  return bot;
}

export type TelegramUpdateHandler = (update: Update) => Promise<void>;

/**
 * Handles one update (already checked by `parseTelegramUpdate` on the webhook). It needs nothing of
 * grammY's per-update Context, so the webhook does not build one: grammY's handleUpdate was ~5 µs and
 * its garbage per update for a button answer and a chat type (issue 15). `api` answers buttons and groups.
 */
export function telegramUpdateHandler(api: Api, deps: InboundDeps): TelegramUpdateHandler {
  return async (update) => {
    const cq = update.callback_query;
    // Stop the button's spinner; failure here must not block the answer itself.
    if (cq?.data !== undefined) await api.answerCallbackQuery(cq.id).catch((err: unknown) => deps.log.debug({ err }, 'answerCallbackQuery failed'));
    // Reports and case details must never show in a group: conversations happen in private chats only.
    const chat = update.message?.chat ?? cq?.message?.chat;
    if (chat && chat.type !== 'private') {
      if (update.message?.text?.startsWith('/')) {
        await api.sendMessage(chat.id, 'Để bảo vệ thông tin của trẻ, xin nhắn riêng cho bot (bấm vào tên bot rồi chọn "Nhắn tin").').catch(() => undefined);
      }
      return;
    }
    const msg = normalizeUpdate(update);
    if (!msg) {
      deps.log.debug({ updateId: update.update_id }, 'telegram update of an unhandled kind');
      return;
    }
    await processIncoming(msg, deps);
  };
}

/** Long polling: grammY fetches the updates and hands each to `handle`. */
export function attachPoller(bot: Bot, handle: TelegramUpdateHandler, log: Logger): void {
  bot.use((ctx) => handle(ctx.update));
  bot.catch((err) => {
    // The poller has already confirmed the update, so it asks the person to send it again rather than lose it silently.
    const updateId = err.ctx.update.update_id;
    if (err.error instanceof RetryLaterError) log.warn({ updateId, reason: err.error.message }, 'telegram update put off');
    else log.error({ err: err.error, updateId }, 'telegram handler failed');
    void err.ctx.reply('Xin lỗi, hệ thống đang bận. Bạn vui lòng gửi lại tin nhắn vừa rồi.').catch(() => undefined);
  });
}

export type { Api };
