/**
 * Which processes are alive, so a lock left by a dead one is taken over at once instead of waiting for
 * it to expire (docs/turns.md). Each process has an instance name (stable across restarts where it can
 * be: host and port of a web process) and a fresh random token per start; it keeps
 * `alive:<instance>` = token with a short TTL, refreshed every few seconds. An owner `instance#token`
 * is dead when that key is gone (the process stopped refreshing) or holds another token (it restarted).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

const aliveKey = (instance: string): string => `alive:${instance}`;

// Refreshes our key unless a newer process of the same instance holds it. 1 = ours, 0 = taken.
const REFRESH = `
local v = redis.call('GET', KEYS[1])
if v and v ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

export interface LivenessOptions {
  /** Default: random, so only the TTL tells a dead process. */
  instance?: string;
  ttlMs?: number;
  refreshMs?: number;
  onLost?: () => void;
}

export class ProcessLiveness {
  /** This process as a lock owner names it. */
  readonly id: string;
  private readonly instance: string;
  private readonly token = randomBytes(6).toString('base64url');
  private readonly ttlMs: number;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly opts: LivenessOptions = {},
  ) {
    // '#' and '|' separate the parts of an owner name.
    this.instance = (opts.instance ?? `p-${randomBytes(6).toString('base64url')}`).replace(/[#|]/g, '_');
    this.id = `${this.instance}#${this.token}`;
    // Five refreshes per TTL: a busy event loop that fires one late is not taken for dead.
    this.ttlMs = opts.ttlMs ?? 10_000;
  }

  /** Announces this process (replacing a dead predecessor of the same instance) and keeps it fresh. */
  async start(): Promise<void> {
    await this.redis.set(aliveKey(this.instance), this.token, 'PX', this.ttlMs);
    this.timer = setInterval(() => void this.refresh(), this.opts.refreshMs ?? Math.floor(this.ttlMs / 5));
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.redis.eval(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`, 1, aliveKey(this.instance), this.token).catch(() => undefined);
  }

  /** Whether the process named in a lock owner (`instance#token|…`) is alive. */
  async isAlive(owner: string): Promise<boolean> {
    const processPart = owner.split('|', 1)[0] ?? '';
    const hash = processPart.lastIndexOf('#');
    if (hash < 0) return false;
    return (await this.redis.get(aliveKey(processPart.slice(0, hash)))) === processPart.slice(hash + 1);
  }

  private async refresh(): Promise<void> {
    try {
      if (Number(await this.redis.eval(REFRESH, 1, aliveKey(this.instance), this.token, this.ttlMs)) === 0) this.opts.onLost?.();
    } catch {
      // Redis is down: the connection's own error listener reports it; the next refresh tries again.
    }
  }
}
