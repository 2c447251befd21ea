/**
 * How a send can fail, whatever the channel. Channel clients throw these; the outbox decides from the
 * class alone whether to retry, wait, give up, or mark the person unreachable.
 */
export class SendError extends Error {
  override name = 'SendError';
}

/** The network failed or the platform had a passing fault: try again with backoff. */
export class RetryableSendError extends SendError {
  override name = 'RetryableSendError';
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}

/** The platform says this person cannot be reached (blocked the bot, unfollowed): do not retry. */
export class UnreachableError extends SendError {
  override name = 'UnreachableError';
}

/** Zalo only: the person has not interacted within 7 days, so consultation messages cannot go. */
export class OutsideWindowError extends SendError {
  override name = 'OutsideWindowError';
}

/**
 * Zalo OA only: no free reply is left for the person (docs/zalo.md), so this send would be billed as a
 * proactive message, and the message said it can wait. Nothing was sent.
 */
export class WouldBeBilledError extends SendError {
  override name = 'WouldBeBilledError';
}

/** The request itself is wrong (a bug) or a billing/authorisation problem: do not retry, tell an admin. */
export class PermanentSendError extends SendError {
  override name = 'PermanentSendError';
}

export interface SendOptions {
  /** The message may wait for a free way to the person: a channel that bills it throws WouldBeBilledError. */
  canWait?: boolean;
}

/** A channel's way of delivering one message to one chat. */
export interface ChannelSender {
  send(chatId: string, message: import('./message.js').OutgoingMessage, opts?: SendOptions): Promise<void>;
  /**
   * Splits a message into the parts the platform accepts (text limits), each sent by one `send` call,
   * so a failure on part 2 never sends part 1 again. Absent: every message fits in one part.
   */
  split?(message: import('./message.js').OutgoingMessage): import('./message.js').OutgoingMessage[];
}
