/**
 * The Redis keys of one person's conversation (docs/turns.md). They all carry the same hash tag, a keyed
 * HMAC of the identity, so a turn's scripts touch one Redis Cluster slot and no key shows a chat id. The
 * tag is domain-separated from the reporter index's HMAC, so these keys cannot be matched to it.
 */
import type { DataCipher } from './crypto.js';

export interface PersonKeys {
  /** The blinded person id inside the braces (the outbox's reply drain names the person by it). */
  tag: string;
  /** Who is running a turn for the person: `<process>|<turn>`, with a safety lease. */
  lock: string;
  /** The sealed conversation state (a draft in progress). */
  session: string;
  /** Choices last shown outside a guided step, so a typed "1" picks from them. */
  offered: string;
  /**
   * The ids of the person's recent committed updates: a capped, expiring sorted set, scored by when they
   * came (its newest score is when the person last wrote: reminders wait until they are idle).
   */
  seen: string;
  /** Replies committed and not yet confirmed sent, oldest first. */
  replies: string;
  /** Set while the outbox drains `replies` after a failed direct send: its drain job's epoch. */
  pump: string;
}

export function keysOfTag(tag: string): PersonKeys {
  const t = `{${tag}}`;
  return {
    tag,
    lock: `turn:lock:${t}`,
    session: `session:${t}`,
    offered: `offered:${t}`,
    seen: `turn:seen:${t}`,
    replies: `turn:replies:${t}`,
    pump: `turn:pump:${t}`,
  };
}

export function personKeys(cipher: Pick<DataCipher, 'blind'>, identity: string): PersonKeys {
  return keysOfTag(cipher.blind(`person:${identity}`));
}
