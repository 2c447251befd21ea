/**
 * Zalo OA webhook payloads: validation and translation into the channel-neutral IncomingMessage.
 *
 * Ids are strings and stay strings: Zalo ids have 18-19 digits and would be corrupted as JS numbers.
 * Objects are loose (unknown fields kept) because Zalo adds fields without notice, and a payload we
 * refuse is retried by Zalo and, if refused repeatedly, gets the webhook disabled.
 */
import { z } from 'zod';
import { turnIdOf, type IncomingMessage, type Media, type MediaKind } from '../../messaging/message.js';

const Id = z.string().min(1);

const AttachmentSchema = z.looseObject({
  type: z.string(),
  payload: z
    .looseObject({
      url: z.string().optional(),
      thumbnail: z.string().optional(),
      id: z.string().optional(),
      name: z.string().optional(),
      coordinates: z
        .looseObject({
          latitude: z.union([z.string(), z.number()]).optional(),
          longitude: z.union([z.string(), z.number()]).optional(),
        })
        .optional(),
    })
    .optional(),
});

export const ZaloWebhookEventSchema = z.looseObject({
  app_id: z.string().optional(),
  oa_id: z.string().optional(),
  event_name: z.string().min(1),
  /** Milliseconds as a string; a number is tolerated and turned into text. */
  timestamp: z.union([z.string(), z.number()]).transform(String).optional(),
  user_id_by_app: z.string().optional(),
  sender: z.looseObject({ id: Id, admin_id: z.string().optional() }).optional(),
  recipient: z.looseObject({ id: Id }).optional(),
  /** follow / unfollow carry `follower` instead of `sender`. */
  follower: z.looseObject({ id: Id }).optional(),
  source: z.string().optional(),
  message: z
    .looseObject({
      msg_id: z.string().optional(),
      text: z.string().optional(),
      attachments: z.array(AttachmentSchema).optional(),
    })
    .optional(),
});

export type ZaloWebhookEvent = z.infer<typeof ZaloWebhookEventSchema>;
type Attachment = z.infer<typeof AttachmentSchema>;

export type ZaloEvent =
  /** A person wrote to the OA: goes to the handlers (the dispatcher). */
  | {
      kind: 'message';
      message: IncomingMessage;
      /** `anonymous_*`: the person writes without following the OA (docs/zalo.md). */
      anonymous: boolean;
    }
  | { kind: 'follow'; userId: string; source?: string; at?: number }
  | { kind: 'unfollow'; userId: string; at?: number }
  /**
   * The OA's own message echoed back. `byAdmin` means a person answered from the OA chat tool
   * (sender.admin_id present); echoes of the bot's own sends have no admin_id and are ignored.
   */
  | { kind: 'oa_echo'; eventName: string; byAdmin: boolean; adminId?: string; userId?: string; msgId?: string; text?: string }
  | { kind: 'unknown'; eventName: string; userId?: string };

export function parseZaloWebhook(body: unknown): ReturnType<typeof ZaloWebhookEventSchema.safeParse> {
  return ZaloWebhookEventSchema.safeParse(body);
}

/** Attachment type → media kind. GIFs count as pictures; audio from Zalo is a voice note. */
const MEDIA_BY_TYPE: Record<string, MediaKind> = {
  image: 'photo',
  gif: 'photo',
  photo: 'photo',
  file: 'file',
  audio: 'voice',
  voice: 'voice',
  video: 'video',
  sticker: 'sticker',
  location: 'location',
};

function mediaOf(att: Attachment): Media {
  const kind = MEDIA_BY_TYPE[att.type] ?? 'other';
  const p = att.payload;
  if (kind === 'location') {
    const c = p?.coordinates;
    const ref = c?.latitude !== undefined && c?.longitude !== undefined ? `${c.latitude},${c.longitude}` : undefined;
    return ref ? { kind, ref } : { kind };
  }
  const ref = p?.url ?? p?.id;
  return ref ? { kind, ref } : { kind };
}

/** When a media event arrives without attachments, its name still says what it was. */
function mediaKindOfEvent(eventName: string): MediaKind | null {
  const type = eventName.replace(/^(user|anonymous)_send_/, '');
  if (type === 'text') return null;
  return MEDIA_BY_TYPE[type] ?? 'other';
}

/** The event's time when it is a sane millisecond timestamp. */
function timeOf(event: ZaloWebhookEvent): number | undefined {
  const t = Number(event.timestamp);
  return Number.isSafeInteger(t) && t > 0 ? t : undefined;
}

/**
 * Classifies a validated event. For messages, `receivedAt` is the event's own timestamp when present
 * (Zalo retries deliveries for up to about 12 hours, and the windows count from the user's action), else
 * `now`.
 */
export function toIncoming(event: ZaloWebhookEvent, now: number = Date.now()): ZaloEvent {
  const name = event.event_name;
  const at = timeOf(event);

  // People who do not follow the OA write through `anonymous_send_*`: the same messages.
  const anonymous = name.startsWith('anonymous_send_');
  if (name.startsWith('user_send_') || anonymous) {
    const userId = event.sender?.id;
    if (!userId) return { kind: 'unknown', eventName: name };
    const rawText = event.message?.text?.normalize('NFC').trim();
    const media = (event.message?.attachments ?? []).map(mediaOf);
    const inferred = mediaKindOfEvent(name);
    if (media.length === 0 && inferred) media.push({ kind: inferred });
    const message: IncomingMessage = {
      channel: 'zalo',
      userId,
      chatId: userId,
      media,
      // msg_id is the turn's id; without one, the same delivery still yields the same id.
      platformId: turnIdOf(event.message?.msg_id ?? `${userId}:${event.timestamp ?? ''}:${name}`),
      receivedAt: at ?? now,
    };
    if (rawText) message.text = rawText;
    return { kind: 'message', message, anonymous };
  }

  if (name === 'follow' || name === 'unfollow') {
    const userId = event.follower?.id ?? event.sender?.id;
    if (!userId) return { kind: 'unknown', eventName: name };
    if (name === 'unfollow') return at === undefined ? { kind: 'unfollow', userId } : { kind: 'unfollow', userId, at };
    return {
      kind: 'follow',
      userId,
      ...(event.source !== undefined ? { source: event.source } : {}),
      ...(at !== undefined ? { at } : {}),
    };
  }

  if (name.startsWith('oa_send_')) {
    const adminId = event.sender?.admin_id;
    return {
      kind: 'oa_echo',
      eventName: name,
      byAdmin: Boolean(adminId),
      ...(adminId ? { adminId } : {}),
      ...(event.recipient?.id ? { userId: event.recipient.id } : {}),
      ...(event.message?.msg_id ? { msgId: event.message.msg_id } : {}),
      ...(event.message?.text ? { text: event.message.text.normalize('NFC') } : {}),
    };
  }

  return event.sender?.id ? { kind: 'unknown', eventName: name, userId: event.sender.id } : { kind: 'unknown', eventName: name };
}
