/**
 * How the service reaches the Bot API: undici's `request` on one keep-alive Agent per process.
 * - `telegramClient`: the `fetch` shape grammY calls (its `client.fetch` option) for every call but
 *   sendMessage. grammY's default, node-fetch over `http.request`, was the largest single cost of a
 *   conversation step (about a quarter of the web process's CPU under load, issue 15). grammY only
 *   reads `res.json()`, and wraps anything this throws (network failures, aborts) in its HttpError.
 * - `BotMessages`: sendMessage itself, every reply and outbox message, without grammY's call path (an
 *   AbortController, a timeout timer, the transformer chain, a scan of the payload for files and a
 *   JSON replacer per call: ~40 % of the client's CPU per message, issue 15). It throws what grammY
 *   throws (GrammyError for an answer that is not ok, HttpError for a request that failed), so
 *   `toSendError` reads both the same.
 */
import type { Readable } from 'node:stream';
import { GrammyError, HttpError } from 'grammy';
import { Agent, Pool, request, type Dispatcher } from 'undici';

export type TelegramFetch = (url: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** One Agent per process, shared by the bot's Api and the outbox's (same origin, same sockets). */
let shared: Agent | undefined;

function agent(): Agent {
  // Sockets per origin are not capped, as with node-fetch's keep-alive agent; idle ones close after 30 s.
  shared ??= new Agent({ keepAliveTimeout: 30_000, connect: { timeout: 10_000 } });
  return shared;
}

export const telegramFetch: TelegramFetch = async (url, init) => {
  const res = await request(String(url), {
    method: (init?.method ?? 'GET') as 'GET' | 'POST',
    headers: init?.headers as Record<string, string> | undefined,
    // A JSON string, or a multipart stream when grammY uploads a file.
    body: init?.body as string | Readable | null | undefined,
    signal: init?.signal ?? undefined,
    dispatcher: agent(),
  });
  const body = res.body;
  return {
    ok: res.statusCode >= 200 && res.statusCode < 300,
    status: res.statusCode,
    statusText: '',
    json: () => body.json(),
    text: () => body.text(),
  } as unknown as Response;
};

/**
 * sendMessage's own pool of keep-alive sockets per Bot API origin, shared by the direct replies and the
 * outbox: a request to a pool names only the path, where `request(url)` through the Agent parsed the URL
 * and found the origin's pool on every call (~117 against ~70 µs of client CPU per message, same local
 * server, 32 in flight, issue 15).
 */
const pools = new Map<string, Pool>();

function poolFor(origin: string): Pool {
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, { keepAliveTimeout: 30_000, connect: { timeout: 10_000 } });
    pools.set(origin, pool);
  }
  return pool;
}

/** grammY's `client` options for the Bot API at `apiRoot`. */
export function telegramClient(apiRoot: string): { apiRoot: string; fetch: TelegramFetch } {
  return { apiRoot, fetch: telegramFetch };
}

/** The one Bot API method the sender calls (grammY's `Api` has it too: tests pass one). */
export interface MessageApi {
  sendMessage(chatId: string, text: string, other?: object): Promise<unknown>;
}

type ApiAnswer = { ok: true } | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

const SENT: ApiAnswer = { ok: true };
/** How every success of the Bot API begins (its answers are JSON, `ok` first). */
const SENT_HEAD = Buffer.from('{"ok":true,');

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * The Bot API's JSON answer, read from the pool's callbacks: its chunks joined and parsed once complete.
 * `request` wrapped each answer in a response stream and a body consumer, a fifth of the client's CPU per
 * message (26.5 against 34.8 µs, 32 in flight to a local server, issue 15). Whatever the status, the
 * body is the answer (the Bot API's errors are JSON too), as with `body.json()`. A success is known from
 * its first chunk (`{"ok":true,`): the sent message it carries is not read, as nobody uses it. (Known
 * from the body alone: an `onResponseStart` for the status would make undici build a headers object.)
 */
class JsonAnswer implements Dispatcher.DispatchHandler {
  /** Undefined once the answer is known to be a success. */
  private chunks: Buffer[] | undefined = [];

  constructor(
    private readonly resolve: (answer: ApiAnswer) => void,
    private readonly reject: (err: unknown) => void,
  ) {}

  /** Present so undici calls this handler's methods (a handler without it is taken for the older, deprecated interface). */
  onRequestStart(): void {}

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.chunks) return;
    if (this.chunks.length === 0 && chunk.length >= SENT_HEAD.length && chunk.compare(SENT_HEAD, 0, SENT_HEAD.length, 0, SENT_HEAD.length) === 0) {
      this.chunks = undefined;
      return;
    }
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (!this.chunks) return this.resolve(SENT);
    try {
      const text = Buffer.concat(this.chunks).toString('utf8');
      // body.json() drops a byte order mark.
      this.resolve(JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as ApiAnswer);
    } catch (err) {
      this.reject(err);
    }
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.reject(err);
  }
}

export class BotMessages implements MessageApi {
  private readonly pool: Pool;
  private readonly path: string;

  /**
   * `waitOut429`: a 429 whose retry_after is at most `seconds` is waited out and the message sent again,
   * up to `attempts` more times (the direct replies: what grammY's auto-retry did for them); without it
   * the 429 is thrown at once (the outbox paces and retries itself, and must see every 429).
   */
  constructor(token: string, apiRoot: string, private readonly waitOut429?: { seconds: number; attempts: number }) {
    const root = new URL(apiRoot);
    this.pool = poolFor(root.origin);
    // A Bot API server behind a path (a reverse proxy) keeps it, as grammY's URLs do.
    this.path = `${root.pathname.replace(/\/$/, '')}/bot${token}/sendMessage`;
  }

  async sendMessage(chatId: string, text: string, other?: object): Promise<void> {
    const payload = { chat_id: chatId, text, ...other };
    const body = JSON.stringify(payload);
    for (let left = this.waitOut429?.attempts ?? 0; ; left--) {
      let answer: ApiAnswer;
      try {
        answer = await new Promise<ApiAnswer>((resolve, reject) => {
          this.pool.dispatch({ path: this.path, method: 'POST', headers: JSON_HEADERS, body }, new JsonAnswer(resolve, reject));
        });
      } catch (err) {
        throw new HttpError("Network request for 'sendMessage' failed!", err);
      }
      if (answer.ok) return;
      const wait = answer.parameters?.retry_after;
      if (left > 0 && typeof wait === 'number' && wait <= (this.waitOut429?.seconds ?? -1)) {
        await new Promise((resolve) => setTimeout(resolve, wait * 1000));
        continue;
      }
      throw new GrammyError("Call to 'sendMessage' failed!", answer, 'sendMessage', payload);
    }
  }
}
