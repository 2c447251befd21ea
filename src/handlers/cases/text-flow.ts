/**
 * The one-step conversation that asks an officer for the words of an action (a note, an outcome, an
 * agency, a reason, a question) when the command or button came without them.
 */
import type { Member } from '../../store/roles.js';
import type { TurnContext } from '../turn.js';
import type { Flow, FlowEngine } from '../flow.js';
import { caseFor, staffMember } from './access.js';
import type { ChoiceWithAliases } from '../../messaging/choices.js';
import { looksLikeCommand } from './parse.js';
import { caseChoice, casesToOffer, OFFERED, pickQuestion, type PickedAction } from './pick.js';
import { applyTextAction, textActionProblem, type TextAction } from './updates.js';

const TEXT_PROMPT: Record<TextAction, (code: string) => string> = {
  note: (code) => `Nhập nội dung ghi chú cho vụ việc ${code}:`,
  emergency: (code) => `Biện pháp khẩn cấp đã làm cho vụ việc ${code} là gì? (ví dụ: đã đưa trẻ đến nhà bà ngoại, đã báo công an)`,
  refer: (code) => `Chuyển vụ việc ${code} cho cơ quan nào? (ví dụ: Công an huyện; có thể thêm ngày hẹn theo dõi: Công an huyện; hẹn 20/12)`,
  close: (code) => `Kết quả xử lý vụ việc ${code} là gì? (ghi ngắn gọn để đóng vụ việc)`,
  reopen: (code) => `Vì sao mở lại vụ việc ${code}?`,
  ask: (code) => `Nhập câu hỏi gửi người báo vụ việc ${code} (họ sẽ thấy tin từ "Cán bộ xã", không thấy tên bạn):`,
  submit: (code) => `Tóm tắt kế hoạch hỗ trợ vụ việc ${code} để trình Lãnh đạo UBND xã duyệt:`,
};

export const CASE_TEXT_FLOW = 'officer-case-text';

interface CaseTextDraft {
  code: string;
  action: TextAction;
  text?: string;
}

const caseTextFlow: Flow<CaseTextDraft> = {
  name: CASE_TEXT_FLOW,
  steps: [
    {
      id: 'text',
      prompt: (d) => ({ text: TEXT_PROMPT[d.action](d.code) }),
      answer(d, input, ctx) {
        if (looksLikeCommand(ctx)) return { error: `Đó là một lệnh. Xin nhập nội dung, hoặc gõ "huỷ" để thôi.` };
        if (input.text.trim().length < 2) return { error: `Xin nhập nội dung bằng chữ, hoặc gõ "huỷ" để thôi.` };
        d.text = input.text.trim();
        return { done: true };
      },
    },
  ],
  async complete(d, ctx) {
    // Roles may have changed while the question was open: check again.
    const member = await staffMember(ctx);
    if (!member || !d.text) return void ctx.reply('Xin lỗi, bạn không còn quyền xử lý vụ việc này.');
    await applyTextAction(ctx, member, d.code, d.action, d.text);
  },
};

const CASE_TEXT_PICK_FLOW = 'officer-case-text-pick';

interface CaseTextPick {
  action: TextAction;
  text: string;
  question: string;
  cases: ChoiceWithAliases[];
  code?: string;
}

/** Which case a text sent without a code is for: only a pick reaches the answer (`offer`). */
const caseTextPickFlow: Flow<CaseTextPick> = {
  name: CASE_TEXT_PICK_FLOW,
  offer: true,
  steps: [
    {
      id: 'case',
      prompt: (d) => ({ text: d.question, choices: d.cases }),
      answer(d, input) {
        d.code = input.choice;
        return { done: true };
      },
    },
  ],
  async complete(d, ctx) {
    const member = await staffMember(ctx);
    if (!member || !d.code) return void ctx.reply('Xin lỗi, bạn không còn quyền xử lý vụ việc này.');
    await applyTextAction(ctx, member, d.code, d.action, d.text);
  },
};

export function registerCaseTextFlow(flows: FlowEngine): void {
  flows.register(caseTextFlow);
  flows.register(caseTextPickFlow);
}

/**
 * A text action sent with its words but no code ("/hoi cháu ở nhà số mấy", "ghi chú: đã gọi cho mẹ
 * cháu"): the cases are offered and the words kept, done on the press (it asked for them again).
 */
export async function offerCasesWithText(ctx: TurnContext, flows: FlowEngine, member: Member, action: TextAction & PickedAction, text: string): Promise<void> {
  const open = await casesToOffer(ctx, member, action);
  if (!open.length) return;
  // Plain codes, not case buttons: those would pass the offer by and ask for the words again.
  const cases = open.slice(0, OFFERED).map((r) => ({ ...caseChoice(action, r), value: r.code }));
  const question = `${pickQuestion(action)} Bấm một vụ dưới đây; nội dung chỉ được gửi khi anh/chị bấm.`;
  await flows.start<CaseTextPick>(ctx, CASE_TEXT_PICK_FLOW, { action, text, question, cases });
}

/** Runs a text action, asking for the text first when it is missing. */
export async function textAction(ctx: TurnContext, flows: FlowEngine, member: Member, code: string, action: TextAction, text: string): Promise<void> {
  if (text) return applyTextAction(ctx, member, code, action, text);
  const report = await caseFor(ctx, member, code, true);
  if (!report) return;
  const problem = textActionProblem(report, action, member);
  if (problem) return void ctx.reply(problem);
  await flows.start<CaseTextDraft>(ctx, CASE_TEXT_FLOW, { code, action });
}
