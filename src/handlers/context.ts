/**
 * What a handler sees for one incoming message: the normalised message, the person's identity, their
 * conversation state, the services, and a way to answer. Handlers never touch a platform API.
 */
import type { Logger } from '../logger.js';
import type { CommuneConfig, ServiceConfig } from '../config/communes.js';
import type { IncomingMessage, OutgoingMessage, Choice } from '../core/message.js';
import { identityOf } from '../core/message.js';
import type { SessionStore, Session } from '../store/sessions.js';
import type { Redis } from 'ioredis';
import { foldWords } from '../text/vietnamese.js';
import type { ReportSummary } from '../store/reports.js';
import type { RoleStore } from '../store/roles.js';
import type { CaseStore } from '../store/cases.js';
import type { CountsStore } from '../store/counts.js';
import type { AuditLog } from '../store/audit.js';
import type { DataCipher } from '../store/crypto.js';
import type { Outbox } from '../jobs/outbox.js';

/** Hooks the core calls when something happened that others must learn about (alerts, notices). */
export interface CoreEvents {
  reportConfirmed(report: ReportSummary): Promise<void>;
}

/** Everything handlers and jobs share; built once per process by src/app/runtime.ts. */
export interface Services {
  config: ServiceConfig;
  redis: Redis;
  /** For BullMQ queues and workers, which open their own connections. */
  redisUrl: string;
  cipher: DataCipher;
  audit: AuditLog;
  sessions: SessionStore;
  roles: RoleStore;
  cases: CaseStore;
  /** Village heads' confirmed monthly counts. */
  counts: CountsStore;
  /** Everything sent proactively goes through here (alerts, reminders, notices). */
  outbox: Outbox;
  events: CoreEvents;
  log: Logger;
  now: () => number;
}

export class TurnContext {
  readonly identity: string;
  /** NFC text, '' when the message had none. */
  readonly text: string;
  /** Folded words of the text, for matching. */
  readonly folded: string;
  readonly replies: OutgoingMessage[] = [];

  constructor(
    readonly msg: IncomingMessage,
    readonly services: Services,
    public session: Session | undefined,
  ) {
    this.identity = identityOf(msg);
    this.text = msg.text ?? '';
    this.folded = foldWords(this.text);
  }

  reply(text: string, choices?: Choice[]): void {
    this.replies.push(choices?.length ? { text, choices } : { text });
  }

  get communes(): CommuneConfig[] {
    return this.services.config.communes;
  }

  commune(id: string): CommuneConfig | undefined {
    return this.services.config.communes.find((c) => c.id === id);
  }

  /** The first word if the text is a command ("/trangthai@MyBot x" → "trangthai"). */
  get command(): string | undefined {
    const m = this.text.match(/^\/([A-Za-z_]+)(?:@\w+)?/);
    return m?.[1]?.toLowerCase();
  }

  /** Text after the command word. */
  get commandArgs(): string {
    return this.text.replace(/^\/[A-Za-z_]+(?:@\w+)?\s*/, '');
  }
}

/** A feature module: handles the message and returns true, or returns false to let the next one try. */
export interface Feature {
  name: string;
  /**
   * Tried before the menu and status questions: for exact commands (staff's /help, a note that says
   * "kiểm tra") that must win over those broader matchers. Keep such matchers narrow.
   */
  early?: boolean;
  handle(ctx: TurnContext): Promise<boolean>;
}
