/**
 * Starts the report conversation: from /baocao, the menu or "tôi muốn báo cáo"; from a first message that
 * tells a story about a child (no story is thrown away); or from a photo, file, voice note or location
 * sent before any text (kept as the draft's attachments).
 */
import { categoryOf } from '../../domain/categories.js';
import { hasPhrase } from '../../text/vietnamese.js';
import type { Feature, TurnContext } from '../turn.js';
import type { FlowEngine } from '../flow.js';
import { initialDraft, keepable, keptText, REPORT_FLOW, reportFlow } from './flow.js';

const START_PHRASES = ['bao cao', 'to cao', 'phan anh', 'trinh bao', 'can giup', 'giup do', 'bao tin'];
/** More words than this, not understood as anything else, is taken as a possible story. */
const FEW_WORDS = 4;
/** Below this probability of concern a longer message is clearly something else (a question, chit-chat). */
const CLEARLY_NOT = 0.3;
/** Kinds the classifier recognises well enough that a longer message of that kind is understood, not a story. */
const UNDERSTOOD_KINDS: ReadonlySet<string> = new Set(['counts', 'status', 'service', 'greeting', 'thanks']);

/** A first message that may describe something wrong with a child. */
export function possibleStory(ctx: TurnContext): boolean {
  if (ctx.command || ctx.msg.choice || !ctx.text) return false;
  const c = ctx.understood;
  if (c.isConcern) return true;
  return ctx.text.split(/\s+/).length > FEW_WORDS && c.concern >= CLEARLY_NOT && !UNDERSTOOD_KINDS.has(c.kind);
}

export function reportFeature(flows: FlowEngine): Feature {
  flows.register(reportFlow);
  return {
    name: 'report',
    async handle(ctx) {
      const asked =
        ctx.command === 'baocao' || ctx.msg.choice === 'menu:report' || START_PHRASES.some((p) => hasPhrase(ctx.folded, p));
      const story = !asked && possibleStory(ctx);
      const mediaFirst = !asked && !story && !ctx.text && !ctx.msg.choice && keepable(ctx.msg.media).length > 0;
      if (!asked && !story && !mediaFirst) return false;
      const draft = initialDraft(ctx, story);
      if (asked) ctx.reply('Cảm ơn bạn đã lên tiếng. Mình sẽ hỏi vài câu ngắn; bạn có thể "quay lại" hoặc "huỷ" bất cứ lúc nào.');
      else if (mediaFirst) ctx.reply(`${keptText(draft)} Mình sẽ hỏi vài câu ngắn để cán bộ xã hiểu sự việc.`);
      else if (draft.category) {
        ctx.reply(
          `Cảm ơn bạn đã báo. Có thể trẻ đang gặp chuyện không ổn (${categoryOf(draft.category).label.toLowerCase()}); ` +
            'mình đã ghi lại lời kể của bạn và sẽ hỏi thêm vài câu ngắn để cán bộ xã xử lý nhanh nhất.',
        );
      } else {
        ctx.reply('Cảm ơn bạn đã kể. Có thể có điều không ổn với một trẻ; mình đã ghi lại lời kể của bạn và sẽ hỏi thêm vài câu ngắn.');
      }
      reportFlow.afterAnswer?.(draft, ctx);
      await flows.start(ctx, REPORT_FLOW, draft);
      return true;
    },
  };
}
