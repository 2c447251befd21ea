/**
 * Zalo Bot Platform client (`https://bot-api.zaloplatforms.com/bot<TOKEN>/<method>`, docs/zalo.md
 * "Zalo Bot"). Every method is a JSON POST answered `{ok, result}` or `{ok: false, error_code,
 * description}`. Failures split the way grammY splits them: ZaloBotApiError (the API said no) and
 * ZaloBotNetworkError (no usable answer: connection, timeout, a page that is not the API's envelope),
 * each keeping its cause. `toSendError` maps both onto the outbox's classes in src/messaging/channel.ts.
 *
 * The token is part of every URL: no error message, log line or cause built here contains it.
 */
import { errors as undiciErrors, type Dispatcher } from 'undici';
import {
  PermanentSendError,
  RetryableSendError,
  UnreachableError,
  type SendError,
} from '../../messaging/channel.js';
import { silentLogger, type Logger } from '../../logger.js';
import { createZaloAgent, type HttpTimeouts } from '../zalo/http-agent.js';

export const ZALO_BOT_API_ROOT = 'https://bot-api.zaloplatforms.com';
/** The Bot Platform's limit for one text or caption. */
export const ZALO_BOT_MAX_TEXT = 2000;
/** setWebhook's secret_token must be 8-256 characters. */
export const ZALO_BOT_SECRET_PATTERN = /^.{8,256}$/su;

/** The API answered with `ok: false`. */
export class ZaloBotApiError extends Error {
  override name = 'ZaloBotApiError';
  constructor(
    readonly method: string,
    readonly errorCode: number,
    readonly description: string,
    readonly httpStatus: number,
    /** From a 429's `parameters.retry_after`. */
    readonly retryAfterMs?: number,
  ) {
    super(`Zalo Bot ${method} refused (${errorCode}): ${description}`);
  }
}

/** No answer from the API could be read: the request may or may not have been carried out. */
export class ZaloBotNetworkError extends Error {
  override name = 'ZaloBotNetworkError';
  constructor(
    readonly method: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`Zalo Bot ${method}: ${message}`, options);
  }
}

export interface ZaloBotInfo {
  id: string;
  account_name?: string;
  account_type?: string;
  can_join_groups?: boolean;
  [k: string]: unknown;
}

export interface ZaloBotSent {
  messageId: string;
  date?: number;
}

export interface ZaloBotWebhookInfo {
  url: string;
  updated_at?: number;
}

export type ZaloBotChatAction = 'typing' | 'upload_photo';

export interface ZaloBotClientOptions extends HttpTimeouts {
  /** `<numeric id>:<secret>`, from the bot's creation in the Zalo app. */
  token: string;
  /** Default https://bot-api.zaloplatforms.com; tests point it at a local server. */
  apiRoot?: string;
  /** Delay suggested to the outbox after a 429 without a retry_after. Default 30 s. */
  rateLimitRetryMs?: number;
  /** Share an undici dispatcher; otherwise the client owns a keep-alive Agent closed by close(). */
  dispatcher?: Dispatcher;
  logger?: Logger;
}

interface Envelope {
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

export class ZaloBotClient {
  private readonly root: URL;
  private readonly token: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly log: Logger;
  readonly rateLimitRetryMs: number;

  constructor(opts: ZaloBotClientOptions) {
    if (!/^\d+:\S+$/.test(opts.token)) throw new TypeError('a Zalo Bot token looks like <numeric id>:<secret>');
    this.token = opts.token;
    this.root = new URL((opts.apiRoot ?? ZALO_BOT_API_ROOT).replace(/\/+$/, ''));
    this.rateLimitRetryMs = opts.rateLimitRetryMs ?? 30_000;
    this.ownsDispatcher = !opts.dispatcher;
    this.dispatcher = opts.dispatcher ?? createZaloAgent(opts);
    this.log = (opts.logger ?? silentLogger).child({ module: 'zalo-bot-client' });
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  getMe(): Promise<ZaloBotInfo> {
    return this.call('getMe', {}) as Promise<ZaloBotInfo>;
  }

  /**
   * One long poll. Resolves with the updates received (the API answers one update per call, or 408
   * when `timeoutSec` passed without any: both end as an array). Polling fails while a webhook is set.
   */
  async getUpdates(timeoutSec = 30, signal?: AbortSignal): Promise<unknown[]> {
    try {
      const wait = (timeoutSec + 15) * 1000;
      const result = await this.call('getUpdates', { timeout: String(timeoutSec) }, { timeoutMs: wait, ...(signal ? { signal } : {}) });
      if (result === undefined || result === null) return [];
      return Array.isArray(result) ? result : [result];
    } catch (err) {
      if (err instanceof ZaloBotApiError && err.errorCode === 408) return [];
      throw err;
    }
  }

  /** Zalo will POST updates to `url` (HTTPS) with `secretToken` in the X-Bot-Api-Secret-Token header. */
  async setWebhook(url: string, secretToken: string): Promise<ZaloBotWebhookInfo> {
    if (!ZALO_BOT_SECRET_PATTERN.test(secretToken)) throw new TypeError('the webhook secret must be 8-256 characters');
    return (await this.call('setWebhook', { url, secret_token: secretToken })) as ZaloBotWebhookInfo;
  }

  async deleteWebhook(): Promise<ZaloBotWebhookInfo> {
    return (await this.call('deleteWebhook', {})) as ZaloBotWebhookInfo;
  }

  async getWebhookInfo(): Promise<ZaloBotWebhookInfo> {
    return (await this.call('getWebhookInfo', {})) as ZaloBotWebhookInfo;
  }

  async sendMessage(chatId: string, text: string): Promise<ZaloBotSent> {
    return sentOf(await this.call('sendMessage', { chat_id: chatId, text }));
  }

  /** `photo` is a URL Zalo fetches; the caption follows the text limit. */
  async sendPhoto(chatId: string, photo: string, caption?: string): Promise<ZaloBotSent> {
    return sentOf(await this.call('sendPhoto', { chat_id: chatId, photo, ...(caption ? { caption } : {}) }));
  }

  async sendSticker(chatId: string, sticker: string): Promise<ZaloBotSent> {
    return sentOf(await this.call('sendSticker', { chat_id: chatId, sticker }));
  }

  async sendChatAction(chatId: string, action: ZaloBotChatAction = 'typing'): Promise<void> {
    await this.call('sendChatAction', { chat_id: chatId, action });
  }

  /** One API call; resolves with `result`, or throws ZaloBotApiError / ZaloBotNetworkError. */
  async call(method: string, payload: Record<string, unknown>, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<unknown> {
    let status: number;
    let raw: string;
    try {
      const res = await this.dispatcher.request({
        origin: this.root.origin,
        path: `${this.root.pathname.replace(/\/$/, '')}/bot${this.token}/${method}`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        ...(opts.timeoutMs ? { bodyTimeout: opts.timeoutMs, headersTimeout: opts.timeoutMs } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      status = res.statusCode;
      raw = await res.body.text();
    } catch (err) {
      const message = this.scrub((err as Error).message);
      if (err instanceof undiciErrors.InvalidArgumentError) throw new ZaloBotApiError(method, 400, `invalid request: ${message}`, 0);
      throw new ZaloBotNetworkError(method, `request failed: ${message}`, { cause: err });
    }
    const envelope = parseEnvelope(raw);
    if (!envelope) throw new ZaloBotNetworkError(method, `HTTP ${status} without the API's JSON answer`);
    if (envelope.ok) return envelope.result;
    const after = envelope.parameters?.retry_after;
    const error = new ZaloBotApiError(
      method,
      envelope.error_code ?? status,
      this.scrub(envelope.description ?? ''),
      status,
      typeof after === 'number' ? after * 1000 : undefined,
    );
    // Never the text or chat: messages here can be about children at risk.
    this.log.warn({ method, errorCode: error.errorCode, description: error.description }, 'Zalo Bot refused a call');
    throw error;
  }

  private scrub(text: string): string {
    return text.split(this.token).join('<token>');
  }
}

function sentOf(result: unknown): ZaloBotSent {
  const r = (result ?? {}) as { message_id?: unknown; date?: unknown };
  const id = typeof r.message_id === 'string' || typeof r.message_id === 'number' ? String(r.message_id) : '';
  return typeof r.date === 'number' ? { messageId: id, date: r.date } : { messageId: id };
}

function parseEnvelope(raw: string): Envelope | null {
  try {
    const v: unknown = JSON.parse(raw);
    if (v && typeof v === 'object' && typeof (v as Envelope).ok === 'boolean') return v as Envelope;
  } catch {
    // fall through
  }
  return null;
}

/**
 * What a failed send means for the outbox. The Bot Platform documents no error codes, so the
 * Telegram-like reading is used: 429 and 5xx pass, 403 means the person cannot be reached, anything
 * else is a bug or a bad token that retrying will not fix. The original error is the cause.
 */
export function toSendError(err: unknown, rateLimitRetryMs = 30_000): SendError {
  let out: SendError;
  if (err instanceof ZaloBotNetworkError) out = new RetryableSendError(err.message);
  else if (err instanceof ZaloBotApiError) {
    const code = err.errorCode;
    if (code === 429) out = new RetryableSendError(err.message, err.retryAfterMs ?? rateLimitRetryMs);
    else if (code >= 500 || code === 408) out = new RetryableSendError(err.message);
    else if (code === 403) out = new UnreachableError(err.message);
    else out = new PermanentSendError(err.message);
  } else out = new PermanentSendError(`Zalo Bot send failed: ${(err as Error)?.message ?? String(err)}`);
  out.cause = err;
  return out;
}
