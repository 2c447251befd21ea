/**
 * Evidence a citizen sent (photos, files), fetched by the server from the platform when an officer
 * opens it, and never exposed by a public link: Telegram gives a file path for the file id (getFile),
 * then the file itself under the bot's token; Zalo (the OA and the Zalo Bot) gives the attachment's URL
 * in the event, fetched only over https.
 * A photo is shown only when its bytes really are an image; anything else is offered as a download.
 */
import type { Media } from '../messaging/message.js';

export interface FetchedFile {
  body: Buffer;
  /** An image type when the bytes are one of the common image formats, otherwise octet-stream. */
  contentType: string;
  inline: boolean;
  filename: string;
}

export interface AttachmentSource {
  fetch(channel: string, media: Media, name: string): Promise<FetchedFile | undefined>;
}

export interface PlatformSettings {
  telegram?: { token: string; apiRoot: string };
  /**
   * The channels whose attachments are URLs (Zalo OA, Zalo Bot), each with the origins allowed besides
   * https ones (a test's local fake platform).
   */
  byUrl?: Partial<Record<'zalo' | 'zalobot', readonly string[]>>;
  timeoutMs?: number;
}

/** Telegram bots may download files up to 20 MB; Zalo's limits are lower. */
const MAX_BYTES = 20 * 1024 * 1024;

const SIGNATURES: Array<{ type: string; ext: string; test: (b: Buffer) => boolean }> = [
  { type: 'image/jpeg', ext: 'jpg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/png', ext: 'png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/gif', ext: 'gif', test: (b) => b.subarray(0, 4).toString('latin1') === 'GIF8' },
  { type: 'image/webp', ext: 'webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
];

export function describeFile(body: Buffer, name: string): FetchedFile {
  const image = SIGNATURES.find((s) => s.test(body));
  if (image) return { body, contentType: image.type, inline: true, filename: `${name}.${image.ext}` };
  return { body, contentType: 'application/octet-stream', inline: false, filename: `${name}.bin` };
}

async function download(url: string, timeoutMs: number): Promise<Buffer | undefined> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  if (!res.ok || !res.body) return undefined;
  if (Number(res.headers.get('content-length') ?? 0) > MAX_BYTES) return undefined;
  const buf = Buffer.from(await res.arrayBuffer());
  return buf.length > MAX_BYTES ? undefined : buf;
}

async function telegramFile(t: NonNullable<PlatformSettings['telegram']>, fileId: string, timeoutMs: number): Promise<Buffer | undefined> {
  const res = await fetch(`${t.apiRoot}/bot${t.token}/getFile`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ file_id: fileId }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const answer = (await res.json().catch(() => undefined)) as { ok?: boolean; result?: { file_path?: string } } | undefined;
  const path = answer?.ok ? answer.result?.file_path : undefined;
  if (!path) return undefined;
  return download(`${t.apiRoot}/file/bot${t.token}/${path.split('/').map(encodeURIComponent).join('/')}`, timeoutMs);
}

function urlAllowed(ref: string, allowed: readonly string[]): boolean {
  try {
    const url = new URL(ref);
    return url.protocol === 'https:' || allowed.includes(url.origin);
  } catch {
    return false;
  }
}

export function platformAttachments(settings: PlatformSettings): AttachmentSource {
  const timeoutMs = settings.timeoutMs ?? 15_000;
  return {
    async fetch(channel, media, name) {
      if (!media.ref || media.kind === 'location') return undefined;
      let body: Buffer | undefined;
      if (channel === 'telegram' && settings.telegram) body = await telegramFile(settings.telegram, media.ref, timeoutMs);
      else if ((channel === 'zalo' || channel === 'zalobot') && settings.byUrl?.[channel] && urlAllowed(media.ref, settings.byUrl[channel])) body = await download(media.ref, timeoutMs);
      return body ? describeFile(body, name) : undefined;
    },
  };
}
