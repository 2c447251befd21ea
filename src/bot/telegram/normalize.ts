/**
 * Telegram updates: validation of what we read from them (the webhook checks every body before grammY
 * sees it: a body that is not an update is answered 200 and dropped, not retried for hours), and the
 * translation into the normalised message (src/messaging). Objects stay loose: Telegram adds fields.
 */
import type { Update } from 'grammy/types';
import type { IncomingMessage, Media } from '../../messaging/message.js';
import { nfc } from '../../text/vietnamese.js';

/*
 * A hand-written check of only the fields we read, on the body as parsed: no copy of the update is made
 * (a schema library's parse rebuilt every update and was one of the larger costs of a step, issue 15).
 * Each check adds the path of what is wrong to `issues`; paths only, the values can be a child's report.
 */
type Issues = string[];
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number => Number.isSafeInteger(v);

/** An object at `path`, or undefined (with an issue when `required` or present but not an object). */
function obj(parent: Obj, key: string, path: string, issues: Issues, required: boolean): Obj | undefined {
  const v = parent[key];
  if (isObj(v)) return v;
  if (v !== undefined || required) issues.push(path);
  return undefined;
}

function optionalString(o: Obj, key: string, path: string, issues: Issues): void {
  if (o[key] !== undefined && typeof o[key] !== 'string') issues.push(`${path}.${key}`);
}

function user(parent: Obj, key: string, path: string, issues: Issues, required: boolean): void {
  const u = obj(parent, key, path, issues, required);
  if (u && !(isId(u.id) && u.id > 0)) issues.push(`${path}.id`);
}

function chat(parent: Obj, path: string, issues: Issues): void {
  const c = obj(parent, 'chat', `${path}.chat`, issues, true);
  if (!c) return;
  if (!isId(c.id)) issues.push(`${path}.chat.id`);
  if (typeof c.type !== 'string') issues.push(`${path}.chat.type`);
}

function file(f: unknown, path: string, issues: Issues): void {
  if (!isObj(f)) issues.push(path);
  else if (typeof f.file_id !== 'string' || !f.file_id) issues.push(`${path}.file_id`);
}

const FILE_KINDS = ['document', 'voice', 'audio', 'video', 'video_note'] as const;

function message(m: Obj, issues: Issues): void {
  if (!isId(m.message_id)) issues.push('message.message_id');
  user(m, 'from', 'message.from', issues, false);
  chat(m, 'message', issues);
  optionalString(m, 'text', 'message', issues);
  optionalString(m, 'caption', 'message', issues);
  if (m.photo !== undefined) {
    if (!Array.isArray(m.photo)) issues.push('message.photo');
    else m.photo.forEach((p: unknown, i) => file(p, `message.photo.${i}`, issues));
  }
  for (const kind of FILE_KINDS) if (m[kind] !== undefined) file(m[kind], `message.${kind}`, issues);
  const loc = obj(m, 'location', 'message.location', issues, false);
  if (loc && (typeof loc.latitude !== 'number' || typeof loc.longitude !== 'number')) issues.push('message.location');
}

function callbackQuery(cq: Obj, issues: Issues): void {
  if (typeof cq.id !== 'string') issues.push('callback_query.id');
  user(cq, 'from', 'callback_query.from', issues, true);
  optionalString(cq, 'data', 'callback_query', issues);
  const m = obj(cq, 'message', 'callback_query.message', issues, false);
  if (m) chat(m, 'callback_query.message', issues);
}

/** Checks that a body is an update whose parts we read have the types we read them as (other fields are left alone: Telegram adds some). */
export function parseTelegramUpdate(body: unknown): { success: true; update: Update } | { success: false; issues: string[] } {
  if (!isObj(body)) return { success: false, issues: ['(body)'] };
  const issues: Issues = [];
  if (!(isId(body.update_id) && body.update_id >= 0)) issues.push('update_id');
  const m = obj(body, 'message', 'message', issues, false);
  if (m) message(m, issues);
  const cq = obj(body, 'callback_query', 'callback_query', issues, false);
  if (cq) callbackQuery(cq, issues);
  return issues.length ? { success: false, issues } : { success: true, update: body as unknown as Update };
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
