/**
 * Zalo OA access/refresh tokens, kept in Redis so every process shares one pair.
 *
 * Zalo refresh tokens are single-use: a refresh returns a new pair and kills the old refresh token (and,
 * per one source, the old access token). Two processes refreshing at once would therefore leave one of
 * them holding a dead pair and could lock the OA out until someone re-authorises it. Hence: one refresh
 * at a time across all processes (a Redis lock), the new pair stored before anyone uses it, and early
 * refreshes (at 80% of a token's lifetime, hours before expiry) so a passing OAuth outage does not stop
 * sending. The requests
 * themselves are oauth.ts's; the consent link's PKCE helpers are pkce.ts.
 *
 * At rest the tokens and the PKCE verifier and state are sealed under DATA_KEY (a copy of Redis without
 * the key must not let anyone act as the commune's OA): the pair hash keeps the two tokens in one sealed
 * field beside their times, a verifier's key names its state by a keyed hash. A pair stored in clear by
 * an older version is read and sealed in place on first use.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { sealedAt, type DataCipher } from '../../store/crypto.js';
import { sealedValue, type ResealRule } from '../../store/rekey.js';
import { refreshDueAt, type RefreshTiming } from './token-timing.js';
import { silentLogger, type Logger } from '../../logger.js';
import { ZaloOAuthClient, ZaloOAuthRejected, ZaloOAuthUnavailable, type ZaloOAuthClientOptions, type TokenPair } from './oauth.js';

export const TOKEN_KEY_PREFIX = 'zalo:token:';

/** Redis keys for one OA app. The app id is part of the key so two OAs never share a pair or a lock. */
export function zaloTokenKeys(appId: string) {
  const base = `${TOKEN_KEY_PREFIX}${appId}:`;
  return {
    /** Hash: sealed (the two tokens), expires_at and refresh_at (ms since epoch), updated_at. */
    pair: `${base}pair`,
    lock: `${base}lock`,
    /** Set (with the reason) when a refresh was rejected; cleared by a successful code exchange. */
    reauthRequired: `${base}reauth_required`,
    /** A consent link's sealed verifier, under a keyed hash of its state (`ZaloTokenStore.pkceTag`). */
    pkce: (stateTag: string) => `${base}pkce:${stateTag}`,
    /** The state of the most recent consent link, sealed, so `zalo:auth --code` works without `--state`. */
    pkceLatest: `${base}pkce:latest`,
  };
}

/** Where the token store keeps sealed values, for `npm run rotate-key` (store/rekey.ts). */
export const zaloTokenRules: ResealRule[] = [
  sealedValue(new RegExp(`^${TOKEN_KEY_PREFIX}[^:]+:pair$`), 'hash', ['sealed']),
  sealedValue(new RegExp(`^${TOKEN_KEY_PREFIX}[^:]+:pkce:[^:]+$`), 'string'),
];

/** A clear pair from before sealing becomes a sealed one, only if it is still the pair that was read. */
const SEAL_LEGACY = `
if redis.call('hget', KEYS[1], 'refresh_token') ~= ARGV[1] then return 0 end
redis.call('hset', KEYS[1], 'sealed', ARGV[2])
redis.call('hdel', KEYS[1], 'access_token', 'refresh_token')
return 1`;

type Sealed = { accessToken: string; refreshToken: string };

/** What the API client needs from a token store; tests and other stores can implement it. */
export interface AccessTokenSource {
  getAccessToken(): Promise<string>;
  /** Called after Zalo refused `staleToken`; returns a token that is not `staleToken`. */
  forceRefresh(staleToken: string): Promise<string>;
}

/** The OA must be authorised again by a person (`npm run zalo:auth`): no token can be obtained. */
export class ZaloReauthorizationRequired extends Error {
  override name = 'ZaloReauthorizationRequired';
  constructor(
    message: string,
    /** The OAuth server's answer, whole, when a refresh was rejected. */
    readonly oauthResponse?: unknown,
  ) {
    super(message);
  }
}

export interface ZaloTokenStoreOptions extends ZaloOAuthClientOptions {
  redis: Redis;
  /** Seals the tokens and the PKCE verifier and state at rest. */
  cipher: Pick<DataCipher, 'seal' | 'open' | 'blind'>;
  /** When a token is due for refresh: a share of its lifetime, with a floor. Default 80%, 10 minutes. */
  refreshTiming?: RefreshTiming;
  /** Lock lifetime; must outlast one refresh request. Default 30 s. */
  lockTtlMs?: number;
  /** How long a process waits for another one's refresh before giving up. Default 20 s. */
  lockWaitMs?: number;
  /** How often a waiting process re-reads the stored pair. Default 50 ms. */
  pollIntervalMs?: number;
  logger?: Logger;
  /** Called once when the reauthorisation flag is newly set (not on every failing send): alert admins. */
  onReauthorizationRequired?: (error: ZaloReauthorizationRequired) => void | Promise<void>;
}

/** A stored pair and when it is due for refresh (src/bot/zalo/token-timing.ts). */
export type StoredPair = TokenPair & { refreshAt: number };

// Deletes the lock only if it still holds our value, so a lock that expired and was taken by another
// process is never released by us.
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ZaloTokenStore implements AccessTokenSource {
  private readonly redis: Redis;
  private readonly cipher: ZaloTokenStoreOptions['cipher'];
  private readonly oauth: ZaloOAuthClient;
  private readonly keys: ReturnType<typeof zaloTokenKeys>;
  private readonly timing: RefreshTiming;
  private readonly lockTtlMs: number;
  private readonly lockWaitMs: number;
  private readonly pollMs: number;
  private readonly log: Logger;
  private readonly onReauth?: ZaloTokenStoreOptions['onReauthorizationRequired'];
  private readonly now: () => number;
  /** In-process coalescing: concurrent callers in one process share one trip through the Redis lock. */
  private inflight?: Promise<StoredPair>;

  constructor(opts: ZaloTokenStoreOptions) {
    this.redis = opts.redis;
    this.cipher = opts.cipher;
    this.oauth = new ZaloOAuthClient(opts);
    this.keys = zaloTokenKeys(opts.appId);
    this.timing = opts.refreshTiming ?? {};
    this.lockTtlMs = opts.lockTtlMs ?? 30_000;
    this.lockWaitMs = opts.lockWaitMs ?? 20_000;
    this.pollMs = opts.pollIntervalMs ?? 50;
    this.log = (opts.logger ?? silentLogger).child({ module: 'zalo-tokens' });
    this.onReauth = opts.onReauthorizationRequired;
    this.now = opts.now ?? Date.now;
    // A refresh must finish while we still hold the lock, or a second process could reuse the old
    // single-use refresh token.
    if (this.lockTtlMs <= (opts.headersTimeoutMs ?? 10_000) + (opts.bodyTimeoutMs ?? 10_000)) {
      throw new Error('lockTtlMs must exceed headersTimeoutMs + bodyTimeoutMs');
    }
  }

  async close(): Promise<void> {
    await this.oauth.close();
  }

  /** The stored pair, or null when the OA was never authorised. */
  async readPair(): Promise<StoredPair | null> {
    const h = await this.redis.hgetall(this.keys.pair);
    const expiresAt = Number(h.expires_at);
    const tokens = await this.tokensOf(h);
    if (!tokens || !Number.isFinite(expiresAt)) return null;
    // Pairs stored before refresh_at existed: due by their lifetime since they were stored.
    const stored = Number(h.updated_at);
    const refreshAt = Number(h.refresh_at ?? (Number.isFinite(stored) ? refreshDueAt(stored, expiresAt - stored, this.timing) : expiresAt));
    return { ...tokens, expiresAt, refreshAt };
  }

  private tokensContext(): string {
    return sealedAt(this.keys.pair, 'sealed');
  }

  /** The two tokens of a stored pair hash; a clear pair (older versions) is sealed in place. */
  private async tokensOf(h: Record<string, string>): Promise<Sealed | null> {
    if (h.sealed) return this.cipher.open<Sealed>(h.sealed, this.tokensContext());
    if (!h.access_token || !h.refresh_token) return null;
    const tokens = { accessToken: h.access_token, refreshToken: h.refresh_token };
    await this.redis.eval(SEAL_LEGACY, 1, this.keys.pair, tokens.refreshToken, this.cipher.seal(tokens, this.tokensContext()));
    return tokens;
  }

  /** The key name of a consent link's verifier: its state, by a keyed hash. */
  private pkceKey(state: string): string {
    return this.keys.pkce(this.cipher.blind(`zalo-pkce:${state}`));
  }

  /** Whether a rejected refresh left the OA waiting for a person to re-authorise it. */
  async isReauthorizationRequired(): Promise<boolean> {
    return (await this.redis.exists(this.keys.reauthRequired)) === 1;
  }

  /**
   * A usable access token. Refreshes once the stored one is due (80% of its lifetime); if that refresh
   * fails but the stored token is still valid, the stored token is returned (that is why we refresh
   * early), and the failure is logged.
   */
  async getAccessToken(): Promise<string> {
    const pair = await this.readPair();
    if (!pair) {
      throw await this.markReauthorizationRequired('no Zalo token pair stored: run `npm run zalo:auth`');
    }
    if (this.now() < pair.refreshAt) return pair.accessToken;
    try {
      const fresh = await this.refreshWhile((p) => this.now() >= p.refreshAt);
      return fresh.accessToken;
    } catch (err) {
      // One minute of slack so a token is not handed out just as it dies.
      if (pair.expiresAt - this.now() > 60_000) {
        this.log.warn({ err, expiresAt: new Date(pair.expiresAt).toISOString() }, 'Zalo token refresh failed; using the current token until it expires');
        return pair.accessToken;
      }
      throw err;
    }
  }

  /**
   * Zalo refused `staleToken` (-216/-220). Refreshes only if the stored token is still that one, so a
   * hundred senders that all saw the same refusal cause one refresh, and the rest get the new token.
   */
  async forceRefresh(staleToken: string): Promise<string> {
    const fresh = await this.refreshWhile((p) => p.accessToken === staleToken);
    return fresh.accessToken;
  }

  /** Exchanges the code from the consent redirect for the first pair (PKCE) and stores it. */
  async exchangeCode(code: string, codeVerifier: string): Promise<TokenPair> {
    const pair = await this.oauth.exchangeCode(code, codeVerifier);
    await this.storePair(pair);
    await this.redis.del(this.keys.reauthRequired);
    this.log.info({ expiresAt: new Date(pair.expiresAt).toISOString() }, 'Zalo OA authorised: token pair stored');
    return pair;
  }

  /** Keeps a PKCE verifier for the consent link's `state` (10 minutes, like the code's lifetime). */
  async savePkceVerifier(state: string, codeVerifier: string, ttlSeconds = 600): Promise<void> {
    const key = this.pkceKey(state);
    await this.redis
      .multi()
      .set(key, this.cipher.seal(codeVerifier, sealedAt(key)), 'EX', ttlSeconds)
      .set(this.keys.pkceLatest, this.cipher.seal(state, sealedAt(this.keys.pkceLatest)), 'EX', ttlSeconds)
      .exec();
  }

  /** Takes (and deletes) the verifier for `state`, or for the latest consent link when state is omitted. */
  async takePkceVerifier(state?: string): Promise<string | null> {
    let s = state;
    if (s === undefined) {
      const latest = await this.redis.get(this.keys.pkceLatest);
      if (!latest) return null;
      s = this.cipher.open<string>(latest, sealedAt(this.keys.pkceLatest));
    }
    const key = this.pkceKey(s);
    const sealed = await this.redis.getdel(key);
    return sealed === null ? null : this.cipher.open<string>(sealed, sealedAt(key));
  }

  private async storePair(pair: TokenPair): Promise<StoredPair> {
    const refreshAt = refreshDueAt(this.now(), pair.expiresAt - this.now(), this.timing);
    // One transaction: readers never see a new access token with an old refresh token. Retried,
    // because losing a fresh single-use refresh token forces a manual re-authorisation.
    for (let attempt = 1; ; attempt++) {
      try {
        const tokens: Sealed = { accessToken: pair.accessToken, refreshToken: pair.refreshToken };
        await this.redis
          .multi()
          .hset(this.keys.pair, {
            sealed: this.cipher.seal(tokens, this.tokensContext()),
            expires_at: String(pair.expiresAt),
            // From the lifetime Zalo gave this token, not a fixed margin (src/bot/zalo/token-timing.ts).
            refresh_at: String(refreshAt),
            updated_at: String(this.now()),
          })
          .hdel(this.keys.pair, 'access_token', 'refresh_token')
          .exec();
        return { ...pair, refreshAt };
      } catch (err) {
        if (attempt >= 5) {
          this.log.fatal({ err }, 'could not store the new Zalo token pair; the OA will need re-authorisation');
          throw err;
        }
        await sleep(200 * attempt);
      }
    }
  }

  /** Coalesces concurrent calls in this process, then goes through the cross-process lock. */
  private async refreshWhile(needsRefresh: (p: StoredPair) => boolean): Promise<StoredPair> {
    for (let round = 0; round < 3; round++) {
      if (!this.inflight) {
        const run = this.lockedRefresh(needsRefresh);
        this.inflight = run;
        // Clear after settling; the caught copy keeps an unobserved rejection from being reported.
        run.then(
          () => undefined,
          () => undefined,
        ).finally(() => {
          if (this.inflight === run) this.inflight = undefined;
        });
        return run;
      }
      const p = await this.inflight;
      if (!needsRefresh(p)) return p;
    }
    return this.lockedRefresh(needsRefresh);
  }

  private async lockedRefresh(needsRefresh: (p: StoredPair) => boolean): Promise<StoredPair> {
    const deadline = this.now() + this.lockWaitMs;
    for (;;) {
      const lockValue = randomUUID();
      const acquired = await this.redis.set(this.keys.lock, lockValue, 'PX', this.lockTtlMs, 'NX');
      if (acquired === 'OK') {
        try {
          // Re-read under the lock: another process may have refreshed while we were deciding to.
          const pair = await this.readPair();
          if (!pair) throw await this.markReauthorizationRequired('no Zalo token pair stored: run `npm run zalo:auth`');
          if (!needsRefresh(pair)) return pair;
          if (await this.isReauthorizationRequired()) {
            throw new ZaloReauthorizationRequired('Zalo OA needs re-authorisation (an earlier refresh was rejected)');
          }
          return await this.refreshWith(pair);
        } finally {
          await this.redis.eval(RELEASE_LOCK, 1, this.keys.lock, lockValue).catch((err: unknown) => {
            this.log.warn({ err }, 'could not release the Zalo token lock; it expires by itself');
          });
        }
      }
      // Someone else is refreshing: wait for the stored pair to change rather than refreshing again.
      await sleep(this.pollMs);
      const pair = await this.readPair();
      if (pair && !needsRefresh(pair)) return pair;
      if (await this.isReauthorizationRequired()) {
        throw new ZaloReauthorizationRequired('Zalo OA needs re-authorisation (a refresh was rejected)');
      }
      if (this.now() > deadline) {
        throw new ZaloOAuthUnavailable(`gave up waiting ${this.lockWaitMs} ms for another process's token refresh`);
      }
    }
  }

  /** Runs the refresh itself; the caller holds the lock. */
  private async refreshWith(pair: TokenPair): Promise<StoredPair> {
    try {
      const fresh = await this.oauth.refresh(pair.refreshToken);
      // Store before returning: the old refresh token is already dead.
      const stored = await this.storePair(fresh);
      this.log.info({ expiresAt: new Date(fresh.expiresAt).toISOString() }, 'Zalo access token refreshed');
      return stored;
    } catch (err) {
      if (!(err instanceof ZaloOAuthRejected)) throw err;
      // If our lock expired mid-request and another process refreshed with the same refresh token, our
      // rejection is not the OA's fault: use the pair that process stored.
      const now = await this.readPair();
      if (now && now.refreshToken !== pair.refreshToken) return now;
      this.log.error({ status: err.status, oauthResponse: err.body }, 'Zalo rejected the token refresh');
      throw await this.markReauthorizationRequired('Zalo rejected the token refresh: re-authorise the OA with `npm run zalo:auth`', err.body);
    }
  }

  /** Sets the Redis flag; only the caller that newly sets it runs the callback, so admins get one alert. */
  private async markReauthorizationRequired(message: string, oauthResponse?: unknown): Promise<ZaloReauthorizationRequired> {
    const error = new ZaloReauthorizationRequired(message, oauthResponse);
    const reason = JSON.stringify({ at: new Date(this.now()).toISOString(), message, oauthResponse: oauthResponse ?? null });
    const newlySet = await this.redis.set(this.keys.reauthRequired, reason, 'NX').catch(() => null);
    if (newlySet === 'OK' && this.onReauth) {
      try {
        await this.onReauth(error);
      } catch (err) {
        this.log.error({ err }, 'onReauthorizationRequired callback failed');
      }
    }
    return error;
  }
}
