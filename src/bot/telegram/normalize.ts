/**
 * Telegram updates: validation of what we read from them (the webhook checks every body before grammY
 * sees it: a body that is not an update is answered 200 and dropped, not retried for hours), and the
 * translation into the normalised message (src/messaging). Objects stay loose: Telegram adds fields.
 */
import type { Update } from 'grammy/types';
import { z } from 'zod';
import type { IncomingMessage, Media } from '../../messaging/message.js';
import { nfc } from '../../text/vietnamese.js';

const Id = z.number().int().safe();
const User = z.looseObject({ id: Id.positive() });
const Chat = z.looseObject({ id: Id, type: z.string() });
const File = z.looseObject({ file_id: z.string().min(1) });
const Message = z.looseObject({
  message_id: Id,
  from: User.optional(),
  chat: Chat,
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(File).optional(),
  document: File.optional(),
  voice: File.optional(),
  audio: File.optional(),
  video: File.optional(),
  video_note: File.optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number() }).optional(),
});
const UpdateSchema = z.looseObject({
  update_id: Id.nonnegative(),
  message: Message.optional(),
  callback_query: z
    .looseObject({ id: z.string(), from: User, data: z.string().optional(), message: z.looseObject({ chat: Chat }).optional() })
    .optional(),
});

/** Checks that a body is an update whose parts we read have the types we read them as. */
export function parseTelegramUpdate(body: unknown): { success: true; update: Update } | { success: false; issues: string[] } {
  const parsed = UpdateSchema.safeParse(body);
  if (parsed.success) return { success: true, update: parsed.data as unknown as Update };
  // Paths only: the values can be a child's report.
  return { success: false, issues: parsed.error.issues.map((i) => i.path.join('.') || '(body)') };
}

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
