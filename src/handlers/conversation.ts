/**
 * Routes a message to the person's active guided conversation, if any. Slash commands, menu buttons and
 * a typed question about one's own reports ("vụ em Su đến đâu rồi ạ") and a village head's counts
 * ("tháng 11: sinh 2, tử vong 0") pass through to the other features, so /start or /trangthai always work mid-conversation; the draft stays and "tiếp tục" resumes
 * it (the dispatcher offers it).
 */
import type { Feature, TurnContext } from './turn.js';
import { CANCEL_CHOICE, isBareStop, isCancel, type FlowEngine } from './flow.js';
import { menuChoicesFor } from './menu.js';
import { hasRoleHelp } from './role-help.js';
import { asksAboutOwnReport } from './report/status.js';
import { countsMidway } from './counts/submission.js';
import { COUNTS_FLOW } from './counts/flow.js';
import { historyAsked } from './counts/village-head.js';
import { REPORT_FLOW } from './report/flow.js';

const RESUME_WORDS = ['tiep tuc', 'lam tiep', 'tiep'];
/** Buttons that belong to no conversation step (menus, alerts, case actions): pressing one always works. */
const OUTSIDE_BUTTONS = ['menu:', 'ack:', 'case:'];

export const ACTIVE_FLOW = 'active-flow';
/** Said after another feature answered in the middle of a conversation, which is still there to go on with. */
const RESUME_CHOICE = { label: '▶️ Làm tiếp', value: 'flow:resume' };
export const RESUME_HINT = { text: 'Bạn đang làm dở một việc. Bấm "Làm tiếp" (hoặc gõ "tiếp tục") để làm tiếp, hoặc "Huỷ".', choices: [RESUME_CHOICE, CANCEL_CHOICE] };

export function activeFlowFeature(flows: FlowEngine): Feature {
  return {
    name: ACTIVE_FLOW,
    async handle(ctx) {
      // A step may take a stop word as its answer ("thôi" to the contact offer); it reads it then.
      const [bare, cancel] = [isBareStop(ctx), isCancel(ctx)];
      const stopWord = (bare || cancel) && !flows.takesAsAnswer(ctx);
      if (stopWord && bare && flows.holdsStory(ctx)) {
        // Nothing is dropped on a word that may only mean "that's all": the buttons say which it was.
        ctx.reply('Bạn muốn dừng báo cáo này? Nếu huỷ, lời kể của bạn sẽ không được gửi tới cán bộ xã.', [{ label: '✖️ Huỷ báo cáo', value: CANCEL_CHOICE.value }, RESUME_CHOICE]);
        return true;
      }
      if (stopWord && cancel) {
        const ended = ctx.session;
        ctx.session = undefined;
        if (ended?.parked) {
          // Only what was being filled in is dropped: the conversation it interrupted goes on.
          ctx.reply('Đã huỷ. Thông tin vừa nhập chưa được gửi đi.');
          flows.unpark(ctx, ended);
          return true;
        }
        // A village head cancelling their counts is offered their own choices, not the citizen menu, and
        // is spoken to as "anh/chị", as the rest of their conversation is (the member is looked up once a turn).
        const own = hasRoleHelp(await ctx.member());
        ctx.reply(ended ? `Đã huỷ. Thông tin ${own ? 'anh/chị' : 'bạn'} đang nhập chưa được gửi đi.` : 'Không có việc gì đang làm dở để huỷ.', await menuChoicesFor(ctx));
        return true;
      }
      const session = ctx.session;
      if (!session || !flows.has(session.flow)) return false;
      if (ctx.msg.choice === 'flow:resume' || RESUME_WORDS.includes(ctx.folded)) {
        await flows.resume(ctx);
        return true;
      }
      if (goesOnWithReport(ctx, flows)) return true;
      if (flows.passesBy(ctx)) {
        ctx.session = undefined;
        return false;
      }
      // In the month's counts, "tháng 11 e gửi chưa" asks what was sent (the flow answers it), whatever
      // the classifier makes of it as a question about a report.
      const ownReport = !ctx.msg.choice && !(session.flow === COUNTS_FLOW && historyAsked(ctx.folded)) && asksAboutOwnReport(ctx);
      const interrupting = (ctx.command !== undefined && ctx.command !== 'quaylai') || ownReport || (await countsMidway(ctx));
      if (interrupting || OUTSIDE_BUTTONS.some((p) => ctx.msg.choice?.startsWith(p))) return false;
      await flows.handle(ctx);
      return true;
    },
  };
}

/**
 * /baocao or the report button while a report is being written (a story told), or kept under the month's
 * counts: one report at a time, so that one goes on instead of a new one replacing it unseen.
 */
function goesOnWithReport(ctx: TurnContext, flows: FlowEngine): boolean {
  if (ctx.command !== 'baocao' && ctx.msg.choice !== 'menu:report') return false;
  const session = ctx.session;
  if (session?.flow === REPORT_FLOW && flows.holdsStory(ctx)) {
    ctx.reply('Bạn đang làm dở một báo cáo, mình hỏi tiếp báo cáo đó. Nếu muốn báo một việc khác, gửi xong báo cáo này rồi báo tiếp (hoặc gõ "huỷ" để bỏ báo cáo này).');
  } else if (session?.parked?.flow === REPORT_FLOW) {
    ctx.reply('Báo cáo anh/chị đang làm dở vẫn được giữ: xong phần số liệu, mình sẽ hỏi tiếp báo cáo đó.');
  } else return false;
  flows.resume(ctx);
  return true;
}
