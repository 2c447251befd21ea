/** /loigui: the commune's messages the outbox could not deliver, for officers and admins. */
import { describeDeadLetter } from '../../actions/dead-letter-notices.js';
import type { TurnContext } from '../turn.js';

const LIST_LIMIT = 15;

export async function listDeadLetters(ctx: TurnContext, communeId: string): Promise<void> {
  const letters = await ctx.services.outbox.listDeadLetters(communeId, LIST_LIMIT);
  if (!letters.length) return void ctx.reply('Không có tin nhắn nào bị lỗi gửi. 👍');
  const lines = await Promise.all(
    letters.map(async (dl) => {
      const d = await describeDeadLetter(ctx.services, dl);
      return `• ${d.time}: không gửi được cho ${d.who} — ${d.why}`;
    }),
  );
  ctx.reply(`Tin nhắn không gửi được (mới nhất trước, tối đa ${LIST_LIMIT}):\n${lines.join('\n')}`);
}
