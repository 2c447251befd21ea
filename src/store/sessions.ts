/**
 * Conversation state per person. Drafts hold child details, so the state is sealed like a report.
 * Kept in Redis (not memory) so a half-finished report survives a restart and any process can resume it;
 * the TTL is how abandoned drafts expire.
 */
import type { Redis } from 'ioredis';
import type { Choice } from '../messaging/message.js';
import type { DataCipher } from './crypto.js';

export interface Session {
  flow: string;
  step: string;
  data: Record<string, unknown>;
  /** Steps visited, for "quay lại". */
  history: string[];
  startedAt: number;
  updatedAt: number;
}

const sessionKey = (identity: string) => `session:${identity}`;
const activityKey = (identity: string) => `activity:${identity}`;
const offeredKey = (identity: string) => `offered:${identity}`;
const OFFERED_TTL_SECONDS = 24 * 3600;

export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly cipher: DataCipher,
    private readonly ttlSeconds: number,
  ) {}

  async get(identity: string): Promise<Session | undefined> {
    const raw = await this.redis.get(sessionKey(identity));
    return raw ? this.cipher.open<Session>(raw) : undefined;
  }

  async save(identity: string, session: Session): Promise<void> {
    await this.redis.set(sessionKey(identity), this.cipher.seal(session), 'EX', Math.ceil(this.ttlSeconds));
  }

  async clear(identity: string): Promise<void> {
    await this.redis.del(sessionKey(identity));
  }

  /** Records that the person just wrote to us (reminders wait until they are idle). */
  async touch(identity: string, now = Date.now()): Promise<void> {
    await this.redis.set(activityKey(identity), String(now), 'EX', 7 * 24 * 3600);
  }

  /** The choices last shown outside a guided step (choice values and labels carry no personal data). */
  async saveOffered(identity: string, choices: Choice[]): Promise<void> {
    if (!choices.length) await this.redis.del(offeredKey(identity));
    else await this.redis.set(offeredKey(identity), JSON.stringify(choices), 'EX', OFFERED_TTL_SECONDS);
  }

  async offered(identity: string): Promise<Choice[]> {
    const raw = await this.redis.get(offeredKey(identity));
    return raw ? (JSON.parse(raw) as Choice[]) : [];
  }

  /** When the person last wrote to us, or undefined. */
  async lastActivity(identity: string): Promise<number | undefined> {
    const v = await this.redis.get(activityKey(identity));
    return v ? Number(v) : undefined;
  }
}
