/**
 * The channel-agnostic core: one normalised message in, replies out. Features are tried in order, like
 * middleware; the catch-all is last so nobody is left without an answer.
 */
import type { IncomingMessage, OutgoingMessage } from '../core/message.js';
import { identityOf } from '../core/message.js';
import { withLock } from '../store/lock.js';
import { TurnContext, type Feature, type Services } from './context.js';
import { activeFlowFeature } from './conversation.js';
import { FlowEngine } from './flow.js';
import { nonTextFeature, tooLongFeature } from './guards.js';
import { catchAllFeature, menuFeature } from './menu.js';
import { reportFeature } from './report/index.js';
import { statusFeature } from './status.js';

/** Features contributed by later modules (registration, officer commands, monthly counts) go here. */
export type FeatureFactory = (flows: FlowEngine) => Feature[];

export class Core {
  readonly flows = new FlowEngine();
  private readonly features: Feature[];

  constructor(
    readonly services: Services,
    extra: FeatureFactory[] = [],
  ) {
    const extras = extra.flatMap((f) => f(this.flows));
    this.features = [
      tooLongFeature,
      activeFlowFeature(this.flows),
      ...extras.filter((f) => f.early),
      menuFeature,
      statusFeature,
      ...extras.filter((f) => !f.early),
      reportFeature(this.flows),
      nonTextFeature,
      catchAllFeature,
    ];
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
