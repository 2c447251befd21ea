/**
 * A local stand-in for Zalo's OA API (`/v3.0/oa/message/cs`) and OAuth server (`/v4/oa/access_token`),
 * strict where the real one is: the `access_token` header must hold a live token, bodies must have the
 * documented shapes (else -201), errors come with HTTP 200, refresh tokens are single-use.
 *
 * It bills like Zalo (docs/zalo.md): a message in the reply form (`recipient.message_id` naming a
 * message the person sent, see `noteIncoming`) is a free reply while the person's allowance lasts (8
 * within 48 h of their latest message); anything else is proactive and spends the monthly quota, which
 * every answer reports; an empty quota answers -320.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedMessage {
  userId: string;
  text: string;
  accessToken: string;
  /** The person's message named by the reply form, if it was used. */
  replyTo?: string;
  /** What Zalo counted it as. */
  quotaType: 'reply' | 'sub_quota';
}

export interface RecordedCall {
  path: string;
  accessToken: string | undefined;
  /** The envelope's error code we answered with (0 = delivered). */
  error: number;
}

export interface FakeZaloOptions {
  appId?: string;
  appSecret?: string;
  /** Whether a refresh also kills the old access token (one source says so). Default true. */
  refreshKillsOldAccessToken?: boolean;
  /** Delay before answering a refresh, to widen race windows in tests. Default 30 ms. */
  refreshDelayMs?: number;
  /** expires_in sent with new tokens (as a string, like Zalo). Default "90000". */
  expiresIn?: string;
  /** Proactive messages left this month. Default 1000. */
  proactiveQuota?: number;
}

export interface FakeZalo {
  /** Serves both the API root and the OAuth root. */
  url: string;
  appId: string;
  appSecret: string;
  /** Messages accepted, in arrival order. */
  messages: RecordedMessage[];
  /** Every call to the message endpoint, accepted or not. */
  calls: RecordedCall[];
  refreshCount: number;
  /** Every OAuth answer that was not a success, whole. */
  oauthErrors: unknown[];
  /** Makes a live pair without going through OAuth (as if authorised earlier). */
  issuePair(): { accessToken: string; refreshToken: string };
  /** Registers a consent code that the exchange accepts once, for this PKCE challenge. */
  addAuthCode(code: string, codeChallenge: string): void;
  /** Every access token issued so far stops working (-216). */
  expireAccessTokens(): void;
  /** The next `times` message calls answer with `code` (after the token check). */
  failNext(code: number, times?: number, message?: string): void;
  /** Every refresh is refused with an OAuth error body until set back to false. */
  rejectRefreshes(reject: boolean): void;
  /** The person sent message `msgId` (as the webhook said): replies may name it. */
  noteIncoming(userId: string, msgId: string, at?: number): void;
  /** Proactive messages left this month. */
  proactiveLeft: number;
  close(): Promise<void>;
}

const ERROR_TEXT: Record<number, string> = {
  [-201]: 'Parameters are invalid',
  [-213]: 'User has not followed OA',
  [-216]: 'Access token is invalid',
  [-230]: 'User has not interacted with the OA in the past 7 days',
  [-32]: 'Out of rate limit',
  [-320]: 'Your app need to connect with Zalo Cloud Account to use paid features',
};

const FREE_REPLIES = 8;
const REPLY_WINDOW_MS = 48 * 3_600_000;

/** The whole request body as text (shared with the other fakes). */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Every running fake, so an event a test makes (a person writing) is known to the OA it goes to. */
const running = new Set<FakeZalo>();

/** A person sent `msgId` to the OA (the test built a webhook event for it): replies may name it. */
export function noteUserMessage(userId: string, msgId: string, at?: number): void {
  for (const f of running) f.noteIncoming(userId, msgId, at);
}

const token = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;

export async function startFakeZalo(opts: FakeZaloOptions = {}): Promise<FakeZalo> {
  const appId = opts.appId ?? '1234567890123456789';
  const appSecret = opts.appSecret ?? 'app-secret-xyz';
  const killOld = opts.refreshKillsOldAccessToken ?? true;
  const refreshDelayMs = opts.refreshDelayMs ?? 30;
  const expiresIn = opts.expiresIn ?? '90000';

  const liveAccess = new Set<string>();
  const liveRefresh = new Map<string, string>(); // refresh token → its access token
  const authCodes = new Map<string, string>(); // code → challenge
  const queuedFailures: { code: number; message: string }[] = [];
  const incoming = new Map<string, { userId: string }>(); // msg_id → its sender
  const allowances = new Map<string, { at: number; used: number }>(); // user → latest message's allowance
  const proactiveTotal = opts.proactiveQuota ?? 1000;
  let rejectRefresh = false;

  const newPair = () => {
    const pair = { accessToken: token('at_'), refreshToken: token('rt_') };
    liveAccess.add(pair.accessToken);
    liveRefresh.set(pair.refreshToken, pair.accessToken);
    return pair;
  };

  const oauthError = (res: ServerResponse, error: number, name: string) => {
    const body = { error, error_name: name, error_reason: name, error_description: `fake: ${name}` };
    fake.oauthErrors.push(body);
    send(res, 200, body);
  };

  async function handleMessage(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const accessToken = req.headers['access_token'];
    const at = typeof accessToken === 'string' ? accessToken : undefined;
    const answer = (error: number, data?: unknown) => {
      fake.calls.push({ path: req.url ?? '', accessToken: at, error });
      send(res, 200, error === 0 ? { error: 0, message: 'Success', data } : { error, message: ERROR_TEXT[error] ?? 'error' });
    };
    if (!at || !liveAccess.has(at)) return answer(-216);
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return answer(-201);
    }
    const b = body as { recipient?: { user_id?: unknown; message_id?: unknown }; message?: { text?: unknown } };
    const replyTo = b?.recipient?.message_id;
    const asReply = typeof replyTo === 'string' ? incoming.get(replyTo) : undefined;
    const userId = asReply?.userId ?? b?.recipient?.user_id;
    const text = b?.message?.text;
    const oneRecipient = (replyTo === undefined) !== (b?.recipient?.user_id === undefined);
    const wellFormed =
      req.headers['content-type']?.startsWith('application/json') &&
      oneRecipient &&
      (replyTo === undefined || asReply !== undefined) &&
      typeof userId === 'string' &&
      /^\d+$/.test(userId) &&
      typeof text === 'string' &&
      text.length > 0 &&
      text.length <= 2000;
    if (!wellFormed) return answer(-201);
    const failure = queuedFailures.shift();
    if (failure) {
      fake.calls.push({ path: req.url ?? '', accessToken: at, error: failure.code });
      return send(res, 200, { error: failure.code, message: failure.message });
    }
    const allowance = allowances.get(userId);
    const free = asReply !== undefined && allowance !== undefined && Date.now() - allowance.at < REPLY_WINDOW_MS && allowance.used < FREE_REPLIES;
    if (!free && fake.proactiveLeft <= 0) return answer(-320);
    if (free) allowance.used++;
    else fake.proactiveLeft--;
    const quotaType = free ? 'reply' : 'sub_quota';
    fake.messages.push({ userId, text, accessToken: at, quotaType, ...(asReply ? { replyTo: replyTo as string } : {}) });
    const quota = free ? { quota_type: 'reply' } : { quota_type: 'sub_quota', remain: String(fake.proactiveLeft), total: String(proactiveTotal) };
    answer(0, { message_id: token('msg_'), user_id: userId, quota });
  }

  async function handleToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    if (!req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return oauthError(res, -14001, 'Invalid content type');
    if (req.headers['secret_key'] !== appSecret) return oauthError(res, -14002, 'Invalid secret key');
    if (form.get('app_id') !== appId) return oauthError(res, -14003, 'Invalid app id');
    const grant = form.get('grant_type');
    if (grant === 'refresh_token') {
      fake.refreshCount++;
      await new Promise((r) => setTimeout(r, refreshDelayMs));
      const rt = form.get('refresh_token') ?? '';
      const oldAccess = liveRefresh.get(rt);
      if (rejectRefresh || oldAccess === undefined) return oauthError(res, -14014, 'Invalid refresh token');
      liveRefresh.delete(rt); // single use
      if (killOld) liveAccess.delete(oldAccess);
      const pair = newPair();
      return send(res, 200, { access_token: pair.accessToken, refresh_token: pair.refreshToken, expires_in: expiresIn });
    }
    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      const challenge = authCodes.get(code);
      authCodes.delete(code);
      const verifier = form.get('code_verifier') ?? '';
      const computed = createHash('sha256').update(verifier, 'ascii').digest('base64url');
      if (challenge === undefined) return oauthError(res, -14019, 'Invalid authorization code');
      if (computed !== challenge) return oauthError(res, -14016, 'Invalid code verifier');
      const pair = newPair();
      return send(res, 200, { access_token: pair.accessToken, refresh_token: pair.refreshToken, expires_in: expiresIn });
    }
    return oauthError(res, -14004, 'Invalid grant type');
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const handler =
      req.method === 'POST' && path === '/v3.0/oa/message/cs'
        ? handleMessage
        : req.method === 'POST' && path === '/v4/oa/access_token'
          ? handleToken
          : null;
    if (!handler) return send(res, 404, { error: 404, message: 'not found' });
    handler(req, res).catch(() => send(res, 500, { error: -1, message: 'fake server fault' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeZalo = {
    url: `http://127.0.0.1:${port}`,
    appId,
    appSecret,
    messages: [],
    calls: [],
    refreshCount: 0,
    oauthErrors: [],
    issuePair: newPair,
    addAuthCode: (code, challenge) => void authCodes.set(code, challenge),
    expireAccessTokens: () => liveAccess.clear(),
    failNext: (code, times = 1, message = ERROR_TEXT[code] ?? 'error') => {
      for (let i = 0; i < times; i++) queuedFailures.push({ code, message });
    },
    rejectRefreshes: (reject) => {
      rejectRefresh = reject;
    },
    noteIncoming: (userId, msgId, at = Date.now()) => {
      incoming.set(msgId, { userId });
      const current = allowances.get(userId);
      if (!current || current.at < at) allowances.set(userId, { at, used: 0 });
    },
    proactiveLeft: proactiveTotal,
    close: () =>
      new Promise<void>((resolve) => {
        running.delete(fake);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  running.add(fake);
  return fake;
}
