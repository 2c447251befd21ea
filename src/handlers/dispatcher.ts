/**
 * The channel-agnostic dispatcher: one normalised message and the person's conversation in, replies and
 * the conversation after it out. It tries the features in their order (features.ts) until one answers.
 * It writes no conversation state itself: the inbound path commits the outcome as one transaction with
 * the replies (docs/turns.md), so a turn that fails leaves nothing behind and can simply run again.
 */
import type { ActionDeps } from '../actions/deps.js';
import type { Choice, Conversation, IncomingMessage, MessageHandler, TurnOutcome } from '../messaging/message.js';
import type { Session } from '../store/sessions.js';
import { ACTIVE_FLOW, RESUME_HINT } from './conversation.js';
import { features } from './features.js';
import { FlowEngine } from './flow.js';
import { TurnContext, type Feature } from './turn.js';

export class Dispatcher implements MessageHandler<Session> {
  readonly flows = new FlowEngine();
  private readonly features: Feature[];

  constructor(readonly services: ActionDeps) {
    this.features = features(this.flows);
  }

  /** Handles one message; the inbound path makes sure one person's messages never run concurrently. */
  handle(msg: IncomingMessage, conversation: Conversation<Session>): Promise<TurnOutcome<Session>> {
    return this.run(msg, conversation, this.services);
  }

  /**
   * Handles the message with services that only give configuration, the clock and the logger: a feature
   * that reaches for anything else (a store, the outbox) is refused, and the outcome dropped even if the
   * feature caught the refusal, so nothing but the returned outcome comes of it.
   */
  async speculate(msg: IncomingMessage, conversation: Conversation<Session>): Promise<TurnOutcome<Session> | undefined> {
    let refused = false;
    // Anything but the pure services is looked up on the prototype, which refuses it; the pure ones are
    // own properties, read without a trap (a trap on every config read was ~0.5% of a step, issue 15).
    const refuse = new Proxy({}, {
      get(_target, name) {
        refused = true;
        throw new Error(`a speculative turn reached for services.${String(name)}`);
      },
    });
    const { config, now, log } = this.services;
    const services = Object.assign(Object.create(refuse) as ActionDeps, { config, now, log } satisfies Pick<ActionDeps, PureService>);
    try {
      const outcome = await this.run(msg, conversation, services);
      return refused ? undefined : outcome;
    } catch {
      // Refused, or a genuine failure: either way the turn runs again as usual, which reports it.
      return undefined;
    }
  }

  /** Tries the features in order; the name of the one that answered. */
  private async firstToAnswer(ctx: TurnContext): Promise<string | undefined> {
    for (const feature of this.features) if (await feature.handle(ctx)) return feature.name;
    return undefined;
  }

  private async run(msg: IncomingMessage, conversation: Conversation<Session>, services: ActionDeps): Promise<TurnOutcome<Session>> {
    const { session, offered } = conversation;
    const ctx = new TurnContext(session ? msg : pickOffered(msg, offered), services, session, session ? [] : offered);
    if (conversation.lostDraft) {
      // The draft was sealed under a key this process does not have: say so once, then answer as usual.
      services.log.warn({ channel: msg.channel }, 'a draft could not be opened (DATA_KEY?): dropped');
      ctx.reply(LOST_DRAFT);
    }
    const by = await this.firstToAnswer(ctx);
    // Another feature answered mid-conversation (/trangthai, /start…): say how to go on with it.
    if (session && ctx.session === session && by !== ACTIVE_FLOW) ctx.reply(RESUME_HINT.text, RESUME_HINT.choices);
    // Outside a guided step, remember the last choices shown, so "1" works on channels without buttons.
    const shown = ctx.replies.findLast((r) => r.choices?.length)?.choices;
    return { replies: ctx.replies, session: ctx.session, offered: ctx.session ? offered : (shown ?? []) };
  }
}

/** What a speculative turn may use: nothing that reads or writes anything but the conversation. */
type PureService = 'config' | 'now' | 'log';

const LOST_DRAFT = 'Xin lỗi, phần bạn đang nhập dở không mở lại được nên đã bị huỷ. Bạn vui lòng bắt đầu lại (gõ /start).';

/** A bare number typed outside a flow picks from the choices last offered (the menu, an alert's button). */
function pickOffered(msg: IncomingMessage, offered: Choice[]): IncomingMessage {
  const n = msg.text?.trim().match(/^(\d{1,2})[.)]?$/);
  if (!n || msg.choice) return msg;
  const picked = offered[Number(n[1]) - 1];
  return picked ? { ...msg, text: undefined, choice: picked.value } : msg;
}
