/**
 * Web console sessions. The browser holds a random session id in an httpOnly cookie; Redis holds a
 * keyed hash of it (`web:sess:<hmac>`) with the sealed session, expiring after the idle timeout and
 * refreshed on use; the absolute timeout is checked against the start time. Each person's sessions
 * are listed under a blinded key so "sign out everywhere" (from chat or the console) ends them all.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DataCipher } from './crypto.js';

export interface WebSession {
  identity: string;
  communeId: string;
  /** When the role the session was opened under was given: a role revoked and given again is a new one. */
  memberSince: number;
  createdAt: number;
  /** The anti-forgery token every form of this session carries. */
  csrf: string;
}

export interface SessionTimeouts {
  idleSeconds: number;
  absoluteSeconds: number;
}

const sessionKey = (hash: string) => `web:sess:${hash}`;
const flashKey = (hash: string) => `web:flash:${hash}`;
const ownerKey = (blind: string) => `web:sess:of:${blind}`;
const SID = /^[A-Za-z0-9_-]{43}$/;

export class WebSessions {
  constructor(
    private readonly redis: Redis,
    private readonly cipher: DataCipher,
    readonly timeouts: SessionTimeouts,
  ) {}

  private hashOf(sid: string): string {
    return this.cipher.blind(`websess:${sid}`);
  }

  /** Starts a session; returns the id for the cookie (never stored as such). */
  async start(member: { identity: string; communeId: string; since: number }, now = Date.now()): Promise<{ sid: string; session: WebSession }> {
    const { identity, communeId } = member;
    const sid = randomBytes(32).toString('base64url');
    const session: WebSession = { identity, communeId, memberSince: member.since, createdAt: now, csrf: randomBytes(24).toString('base64url') };
    const hash = this.hashOf(sid);
    const owner = ownerKey(this.cipher.blind(identity));
    await this.redis
      .multi()
      .set(sessionKey(hash), this.cipher.seal(session, sessionKey(hash)), 'EX', this.timeouts.idleSeconds)
      .sadd(owner, hash)
      .expire(owner, this.timeouts.absoluteSeconds)
      .exec();
    return { sid, session };
  }

  /** The live session for the cookie's id, its idle timer refreshed; undefined once timed out. */
  async get(sid: string | undefined, now = Date.now()): Promise<WebSession | undefined> {
    if (!sid || !SID.test(sid)) return undefined;
    const key = sessionKey(this.hashOf(sid));
    const sealed = await this.redis.get(key);
    if (!sealed) return undefined;
    let session: WebSession;
    try {
      session = this.cipher.open<WebSession>(sealed, key);
    } catch {
      return undefined;
    }
    const left = Math.floor((session.createdAt + this.timeouts.absoluteSeconds * 1000 - now) / 1000);
    if (left <= 0) {
      await this.redis.del(key);
      return undefined;
    }
    await this.redis.expire(key, Math.min(this.timeouts.idleSeconds, left));
    return session;
  }

  async end(sid: string | undefined): Promise<void> {
    if (!sid || !SID.test(sid)) return;
    await this.redis.del(sessionKey(this.hashOf(sid)));
  }

  /** A short message shown once on the next page (the answer to a form), sealed: it may quote a note. */
  async setFlash(sid: string, lines: string[]): Promise<void> {
    if (!SID.test(sid)) return;
    const key = flashKey(this.hashOf(sid));
    await this.redis.set(key, this.cipher.seal(lines, key), 'EX', 120);
  }

  async takeFlash(sid: string): Promise<string[]> {
    if (!SID.test(sid)) return [];
    const key = flashKey(this.hashOf(sid));
    const sealed = await this.redis.getdel(key);
    return sealed ? this.cipher.open<string[]>(sealed, key) : [];
  }

  /** Ends every session of the person; returns how many were still open. */
  async endAll(identity: string): Promise<number> {
    const owner = ownerKey(this.cipher.blind(identity));
    const hashes = await this.redis.smembers(owner);
    if (!hashes.length) return 0;
    const res = await this.redis
      .multi()
      .del(...hashes.map(sessionKey))
      .del(owner)
      .exec();
    return Number(res?.[0]?.[1] ?? 0);
  }
}
