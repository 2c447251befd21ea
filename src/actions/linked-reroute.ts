/**
 * A message that cannot reach someone (the OA's 7-day window, a blocked bot, an unfollowed OA) goes to
 * the other channels they linked themselves with `/lienket` (src/store/links.ts), when those are
 * reachable. Runs first among the outbox's dead-letter hooks; the message is read back from the outbox
 * job, which still exists while the hook runs. A message that can wait and would be billed (a Zalo OA
 * proactive message) goes to a linked channel too, or waits for the person's next message.
 */
import type { OutboxJobData } from './outbox/contract.js';
import type { DeadLetter } from './outbox/dead-letters.js';
import { addressOfIdentity, type OutgoingMessage } from '../messaging/message.js';
import type { ActionDeps } from './deps.js';

const REROUTED = new Set(['outside_window', 'unreachable']);

/** True when the message went to at least one linked channel. */
export async function rerouteToLinked(services: Pick<ActionDeps, 'links' | 'outbox' | 'log'>, dl: DeadLetter): Promise<boolean> {
  if (!REROUTED.has(dl.reason)) return false;
  const identity = `${dl.to.channel}:${dl.to.chatId}`;
  const others = await reachableLinks(services, identity);
  if (others.length === 0) return false;
  if (!(await resendTo(services, dl, identity, others))) return false;
  services.log.info({ reason: dl.reason, linked: others.length }, 'undeliverable message sent on a channel the person linked');
  return true;
}

async function reachableLinks(services: Pick<ActionDeps, 'links' | 'outbox'>, identity: string): Promise<string[]> {
  const others: string[] = [];
  for (const other of await services.links.othersOf(identity)) {
    if (!(await services.outbox.isUnreachable(addressOfIdentity(other)))) others.push(other);
  }
  return others;
}

/**
 * The outbox's answer for a message that can wait and would be billed: sent on the person's linked
 * channels when they have one (free there), otherwise held for their next message.
 */
export async function linkedOrHeld(services: Pick<ActionDeps, 'links' | 'outbox' | 'log'>, data: OutboxJobData, message: OutgoingMessage): Promise<'linked' | 'wait'> {
  const identity = `${data.to.channel}:${data.to.chatId}`;
  const others = await reachableLinks(services, identity);
  if (others.length > 0) {
    const dl = { to: data.to, key: data.key, communeId: data.communeId ?? null, preview: 'tin nhắc việc, gửi qua kênh đã liên kết' };
    await sendToOthers(services, dl, identity, others, message, data.staff === true);
    return 'linked';
  }
  await services.outbox.noteHeld(data.to, data.key, data.holdUntil ?? Date.now());
  return 'wait';
}

/**
 * Sends the dead-lettered message to `others` instead of `identity`; false when the message cannot be
 * read back. Keys of role messages end with the recipient's identity: swapping it for the other one
 * gives the key a role message to that identity already has, so nobody gets it twice.
 */
export async function resendTo(services: Pick<ActionDeps, 'outbox'>, dl: DeadLetter, identity: string, others: string[]): Promise<boolean> {
  const message = await services.outbox.queuedMessage(dl.to, dl.key);
  if (!message) return false;
  await sendToOthers(services, dl, identity, others, message, dl.staff === true);
  return true;
}

async function sendToOthers(
  services: Pick<ActionDeps, 'outbox'>,
  dl: Pick<DeadLetter, 'to' | 'key' | 'communeId' | 'preview'>,
  identity: string,
  others: string[],
  message: OutgoingMessage,
  /** Keeps the staff-only check (OutboxItem.staff) on the copies. */
  staff = false,
): Promise<void> {
  const base = dl.key.endsWith(`:${identity}`) ? dl.key.slice(0, -identity.length - 1) : dl.key;
  for (const other of others) {
    await services.outbox.enqueue({
      to: addressOfIdentity(other),
      message,
      key: `${base}:${other}`,
      ...(dl.communeId ? { communeId: dl.communeId } : {}),
      preview: dl.preview,
      ...(staff ? { staff: true } : {}),
    });
  }
}
