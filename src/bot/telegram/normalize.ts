/** Turns a Telegram update into the normalised message (src/messaging); undefined for updates we do not handle. */
import type { Update } from 'grammy/types';
import type { IncomingMessage, Media } from '../../messaging/message.js';
import { nfc } from '../../text/vietnamese.js';

function mediaOf(m: NonNullable<Update['message']>): Media[] {
  const out: Media[] = [];
  const largest = m.photo?.at(-1);
  if (largest) out.push({ kind: 'photo', ref: largest.file_id });
  if (m.document) out.push({ kind: 'file', ref: m.document.file_id });
  if (m.voice ?? m.audio) out.push({ kind: 'voice', ref: (m.voice ?? m.audio)?.file_id });
  if (m.video ?? m.video_note) out.push({ kind: 'video', ref: (m.video ?? m.video_note)?.file_id });
  if (m.sticker) out.push({ kind: 'sticker' });
  if (m.location) out.push({ kind: 'location', ref: `${m.location.latitude},${m.location.longitude}` });
  if (!out.length && !m.text && !m.caption) out.push({ kind: 'other' });
  return out;
}

function displayName(from: { first_name: string; last_name?: string }): Pick<IncomingMessage, 'displayName'> {
  const name = nfc([from.first_name, from.last_name].filter(Boolean).join(' ')).trim().slice(0, 60);
  return name ? { displayName: name } : {};
}

export function normalizeUpdate(update: Update, now = Date.now()): IncomingMessage | undefined {
  const platformId = String(update.update_id);
  if (update.message) {
    const m = update.message;
    if (!m.from) return undefined;
    const raw = m.text ?? m.caption;
    return {
      channel: 'telegram',
      userId: String(m.from.id),
      chatId: String(m.chat.id),
      text: raw === undefined ? undefined : nfc(raw),
      media: mediaOf(m),
      platformId,
      receivedAt: now,
      ...displayName(m.from),
    };
  }
  const cq = update.callback_query;
  if (cq?.data && cq.message) {
    return {
      channel: 'telegram',
      userId: String(cq.from.id),
      chatId: String(cq.message.chat.id),
      choice: cq.data,
      media: [],
      platformId,
      receivedAt: now,
    };
  }
  return undefined;
}
