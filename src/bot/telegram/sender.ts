/**
 * Sends OutgoingMessages through sendMessage (`BotMessages`, or a grammY `Api` in tests) and turns
 * grammY's failures into the channel-neutral SendError classes, so the outbox decides about retries
 * without knowing Telegram.
 *
 * Deliberately no retry here: the outbox owns retries (with a sent marker), and two retry layers would
 * multiply waits and hide 429s from the queue's rate limiter. Only the direct replies' `BotMessages`
 * waits out a short 429 (src/app/runtime.ts).
 */
import { GrammyError, HttpError } from 'grammy';
import type { ChannelSender } from '../../messaging/channel.js';
import {
  PermanentSendError,
  RetryableSendError,
  SendError,
  UnreachableError,
} from '../../messaging/channel.js';
import type { OutgoingMessage } from '../../messaging/message.js';
import type { MessageApi } from './http.js';
import { RenderError, renderTelegram, splitForTelegram } from './render.js';

export class TelegramSender implements ChannelSender {
  constructor(private readonly api: MessageApi) {}

  /**
   * Sends every part of the message in order. The outbox calls this with one part at a time (see
   * `split`), so a failure on part 2 never re-sends part 1; direct callers get the whole message.
   */
  async send(chatId: string, message: OutgoingMessage): Promise<void> {
    let parts;
    try {
      parts = renderTelegram(message);
    } catch (err) {
      if (err instanceof RenderError) throw new PermanentSendError(`telegram: ${err.message}`);
      throw err;
    }
    for (const part of parts) {
      try {
        await this.api.sendMessage(chatId, part.text, part.other);
      } catch (err) {
        throw toSendError(err);
      }
    }
  }

  /** Used by the outbox to send long messages part by part, remembering progress between parts. */
  split(message: OutgoingMessage): OutgoingMessage[] {
    return splitForTelegram(message);
  }
}

/** grammY error → SendError. Exported for the other Telegram calls (answers, keyboard edits). */
export function toSendError(err: unknown): SendError {
  if (err instanceof SendError) return err;
  if (err instanceof GrammyError) {
    const what = `telegram ${err.method}: ${err.error_code} ${err.description}`;
    if (err.error_code === 429) {
      // retry_after is in seconds; without it, wait a conservative second rather than hammer.
      const seconds = err.parameters?.retry_after;
      const ms = typeof seconds === 'number' && seconds >= 0 ? seconds * 1000 : 1000;
      return new RetryableSendError(what, ms);
    }
    // 403: blocked by the user, user deactivated, kicked from the group: nobody to send to.
    if (err.error_code === 403) return new UnreachableError(what);
    if (err.error_code >= 400 && err.error_code < 500) return new PermanentSendError(what);
    return new RetryableSendError(what);
  }
  if (err instanceof HttpError) {
    // Network failure or timeout: Telegram may or may not have delivered; the retry is the lesser risk.
    return new RetryableSendError(`telegram network: ${err.message}`);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new RetryableSendError(`telegram unexpected: ${message}`);
}
