/**
 * The Telegram adapter: a grammY bot that only translates. Every message and button press becomes a
 * normalised message for the dispatcher; replies go back through the channel sender.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, type Api } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
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
  // A reply waits out a short 429 only; 5xx and network failures go straight to the outbox, which
  // retries with backoff, so a webhook answer never hangs near Telegram's timeout.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 2, maxDelaySeconds: 2, rethrowInternalServerErrors: true, rethrowHttpErrors: true }));
  return bot;
}

/** Wires the bot to the dispatcher. `deps.sender` should wrap `bot.api`. */
export function attachDispatcher(bot: Bot, deps: InboundDeps, opts: { rethrow: boolean }): void {
  bot.on('callback_query:data', async (ctx, next) => {
    // Stop the button's spinner; failure here must not block the answer itself.
    await ctx.answerCallbackQuery().catch((err: unknown) => deps.log.debug({ err }, 'answerCallbackQuery failed'));
    await next();
  });
  bot.use(async (ctx, next) => {
    // Reports and case details must never show in a group: conversations happen in private chats only.
    if (ctx.chat && ctx.chat.type !== 'private') {
      if (ctx.message?.text?.startsWith('/')) {
        await ctx.reply('Để bảo vệ thông tin của trẻ, xin nhắn riêng cho bot (bấm vào tên bot rồi chọn "Nhắn tin").').catch(() => undefined);
      }
      return;
    }
    await next();
  });
  bot.use(async (ctx) => {
    const msg = normalizeUpdate(ctx.update);
    if (!msg) {
      deps.log.debug({ updateId: ctx.update.update_id }, 'telegram update of an unhandled kind');
      return;
    }
    await processIncoming(msg, deps);
  });
  bot.catch((err) => {
    // In webhook mode the route answers (503 or 500) and logs; Telegram retries and the turn, which left
    // nothing behind, runs again.
    if (opts.rethrow) throw err.error;
    // A poller has already confirmed the update, so it asks the person to send it again rather than lose it silently.
    const updateId = err.ctx.update.update_id;
    if (err.error instanceof RetryLaterError) deps.log.warn({ updateId, reason: err.error.message }, 'telegram update put off');
    else deps.log.error({ err: err.error, updateId }, 'telegram handler failed');
    void err.ctx.reply('Xin lỗi, hệ thống đang bận. Bạn vui lòng gửi lại tin nhắn vừa rồi.').catch(() => undefined);
  });
}

export type { Api };
