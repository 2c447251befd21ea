/**
 * A local stand-in for the Zalo Bot Platform API (`/bot<TOKEN>/<method>`), strict where the real one
 * is documented to be: JSON POSTs only, the token in the path (401 otherwise), the documented fields
 * per method (400 otherwise), texts of 1-2,000 characters, webhook secrets of 8-256 characters, and
 * polling refused while a webhook is set. Long polls wait for an update and answer 408 after `timeout`
 * seconds, one update per answer, as the API does. It can also play Zalo calling our webhook.
 */
import { randomBytes } from 'node:crypto';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './fake-zalo.js';

export interface BotCall {
  method: string;
  /** The token found in the path ('' when none). */
  token: string;
  contentType: string | undefined;
  payload: Record<string, unknown>;
  /** HTTP status answered (0 when the connection was dropped). */
  status: number;
  ok: boolean;
}

export interface BotFailure {
  errorCode: number;
  description?: string;
  retryAfter?: number;
  /** Drop the connection without answering. */
  drop?: boolean;
}

export interface FakeZaloBotOptions {
  token?: string;
  /** setWebhook refuses http:// URLs unless this is false (tests deliver to a local http server). */
  requireHttps?: boolean;
}

interface Poll {
  res: ServerResponse;
  call: BotCall;
  timer: NodeJS.Timeout;
}

const CHAT_ACTIONS = new Set(['typing', 'upload_photo']);

export class FakeZaloBot {
  readonly token: string;
  readonly calls: BotCall[] = [];
  webhook: { url: string; secretToken: string } | null = null;
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private port = 0;
  private readonly failures: Array<{ method: string; failure: BotFailure }> = [];
  private readonly blocked = new Set<string>();
  private readonly updates: unknown[] = [];
  private readonly polls = new Set<Poll>();

  constructor(private readonly opts: FakeZaloBotOptions = {}) {
    this.token = opts.token ?? '1459232241454765289:fakeBotSecretABCdef123';
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const p of this.polls) clearTimeout(p.timer);
    this.polls.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  callsTo(method: string): BotCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Texts accepted by sendMessage, in order. */
  sentTexts(chatId?: string): string[] {
    return this.callsTo('sendMessage')
      .filter((c) => c.ok && (chatId === undefined || c.payload.chat_id === chatId))
      .map((c) => String(c.payload.text));
  }

  failNext(method: string, failure: BotFailure, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ method, failure });
  }

  /** Sends to this chat answer 403, as for a person who blocked the bot. */
  blockChat(chatId: string): void {
    this.blocked.add(chatId);
  }

  /** An update for the next (or a waiting) getUpdates. */
  queueUpdate(update: unknown): void {
    const poll = [...this.polls][0];
    if (poll) {
      this.polls.delete(poll);
      clearTimeout(poll.timer);
      this.reply(poll.res, poll.call, 200, { ok: true, result: update });
    } else this.updates.push(update);
  }

  /**
   * Plays Zalo delivering `update` to the registered webhook, with the registered secret unless
   * `secret` says otherwise (null: no header).
   */
  async deliver(update: unknown, secret?: string | null): Promise<{ status: number; body: string }> {
    if (!this.webhook) throw new Error('no webhook set');
    const body = JSON.stringify(update);
    const token = secret === undefined ? this.webhook.secretToken : secret;
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    if (token !== null) headers['x-bot-api-secret-token'] = token;
    return postRaw(this.webhook.url, headers, body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]*)\/([A-Za-z]+)$/.exec((req.url ?? '').split('?')[0] ?? '');
    const raw = await readBody(req);
    const call: BotCall = {
      method: match?.[2] ?? '',
      token: match?.[1] ?? '',
      contentType: req.headers['content-type'],
      payload: {},
      status: 0,
      ok: false,
    };
    this.calls.push(call);
    if (!match) return this.fail(res, call, 404, 'Not Found');
    if (call.token !== this.token) return this.fail(res, call, 401, 'Unauthorized');
    if (req.method !== 'POST' || !call.contentType?.startsWith('application/json')) return this.fail(res, call, 400, 'Bad Request: JSON POST expected');
    try {
      const parsed: unknown = JSON.parse(raw || '{}');
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      call.payload = parsed as Record<string, unknown>;
    } catch {
      return this.fail(res, call, 400, 'Bad Request: body is not a JSON object');
    }
    const i = this.failures.findIndex((f) => f.method === call.method);
    if (i >= 0) {
      const failure = this.failures.splice(i, 1)[0]!.failure;
      if (failure.drop) return void res.socket?.destroy();
      return this.fail(res, call, failure.errorCode, failure.description ?? 'injected failure', failure.retryAfter);
    }
    this.route(res, call);
  }

  private route(res: ServerResponse, call: BotCall): void {
    const p = call.payload;
    const invalid = (what: string) => this.fail(res, call, 400, `Bad Request: ${what}`);
    const sent = () => this.reply(res, call, 200, { ok: true, result: { message_id: randomBytes(10).toString('hex'), date: Date.now() } });
    const chatOk = typeof p.chat_id === 'string' && p.chat_id.length > 0;
    const sendsTo = ['sendMessage', 'sendPhoto', 'sendSticker', 'sendChatAction'].includes(call.method);
    if (sendsTo && !chatOk) return invalid('chat_id must be a non-empty string');
    if (sendsTo && this.blocked.has(String(p.chat_id))) return this.fail(res, call, 403, 'Forbidden: user blocked the bot');
    switch (call.method) {
      case 'getMe':
        return this.reply(res, call, 200, { ok: true, result: { id: this.token.split(':')[0], account_name: 'bot.treem', account_type: 'BASIC', can_join_groups: false } });
      case 'sendMessage':
        return isText(p.text) ? sent() : invalid('text must be 1-2000 characters');
      case 'sendPhoto':
        if (typeof p.photo !== 'string' || !/^https?:\/\//.test(p.photo)) return invalid('photo must be a URL');
        return p.caption === undefined || isText(p.caption) ? sent() : invalid('caption must be 1-2000 characters');
      case 'sendSticker':
        return typeof p.sticker === 'string' && p.sticker.length > 0 ? sent() : invalid('sticker is required');
      case 'sendChatAction':
        return CHAT_ACTIONS.has(String(p.action)) ? this.reply(res, call, 200, { ok: true }) : invalid('unknown action');
      case 'setWebhook': {
        const url = typeof p.url === 'string' ? p.url : '';
        const secret = typeof p.secret_token === 'string' ? p.secret_token : '';
        if (!/^https?:\/\//.test(url) || ((this.opts.requireHttps ?? true) && !url.startsWith('https://'))) return invalid('url must be HTTPS');
        if (secret.length < 8 || secret.length > 256) return invalid('secret_token must be 8-256 characters');
        this.webhook = { url, secretToken: secret };
        return this.reply(res, call, 200, { ok: true, result: { url, updated_at: Date.now() } });
      }
      case 'deleteWebhook':
        this.webhook = null;
        return this.reply(res, call, 200, { ok: true, result: { url: '', updated_at: Date.now() } });
      case 'getWebhookInfo':
        return this.reply(res, call, 200, { ok: true, result: { url: this.webhook?.url ?? '', updated_at: Date.now() } });
      case 'getUpdates':
        return this.poll(res, call);
      default:
        return this.fail(res, call, 404, 'Not Found: unknown method');
    }
  }

  private poll(res: ServerResponse, call: BotCall): void {
    if (this.webhook) return this.fail(res, call, 409, 'Conflict: webhook is active, use deleteWebhook first');
    const seconds = Number(call.payload.timeout ?? 30);
    if (!Number.isFinite(seconds) || seconds < 0) return this.fail(res, call, 400, 'Bad Request: timeout');
    if (this.updates.length > 0) return this.reply(res, call, 200, { ok: true, result: this.updates.shift() });
    const poll: Poll = {
      res,
      call,
      timer: setTimeout(() => {
        this.polls.delete(poll);
        this.fail(res, call, 408, 'Request timeout');
      }, seconds * 1000),
    };
    this.polls.add(poll);
    res.on('close', () => {
      clearTimeout(poll.timer);
      this.polls.delete(poll);
    });
  }

  private fail(res: ServerResponse, call: BotCall, code: number, description: string, retryAfter?: number): void {
    const body = { ok: false, error_code: code, description, ...(retryAfter !== undefined ? { parameters: { retry_after: retryAfter } } : {}) };
    this.reply(res, call, code >= 400 && code < 600 ? code : 200, body);
  }

  private reply(res: ServerResponse, call: BotCall, status: number, body: { ok: boolean; [k: string]: unknown }): void {
    call.status = status;
    call.ok = body.ok;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
}

function isText(v: unknown): boolean {
  return typeof v === 'string' && v.length >= 1 && v.length <= 2000;
}

function postRaw(url: string, headers: Record<string, string | number>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let counter = 0;

/** An update as the Bot Platform sends it; `eventName` defaults to a text message. */
export function botUpdate(
  userId: string,
  fields: { text?: string; photo?: string; caption?: string; eventName?: string; chatType?: string; messageId?: string; date?: number } = {},
): Record<string, unknown> {
  const message: Record<string, unknown> = {
    message_id: fields.messageId ?? `m${++counter}${randomBytes(8).toString('hex')}`,
    from: { id: userId, display_name: 'Người dùng thử', is_bot: false },
    chat: { id: userId, chat_type: fields.chatType ?? 'PRIVATE' },
    date: fields.date ?? Date.now(),
  };
  for (const k of ['text', 'photo', 'caption'] as const) if (fields[k] !== undefined) message[k] = fields[k];
  return { event_name: fields.eventName ?? 'message.text.received', message };
}
