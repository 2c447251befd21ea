/**
 * The send pacer: decides, in Redis and on Redis's clock, when each send on a channel may start, across
 * every worker and process, so the platform's cap is used fully and never exceeded (docs/redis.md):
 * - a sliding window: at most N = floor(perSecond) sends in any window of N/perSecond seconds (at least
 *   one second) plus a small margin for network jitter. The window counts sends as they really start,
 *   so a sender that wakes late wastes nothing; the next one simply starts from the real times;
 * - a send that goes or arrives late after its grant (the sender's event loop stalled: GC, a busy
 *   moment; its request waited in the HTTP client; the network or the platform held it) recounts its
 *   start that much later, when the grant's answer is read and when the send's answer comes (`take`),
 *   so its N-th successor still comes a full window after it really arrived. The
 *   lateness is measured on the sender's own clock from before it asked, so no clock needs to agree;
 * - a minimum gap of half the even spacing, so a backlog starts as a quick ramp, not a burst of N;
 * - the sends that fill an empty window (after a quiet spell) count 25 ms late, as they run cold;
 * - after a 429, nobody starts before the platform's retry_after (`holdFor`), and the window widens by
 *   10 ms (up to 50 ms) for ten minutes: on a busy machine arrivals jitter more than the margin;
 * - urgent lane first: while an urgent sender waits for the next moment, bulk senders step aside, so an
 *   alert waits at most for one free moment, never behind a queue of reminders.
 * A sender told to wait sleeps that long and asks again.
 *
 * Redis keys (one channel each): `outbox:pace:<channel>:starts` (sorted set of recent sends: member the
 * grant's time, score the start counted, µs; at most N), `outbox:pace:<channel>:hold` (no start before,
 * µs), `outbox:pace:<channel>:urgent` (an urgent sender is waiting; expires by itself),
 * `outbox:pace:<channel>:margin` (extra window, µs).
 */
import type { Redis } from 'ioredis';
import type { OutboxLane } from '../../actions/outbox/contract.js';
import type { Channel } from '../../messaging/message.js';

const keysOf = (channel: Channel): [string, string, string, string] => [`outbox:pace:${channel}:starts`, `outbox:pace:${channel}:hold`, `outbox:pace:${channel}:urgent`, `outbox:pace:${channel}:margin`];

/**
 * Returns {0, grant} when the caller may send now (its start is recorded under the grant's id, its own
 * time in µs), else {µs to wait first, ''}.
 */
const TAKE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local n = tonumber(ARGV[1])
local window = tonumber(ARGV[2]) + tonumber(redis.call('GET', KEYS[4]) or '0')
local gap = tonumber(ARGV[3])
local urgent = ARGV[4] == '1'
local earliest = now
local hold = tonumber(redis.call('GET', KEYS[2]) or '0')
if hold > earliest then earliest = hold end
local newest = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if newest[2] and tonumber(newest[2]) + gap > earliest then earliest = tonumber(newest[2]) + gap end
local count = redis.call('ZCARD', KEYS[1])
if count >= n then
  local nth = redis.call('ZREVRANGE', KEYS[1], n - 1, n - 1, 'WITHSCORES')
  if tonumber(nth[2]) + window > earliest then earliest = tonumber(nth[2]) + window end
end
if not urgent and redis.call('EXISTS', KEYS[3]) == 1 then
  return {math.max(earliest - now, gap), ''}
end
if earliest > now then
  if urgent then redis.call('SET', KEYS[3], '1', 'PX', math.floor((earliest - now) / 1000) + 50) end
  return {earliest - now, ''}
end
-- While the window is not yet full (a start after a quiet spell), a send can reach the platform later
-- than usual (cold code paths, new sockets): count it as starting a little later, so the window's
-- N-th successor cannot arrive within the same second.
local counted = now
if count < n then counted = now + tonumber(ARGV[5]) end
local grant = string.format('%.0f', now)
redis.call('ZADD', KEYS[1], counted, grant)
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(n + 1))
redis.call('PEXPIRE', KEYS[1], math.floor(window / 1000) + 60000)
return {0, grant}
`;

/** The send granted as ARGV[1] went ARGV[2] µs after its grant at most: count its start from then. */
const LATE_LUA = `
local counted = redis.call('ZSCORE', KEYS[1], ARGV[1])
local started = tonumber(ARGV[1]) + tonumber(ARGV[2])
if counted and tonumber(counted) < started then redis.call('ZADD', KEYS[1], 'XX', started, ARGV[1]) end
return 0
`;

/**
 * Nobody starts a send before now + ARGV[1] µs (the platform asked us to wait), and the window widens by
 * ARGV[2] µs (up to ARGV[3]) for the next ten minutes: arrivals jitter more than the margin allowed for.
 */
const HOLD_LUA = `
local extra = redis.call('INCRBY', KEYS[2], ARGV[2])
if extra > tonumber(ARGV[3]) then redis.call('SET', KEYS[2], ARGV[3]) end
redis.call('PEXPIRE', KEYS[2], 600000)
local t = redis.call('TIME')
local resume = tonumber(t[1]) * 1000000 + tonumber(t[2]) + tonumber(ARGV[1])
local hold = tonumber(redis.call('GET', KEYS[1]) or '0')
if hold < resume then redis.call('SET', KEYS[1], string.format('%.0f', resume), 'PX', 60000 + math.floor(tonumber(ARGV[1]) / 1000)) end
return 0
`;

/** The scripts as ioredis commands: sent by SHA (EVALSHA), the text only once per connection. */
interface PacerCommands {
  outboxPaceTake(k1: string, k2: string, k3: string, k4: string, n: number, windowUs: number, gapUs: number, urgent: string, warmUpUs: number): Promise<[number, string]>;
  outboxPaceLate(starts: string, grant: string, lateUs: number): Promise<number>;
  outboxPaceHold(hold: string, margin: string, us: number, widenUs: number, maxWidenUs: number): Promise<number>;
}

function withPacerCommands(redis: Redis): Redis & PacerCommands {
  if (!('outboxPaceTake' in redis)) {
    redis.defineCommand('outboxPaceTake', { numberOfKeys: 4, lua: TAKE_LUA });
    redis.defineCommand('outboxPaceHold', { numberOfKeys: 2, lua: HOLD_LUA });
    redis.defineCommand('outboxPaceLate', { numberOfKeys: 1, lua: LATE_LUA });
  }
  return redis as Redis & PacerCommands;
}

export interface PacerOptions {
  /** Added to the window for jitter between our start and the platform's arrival stamp (default 5 ms). */
  marginMs?: number;
  /** Counted extra on the sends that fill an empty window, which run cold (default 25 ms). */
  warmUpMs?: number;
}

export class SendPacer {
  private readonly n: number;
  private readonly windowUs: number;
  private readonly gapUs: number;
  private readonly warmUpUs: number;
  private readonly keys: [string, string, string, string];
  private readonly redis: Redis & PacerCommands;
  private readonly roundTrips = new RecentMinimum(ROUND_TRIPS_KEPT);
  /**
   * This much of an arrival's lateness estimated from its answer is left to the margin (all of it but
   * what the take's own recount leaves to it): the estimate also carries our reading of the answer and
   * the way back, and counting that too would cost the rate on a busy machine.
   */
  private readonly answerSlackUs: number;

  constructor(
    redis: Redis,
    channel: Channel,
    perSecond: number,
    private readonly lane: OutboxLane = 'bulk',
    opts: PacerOptions = {},
  ) {
    this.n = Math.max(1, Math.floor(perSecond));
    const marginUs = (opts.marginMs ?? 5) * 1000;
    this.windowUs = Math.round(Math.max(1, this.n / perSecond) * 1_000_000 + marginUs);
    this.answerSlackUs = Math.max(0, marginUs - RECOUNT_AFTER_US);
    this.warmUpUs = (opts.warmUpMs ?? 25) * 1000;
    this.gapUs = Math.round(500_000 / perSecond);
    this.keys = keysOf(channel);
    this.redis = withPacerCommands(redis);
  }

  /**
   * Resolves when this process may start one send on the channel (the start is already counted), with
   * the function to call when the send's answer came (or it failed). The send is then counted again
   * from its answer less the shortest time from grant to answer of recent sends, if that is later: an
   * upper bound of its arrival, for a request that waited in the HTTP client or behind a busy event loop
   * after its grant, or that the network or the platform held (such a send bunches with the next ones,
   * and its N-th successor, on time, lands within its window: the 429s alerts-flood saw, with arrivals
   * up to 50–90 ms late on a busy machine). The recount lands long before that successor is granted.
   */
  async take(): Promise<() => void> {
    for (;;) {
      const askedAt = performance.now();
      const [waitUs, grant] = await this.redis.outboxPaceTake(...this.keys, this.n, this.windowUs, this.gapUs, this.lane === 'urgent' ? '1' : '0', this.warmUpUs);
      if (waitUs > 0) {
        await sleep(waitUs / 1000);
        continue;
      }
      // The grant was made after we asked; a stalled answer means we send that much after it.
      const takenAt = performance.now();
      const countedUs = this.recount(grant, usSince(askedAt, takenAt), 0);
      return () => {
        const now = performance.now();
        this.recount(grant, usSince(askedAt, now - this.roundTrips.add(now - takenAt)) - this.answerSlackUs, countedUs);
      };
    }
  }

  /**
   * Counts the grant's send `lateUs` after it (measured from before we asked: an upper bound) when that
   * is more than RECOUNT_AFTER_US later than `countedUs` already was; returns what is counted.
   */
  private recount(grant: string, lateUs: number, countedUs: number): number {
    if (lateUs - countedUs <= RECOUNT_AFTER_US) return countedUs;
    // Not awaited: the send goes now. Should the recount fail, the worst is one 429, handled as such.
    this.redis.outboxPaceLate(this.keys[0], grant, lateUs).catch(() => undefined);
    return lateUs;
  }

  /** Nobody sends on the channel for `ms` (the platform asked us to wait). */
  async holdFor(ms: number): Promise<void> {
    await this.redis.outboxPaceHold(this.keys[1], this.keys[3], Math.round(ms * 1000), WIDEN_US, MAX_WIDEN_US);
  }
}

/** The shortest grant-to-answer time is taken over this many recent sends of the pacer's process. */
const ROUND_TRIPS_KEPT = 64;

/** The smallest of the last `size` values added. */
class RecentMinimum {
  private readonly values: number[] = [];
  private next = 0;

  constructor(private readonly size: number) {}

  /** Adds `value`; returns the smallest of the recent ones, `value` included. */
  add(value: number): number {
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.size;
    return Math.min(...this.values);
  }
}

/** A grant used within this long needs no recount: the margin covers it (one round trip on a quiet machine). */
const RECOUNT_AFTER_US = 1000;

/** After each 429 the window widens by 10 ms, up to 50 ms (at most 5% of the rate), for ten minutes. */
const WIDEN_US = 10_000;
const MAX_WIDEN_US = 50_000;

/** µs from `from` to `to` (performance.now() values). */
const usSince = (from: number, to: number): number => Math.round((to - from) * 1000);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
