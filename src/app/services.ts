/**
 * The services every handler, action and job of a process shares, built in one pass from configuration:
 * the stores and the outbox's producer. Hooks between them (reporter notices, dead-letter notices) are
 * registered by runtime.ts once everything exists.
 */
import type { Redis } from 'ioredis';
import { Outbox, type OutboxOptions } from '../actions/outbox/outbox.js';
import type { ServiceConfig } from '../config/communes.js';
import type { RedisTarget } from '../config/env.js';
import type { JobDeps } from '../jobs/job-module.js';
import type { Logger } from '../logger.js';
import { AuditLog } from '../store/audit.js';
import { CaseStore } from '../store/cases.js';
import { CountsStore } from '../store/counts.js';
import { openRedis, queuePrefix, replicasToWaitFor } from '../store/connections.js';
import type { DataCipher } from '../store/crypto.js';
import { GuessLimiter, type GuessBudget } from '../store/guesses.js';
import { LinkStore } from '../store/links.js';
import { RoleStore } from '../store/roles.js';
import { SessionStore } from '../store/sessions.js';
import { SignInLinks } from '../store/web-links.js';
import { WebSessions } from '../store/web-sessions.js';

/** What the actions need (src/actions/deps.ts), plus Redis's address for the job modules' workers. */
export type Services = JobDeps;

export interface ServicesOptions {
  config: ServiceConfig;
  /** The stores' connection (src/store/connections.ts, role `data`). */
  redis: Redis;
  redisTarget: RedisTarget;
  cipher: DataCipher;
  log: Logger;
  now: () => number;
  /** Outbox retries (tests shorten backoffs). */
  outboxRetry?: OutboxOptions['retry'];
  /** The brute-force limiter's numbers (tests make them small). */
  guessBudget?: GuessBudget;
  /** The web console's address and timeouts, when it is on. */
  web?: { publicUrl: string; linkSeconds: number; idleSeconds: number; absoluteSeconds: number };
}

export function createServices(opts: ServicesOptions): Services {
  const { config, redis, cipher, log } = opts;
  const audit = new AuditLog(redis, cipher);
  return {
    config,
    redis,
    // BullMQ producers apart from the stores: its scripts never sit in front of a webhook's commands.
    queues: { redis: openRedis(opts.redisTarget, 'queues', log), prefix: queuePrefix(opts.redisTarget) },
    redisTarget: opts.redisTarget,
    cipher,
    audit,
    cases: new CaseStore(redis, cipher, { waitForReplicas: replicasToWaitFor(opts.redisTarget) }),
    counts: new CountsStore(redis, audit),
    sessions: new SessionStore(redis, cipher, config.draftTtlHours * 3600),
    roles: new RoleStore(redis, audit, cipher),
    links: new LinkStore(redis, audit),
    guesses: new GuessLimiter(redis, cipher, opts.guessBudget),
    outbox: new Outbox({ connection: opts.redisTarget, logger: log.child({ module: 'outbox' }), cipher, retry: opts.outboxRetry }),
    log,
    now: opts.now,
    web: opts.web && {
      publicUrl: opts.web.publicUrl,
      links: new SignInLinks(redis, cipher, opts.web.linkSeconds),
      sessions: new WebSessions(redis, cipher, { idleSeconds: opts.web.idleSeconds, absoluteSeconds: opts.web.absoluteSeconds }),
    },
  };
}
