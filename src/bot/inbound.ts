/**
 * The path every incoming message takes, whatever the channel: deduplicate on the platform's id, run the
 * core, send the replies. A handler that throws releases the claim so the platform's retry is handled;
 * a reply that cannot be sent right away is handed to the outbox, so it is neither lost nor doubled.
 */
import type { Logger } from '../logger.js';
import type { ChannelSender } from '../core/errors.js';
import type { Address, IncomingMessage, OutgoingMessage } from '../core/message.js';
import type { Core } from '../handlers/core.js';
import type { UpdateDedup } from '../store/dedup.js';

export type ReplyFallback = (to: Address, message: OutgoingMessage, key: string) => Promise<void>;

export interface InboundDeps {
  core: Core;
  dedup: UpdateDedup;
  sender: ChannelSender;
  /** Where replies go when the direct send fails (the outbox); without it the error propagates. */
  fallback?: ReplyFallback;
  log: Logger;
}

export type InboundResult = 'handled' | 'duplicate';

export async function processIncoming(msg: IncomingMessage, deps: InboundDeps): Promise<InboundResult> {
  if (!(await deps.dedup.claim(msg.channel, msg.platformId))) {
    deps.log.debug({ channel: msg.channel, platformId: msg.platformId }, 'duplicate update ignored');
    return 'duplicate';
  }
  let replies: OutgoingMessage[];
  try {
    replies = await deps.core.handle(msg);
  } catch (err) {
    await deps.dedup.release(msg.channel, msg.platformId);
    throw err;
  }
  for (const [i, reply] of replies.entries()) {
    try {
      await deps.sender.send(msg.chatId, reply);
    } catch (err) {
      if (!deps.fallback) throw err;
      deps.log.warn({ err, channel: msg.channel }, 'reply failed, handed to the outbox');
      // The remaining replies follow through the outbox too, so their order is kept.
      for (const [j, rest] of replies.slice(i).entries()) {
        await deps.fallback({ channel: msg.channel, chatId: msg.chatId }, rest, `reply:${msg.channel}:${msg.platformId}:${i + j}`);
      }
      break;
    }
  }
  return 'handled';
}
