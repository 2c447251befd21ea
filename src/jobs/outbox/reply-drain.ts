/**
 * The outbox's side of direct replies (docs/turns.md): when a direct reply cannot be sent, the person's
 * unsent replies stay in their reply list and one outbox job, named by an epoch, sends them from the
 * head, in order, confirming each part, until the list is empty; replies of later turns are appended
 * behind them meanwhile and go out with them. A job that gives up for good drops the list (the
 * processor does, with the dead letter), so the person's next replies go directly again.
 */
import type { OutgoingMessage } from '../../messaging/message.js';
import type { TurnStore } from '../../store/turns.js';

export type ReplyDrainStore = Pick<TurnStore, 'drainPeek' | 'drainConfirm' | 'drainAbandon'>;

/** `deliver` sends one part (waiting for the chat's slot and the pace) or throws what the job should do. */
export async function drainReplies(
  ref: { person: string; epoch: string },
  store: ReplyDrainStore,
  deliver: (part: OutgoingMessage) => Promise<void>,
): Promise<void> {
  for (;;) {
    const head = await store.drainPeek(ref.person, ref.epoch);
    if (head === 'stale' || head === 'empty') return;
    for (let i = head.sent; i < head.parts.length; i++) {
      await deliver(head.parts[i] as OutgoingMessage);
      if ((await store.drainConfirm(ref.person, ref.epoch, head.id, i + 1)) < 0) return;
    }
  }
}
