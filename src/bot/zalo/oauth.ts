/**
 * Zalo's OAuth server, for the OA's tokens: exchanging the consent code (PKCE) for the first pair,
 * refreshing a pair, and the consent link itself. Answers are split the grammY way: the server said no
 * (ZaloOAuthRejected, its body kept whole) or could not be reached / had a fault (ZaloOAuthUnavailable,
 * worth trying again later). Storing and sharing the pair is tokens.ts's job.
 */
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { createZaloAgent } from './http-agent.js';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** The OAuth server refused a request (bad code, bad verifier, bad secret, dead refresh token). */
export class ZaloOAuthRejected extends Error {
  override name = 'ZaloOAuthRejected';
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(message);
  }
}

/** The OAuth server could not be reached or answered with a server fault: worth trying again later. */
export class ZaloOAuthUnavailable extends Error {
  override name = 'ZaloOAuthUnavailable';
}

/** Success body of /v4/oa/access_token. `expires_in` is documented as a string; accept a number too. */
const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.union([z.string(), z.number()]).transform(Number).pipe(z.number().positive().finite()),
});

export interface ZaloOAuthClientOptions {
  appId: string;
  /** The app secret, sent as the `secret_key` header of token requests. */
  appSecret: string;
  /** Default https://oauth.zaloapp.com (no trailing slash needed). */
  oauthRoot?: string;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Share an undici dispatcher; otherwise the client owns a keep-alive Agent closed by close(). */
  dispatcher?: Dispatcher;
  now?: () => number;
}

const oauthBase = (root: string | undefined): string => (root ?? 'https://oauth.zaloapp.com').replace(/\/+$/, '');

export class ZaloOAuthClient {
  private readonly appId: string;
  private readonly appSecret: string;
  private readonly tokenUrl: URL;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly now: () => number;

  constructor(opts: ZaloOAuthClientOptions) {
    this.appId = opts.appId;
    this.appSecret = opts.appSecret;
    this.tokenUrl = new URL(`${oauthBase(opts.oauthRoot)}/v4/oa/access_token`);
    this.ownsDispatcher = !opts.dispatcher;
    this.dispatcher = opts.dispatcher ?? createZaloAgent(opts);
    this.now = opts.now ?? Date.now;
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** The first pair, for the code from the consent redirect and the PKCE verifier. */
  exchangeCode(code: string, codeVerifier: string): Promise<TokenPair> {
    return this.requestToken({ code, app_id: this.appId, grant_type: 'authorization_code', code_verifier: codeVerifier });
  }

  /** A new pair for a (single-use) refresh token. */
  refresh(refreshToken: string): Promise<TokenPair> {
    return this.requestToken({ refresh_token: refreshToken, app_id: this.appId, grant_type: 'refresh_token' });
  }

  private async requestToken(form: Record<string, string>): Promise<TokenPair> {
    let status: number;
    let text: string;
    try {
      const res = await this.dispatcher.request({
        origin: this.tokenUrl.origin,
        path: this.tokenUrl.pathname + this.tokenUrl.search,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: this.appSecret },
        body: new URLSearchParams(form).toString(),
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      throw new ZaloOAuthUnavailable(`Zalo OAuth request failed: ${(err as Error).message}`, { cause: err });
    }
    if (status >= 500 || status === 429) {
      throw new ZaloOAuthUnavailable(`Zalo OAuth answered HTTP ${status}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (a proxy page?): not a verdict on our refresh token, so not a rejection.
      throw new ZaloOAuthUnavailable(`Zalo OAuth answered HTTP ${status} with a non-JSON body`);
    }
    const ok = TokenResponseSchema.safeParse(body);
    if (status >= 200 && status < 300 && ok.success) {
      return {
        accessToken: ok.data.access_token,
        refreshToken: ok.data.refresh_token,
        expiresAt: this.now() + ok.data.expires_in * 1000,
      };
    }
    // OAuth error bodies are not the API envelope ({error, error_name, error_description, ...}): keep whole.
    throw new ZaloOAuthRejected(`Zalo OAuth rejected the request (HTTP ${status})`, status, body);
  }
}

/** The OA admin opens this link to grant the app access; Zalo redirects to redirectUri with `code`. */
export function buildConsentUrl(opts: {
  oauthRoot?: string;
  appId: string;
  redirectUri: string;
  codeChallenge: string;
  state: string;
}): string {
  const url = new URL(`${oauthBase(opts.oauthRoot)}/v4/oa/permission`);
  url.searchParams.set('app_id', opts.appId);
  url.searchParams.set('redirect_uri', opts.redirectUri);
  url.searchParams.set('code_challenge', opts.codeChallenge);
  url.searchParams.set('state', opts.state);
  return url.toString();
}
