/**
 * Zalo OA Open API client: consultation messages (`/v3.0/oa/message/cs`) and the mapping of Zalo's
 * `{error, message, data}` envelope onto the channel-neutral send errors of src/messaging/channel.ts, so the
 * outbox decides retry / give up / mark unreachable from the error class alone.
 *
 * Zalo reports errors with HTTP 200, so the status code alone says nothing; the envelope decides.
 */
import { createZaloAgent } from './http-agent.js';
import { errors as undiciErrors, type Dispatcher } from 'undici';
import {
  OutsideWindowError,
  PermanentSendError,
  RetryableSendError,
  UnreachableError,
} from '../../messaging/channel.js';
import { silentLogger, type Logger } from '../../logger.js';
import { quotaOf, type ZaloQuota } from './quota.js';
import { ZaloReauthorizationRequired, type AccessTokenSource } from './tokens.js';

/** Zalo's limit for one consultation text. */
export const ZALO_MAX_TEXT = 2000;

/** Zalo refused the access token (-216 invalid, -220 expired). Handled inside the client. */
export class ZaloTokenError extends Error {
  override name = 'ZaloTokenError';
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

export type ZaloPermanentReason = 'invalid_request' | 'billing' | 'reauthorization' | 'unknown';

/** A permanent failure with Zalo's code, so an admin alert can say what to do. */
export class ZaloPermanentSendError extends PermanentSendError {
  override name = 'ZaloPermanentSendError';
  constructor(
    message: string,
    readonly code: number | undefined,
    readonly reason: ZaloPermanentReason,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
  /** -320/-321: paid messages need a funded Zalo Cloud Account. */
  get billing(): boolean {
    return this.reason === 'billing';
  }
}

export interface ZaloClientOptions {
  tokens: AccessTokenSource;
  /** Default https://openapi.zalo.me (no trailing slash needed). */
  apiRoot?: string;
  /** Delay suggested to the outbox after -32 (rate limit). Default 60 s: Zalo's limits are per minute. */
  rateLimitRetryMs?: number;
  /** Default 5 s. */
  connectTimeoutMs?: number;
  /** Default 10 s. */
  headersTimeoutMs?: number;
  /** Default 10 s. */
  bodyTimeoutMs?: number;
  /** Sockets to the API. Default 16. */
  connections?: number;
  /** Share an undici dispatcher; otherwise the client owns a keep-alive Agent closed by close(). */
  dispatcher?: Dispatcher;
  logger?: Logger;
  /** Called with the quota each accepted message reports (docs/zalo.md); its failure is only logged. */
  onQuota?: (quota: ZaloQuota) => Promise<void>;
}

export interface SendTextResult {
  /** One Zalo message id per part sent, in order. */
  messageIds: string[];
}

/**
 * Who a consultation message goes to. With `replyTo` (the msg_id of the person's message) it goes in
 * Zalo's reply form, a free reply within Zalo's allowance; with the user id alone it is proactive.
 */
export interface ZaloRecipient {
  userId: string;
  replyTo?: string;
}

/**
 * The request's `recipient`. The reply form names the person's message instead of the person; its
 * exact shape is not confirmed by a public reference Zalo publishes, so it lives here only (docs/zalo.md).
 */
export function recipientBody(to: ZaloRecipient): Record<string, string> {
  return to.replyTo ? { message_id: to.replyTo } : { user_id: to.userId };
}

interface Envelope {
  error: number;
  message?: string;
  data?: { message_id?: unknown } & Record<string, unknown>;
}

const UNREACHABLE = new Set([-213, -217, -227, -244]);
const OUTSIDE_WINDOW = new Set([-230, -232]);
const TOKEN = new Set([-216, -220]);
const BILLING = new Set([-320, -321]);

/** Maps a non-zero envelope code to the error the outbox understands. */
export function zaloErrorFor(code: number, zaloMessage: string, rateLimitRetryMs = 60_000): Error {
  const what = `Zalo error ${code}: ${zaloMessage}`;
  if (code === -32) return new RetryableSendError(what, rateLimitRetryMs);
  if (TOKEN.has(code)) return new ZaloTokenError(what, code);
  if (UNREACHABLE.has(code)) return new UnreachableError(what);
  if (OUTSIDE_WINDOW.has(code)) return new OutsideWindowError(what);
  if (BILLING.has(code)) return new ZaloPermanentSendError(what, code, 'billing');
  if (code === -201) return new ZaloPermanentSendError(what, code, 'invalid_request');
  return new ZaloPermanentSendError(what, code, 'unknown');
}

/**
 * Splits text into parts of at most `max` UTF-16 units (never more characters than Zalo counts),
 * preferring a paragraph break, then a line break, then a space, and never cutting a surrogate pair or
 * separating a combining mark from its letter. Whitespace at a cut is dropped.
 */
export function splitText(text: string, max = ZALO_MAX_TEXT): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max + 1); // +1: a break right after the limit still counts
    // Do not cut before half the window, or one long word would leave a tiny part behind.
    const floor = Math.floor(max / 2);
    let cut = -1;
    for (const sep of [/\n\s*\n/g, /\n/g, /\s/g]) {
      let last = -1;
      for (const m of window.matchAll(sep)) if (m.index <= max && m.index >= floor) last = m.index;
      if (last > 0) {
        cut = last;
        break;
      }
    }
    if (cut < 0) {
      cut = max;
      while (cut > 1 && (isLowSurrogate(rest.charCodeAt(cut)) || /\p{M}/u.test(rest[cut] ?? ''))) cut--;
    }
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

export class ZaloClient {
  private readonly tokens: AccessTokenSource;
  private readonly messageUrl: URL;
  private readonly rateLimitRetryMs: number;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly log: Logger;
  private readonly onQuota: ZaloClientOptions['onQuota'];

  constructor(opts: ZaloClientOptions) {
    this.tokens = opts.tokens;
    this.onQuota = opts.onQuota;
    this.messageUrl = new URL(`${(opts.apiRoot ?? 'https://openapi.zalo.me').replace(/\/+$/, '')}/v3.0/oa/message/cs`);
    this.rateLimitRetryMs = opts.rateLimitRetryMs ?? 60_000;
    this.ownsDispatcher = !opts.dispatcher;
    this.dispatcher =
      opts.dispatcher ??
      createZaloAgent(opts);
    this.log = (opts.logger ?? silentLogger).child({ module: 'zalo-client' });
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /**
   * Sends a consultation text to `userId` (the webhook's `sender.id`), split into parts of at most
   * 2,000 characters sent one after another. If a later part fails, the earlier ones have gone; a retry
   * of the whole message repeats them, which is why the outbox sends ZaloSender.split's parts one by one.
   */
  async sendText(to: string | ZaloRecipient, text: string): Promise<SendTextResult> {
    const recipient = typeof to === 'string' ? { userId: to } : to;
    const parts = zaloParts(text);
    if (parts.length === 0) throw new ZaloPermanentSendError('refusing to send an empty Zalo message', undefined, 'invalid_request');
    const messageIds: string[] = [];
    for (const part of parts) messageIds.push(await this.sendPart(recipient, part));
    return { messageIds };
  }

  /** One part; on a token refusal, one forced refresh and one retry. */
  private async sendPart(to: ZaloRecipient, text: string): Promise<string> {
    const token = await this.token(() => this.tokens.getAccessToken());
    try {
      return await this.post(token, to, text);
    } catch (err) {
      if (!(err instanceof ZaloTokenError)) throw err;
      this.log.info({ code: err.code }, 'Zalo refused the access token; refreshing once');
      const fresh = await this.token(() => this.tokens.forceRefresh(token));
      try {
        return await this.post(fresh, to, text);
      } catch (again) {
        if (!(again instanceof ZaloTokenError)) throw again;
        // A brand-new token refused too: most likely Zalo has not propagated it yet. Let the outbox try
        // later rather than losing the message; a truly dead pair ends in a rejected refresh instead.
        this.log.error({ code: again.code }, 'Zalo refused a freshly refreshed access token');
        throw new RetryableSendError(again.message, 60_000);
      }
    }
  }

  /** Token-store failures become send errors: re-authorisation is permanent, the rest passes. */
  private async token(get: () => Promise<string>): Promise<string> {
    try {
      return await get();
    } catch (err) {
      if (err instanceof ZaloReauthorizationRequired) {
        throw new ZaloPermanentSendError(err.message, undefined, 'reauthorization', { cause: err });
      }
      throw new RetryableSendError(`Zalo token unavailable: ${(err as Error).message}`);
    }
  }

  private async post(token: string, to: ZaloRecipient, text: string): Promise<string> {
    let status: number;
    let raw: string;
    try {
      const res = await this.dispatcher.request({
        origin: this.messageUrl.origin,
        path: this.messageUrl.pathname + this.messageUrl.search,
        method: 'POST',
        headers: { 'content-type': 'application/json', access_token: token },
        body: JSON.stringify({ recipient: recipientBody(to), message: { text } }),
      });
      status = res.statusCode;
      raw = await res.body.text();
    } catch (err) {
      if (err instanceof undiciErrors.InvalidArgumentError) {
        throw new ZaloPermanentSendError(`invalid Zalo request: ${err.message}`, undefined, 'invalid_request');
      }
      // Connect/headers/body timeouts, resets, refused connections: a passing fault.
      throw new RetryableSendError(`Zalo request failed: ${(err as Error).message}`);
    }
    if (status >= 500 || status === 429 || status === 408) {
      throw new RetryableSendError(`Zalo answered HTTP ${status}`);
    }
    const envelope = parseEnvelope(raw);
    if (!envelope) {
      if (status >= 400) throw new ZaloPermanentSendError(`Zalo answered HTTP ${status}`, undefined, 'unknown');
      // A 2xx without an envelope is not a verdict on the message (a proxy page?): try again later.
      throw new RetryableSendError(`Zalo answered HTTP ${status} without a JSON envelope`);
    }
    if (envelope.error !== 0) {
      const error = zaloErrorFor(envelope.error, envelope.message ?? '', this.rateLimitRetryMs);
      // Never log the text or the token: messages here can be about children at risk.
      if (error instanceof PermanentSendError) {
        this.log.error({ code: envelope.error, zaloMessage: envelope.message }, 'Zalo refused a message');
      } else {
        this.log.warn({ code: envelope.error, zaloMessage: envelope.message }, 'Zalo did not deliver a message');
      }
      throw error;
    }
    const quota = quotaOf(envelope.data);
    if (quota && this.onQuota) {
      await this.onQuota(quota).catch((err: unknown) => this.log.error({ err }, 'could not record the Zalo quota'));
    }
    const id = envelope.data?.message_id;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
  }
}

/** The texts `sendText` sends for `text`, one Zalo message each. */
export function zaloParts(text: string): string[] {
  return splitText(text.normalize('NFC'));
}

function parseEnvelope(raw: string): Envelope | null {
  try {
    const v: unknown = JSON.parse(raw);
    if (v && typeof v === 'object' && typeof (v as Envelope).error === 'number') return v as Envelope;
  } catch {
    // fall through
  }
  return null;
}
