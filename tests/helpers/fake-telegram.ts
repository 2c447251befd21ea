/**
 * A local stand-in for the Telegram Bot API (node:http on 127.0.0.1), so grammY can be pointed at it
 * with `apiRoot` and the real HTTP client, JSON encoding and error classes are exercised. About 400
 * lines: it is one server, and its methods mirror the Bot API's, one small handler each.
 *
 * Serves files too (getFile, then the download under /file/bot<token>/<path>) for files added with
 * addFile, as a photo a citizen sent would be.
 *
 * Records every call (method, payload, arrival time, status answered) and can inject failures:
 * the next N calls fail with a status, a random share of sends fails (seeded), chats that blocked the
 * bot (403), and a flood mode that answers 429 when more than N messages would be accepted within any
 * 1-second window.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UserFromGetMe } from 'grammy/types';

export interface ApiCall {
  method: string;
  token: string;
  payload: Record<string, unknown>;
  /** Date.now() when the request body had fully arrived. */
  at: number;
  /** HTTP status answered (0 when the connection was dropped). */
  status: number;
}

export interface Failure {
  /** HTTP status and Bot API error_code, e.g. 500, 429, 400. */
  status: number;
  description?: string;
  /** For 429: seconds put in parameters.retry_after. */
  retryAfter?: number;
  /** Drop the connection without answering (grammY sees a network error: HttpError). */
  drop?: boolean;
}

export interface FakeTelegramOptions {
  /** Only this token is accepted (401 otherwise); any token when unset. */
  token?: string;
  /** Added before answering each call, to make the server look like a remote one. */
  latencyMs?: number;
}

interface PendingPoll {
  offset: number;
  limit: number;
  res: ServerResponse;
  timer: NodeJS.Timeout;
}

/** The bot this fake plays; tests pass the same object to grammY as botInfo to skip getMe. */
export const BOT_USER: UserFromGetMe = {
  id: 7000000001,
  is_bot: true,
  first_name: 'Bảo vệ trẻ em (test)',
  username: 'treem_test_bot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

export class FakeTelegram {
  readonly calls: ApiCall[] = [];
  /** Number of 429 answers given (injected or from flood mode). */
  tooManyRequests = 0;
  private port = 0;
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private failures: Array<{ method: string; failure: Failure; pass: number }> = [];
  private readonly blocked = new Set<string>();
  private floodLimit: number | null = null;
  private random: { share: number; kinds: Failure[]; next: () => number } | null = null;
  private readonly acceptedSendTimes: number[] = [];
  private readonly updates: Array<Record<string, unknown> & { update_id: number }> = [];
  private nextUpdateId = 100_000;
  private readonly polls = new Set<PendingPoll>();
  private readonly messageIds = new Map<string, number>();
  private readonly waiters = new Set<() => void>();
  private readonly textsByChat = new Map<string, string[]>();
  private latencyMs: number;
  private readonly files = new Map<string, { path: string; body: Buffer }>();
  /** Downloads served (file paths), to see that a file was fetched through the server. */
  readonly downloads: string[] = [];

  constructor(private readonly opts: FakeTelegramOptions = {}) {
    this.latencyMs = opts.latencyMs ?? 0;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** For grammY's `client.apiRoot` (no trailing slash). */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const poll of this.polls) {
      clearTimeout(poll.timer);
      this.answer(poll.res, 200, { ok: true, result: [] });
    }
    this.polls.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- failure injection -------------------------------------------------------------------------

  /** The next `n` calls of `method` (default sendMessage) fail as described, after `pass` calls that succeed. */
  failNext(n: number, failure: Failure, method = 'sendMessage', pass = 0): void {
    for (let i = 0; i < n; i++) this.failures.push({ method, failure, pass: i === 0 ? pass : 0 });
  }

  /**
   * A share (0..1) of all sendMessage calls fails, each with one of `kinds` in turn, picked by a
   * seeded generator so a run can be repeated. Null turns it off.
   */
  failRandomly(share: number | null, kinds: Failure[] = [], seed = 1): void {
    let state = seed >>> 0 || 1;
    // xorshift32: small, deterministic, good enough to spread failures.
    const next = () => ((state ^= state << 13), (state ^= state >>> 17), (state ^= state << 5), (state >>> 0) / 2 ** 32);
    this.random = share === null || kinds.length === 0 ? null : { share, kinds, next };
  }

  /** Answer 403 "bot was blocked by the user" to every send to this chat. */
  blockChat(chatId: string | number): void {
    this.blocked.add(String(chatId));
  }

  unblockChat(chatId: string | number): void {
    this.blocked.delete(String(chatId));
  }

  /**
   * Flood mode: a sendMessage that would make more than `perSecond` accepted messages within the last
   * 1,000 ms is answered 429 (retry_after 1). Null turns it off. Refused calls do not count, as they
   * delivered nothing.
   */
  setFloodLimit(perSecond: number | null): void {
    this.floodLimit = perSecond;
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** A file the Bot API knows by `fileId`, as a photo or document someone sent to the bot. */
  addFile(fileId: string, body: Buffer, path = `photos/${fileId}.jpg`): void {
    this.files.set(fileId, { path, body });
  }

  // ---- updates for getUpdates --------------------------------------------------------------------

  /** Queues an update for getUpdates; update_id is assigned when missing. Returns the update_id. */
  pushUpdate(update: Record<string, unknown>): number {
    const id = typeof update.update_id === 'number' ? update.update_id : this.nextUpdateId++;
    this.updates.push({ ...update, update_id: id });
    this.flushPolls();
    return id;
  }

  // ---- reading what happened ---------------------------------------------------------------------

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The texts one chat received (accepted sendMessage calls), in order; indexed, for large runs. */
  messagesTo(chatId: string | number): string[] {
    return this.textsByChat.get(String(chatId)) ?? [];
  }

  /** sendMessage calls that were answered ok: the messages a person actually received. */
  delivered(): ApiCall[] {
    return this.calls.filter((c) => c.method === 'sendMessage' && c.status === 200);
  }

  /** Resolves once `n` sendMessage calls have arrived (whatever the answer); rejects after timeoutMs. */
  waitForSendMessage(n: number, timeoutMs = 10_000): Promise<ApiCall[]> {
    return this.waitFor(() => this.callsTo('sendMessage').length >= n, timeoutMs, `${n} sendMessage calls`).then(
      () => this.callsTo('sendMessage'),
    );
  }

  /** Resolves once `n` messages have been delivered (answered ok); rejects after timeoutMs. */
  waitForDelivered(n: number, timeoutMs = 10_000): Promise<ApiCall[]> {
    return this.waitFor(() => this.delivered().length >= n, timeoutMs, `${n} delivered messages`).then(() =>
      this.delivered(),
    );
  }

  private waitFor(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!done()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`fake Telegram: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  // ---- HTTP handling -----------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const at = Date.now();
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.url ?? '');
    if (download) return this.serveFile(download[1] ?? '', decodeURIComponent(download[2] ?? ''), res);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)/.exec(req.url ?? '');
    if (!match) return this.answer(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const token = match[1] ?? '';
    const method = match[2] ?? '';
    let payload: Record<string, unknown> = {};
    const raw = Buffer.concat(chunks).toString('utf8');
    if (raw.length > 0) {
      try {
        payload = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        payload = { _raw: raw }; // multipart uploads are not needed by these tests
      }
    }
    const call: ApiCall = { method, token, payload, at, status: 0 };
    this.calls.push(call);

    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));

    const reply = (status: number, body: unknown): void => {
      call.status = status;
      if (status === 429) this.tooManyRequests++;
      this.answer(res, status, body);
      this.notify();
    };

    if (this.opts.token !== undefined && token !== this.opts.token) {
      return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    }

    const injected = this.failures.findIndex((f) => f.method === method);
    const passing = injected !== -1 && (this.failures[injected] as { pass: number }).pass-- > 0;
    const randomly = method === 'sendMessage' && this.random && this.random.next() < this.random.share ? this.random : null;
    if ((injected !== -1 && !passing) || randomly) {
      const failure = randomly ? (randomly.kinds[Math.floor(randomly.next() * randomly.kinds.length)] as Failure) : (this.failures.splice(injected, 1)[0] as { failure: Failure }).failure;
      if (failure.drop) {
        res.socket?.destroy();
        this.notify();
        return;
      }
      return reply(failure.status, errorBody(failure));
    }

    if (method === 'sendMessage') {
      const chatId = String(payload.chat_id ?? '');
      if (this.blocked.has(chatId)) {
        return reply(403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
      }
      if (this.floodLimit !== null) {
        while (this.acceptedSendTimes.length > 0 && (this.acceptedSendTimes[0] ?? 0) <= at - 1000) {
          this.acceptedSendTimes.shift();
        }
        if (this.acceptedSendTimes.length >= this.floodLimit) {
          return reply(429, errorBody({ status: 429, retryAfter: 1 }));
        }
        this.acceptedSendTimes.push(at);
      }
      const texts = this.textsByChat.get(chatId) ?? [];
      this.textsByChat.set(chatId, texts);
      texts.push(String(payload.text ?? ''));
      return reply(200, { ok: true, result: this.message(chatId, payload) });
    }

    switch (method) {
      case 'getMe':
        return reply(200, { ok: true, result: BOT_USER });
      case 'answerCallbackQuery':
      case 'setWebhook':
      case 'deleteWebhook':
        return reply(200, { ok: true, result: true });
      case 'editMessageReplyMarkup': {
        // Inline messages answer `true`; chat messages answer the edited Message.
        if (payload.inline_message_id !== undefined) return reply(200, { ok: true, result: true });
        const chatId = String(payload.chat_id ?? '');
        const message = {
          ...this.message(chatId, { text: '' }),
          message_id: Number(payload.message_id),
          reply_markup: payload.reply_markup,
          edit_date: Math.floor(Date.now() / 1000),
        };
        return reply(200, { ok: true, result: message });
      }
      case 'getUpdates':
        return this.getUpdates(payload, res, call);
      case 'getFile': {
        const file = this.files.get(String(payload.file_id ?? ''));
        if (!file) return reply(400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
        return reply(200, { ok: true, result: { file_id: payload.file_id, file_unique_id: `u${payload.file_id}`, file_size: file.body.length, file_path: file.path } });
      }
      default:
        return reply(404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    }
  }

  /** Confirms updates below `offset`, answers what remains, or holds the request up to `timeout` s. */
  private getUpdates(payload: Record<string, unknown>, res: ServerResponse, call: ApiCall): void {
    const offset = typeof payload.offset === 'number' ? payload.offset : 0;
    const limit = typeof payload.limit === 'number' ? payload.limit : 100;
    const timeout = typeof payload.timeout === 'number' ? payload.timeout : 0;
    this.confirm(offset);
    call.status = 200;
    if (this.updates.length > 0 || timeout <= 0) {
      this.answer(res, 200, { ok: true, result: this.updates.slice(0, limit) });
      return;
    }
    const poll: PendingPoll = {
      offset,
      limit,
      res,
      timer: setTimeout(() => {
        this.polls.delete(poll);
        this.answer(res, 200, { ok: true, result: [] });
      }, timeout * 1000),
    };
    this.polls.add(poll);
  }

  private confirm(offset: number): void {
    if (offset <= 0) return;
    while (this.updates.length > 0 && (this.updates[0]?.update_id ?? 0) < offset) this.updates.shift();
  }

  private flushPolls(): void {
    for (const poll of this.polls) {
      clearTimeout(poll.timer);
      this.polls.delete(poll);
      this.answer(poll.res, 200, { ok: true, result: this.updates.slice(0, poll.limit) });
    }
  }

  private message(chatId: string, payload: Record<string, unknown>): Record<string, unknown> {
    const id = (this.messageIds.get(chatId) ?? 0) + 1;
    this.messageIds.set(chatId, id);
    const numeric = /^-?\d+$/.test(chatId) ? Number(chatId) : chatId;
    return {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: numeric, type: 'private', first_name: 'Người dùng' },
      from: { id: BOT_USER.id, is_bot: true, first_name: BOT_USER.first_name, username: BOT_USER.username },
      text: payload.text,
      ...(payload.reply_markup !== undefined ? { reply_markup: payload.reply_markup } : {}),
    };
  }

  private serveFile(token: string, path: string, res: ServerResponse): void {
    const file = [...this.files.values()].find((f) => f.path === path);
    if ((this.opts.token !== undefined && token !== this.opts.token) || !file) {
      res.writeHead(404).end();
      return;
    }
    this.downloads.push(path);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.body.length });
    res.end(file.body);
  }

  private answer(res: ServerResponse, status: number, body: unknown): void {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private notify(): void {
    for (const check of [...this.waiters]) check();
  }
}

function errorBody(f: Failure): Record<string, unknown> {
  const description =
    f.description ??
    (f.status === 429
      ? `Too Many Requests: retry after ${f.retryAfter ?? 1}`
      : f.status >= 500
        ? 'Internal Server Error'
        : 'Bad Request');
  return {
    ok: false,
    error_code: f.status,
    description,
    ...(f.status === 429 ? { parameters: { retry_after: f.retryAfter ?? 1 } } : {}),
  };
}

/** Starts a fake Bot API on a free port. */
export async function startFakeTelegram(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  return new FakeTelegram(opts).start();
}
