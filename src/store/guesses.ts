/**
 * One brute-force limiter for every secret a person may type or open: invite codes, report codes
 * asked about, channel-link codes, web sign-in links. Wrong tries are counted per identity and per
 * channel over a window, whatever was being guessed, so trying invite codes and report codes in turn
 * gains nothing, and many accounts of one channel together are slowed too. Past a budget the identity
 * (or the whole channel) is locked for a while. Identities are blinded in key names (crypto.ts).
 *
 * Keys: `guess:n:<scope>` wrong tries in the window, `guess:lock:<scope>` a lockout, `guess:burst:<channel>`
 * set by the first lockout of a burst (so admins hear of it once); scope is `id:<blind>` or `ch:<channel>`.
 */
import type { Redis } from 'ioredis';
import type { DataCipher } from './crypto.js';

export type GuessKind = 'invite' | 'status' | 'link' | 'signin';

export interface GuessBudget {
  /** Wrong tries one identity may make in the window before it is locked. */
  perIdentity: number;
  /** Wrong tries all identities of one channel may make in the window before the channel is locked. */
  perChannel: number;
  windowSeconds: number;
  identityLockSeconds: number;
  channelLockSeconds: number;
  /** A burst: lockouts of one channel closer together than this are one, reported once. */
  burstSeconds: number;
}

export const DEFAULT_GUESS_BUDGET: GuessBudget = {
  perIdentity: 8,
  perChannel: 200,
  windowSeconds: 3600,
  identityLockSeconds: 3600,
  channelLockSeconds: 900,
  burstSeconds: 3600,
};

export type GuessScope = 'identity' | 'channel';
export type LockState = { locked: false } | { locked: true; scope: GuessScope; retryAfterSeconds: number };
export interface Miss {
  /** Set when this wrong try started a lockout. */
  lockedNow?: GuessScope;
  /** True for the first lockout of a burst on this channel: the one admins are told of. */
  newBurst: boolean;
}

// KEYS: identity count, channel count, identity lock, channel lock, burst. ARGV: the budget's numbers.
const MISS = `
local n = redis.call('incr', KEYS[1])
if n == 1 then redis.call('expire', KEYS[1], ARGV[3]) end
local c = redis.call('incr', KEYS[2])
if c == 1 then redis.call('expire', KEYS[2], ARGV[3]) end
local locked = ''
if n >= tonumber(ARGV[1]) and redis.call('set', KEYS[3], '1', 'NX', 'EX', ARGV[4]) then
  redis.call('del', KEYS[1])
  locked = 'identity'
end
if c >= tonumber(ARGV[2]) and redis.call('set', KEYS[4], '1', 'NX', 'EX', ARGV[5]) then
  redis.call('del', KEYS[2])
  locked = 'channel'
end
local burst = 0
if locked ~= '' and redis.call('set', KEYS[5], '1', 'NX', 'EX', ARGV[6]) then burst = 1 end
return {locked, burst}`;

export class GuessLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly cipher: Pick<DataCipher, 'blind'>,
    readonly budget: GuessBudget = DEFAULT_GUESS_BUDGET,
  ) {}

  private keys(identity: string, channel: string): { idN: string; chN: string; idLock: string; chLock: string; burst: string } {
    const id = `id:${this.cipher.blind(`guess:${identity}`)}`;
    const ch = `ch:${channel}`;
    return { idN: `guess:n:${id}`, chN: `guess:n:${ch}`, idLock: `guess:lock:${id}`, chLock: `guess:lock:${ch}`, burst: `guess:burst:${channel}` };
  }

  /** Whether `identity` may try a secret now (checked before each try). */
  async state(identity: string, channel: string): Promise<LockState> {
    const k = this.keys(identity, channel);
    const [idTtl, chTtl] = await Promise.all([this.redis.ttl(k.idLock), this.redis.ttl(k.chLock)]);
    if (idTtl > 0) return { locked: true, scope: 'identity', retryAfterSeconds: idTtl };
    if (chTtl > 0) return { locked: true, scope: 'channel', retryAfterSeconds: chTtl };
    return { locked: false };
  }

  /** Counts one wrong try. A right one is not counted and resets nothing (it would reset a guesser). */
  async miss(identity: string, channel: string): Promise<Miss> {
    const k = this.keys(identity, channel);
    const b = this.budget;
    const [locked, burst] = (await this.redis.eval(
      MISS,
      5,
      k.idN,
      k.chN,
      k.idLock,
      k.chLock,
      k.burst,
      b.perIdentity,
      b.perChannel,
      b.windowSeconds,
      b.identityLockSeconds,
      b.channelLockSeconds,
      b.burstSeconds,
    )) as [string, number];
    return { ...(locked ? { lockedNow: locked as GuessScope } : {}), newBurst: burst === 1 };
  }
}
