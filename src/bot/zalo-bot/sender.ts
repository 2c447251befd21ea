/**
 * The Zalo Bot's ChannelSender: the Bot Platform has no buttons, so choices become numbered lines
 * (answered by typing the number or the words, as on the OA), and texts are cut at its 2,000-character
 * limit. Failures reach the outbox as the channel-neutral send errors (client.ts `toSendError`).
 */
import type { ChannelSender } from '../../messaging/channel.js';
import type { OutgoingMessage } from '../../messaging/message.js';
import { splitText } from '../zalo/client.js';
import { renderOutgoing } from '../zalo/sender.js';
import { ZALO_BOT_MAX_TEXT, toSendError, type ZaloBotClient } from './client.js';

/** The texts, one Bot message each, that `message` becomes. */
export function zaloBotParts(message: OutgoingMessage): string[] {
  return splitText(renderOutgoing(message).normalize('NFC'), ZALO_BOT_MAX_TEXT);
}

export class ZaloBotSender implements ChannelSender {
  constructor(private readonly client: ZaloBotClient) {}

  async send(chatId: string, message: OutgoingMessage): Promise<void> {
    const parts = zaloBotParts(message);
    if (parts.length === 0) throw toSendError(new Error('refusing to send an empty Zalo Bot message'));
    for (const text of parts) {
      try {
        await this.client.sendMessage(chatId, text);
      } catch (err) {
        throw toSendError(err, this.client.rateLimitRetryMs);
      }
    }
  }

  /** One part per Bot message, so the outbox never sends part 1 again when part 2 failed. */
  split(message: OutgoingMessage): OutgoingMessage[] {
    const parts = zaloBotParts(message);
    return parts.length > 0 ? parts.map((text) => ({ text })) : [message];
  }
}
