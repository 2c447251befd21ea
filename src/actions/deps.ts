/**
 * What the shared actions need, and so what handlers and jobs hold to call them: the stores, the outbox's
 * producer, configuration, a logger and a clock. The wiring layer builds one object that satisfies it
 * (src/app/services.ts); nothing here knows how.
 */
import type { LinkStore } from '../store/links.js';
import type { Redis } from 'ioredis';
import type { ServiceConfig } from '../config/communes.js';
import type { Logger } from '../logger.js';
import type { AuditLog } from '../store/audit.js';
import type { QueueConnection } from '../store/connections.js';
import type { CaseStore } from '../store/cases.js';
import type { CountsStore } from '../store/counts.js';
import type { DataCipher } from '../store/crypto.js';
import type { GuessLimiter } from '../store/guesses.js';
import type { RoleStore } from '../store/roles.js';
import type { SessionStore } from '../store/sessions.js';
import type { Outbox } from './outbox/outbox.js';
import type { SignInLinks } from '../store/web-links.js';
import type { WebSessions } from '../store/web-sessions.js';

/** The web console, when PUBLIC_URL says where it is reached: chat hands out its sign-in links. */
export interface WebAccess {
  publicUrl: string;
  links: SignInLinks;
  sessions: WebSessions;
}

export interface ActionDeps {
  config: ServiceConfig;
  /** The stores' connection (docs/redis.md). */
  redis: Redis;
  /** BullMQ's producer connection and key prefix, apart from the stores'. */
  queues: QueueConnection;
  cipher: DataCipher;
  audit: AuditLog;
  sessions: SessionStore;
  roles: RoleStore;
  /** Channels a person linked to their role themselves (/lienket). */
  links: LinkStore;
  cases: CaseStore;
  /** Village heads' confirmed monthly counts. */
  counts: CountsStore;
  /** Wrong codes and links, counted per identity and per channel (brute force). */
  guesses: GuessLimiter;
  /** Everything sent proactively goes through here (alerts, reminders, notices). */
  outbox: Outbox;
  log: Logger;
  now: () => number;
  web?: WebAccess;
}
