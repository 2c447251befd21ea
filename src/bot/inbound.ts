/**
 * The path every incoming message takes, whatever the channel: claim it by the platform's id, run the
 * dispatcher, send the replies, mark it done. A handler that throws releases the claim so the platform's retry
 * is handled; a claim left by a process that died expires by itself. A reply part that cannot be sent
 * right away is handed, with the parts after it, to the outbox: neither lost nor doubled.
 */
import type { Logger } from '../logger.js';
import type { ChannelSender } from '../messaging/channel.js';
import type { Address, IncomingMessage, MessageHandler, OutgoingMessage } from '../messaging/message.js';
import type { UpdateDedup } from '../store/dedup.js';

export type ReplyFallback = (to: Address, message: OutgoingMessage, key: string) => Promise<void>;

export interface InboundDeps {
  dispatcher: MessageHandler;
  dedup: UpdateDedup;
  sender: ChannelSender;
  /** Where replies go when the direct send fails (the outbox); without it the error propagates. */
  fallback?: ReplyFallback;
  log: Logger;
}

export type InboundResult = 'handled' | 'duplicate';

/** The same update is being handled elsewhere right now: the platform (or queue) should retry later. */
export class UpdateInProgressError extends Error {
  override name = 'UpdateInProgressError';
}

export async function processIncoming(msg: IncomingMessage, deps: InboundDeps): Promise<InboundResult> {
  const claim = await deps.dedup.claim(msg.channel, msg.platformId);
  if (claim === 'done') {
    deps.log.debug({ channel: msg.channel, platformId: msg.platformId }, 'duplicate update ignored');
    return 'duplicate';
  }
  if (claim === 'in_progress') throw new UpdateInProgressError(`${msg.channel} update ${msg.platformId} is being handled`);
  let replies: OutgoingMessage[];
  try {
    replies = await deps.dispatcher.handle(msg);
  } catch (err) {
    await deps.dedup.release(msg.channel, msg.platformId);
    throw err;
  }
  await deps.dedup.markDone(msg.channel, msg.platformId);
  await sendReplies(msg, replies, deps);
  return 'handled';
}

async function sendReplies(msg: IncomingMessage, replies: OutgoingMessage[], deps: InboundDeps): Promise<void> {
  const parts = replies.flatMap((r) => deps.sender.split?.(r) ?? [r]);
  for (const [i, part] of parts.entries()) {
    try {
      await deps.sender.send(msg.chatId, part);
    } catch (err) {
      if (!deps.fallback) throw err;
      deps.log.warn({ err, channel: msg.channel }, 'reply failed, handed to the outbox');
      // Only the parts not yet sent follow, in order, so nothing arrives twice.
      for (const [j, rest] of parts.slice(i).entries()) {
        await deps.fallback({ channel: msg.channel, chatId: msg.chatId }, rest, `reply:${msg.channel}:${msg.platformId}:${i + j}`);
      }
      return;
    }
  }
}
