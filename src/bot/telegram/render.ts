/**
 * OutgoingMessage → arguments for grammY's `api.sendMessage(chatId, text, other)`.
 *
 * Plain text only (no parse_mode): our texts are written by the service and by officers, and any
 * Markdown/HTML character in them would otherwise have to be escaped or the send fails with a 400.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import type { Choice, OutgoingMessage } from '../../messaging/message.js';

/** Telegram's limit for one text message (counted in UTF-16 code units, like JS string length). */
export const TELEGRAM_TEXT_MAX = 4096;
/** Telegram rejects callback_data longer than this many bytes (UTF-8). */
export const CALLBACK_DATA_MAX_BYTES = 64;
/** Labels up to this length fit two to a row on a phone screen without being cut. */
const SHORT_LABEL_MAX = 16;

export interface TelegramPart {
  text: string;
  other: { reply_markup?: InlineKeyboardMarkup; link_preview_options: { is_disabled: true } };
}

/** A message the Bot API would refuse whatever we retry: a bug in the caller. */
export class RenderError extends Error {
  override name = 'RenderError';
}

/**
 * Splits text into pieces of at most `max` characters, cutting at a paragraph break, else a line
 * break, else a space, so a word (or a Vietnamese syllable) is never cut in two unless it is longer
 * than `max` itself.
 */
export function splitText(text: string, max = TELEGRAM_TEXT_MAX): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    // Only accept a break in the second half, otherwise a stray early newline makes tiny parts.
    const minCut = Math.floor(max / 2);
    let cut = -1;
    for (const sep of ['\n\n', '\n', ' ']) {
      const at = window.lastIndexOf(sep);
      if (at >= minCut && at <= max) {
        cut = at;
        break;
      }
    }
    let next: number;
    if (cut === -1) {
      cut = max;
      // Do not separate a surrogate pair (emoji): Telegram would reject the lone halves.
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
      next = cut;
    } else {
      next = cut;
      while (next < rest.length && /\s/.test(rest[next] ?? '')) next += 1; // the break itself is dropped
    }
    const piece = rest.slice(0, cut).trimEnd();
    if (piece.length > 0) parts.push(piece);
    rest = rest.slice(next);
  }
  if (rest.trim().length > 0) parts.push(rest);
  return parts;
}

/** One button per row, or two per row when every label is short. */
export function inlineKeyboard(choices: readonly Choice[]): InlineKeyboardMarkup {
  for (const c of choices) {
    if (c.label.trim().length === 0) throw new RenderError('a choice has an empty label');
    const bytes = Buffer.byteLength(c.value, 'utf8');
    if (bytes === 0 || bytes > CALLBACK_DATA_MAX_BYTES) {
      throw new RenderError(`choice value must be 1-${CALLBACK_DATA_MAX_BYTES} bytes, got ${bytes}`);
    }
  }
  const perRow = choices.every((c) => [...c.label].length <= SHORT_LABEL_MAX) ? 2 : 1;
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < choices.length; i += perRow) {
    rows.push(choices.slice(i, i + perRow).map((c) => ({ text: c.label, callback_data: c.value })));
  }
  return { inline_keyboard: rows };
}

/**
 * The messages to send, in order. Buttons go on the last part so they sit under the end of the text,
 * where the person is looking when they finish reading.
 */
export function renderTelegram(message: OutgoingMessage): TelegramPart[] {
  if (message.text.trim().length === 0) throw new RenderError('message text is empty');
  const texts = splitText(message.text);
  const keyboard = message.choices && message.choices.length > 0 ? inlineKeyboard(message.choices) : undefined;
  return texts.map((text, i) => ({
    text,
    other: {
      // Link previews could fetch and show third-party pages inside a child-protection chat.
      link_preview_options: { is_disabled: true },
      ...(keyboard && i === texts.length - 1 ? { reply_markup: keyboard } : {}),
    },
  }));
}

/**
 * The same split as renderTelegram, as OutgoingMessages, so the outbox can send (and remember) one
 * part at a time. Choices stay on the last part.
 */
export function splitForTelegram(message: OutgoingMessage): OutgoingMessage[] {
  const texts = splitText(message.text);
  if (texts.length <= 1) return [message];
  return texts.map((text, i) =>
    i === texts.length - 1 && message.choices ? { text, choices: message.choices } : { text },
  );
}
