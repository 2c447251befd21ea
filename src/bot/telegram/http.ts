/**
 * How grammY reaches the Bot API: undici's `request` on a keep-alive Agent, behind the `fetch` shape grammY
 * calls (its `client.fetch` option). grammY's default, node-fetch over `http.request`, was the largest
 * single cost of a conversation step (about a quarter of the web process's CPU under load, issue 15);
 * undici does the same request with far less work per call. grammY only reads `res.json()`, and wraps
 * anything this throws (network failures, aborts) in its HttpError, as with node-fetch.
 */
import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';

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

/** grammY's `client` options for the Bot API at `apiRoot`. */
export function telegramClient(apiRoot: string): { apiRoot: string; fetch: TelegramFetch } {
  return { apiRoot, fetch: telegramFetch };
}
