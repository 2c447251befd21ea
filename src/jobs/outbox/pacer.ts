/**
 * The send pacer: reserves the channel's next send time in Redis, so each send gets its own moment,
 * 1/perSecond after the previous one, across all workers and processes (Redis's clock, so process clocks
 * do not matter). BullMQ's limiter alone spaces job *starts*, and each start costs a few Redis round
 * trips, which kept Telegram at ~25–27/s against a 28/s setting; spacing the sends themselves lets us run
 * close to the limit. A reservation at most `maxAheadMs` ahead is slept off before sending; later than
 * that, the job waits and asks again, so concurrency beyond what the rate needs does not pile up
 * far-future slots. A sender that wakes up late (a busy event loop, a GC pause) gives its moment up and
 * reserves anew: sending late inside the next sender's moment is exactly the bunching that trips the
 * platform's limit.
 *
 * Redis key: `outbox:pace:<channel>` when the channel's next send may start (server clock, µs).
 */
import type { Redis } from 'ioredis';
import type { Channel } from '../../messaging/message.js';

const paceKey = (channel: Channel): string => `outbox:pace:${channel}`;

const RESERVE_SEND_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local maxAhead = tonumber(ARGV[2])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
if free < now then free = now end
if free - now > maxAhead then return -(free - now - maxAhead) end
redis.call('SET', KEYS[1], string.format('%.0f', free + interval), 'PX', 60000)
return free - now
`;

/** Pushes the next send time to at least now + ARGV[1] µs (after a 429 with retry_after). */
const HOLD_SENDS_LUA = `
local t = redis.call('TIME')
local resume = tonumber(t[1]) * 1000000 + tonumber(t[2]) + tonumber(ARGV[1])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
if free < resume then redis.call('SET', KEYS[1], string.format('%.0f', resume), 'PX', 60000 + math.floor(tonumber(ARGV[1]) / 1000)) end
return 0
`;

export class SendPacer {
  private readonly intervalUs: number;

  constructor(
    private readonly redis: Redis,
    private readonly channel: Channel,
    perSecond: number,
    private readonly maxAheadMs = 1000,
    /** How late a sender may wake and still use its moment. */
    private readonly lateToleranceMs = 15,
  ) {
    this.intervalUs = Math.round(1_000_000 / perSecond);
  }

  /** Resolves when this process may send one message on the channel. */
  async take(): Promise<void> {
    for (;;) {
      const us = Number(await this.redis.eval(RESERVE_SEND_LUA, 1, paceKey(this.channel), this.intervalUs, this.maxAheadMs * 1000));
      if (us >= 0) {
        if (us < 1000) return;
        const due = Date.now() + us / 1000;
        await sleep(us / 1000);
        if (Date.now() - due <= this.lateToleranceMs) return;
        continue; // woke too late: this moment has passed, take a fresh one
      }
      await sleep(Math.max(1, -us / 1000));
    }
  }

  /** Nobody sends on the channel for `ms` (the platform asked us to wait). */
  async holdFor(ms: number): Promise<void> {
    await this.redis.eval(HOLD_SENDS_LUA, 1, paceKey(this.channel), Math.round(ms * 1000));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
