/**
 * Sends one message to given staff, or to everyone holding given roles in a commune, through the outbox; the outbox
 * checks at send time that the recipient still holds a role (messages about cases carry personal data).
 */
import type { StaffRole } from '../config/communes.js';
import { addressOfIdentity, type OutgoingMessage } from '../messaging/message.js';
import type { ActionDeps } from './deps.js';

export interface NotifyOptions {
  /** Identities not to send to (e.g. the person who acted). */
  exclude?: string[];
  /** A dead-letter preview without personal data (what kind of message this was). */
  preview?: string;
  delayMs?: number;
  /** Alerts and escalations: the outbox's urgent lane, ahead of reminders, digests and replies. */
  urgent?: boolean;
  /** Reminders and digests: how long the message may wait rather than be billed (OutboxItem.canWaitMs). */
  canWaitMs?: number;
  /** Try even when the platform said the person is unreachable (the rounds that keep trying everyone). */
  probe?: boolean;
}

/**
 * How long messages that are not urgent may wait for a free way to reach a person on Zalo OA (their
 * next message, or a channel they linked) before going out as a paid proactive message anyway.
 * Reminders come days before their deadline, so half a day costs nothing; a P2 digest waits less.
 */
export const CAN_WAIT_MS = { reminder: 12 * 3_600_000, digest: 2 * 3_600_000 } as const;

export async function notifyIdentity(
  services: Pick<ActionDeps, 'outbox'>,
  identity: string,
  message: OutgoingMessage,
  key: string,
  communeId?: string,
  opts: Pick<NotifyOptions, 'preview' | 'delayMs' | 'urgent' | 'canWaitMs' | 'probe'> = {},
): Promise<void> {
  // Everything sent from here is for staff: the outbox checks the recipient still holds a role when it sends.
  await services.outbox.enqueue({
    to: addressOfIdentity(identity),
    message,
    key: `${key}:${identity}`,
    communeId,
    preview: opts.preview,
    delayMs: opts.delayMs,
    urgent: opts.urgent,
    canWaitMs: opts.canWaitMs,
    staff: true,
    ...(opts.probe ? { probe: true } : {}),
  });
}

/** Returns the identities the message was queued for. The key gets the identity appended. */
export async function notifyRoles(
  services: Pick<ActionDeps, 'outbox' | 'roles'>,
  communeId: string,
  roles: readonly StaffRole[],
  message: OutgoingMessage,
  key: string,
  opts: NotifyOptions = {},
): Promise<string[]> {
  const seen = new Set(opts.exclude ?? []);
  const sent: string[] = [];
  for (const role of roles) {
    for (const m of await services.roles.members(communeId, role)) {
      if (seen.has(m.identity)) continue;
      seen.add(m.identity);
      await notifyIdentity(services, m.identity, message, key, communeId, opts);
      sent.push(m.identity);
    }
  }
  return sent;
}

/** Queues one message for each identity (key `<key>:<identity>`), skipping `exclude`. */
export async function notifyIdentities(
  services: Pick<ActionDeps, 'outbox'>,
  identities: Iterable<string>,
  message: OutgoingMessage,
  key: string,
  communeId: string,
  preview: string,
  exclude: readonly string[] = [],
): Promise<string[]> {
  const sent: string[] = [];
  const skip = new Set(exclude);
  for (const identity of new Set(identities)) {
    if (skip.has(identity)) continue;
    await notifyIdentity(services, identity, message, key, communeId, { preview });
    sent.push(identity);
  }
  return sent;
}
