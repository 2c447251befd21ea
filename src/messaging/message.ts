/**
 * The normalised shapes every channel translates to and from. Handlers only ever see these, so a
 * feature is written once for Telegram, Zalo and the local chat.
 */
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
  /** The platform's id for this delivery (update_id, msg_id): the deduplication key. */
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

/** What a channel hands each normalised message to (the handlers' dispatcher, plugged in by src/app). */
export interface MessageHandler {
  handle(msg: IncomingMessage): Promise<OutgoingMessage[]>;
}
