/**
 * People the platform said cannot be reached (blocked the bot, unfollowed the OA). Proactive messages to
 * them are dead-lettered without a call; writing to the service again clears the mark.
 *
 * Redis key: `unreachable` (hash) field `<channel>:<chatId>` → JSON {reason, at}.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';
import type { Address } from '../../messaging/message.js';

const UNREACHABLE_HASH = 'unreachable';
const addressField = (to: Address): string => `${to.channel}:${to.chatId}`;

export class UnreachableRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
  ) {}

  async has(to: Address): Promise<boolean> {
    return (await this.redis.hexists(UNREACHABLE_HASH, addressField(to))) === 1;
  }

  async mark(to: Address, reason: string): Promise<void> {
    await this.redis.hset(UNREACHABLE_HASH, addressField(to), JSON.stringify({ reason, at: new Date().toISOString() }));
    this.log.warn({ channel: to.channel, reason }, 'outbox: recipient marked unreachable');
  }

  async clear(to: Address): Promise<void> {
    await this.redis.hdel(UNREACHABLE_HASH, addressField(to));
  }
}
