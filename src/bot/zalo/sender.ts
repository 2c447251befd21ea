/**
 * The OA's ChannelSender. Every message to a person who wrote recently goes in Zalo's reply form,
 * naming their latest message: free while their allowance lasts (8 replies within 48 h, docs/zalo.md).
 * A message with no free reply left is sent by user id, a proactive message drawn on the monthly
 * quota, unless the message can wait (a reminder, a digest): then nothing is sent and the outbox holds
 * it for the person's next message or a channel they linked. Choices become numbered lines (no buttons
 * here), answered by typing.
 */
import { numberedChoices } from '../../messaging/choices.js';
import { WouldBeBilledError, type ChannelSender, type SendOptions } from '../../messaging/channel.js';
import type { OutgoingMessage } from '../../messaging/message.js';
import { zaloParts, type ZaloClient } from './client.js';
import type { ZaloReplies } from './replies.js';

/** Zalo consultation messages have no buttons here: choices become numbered lines, answered by typing. */
export function renderOutgoing(message: OutgoingMessage): string {
  const choices = message.choices ?? [];
  if (choices.length === 0) return message.text;
  return `${message.text}\n\n${numberedChoices(choices)}`;
}

export class ZaloSender implements ChannelSender {
  constructor(
    private readonly client: ZaloClient,
    /** Without it every message is proactive (tools and tests that only send). */
    private readonly replies?: ZaloReplies,
  ) {}

  /** One part from `split` (or a short message): one Zalo message, a reply when a free one is left. */
  async send(chatId: string, message: OutgoingMessage, opts: SendOptions = {}): Promise<void> {
    const text = renderOutgoing(message);
    const slot = await this.replies?.claim(chatId);
    if (slot?.kind !== 'reply') {
      if (slot && opts.canWait) throw new WouldBeBilledError(`no free reply left (${slot.reason}): held, not sent`);
      await this.client.sendText(chatId, text);
      return;
    }
    try {
      await this.client.sendText({ userId: chatId, replyTo: slot.messageId }, text);
    } catch (err) {
      // Not delivered, so not counted by Zalo either: the next try gets the slot again.
      await this.replies?.release(chatId, slot.messageId);
      throw err;
    }
  }

  /**
   * The Zalo messages `send` would make of `message`, for the outbox to send one at a time and remember
   * which went: otherwise a failure on part 2 makes the retry send part 1 again. Each part is plain text
   * of at most 2,000 characters, so `send` sends it as exactly one message.
   */
  split(message: OutgoingMessage): OutgoingMessage[] {
    const parts = zaloParts(renderOutgoing(message));
    // Nothing to send: hand the message back whole so `send` refuses it instead of it counting as sent.
    return parts.length > 0 ? parts.map((text) => ({ text })) : [message];
  }
}
