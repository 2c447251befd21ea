/**
 * The path every incoming message takes, whatever the channel: one turn (docs/turns.md).
 *  1. begin: one script claims the update, takes the person's lock and reads their conversation;
 *  2. the dispatcher works on that conversation in memory (its store writes are idempotent);
 *  3. commit: one script writes the new conversation, the replies and the update's "seen" mark;
 *  4. the replies are sent in order, each part confirmed; the last confirmation frees the lock (not waited for).
 * A retried update whose turn committed only sends what was not confirmed; a turn that did not commit
 * left nothing and runs again. A lock whose owner process is gone is taken over at once. A part that
 * cannot be sent hands all unsent replies, in order, to the outbox, and later replies queue behind them.
 */
import { randomBytes } from 'node:crypto';
import type { CrashPoint } from '../config/env.js';
import type { Logger } from '../logger.js';
import { RetryableSendError, type ChannelSender } from '../messaging/channel.js';
import { identityOf, type Address, type IncomingMessage, type MessageHandler, type OutgoingMessage } from '../messaging/message.js';
import type { ProcessLiveness } from '../store/liveness.js';
import type { PersonKeys } from '../store/person-keys.js';
import type { Session } from '../store/sessions.js';
import type { BeginResult, ReplyEntry, TurnStore } from '../store/turns.js';


/** Queues the drain of a person's unsent replies (the outbox); idempotent per epoch. */
export type ReplyHandover = (to: Address, person: string, epoch: string, delayMs: number) => Promise<void>;

/** What every channel's inbound path shares in a process (src/app/runtime.ts builds it once). */
export interface TurnPath {
  dispatcher: MessageHandler<Session>;
  turns: TurnStore;
  liveness: Pick<ProcessLiveness, 'id' | 'isAlive'>;
  /** Without it a failed direct send propagates (the replies stay for the retry). */
  handover?: ReplyHandover;
  now: () => number;
  /** How long an update waits for the same person's previous one (default 8 s). */
  waitMs?: number;
  /** Test builds only: called at each crash point. */
  crash?: (point: CrashPoint) => void;
}

export interface InboundDeps extends TurnPath {
  sender: ChannelSender;
  log: Logger;
}

export type InboundResult = 'handled' | 'duplicate' | 'resent' | 'queued';

/** The update cannot be handled now but will be on a retry: the platform (or queue) should try again. */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
}

let turnCount = 0;

/**
 * Turns this process lets wait for an unreachable Redis. The connection queues commands until Redis is
 * back, so without a cap every delivery during an outage would hold a request (and its memory) open;
 * beyond it the update is put off (503 with Retry-After on webhooks) and the platform redelivers it.
 */
export const OUTAGE_IN_FLIGHT = 64;
let inFlight = 0;

export async function processIncoming(msg: IncomingMessage, deps: InboundDeps): Promise<InboundResult> {
  if (inFlight >= OUTAGE_IN_FLIGHT && !deps.turns.reachable()) {
    throw new RetryLaterError(`${msg.channel} update ${msg.platformId}: Redis is unreachable and ${inFlight} turns already wait for it`);
  }
  inFlight++;
  try {
    return await runTurn(msg, deps.turns.keys(identityOf(msg)), deps);
  } finally {
    inFlight--;
  }
}

async function runTurn(msg: IncomingMessage, k: PersonKeys, deps: InboundDeps): Promise<InboundResult> {
  // The process part is unique per start (liveness), so a counter tells its turns apart.
  const owner = `${deps.liveness.id}|${(++turnCount).toString(36)}`;
  const to: Address = { channel: msg.channel, chatId: msg.chatId };
  deps.crash?.('before-begin');
  const ran = await runOnLastState(msg, k, owner, deps);
  if (ran) return ran;
  const begun = await begin(msg, k, owner, deps);
  deps.crash?.('after-begin');
  if (begun.kind === 'done') {
    // A drain named by the lists may not be queued yet if the process that started it died.
    if (begun.pump) await deps.handover?.(to, k.tag, begun.pump, 0);
    deps.log.debug({ channel: msg.channel, platformId: msg.platformId }, 'duplicate update ignored');
    return 'duplicate';
  }
  if (begun.kind === 'resend') {
    deps.log.info({ channel: msg.channel, platformId: msg.platformId, replies: begun.pending.length }, 'update handled before: sending the replies not yet confirmed');
    await send(msg, k, owner, begun.pending, deps);
    return 'resent';
  }

  let outcome;
  try {
    outcome = await deps.dispatcher.handle(msg, begun.state);
  } catch (err) {
    await deps.turns.release(k, owner).catch(() => undefined);
    throw err;
  }
  deps.crash?.('after-handler');
  const parts = outcome.replies.flatMap((r) => deps.sender.split?.(r) ?? [r]);
  const committed = await deps.turns.commit(k, owner, { updateId: msg.platformId, now: deps.now(), before: begun.state, session: outcome.session, offered: outcome.offered, parts });
  if (committed.kind === 'lost') throw new RetryLaterError(`${msg.channel} update ${msg.platformId}: the person's lock was taken over before the commit`);
  deps.crash?.('after-commit');
  if (committed.kind === 'queued') {
    await deps.handover?.(to, k.tag, committed.pump, 0);
    return 'queued';
  }
  if (committed.kind === 'send') await send(msg, k, owner, [...begun.pending, ...ourEntry(msg, parts)], deps);
  return 'handled';
}

/**
 * One round trip instead of two (docs/turns.md, "One round trip"): a person whose last turn this
 * process committed is handled on that state before Redis is asked, and one script both begins and
 * commits it, if the update is new, nothing of the person is running or unsent, and Redis still holds
 * that state. Otherwise nothing was written, and nothing done either: the handlers ran with no store
 * to reach (a step that needs one is refused here), so the turn runs again as usual.
 */
async function runOnLastState(msg: IncomingMessage, k: PersonKeys, owner: string, deps: InboundDeps): Promise<InboundResult | undefined> {
  const state = deps.dispatcher.speculate && deps.turns.lastState(k);
  if (!state) return undefined;
  const outcome = await deps.dispatcher.speculate?.(msg, state);
  if (!outcome) return undefined;
  deps.crash?.('after-handler');
  const parts = outcome.replies.flatMap((r) => deps.sender.split?.(r) ?? [r]);
  const tried = await deps.turns.tryCommit(k, owner, { updateId: msg.platformId, now: deps.now(), before: state, session: outcome.session, offered: outcome.offered, parts });
  if (tried.kind === 'stale') return undefined;
  deps.crash?.('after-commit');
  if (tried.kind === 'send') await send(msg, k, owner, ourEntry(msg, parts), deps);
  return 'handled';
}

const ourEntry = (msg: IncomingMessage, parts: OutgoingMessage[]): ReplyEntry[] => (parts.length ? [{ id: msg.platformId, parts, sent: 0 }] : []);

/** Begins the turn, waiting while a live process holds the person and taking over from a dead one. */
async function begin(msg: IncomingMessage, k: PersonKeys, owner: string, deps: InboundDeps): Promise<Exclude<BeginResult, { kind: 'busy' }>> {
  const deadline = Date.now() + (deps.waitMs ?? 8_000);
  let takeover = '';
  let delay = 5;
  for (;;) {
    const r = await deps.turns.begin(k, msg.platformId, owner, takeover);
    if (r.kind !== 'busy') return r;
    if (!(await deps.liveness.isAlive(r.holder))) {
      deps.log.info({ channel: msg.channel, platformId: msg.platformId }, "the person's lock was held by a process that is gone: taken over");
      takeover = r.holder;
      continue;
    }
    if (Date.now() >= deadline) throw new RetryLaterError(`${msg.channel} update ${msg.platformId}: the same person's previous message is still being handled`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 100);
  }
}

/**
 * Sends the entries' unsent parts in order, confirming each; on a failure the outbox takes over the rest.
 * The last confirmation is not waited for: it goes to Redis as the platform gets its answer (one round trip
 * less on every step), in the same write as the connection's next commands when they follow within 2 ms
 * (one write less). It only spares a resend, so a crash before it lands costs what a crash between
 * send and confirm always did: that part once more, nothing lost. This process's next update for the
 * person queues behind it on the same connection; another process waits for the lock as for any turn.
 */
async function send(msg: IncomingMessage, k: PersonKeys, owner: string, entries: ReplyEntry[], deps: InboundDeps): Promise<void> {
  const last = entries.findLast((e) => e.sent < e.parts.length);
  for (const entry of entries) {
    for (let i = entry.sent; i < entry.parts.length; i++) {
      try {
        await deps.sender.send(msg.chatId, entry.parts[i] as OutgoingMessage);
      } catch (err) {
        await handOver(msg, k, owner, err, deps);
        return;
      }
      deps.crash?.('after-send');
      const isLast = entry === last && i === entry.parts.length - 1;
      const confirmed = confirm(msg, k, owner, entry.id, i + 1, isLast, deps);
      if (isLast) {
        void confirmed.catch((err: unknown) => deps.log.warn({ channel: msg.channel, platformId: msg.platformId, err: err instanceof Error ? err.message : String(err) }, 'reply sent, its confirmation failed: it may be sent once more'));
        return;
      }
      if (!(await confirmed)) return;
    }
  }
}

/** Records the part as sent; false when the lock was taken over meanwhile (the new owner sends the rest). */
async function confirm(msg: IncomingMessage, k: PersonKeys, owner: string, entryId: string, sent: number, last: boolean, deps: InboundDeps): Promise<boolean> {
  if ((await deps.turns.confirm(k, owner, entryId, sent, last)) < 0) {
    // Taken over while we were sending (we looked dead): the new owner sends what is left.
    deps.log.warn({ channel: msg.channel, platformId: msg.platformId }, 'lost the person lock while sending replies; the new owner sends the rest');
    return false;
  }
  deps.crash?.('after-confirm');
  return true;
}

async function handOver(msg: IncomingMessage, k: PersonKeys, owner: string, err: unknown, deps: InboundDeps): Promise<void> {
  if (!deps.handover) {
    await deps.turns.release(k, owner);
    throw err;
  }
  const epoch = `${msg.platformId}.${randomBytes(3).toString('base64url')}`;
  if (!(await deps.turns.handover(k, owner, epoch))) return; // taken over meanwhile: the new owner sends
  const retryAfterMs = err instanceof RetryableSendError ? err.retryAfterMs : undefined;
  await deps.handover({ channel: msg.channel, chatId: msg.chatId }, k.tag, epoch, retryAfterMs ?? 0);
  deps.log.warn(
    { channel: msg.channel, platformId: msg.platformId, err: err instanceof Error ? err.message : String(err), retryAfterMs },
    'reply not sent directly: the outbox sends it and the replies after it, in order',
  );
}
