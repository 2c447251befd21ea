/**
 * At-least-once delivery from the platforms means the same update can arrive twice. An update is claimed
 * in two phases: "processing" (short-lived, so a claim left by a process that died expires and the
 * platform's retry is handled) and "done" (kept two days, so a late duplicate is ignored). A failed
 * handling releases the claim at once.
 */
import type { Redis } from 'ioredis';

const DAY = 24 * 3600;

export type ClaimResult = 'claimed' | 'done' | 'in_progress';

export class UpdateDedup {
  constructor(
    private readonly redis: Redis,
    private readonly doneTtlSeconds = 2 * DAY,
    private readonly processingTtlSeconds = 60,
  ) {}

  /** 'claimed' if this caller is the first; 'done' if handled already; 'in_progress' if someone is at it. */
  async claim(channel: string, platformId: string): Promise<ClaimResult> {
    const key = `dedup:${channel}:${platformId}`;
    if ((await this.redis.set(key, 'processing', 'EX', this.processingTtlSeconds, 'NX')) === 'OK') return 'claimed';
    return (await this.redis.get(key)) === 'done' ? 'done' : 'in_progress';
  }

  async markDone(channel: string, platformId: string): Promise<void> {
    await this.redis.set(`dedup:${channel}:${platformId}`, 'done', 'EX', this.doneTtlSeconds);
  }

  async release(channel: string, platformId: string): Promise<void> {
    await this.redis.del(`dedup:${channel}:${platformId}`);
  }
}
