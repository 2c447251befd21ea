/**
 * What a handler sees for one incoming message: the normalised message, the person's identity, their
 * conversation state, what the shared actions need (stores, outbox, config), and a way to answer.
 * Handlers never touch a platform API, and change the conversation only through `session` (committed
 * with the replies when the turn ends).
 */
import type { ActionDeps } from '../actions/deps.js';
import { memberBehind } from '../actions/people.js';
import type { CommuneConfig } from '../config/communes.js';
import type { IncomingMessage, OutgoingMessage, Choice } from '../messaging/message.js';
import { identityOf } from '../messaging/message.js';
import { classify, type Classification } from '../nlu/classifier.js';
import type { Member } from '../store/roles.js';
import type { Session } from '../store/sessions.js';
import { foldWords } from '../text/vietnamese.js';

export class TurnContext {
  readonly identity: string;
  /** The update being handled: side effects that must happen once per message are keyed by it. */
  readonly turnId: string;
  /** NFC text, '' when the message had none. */
  readonly text: string;
  /** Folded words of the text, for matching. */
  readonly folded: string;
  readonly replies: OutgoingMessage[] = [];

  constructor(
    readonly msg: IncomingMessage,
    readonly services: ActionDeps,
    public session: Session | undefined,
    /** The choices last shown outside a guided step: what the person's message answers, when it answers one. */
    readonly offered: readonly Choice[] = [],
  ) {
    this.identity = identityOf(msg);
    this.turnId = `${msg.channel}-${msg.platformId}`;
    this.text = msg.text ?? '';
    this.folded = foldWords(this.text);
  }

  private classification?: Classification;
  private ownLookup?: Promise<Member | undefined>;
  private behindLookup?: Promise<Member | undefined>;

  /**
   * The writer's own role and the member behind their address (their own, or the role holder who linked
   * it), each looked up once per turn: several features ask in turn, and each ask was a Redis round trip.
   */
  ownRole(): Promise<Member | undefined> {
    this.ownLookup ??= this.services.roles.get(this.identity);
    return this.ownLookup;
  }

  member(): Promise<Member | undefined> {
    this.behindLookup ??= memberBehind(this.services, this.identity, this.ownRole());
    return this.behindLookup;
  }

  /** What the classifier reads in this message's text, computed once per turn whoever asks. */
  get understood(): Classification {
    this.classification ??= classify(this.text);
    return this.classification;
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

  private commandWord?: { word: string | undefined };

  /** The first word if the text is a command ("/trangthai@MyBot x" → "trangthai"); read once per turn, as a dozen features ask. */
  get command(): string | undefined {
    this.commandWord ??= { word: this.text.match(/^\/([A-Za-z_]+)(?:@\w+)?/)?.[1]?.toLowerCase() };
    return this.commandWord.word;
  }

  /** Text after the command word. */
  get commandArgs(): string {
    return this.text.replace(/^\/[A-Za-z_]+(?:@\w+)?\s*/, '');
  }
}

/** A feature module: handles the message and returns true, or returns false to let the next one try (order: features.ts). */
export interface Feature {
  name: string;
  handle(ctx: TurnContext): Promise<boolean>;
}
