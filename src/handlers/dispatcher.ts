/**
 * The channel-agnostic dispatcher: one normalised message in, replies out. It takes the person's lock and
 * conversation state, then tries the features in their order (features.ts) until one answers.
 */
import type { ActionDeps } from '../actions/deps.js';
import type { IncomingMessage, MessageHandler, OutgoingMessage } from '../messaging/message.js';
import { identityOf } from '../messaging/message.js';
import { withLock } from '../store/lock.js';
import { features } from './features.js';
import { FlowEngine } from './flow.js';
import { TurnContext, type Feature } from './turn.js';

export class Dispatcher implements MessageHandler {
  readonly flows = new FlowEngine();
  private readonly features: Feature[];

  constructor(readonly services: ActionDeps) {
    this.features = features(this.flows);
  }

  /** Handles one message for one person; messages of the same person never run concurrently. */
  async handle(msg: IncomingMessage): Promise<OutgoingMessage[]> {
    const identity = identityOf(msg);
    const { redis, sessions } = this.services;
    return withLock(redis, `lock:person:${identity}`, async () => {
      const session = await sessions.get(identity);
      const ctx = new TurnContext(session ? msg : await this.pickOffered(msg, identity), this.services, session);
      await sessions.touch(identity, this.services.now());
      for (const feature of this.features) {
        if (await feature.handle(ctx)) break;
      }
      // Outside a guided step, remember the last choices shown, so "1" works on channels without buttons.
      const offered = ctx.replies.findLast((r) => r.choices?.length)?.choices;
      if (!ctx.session) await sessions.saveOffered(identity, offered ?? []);
      return ctx.replies;
    });
  }

  /** A bare number typed outside a flow picks from the choices last offered (the menu, an alert's button). */
  private async pickOffered(msg: IncomingMessage, identity: string): Promise<IncomingMessage> {
    const n = msg.text?.trim().match(/^(\d{1,2})[.)]?$/);
    if (!n || msg.choice) return msg;
    const picked = (await this.services.sessions.offered(identity))[Number(n[1]) - 1];
    return picked ? { ...msg, text: undefined, choice: picked.value } : msg;
  }
}
