/**
 * The normalised shapes every channel translates to and from. Handlers only ever see these, so a
 * feature is written once for Telegram, Zalo and the local chat.
 */
import { createHash } from 'node:crypto';

/** `zalobot` is the Zalo Bot Platform channel, separate from the commune's OA (`zalo`). */
export const CHANNELS = ['telegram', 'zalo', 'zalobot', 'local'] as const;
export type Channel = (typeof CHANNELS)[number];

export type MediaKind = 'photo' | 'file' | 'voice' | 'video' | 'sticker' | 'location' | 'other';

export interface Media {
  kind: MediaKind;
  /** The platform's id or URL for the file; kept (encrypted) as an attachment reference. */
  ref?: string;
}

export interface IncomingMessage {
  channel: Channel;
  /** The platform's user id, always a string (Zalo ids overflow JavaScript numbers). */
  userId: string;
  /** Where replies go (Telegram chat id, Zalo sender id, local user id). */
  chatId: string;
  /** NFC-normalised text, if any. */
  text?: string;
  /** Value of a pressed button, if the channel has buttons. */
  choice?: string;
  media: Media[];
  /** The platform's id for this delivery (update_id, msg_id), validated by the channel: the turn's id. */
  platformId: string;
  receivedAt: number;
  /** The name the person shows on the platform, when it gives one (kept only for staff who register). */
  displayName?: string;
}

export interface Choice {
  /** What the person sees. */
  label: string;
  /** What comes back when it is pressed; typing the number or the label works too. */
  value: string;
}

export interface OutgoingMessage {
  text: string;
  choices?: Choice[];
}

/** Where a proactive message goes: one chat on one channel. */
export interface Address {
  channel: Channel;
  chatId: string;
}

/** A person is one chat identity on one channel; roles and reports hang off this key. */
export function identityOf(msg: Pick<IncomingMessage, 'channel' | 'userId'>): string {
  return `${msg.channel}:${msg.userId}`;
}

export function addressOfIdentity(identity: string): Address {
  const i = identity.indexOf(':');
  return { channel: identity.slice(0, i) as Channel, chatId: identity.slice(i + 1) };
}

/** A person's conversation as one turn sees it: the state of a guided step, and the choices last offered. */
export interface Conversation<S> {
  session?: S;
  offered: Choice[];
  /** The person's draft was there but could not be opened (a key problem): it is dropped by this turn. */
  lostDraft?: boolean;
}

/** What handling one message produced: the replies, in order, and the conversation after it. */
export interface TurnOutcome<S> extends Conversation<S> {
  replies: OutgoingMessage[];
}

/**
 * What a channel hands each normalised message to (the handlers' dispatcher, plugged in by src/app). It
 * works on the conversation it is given and writes none of it: the inbound path commits the outcome.
 */
export interface MessageHandler<S> {
  handle(msg: IncomingMessage, conversation: Conversation<S>): Promise<TurnOutcome<S>>;
  /**
   * `handle` on a conversation that may not be the person's any more (the inbound path checks that when
   * it commits): the outcome only if handling it needed nothing but the conversation (no store read or
   * written, nothing queued), else undefined, having done nothing.
   */
  speculate?(msg: IncomingMessage, conversation: Conversation<S>): Promise<TurnOutcome<S> | undefined>;
}

/**
 * A platform's delivery id as the turn's id (docs/turns.md): kept when it is short and plain, otherwise
 * a hash of it, so every id is bounded and none carries a user id into Redis.
 */
export function turnIdOf(raw: string): string {
  return /^[A-Za-z0-9_.-]{1,100}$/.test(raw) ? raw : `h-${createHash('sha256').update(raw).digest('base64url').slice(0, 22)}`;
}
