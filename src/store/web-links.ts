/**
 * One-time sign-in links for the web console, handed out in chat (/web). The link carries a random
 * token; Redis keeps only a keyed hash of it (`web:link:<hmac>`), so reading Redis never yields a
 * usable link. A link lasts a few minutes, works once (GETDEL is atomic: of two tabs opening it, one
 * wins) and is bound to the identity and commune it was made for: the console checks both again
 * against the person's current role when the link is used.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DataCipher } from './crypto.js';

export interface SignInGrant {
  identity: string;
  communeId: string;
  /** A case to open right after signing in (from the button under an alert); sealed at rest. */
  caseCode?: string;
  issuedAt: number;
}

const linkKey = (hash: string) => `web:link:${hash}`;
/** 32 random bytes as base64url: 43 characters. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export class SignInLinks {
  constructor(
    private readonly redis: Redis,
    private readonly cipher: DataCipher,
    readonly ttlSeconds: number,
  ) {}

  /** A fresh token for the grant; it is never stored, only its hash. */
  async issue(grant: Omit<SignInGrant, 'issuedAt'>, now = Date.now()): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const key = linkKey(this.cipher.blind(`weblink:${token}`));
    await this.redis.set(key, this.cipher.seal({ ...grant, issuedAt: now }, key), 'EX', this.ttlSeconds);
    return token;
  }

  /** The grant behind the token, consumed: a second use, an expired or a made-up token get undefined. */
  async redeem(token: string): Promise<SignInGrant | undefined> {
    if (!TOKEN.test(token)) return undefined;
    const key = linkKey(this.cipher.blind(`weblink:${token}`));
    const sealed = await this.redis.getdel(key);
    if (!sealed) return undefined;
    try {
      return this.cipher.open<SignInGrant>(sealed, key);
    } catch {
      return undefined;
    }
  }
}
