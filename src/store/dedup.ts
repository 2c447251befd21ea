/**
 * At-least-once delivery from the platforms means the same update can arrive twice. An update is claimed
 * before it is handled; a failed handling releases the claim so the platform's retry is not lost.
 */
import type { Redis } from 'ioredis';

const DAY = 24 * 3600;

export class UpdateDedup {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds = 2 * DAY,
  ) {}

  /** True if this caller is the first to see the update. */
  async claim(channel: string, platformId: string): Promise<boolean> {
    return (await this.redis.set(`dedup:${channel}:${platformId}`, '1', 'EX', this.ttlSeconds, 'NX')) === 'OK';
  }

  async release(channel: string, platformId: string): Promise<void> {
    await this.redis.del(`dedup:${channel}:${platformId}`);
  }
}
