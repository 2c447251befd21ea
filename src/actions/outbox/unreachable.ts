/**
 * People the platform said cannot be reached (blocked the bot, unfollowed the OA). Proactive messages to
 * them are dead-lettered without a call; writing to the service again clears the mark.
 *
 * Redis key: `unreachable` (hash) field `<address tag>` → JSON {reason, at}; the tag is a keyed hash of
 * the address (contract.ts), so the hash does not date when each person's messages failed.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';
import type { Address } from '../../messaging/message.js';
import { addressTag, type MessageCipher } from './contract.js';

const UNREACHABLE_HASH = 'unreachable';

export class UnreachableRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
    private readonly cipher: Pick<MessageCipher, 'blind'> | undefined,
  ) {}

  private field(to: Address): string {
    return addressTag(to, this.cipher);
  }

  async has(to: Address): Promise<boolean> {
    return (await this.redis.hexists(UNREACHABLE_HASH, this.field(to))) === 1;
  }

  async mark(to: Address, reason: string): Promise<void> {
    await this.redis.hset(UNREACHABLE_HASH, this.field(to), JSON.stringify({ reason, at: new Date().toISOString() }));
    this.log.warn({ channel: to.channel, reason }, 'outbox: recipient marked unreachable');
  }

  async clear(to: Address): Promise<void> {
    await this.redis.hdel(UNREACHABLE_HASH, this.field(to));
  }
}
