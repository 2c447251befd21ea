/**
 * The services every handler, action and job of a process shares, built in one pass from configuration:
 * the stores and the outbox's producer. Hooks between them (reporter notices, dead-letter notices) are
 * registered by runtime.ts once everything exists.
 */
import type { Redis } from 'ioredis';
import { Outbox, type OutboxOptions } from '../actions/outbox/outbox.js';
import type { ServiceConfig } from '../config/communes.js';
import type { JobDeps } from '../jobs/job-module.js';
import type { Logger } from '../logger.js';
import { AuditLog } from '../store/audit.js';
import { CaseStore } from '../store/cases.js';
import { CountsStore } from '../store/counts.js';
import type { DataCipher } from '../store/crypto.js';
import { RoleStore } from '../store/roles.js';
import { SessionStore } from '../store/sessions.js';

/** What the actions need (src/actions/deps.ts), plus Redis's address for the job modules' workers. */
export type Services = JobDeps;

export interface ServicesOptions {
  config: ServiceConfig;
  redis: Redis;
  redisUrl: string;
  cipher: DataCipher;
  log: Logger;
  now: () => number;
  /** Outbox retries (tests shorten backoffs). */
  outboxRetry?: OutboxOptions['retry'];
}

export function createServices(opts: ServicesOptions): Services {
  const { config, redis, cipher, log } = opts;
  return {
    config,
    redis,
    redisUrl: opts.redisUrl,
    cipher,
    audit: new AuditLog(redis),
    cases: new CaseStore(redis, cipher),
    counts: new CountsStore(redis),
    sessions: new SessionStore(redis, cipher, config.draftTtlHours * 3600),
    roles: new RoleStore(redis),
    outbox: new Outbox({ connection: opts.redisUrl, logger: log.child({ module: 'outbox' }), cipher, retry: opts.outboxRetry }),
    log,
    now: opts.now,
  };
}
