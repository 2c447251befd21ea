/**
 * Conversation state per person. Drafts hold child details, so the state is sealed like a report.
 * Kept in Redis (not memory) so a half-finished report survives a restart and any process can resume it;
 * the TTL is how abandoned drafts expire. During a turn the state is read and written by the turn's
 * own scripts (turns.ts); these methods serve everyone else (reminders, tools, tests).
 */
import type { Redis } from 'ioredis';
import type { DataCipher } from './crypto.js';
import { personKeys, type PersonKeys } from './person-keys.js';

export interface Session {
  flow: string;
  step: string;
  data: Record<string, unknown>;
  /** Steps visited, for "quay lại". */
  history: string[];
  startedAt: number;
  updatedAt: number;
  /** The conversation this one interrupted (a report, when a village head sent counts mid-way): taken up again when this one ends. */
  parked?: Session;
}

export const OFFERED_TTL_SECONDS = 24 * 3600;

export class SessionStore {
  constructor(
    private readonly redis: Redis,
    readonly cipher: DataCipher,
    readonly ttlSeconds: number,
  ) {}

  keys(identity: string): PersonKeys {
    return personKeys(this.cipher, identity);
  }

  async get(identity: string): Promise<Session | undefined> {
    const raw = await this.redis.get(this.keys(identity).session);
    return raw ? this.cipher.open<Session>(raw, this.keys(identity).session) : undefined;
  }

  async save(identity: string, session: Session): Promise<void> {
    const key = this.keys(identity).session;
    await this.redis.set(key, this.cipher.seal(session, key), 'EX', Math.ceil(this.ttlSeconds));
  }

  /** Seconds until the person's draft expires (-2 when there is none). */
  async expiresIn(identity: string): Promise<number> {
    return this.redis.ttl(this.keys(identity).session);
  }

  /**
   * When the person last wrote to us: the time of their newest committed update (turns.ts), or undefined
   * after two quiet days, when those ids are let go.
   */
  async lastActivity(identity: string): Promise<number | undefined> {
    const newest = await this.redis.zrevrange(this.keys(identity).seen, 0, 0, 'WITHSCORES');
    return newest[1] === undefined ? undefined : Number(newest[1]);
  }
}
