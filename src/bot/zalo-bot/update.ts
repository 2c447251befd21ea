/**
 * Zalo Bot Platform updates (webhook bodies and getUpdates results) → the core's IncomingMessage.
 *
 * Public clients see two shapes: `{event_name, message}` and the same wrapped as `{ok, result: …}`;
 * both are read. Ids (`message_id`, `from.id`, `chat.id`) are strings and stay strings. Objects are
 * loose: Zalo adds fields without notice. Only private chats are conversations; group messages are
 * ignored (groups are not open to most bots, and a group is no place for a report).
 */
import { z } from 'zod';
import { turnIdOf, type IncomingMessage, type Media, type MediaKind } from '../../messaging/message.js';
import { nfc } from '../../text/vietnamese.js';

/** The channel name of the Zalo Bot in identities and addresses (`zalobot:<user id>`). */
export const ZALO_BOT_CHANNEL = 'zalobot';

const Id = z.union([z.string().min(1), z.number()]).transform(String);

const MessageSchema = z.looseObject({
  message_id: Id.optional(),
  from: z.looseObject({ id: Id, display_name: z.string().optional(), is_bot: z.boolean().optional() }).optional(),
  chat: z.looseObject({ id: Id, chat_type: z.string().optional() }),
  /** Milliseconds. */
  date: z.union([z.number(), z.string()]).optional(),
  text: z.string().optional(),
  /** A URL of the picture. */
  photo: z.string().optional(),
  caption: z.string().optional(),
  sticker: z.string().optional(),
});

const UpdateSchema = z.looseObject({
  event_name: z.string().min(1),
  message: MessageSchema,
});

export type ZaloBotUpdate = z.infer<typeof UpdateSchema>;

export type ZaloBotEvent =
  | { kind: 'message'; message: IncomingMessage }
  /**
   * Zalo withheld the content: the sender may be a protected user (a child among them). Carries only
   * where to answer and the turn id, never content.
   */
  | { kind: 'unsupported'; userId: string; chatId: string; platformId: string; receivedAt: number }
  | { kind: 'ignored'; eventName: string; reason: 'group' | 'from_bot' | 'unknown_event' };

/** Validates a webhook body or one getUpdates result, wrapped or flat. */
export function parseZaloBotUpdate(body: unknown): ReturnType<typeof UpdateSchema.safeParse> {
  const inner = body && typeof body === 'object' && 'result' in body ? (body as { result: unknown }).result : body;
  return UpdateSchema.safeParse(inner);
}

const UNSUPPORTED = 'message.unsupported.received';
/** `message.<type>.received` → what the person sent. Types not listed arrive as 'other' media. */
const MEDIA_BY_TYPE = new Map<string, MediaKind | null>([
  ['text', null],
  ['image', 'photo'],
  ['photo', 'photo'],
  ['sticker', 'sticker'],
  ['voice', 'voice'],
  ['audio', 'voice'],
  ['video', 'video'],
  ['file', 'file'],
  ['location', 'location'],
]);

function timeOf(date: number | string | undefined, now: number): number {
  const t = Number(date);
  return Number.isSafeInteger(t) && t > 0 ? t : now;
}

export function toZaloBotEvent(update: ZaloBotUpdate, now: number = Date.now()): ZaloBotEvent {
  const m = update.message;
  const name = update.event_name;
  if (m.chat.chat_type && m.chat.chat_type.toUpperCase() !== 'PRIVATE') return { kind: 'ignored', eventName: name, reason: 'group' };
  if (m.from?.is_bot) return { kind: 'ignored', eventName: name, reason: 'from_bot' };
  const userId = m.from?.id ?? m.chat.id;
  const receivedAt = timeOf(m.date, now);
  // message_id is the turn's id; without one, the same delivery still yields the same id (docs/turns.md).
  const platformId = turnIdOf(m.message_id ?? `${name}:${userId}:${m.date ?? ''}`);
  if (name === UNSUPPORTED) return { kind: 'unsupported', userId, chatId: m.chat.id, platformId, receivedAt };
  const type = /^message\.([a-z_]+)\.received$/.exec(name)?.[1];
  if (type === undefined) return { kind: 'ignored', eventName: name, reason: 'unknown_event' };

  const known = MEDIA_BY_TYPE.get(type);
  const kind = known === undefined ? 'other' : known;
  const media: Media[] = [];
  // Pictures come as a URL: kept (encrypted, like every attachment) as the report's attachment.
  if (kind) media.push(kind === 'photo' && m.photo ? { kind, ref: m.photo } : { kind });

  const raw = m.text ?? m.caption;
  const text = raw === undefined ? undefined : nfc(raw);
  const message: IncomingMessage = { channel: ZALO_BOT_CHANNEL, userId, chatId: m.chat.id, media, platformId, receivedAt };
  if (text) message.text = text;
  return { kind: 'message', message };
}
