/**
 * What a handler does to a case: notes, lifecycle moves (acknowledged → assessing → intervening),
 * emergency action, referral, closing. Every step lands in the sealed case timeline through CaseStore;
 * status changes also reach the reporter through the CaseStore listener
 * (src/actions/reporter-notices.ts).
 * Actions that need words (a note, an outcome) ask for them in a one-step conversation when the
 * command or button came without them.
 */
import { STATUS_LABEL, canMove, isOpen, nextStep, type CaseStatus } from '../../domain/case-status.js';
import type { ReportSummary } from '../../store/reports.js';
import type { Member } from '../../store/roles.js';
import { hasPhrase } from '../../text/vietnamese.js';
import type { TurnContext } from '../turn.js';
import type { Flow, FlowEngine } from '../flow.js';
import { caseFor, staffMember } from './access.js';
import { emergencyDeadlineText } from './format.js';
import { looksLikeCommand, type CaseAction } from './parse.js';
import { nextActions } from './view.js';

export type TextAction = 'note' | 'emergency' | 'refer' | 'close';

const TEXT_PROMPT: Record<TextAction, (code: string) => string> = {
  note: (code) => `Nhập nội dung ghi chú cho vụ việc ${code}:`,
  emergency: (code) => `Biện pháp khẩn cấp đã làm cho vụ việc ${code} là gì? (ví dụ: đã đưa trẻ đến nhà bà ngoại, đã báo công an)`,
  refer: (code) => `Chuyển vụ việc ${code} cho cơ quan nào? (ví dụ: Công an huyện, Trung tâm công tác xã hội tỉnh)`,
  close: (code) => `Kết quả xử lý vụ việc ${code} là gì? (ghi ngắn gọn để đóng vụ việc)`,
};

const USAGE: Record<TextAction, string> = {
  note: '/ghichu MÃ nội dung',
  emergency: '/khancap MÃ việc đã làm',
  refer: '/chuyen MÃ tên cơ quan',
  close: '/dong MÃ kết quả',
};

const MAX_TEXT = 1000;

/** The text actions that end a case, and the status each ends it in. */
const ENDING = { refer: 'referred', close: 'closed' } as const satisfies Partial<Record<TextAction, CaseStatus>>;

function lifecycleProblem(r: ReportSummary, target: CaseStatus): string | undefined {
  if (r.status === target) return `Vụ việc ${r.code} đã ở trạng thái "${STATUS_LABEL[target]}".`;
  if (!isOpen(r.status)) return `Vụ việc ${r.code} đã kết thúc (${STATUS_LABEL[r.status]}); không đổi trạng thái được nữa.`;
  if (r.status === 'new') return `Vụ việc ${r.code} chưa được tiếp nhận. Gửi /nhan ${r.code} để tiếp nhận trước.`;
  if (!canMove(r.status, target)) {
    const next = nextStep(r.status);
    return `Không chuyển được ${r.code} từ "${STATUS_LABEL[r.status]}" sang "${STATUS_LABEL[target]}".` + (next ? ` Bước tiếp theo là "${STATUS_LABEL[next]}".` : '');
  }
  return undefined;
}

/** Reads the target of "/capnhat MÃ đánh giá | hỗ trợ". */
export function parseTarget(folded: string): CaseStatus | undefined {
  if (['danh gia', 'xac minh'].some((p) => hasPhrase(folded, p))) return 'assessing';
  if (['ho tro', 'can thiep'].some((p) => hasPhrase(folded, p))) return 'intervening';
  return undefined;
}

export async function moveCase(ctx: TurnContext, member: Member, code: string, target: CaseStatus): Promise<void> {
  const report = await caseFor(ctx, member, code, true);
  if (!report) return;
  const problem = lifecycleProblem(report, target);
  if (problem) {
    ctx.reply(problem);
    return;
  }
  const updated = await ctx.services.cases.setStatus(code, target, ctx.identity, ctx.services.now());
  if (!updated) return void ctx.reply(`Không cập nhật được vụ việc ${code}. Xin thử lại.`);
  ctx.reply(`✅ Vụ việc ${code}: ${STATUS_LABEL[target]}.`, nextActions(updated));
}

/** Why a text action cannot be done on this case now, if it cannot. */
function textActionProblem(r: ReportSummary, action: TextAction): string | undefined {
  if (action === 'note') return undefined; // notes are welcome even after closing (follow-up visits)
  if (!isOpen(r.status)) return `Vụ việc ${r.code} đã kết thúc (${STATUS_LABEL[r.status]}). Bạn vẫn có thể ghi chú: ${USAGE.note.replace('MÃ', r.code)}`;
  if ((action === 'refer' || action === 'close') && !canMove(r.status, ENDING[action])) return `Vụ việc ${r.code} chưa được tiếp nhận. Gửi /nhan ${r.code} để tiếp nhận trước.`;
  return undefined;
}

export async function applyTextAction(ctx: TurnContext, member: Member, code: string, action: TextAction, text: string): Promise<void> {
  const report = await caseFor(ctx, member, code, true);
  if (!report) return;
  const problem = textActionProblem(report, action);
  if (problem) return void ctx.reply(problem);
  const { cases } = ctx.services;
  const now = ctx.services.now();
  const body = text.slice(0, MAX_TEXT);
  if (action === 'note') {
    await cases.addEntry(code, { at: now, actor: ctx.identity, kind: 'note', text: body });
    return void ctx.reply(`📝 Đã ghi chú vào vụ việc ${code}.`);
  }
  if (action === 'emergency') {
    await cases.recordEmergencyAction(code, ctx.identity, body, now);
    return void ctx.reply(`🚨 Đã ghi biện pháp khẩn cấp cho vụ việc ${code}. Nhắc ${emergencyDeadlineText(ctx.commune(report.communeId))} đã dừng.`, nextActions(report));
  }
  const updated = await cases.setStatus(code, ENDING[action], ctx.identity, now, body);
  if (!updated) return void ctx.reply(`Không cập nhật được vụ việc ${code}. Xin thử lại.`);
  ctx.reply(action === 'refer' ? `↗️ Đã chuyển vụ việc ${code} cho: ${body}.` : `🏁 Đã đóng vụ việc ${code}. Kết quả: ${body}`);
}

// ---- asking for the words ------------------------------------------------------------------------

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

export function registerCaseTextFlow(flows: FlowEngine): void {
  flows.register(caseTextFlow);
}

/** Runs a text action, asking for the text first when it is missing. */
export async function textAction(ctx: TurnContext, flows: FlowEngine, member: Member, code: string, action: TextAction, text: string): Promise<void> {
  if (text) return applyTextAction(ctx, member, code, action, text);
  const report = await caseFor(ctx, member, code, true);
  if (!report) return;
  const problem = textActionProblem(report, action);
  if (problem) return void ctx.reply(problem);
  await flows.start<CaseTextDraft>(ctx, CASE_TEXT_FLOW, { code, action });
}

export function isTextAction(a: CaseAction): a is TextAction {
  return a === 'note' || a === 'emergency' || a === 'refer' || a === 'close';
}

export function usageOf(action: TextAction): string {
  return USAGE[action];
}
