/**
 * What a handler does to a case: notes, lifecycle moves (acknowledged → assessing → plan approved →
 * intervening), emergency action, referral with a follow-up date, closing, reopening, a question to the
 * reporter. The moves themselves are the shared actions (src/actions/lifecycle.ts,
 * src/actions/reporter-contact.ts); this checks who asks and answers in words. Actions that need words
 * ask for them in a one-step conversation when they came without them (text-flow.ts).
 */
import { STATUS_LABEL, canMove, canReopen, isOpen, nextStep, type CaseStatus } from '../../domain/case-status.js';
import { formatLocal, zonedInstant } from '../../domain/local-time.js';
import { timezoneOf } from '../../config/communes.js';
import { approvePlan, closeCase, referCase, reopenCase, submitPlan } from '../../actions/lifecycle.js';
import { askReporter } from '../../actions/reporter-contact.js';
import type { ReportSummary } from '../../store/reports.js';
import type { Member } from '../../store/roles.js';
import { hasPhrase } from '../../text/vietnamese.js';
import type { TurnContext } from '../turn.js';
import { caseFor } from './access.js';
import { emergencyDeadlineText } from './format.js';
import { nextActions } from './view.js';

export type TextAction = 'note' | 'emergency' | 'refer' | 'close' | 'reopen' | 'ask' | 'submit';
export const TEXT_ACTIONS: readonly TextAction[] = ['note', 'emergency', 'refer', 'close', 'reopen', 'ask', 'submit'];

const USAGE: Record<TextAction, string> = {
  note: '/ghichu MÃ nội dung',
  emergency: '/khancap MÃ việc đã làm',
  refer: '/chuyen MÃ tên cơ quan; hẹn 20/12',
  close: '/dong MÃ kết quả',
  reopen: '/molai MÃ lý do',
  ask: '/hoi MÃ câu hỏi',
  submit: '/trinhduyet MÃ tóm tắt kế hoạch',
};

const MAX_TEXT = 1000;

function lifecycleProblem(r: ReportSummary, target: CaseStatus): string | undefined {
  if (r.status === target) return `Vụ việc ${r.code} đã ở trạng thái "${STATUS_LABEL[target]}".`;
  if (!isOpen(r.status)) return `Vụ việc ${r.code} đã kết thúc (${STATUS_LABEL[r.status]}). Muốn làm tiếp, gửi ${USAGE.reopen.replace('MÃ', r.code)}.`;
  if (r.status === 'new') return `Vụ việc ${r.code} chưa được tiếp nhận. Gửi /nhan ${r.code} để tiếp nhận trước.`;
  if (!canMove(r.status, target)) {
    const next = nextStep(r.status);
    const approval = next === 'plan_approved' ? ` Kế hoạch cần Lãnh đạo UBND xã duyệt: gửi ${USAGE.submit.replace('MÃ', r.code)}.` : '';
    return `Không chuyển được ${r.code} từ "${STATUS_LABEL[r.status]}" sang "${STATUS_LABEL[target]}".` + (next ? ` Bước tiếp theo là "${STATUS_LABEL[next]}".${approval}` : '');
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
  if (problem) return void ctx.reply(problem);
  const updated = await ctx.services.cases.setStatus(code, target, ctx.identity, ctx.services.now());
  if (!updated) return void ctx.reply(`Không cập nhật được vụ việc ${code}. Xin thử lại.`);
  ctx.reply(`✅ Vụ việc ${code}: ${STATUS_LABEL[target]}.`, nextActions(updated));
}

/** /duyet: the chair approves the support plan (the 5-working-day clock waits for this). */
export async function approve(ctx: TurnContext, member: Member, code: string, text: string): Promise<void> {
  if (member.role !== 'chair') return void ctx.reply('Kế hoạch hỗ trợ do Lãnh đạo UBND xã duyệt. Xin gửi /trinhduyet MÃ tóm tắt để trình.'.replace('MÃ', code));
  const report = await caseFor(ctx, member, code, true);
  if (!report) return;
  const problem = lifecycleProblem(report, 'plan_approved');
  if (problem) return void ctx.reply(problem);
  const updated = await approvePlan(ctx.services, report, member, text.slice(0, MAX_TEXT));
  if (!updated) return void ctx.reply(`Không cập nhật được vụ việc ${code}. Xin thử lại.`);
  ctx.reply(`✅ Đã duyệt kế hoạch hỗ trợ vụ việc ${code}. Nhắc hạn lập kế hoạch đã dừng; người giữ vụ việc đã được báo.`, nextActions(updated));
}

/** Why a text action cannot be done on this case now, if it cannot. */
export function textActionProblem(r: ReportSummary, action: TextAction, member: Member): string | undefined {
  if (action === 'note') return undefined; // notes are welcome even after closing (follow-up visits)
  if (action === 'reopen') return isOpen(r.status) || !canReopen('assessing') ? `Vụ việc ${r.code} đang mở (${STATUS_LABEL[r.status]}), không cần mở lại.` : undefined;
  if (!isOpen(r.status)) return `Vụ việc ${r.code} đã kết thúc (${STATUS_LABEL[r.status]}). Bạn vẫn có thể ghi chú (${USAGE.note.replace('MÃ', r.code)}) hoặc mở lại (${USAGE.reopen.replace('MÃ', r.code)}).`;
  if (r.status === 'new' && action !== 'emergency') return `Vụ việc ${r.code} chưa được tiếp nhận. Gửi /nhan ${r.code} để tiếp nhận trước.`;
  if (action === 'ask' && r.assignee !== member.identity) return `Chỉ người đang giữ vụ việc ${r.code} mới gửi câu hỏi cho người báo.`;
  if (action === 'refer' && !canMove(r.status, 'referred')) return `Vụ việc ${r.code} đã được chuyển cơ quan khác. Khi có kết quả, gửi ${USAGE.close.replace('MÃ', r.code)}.`;
  if (action === 'submit' && r.status !== 'assessing') return lifecycleProblem(r, 'plan_approved') ?? `Vụ việc ${r.code} không ở bước xác minh, đánh giá.`;
  return undefined;
}

/** "Công an huyện; hẹn 20/12" → the agency and, when given, the follow-up day at the start of work. */
export function parseReferral(text: string, ctx: TurnContext, report: ReportSummary): { agency: string; followUpAt?: number } {
  const m = text.match(/[;,.]?\s*(?:hẹn|hen|theo dõi|theo doi)\s+(?:ngày\s+|ngay\s+)?(\d{1,2})[/-](\d{1,2})(?:[/-](\d{4}))?\s*$/i);
  if (!m) return { agency: text };
  const commune = ctx.commune(report.communeId);
  const tz = timezoneOf(ctx.services.config, report.communeId);
  const now = ctx.services.now();
  const year = Number(m[3] ?? new Date(now).getUTCFullYear());
  const day = `${year}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  let at = zonedInstant(day, commune?.workingHours.start ?? '07:30', tz);
  if (!m[3] && at < now) at = zonedInstant(`${year + 1}${day.slice(4)}`, commune?.workingHours.start ?? '07:30', tz);
  return { agency: text.slice(0, m.index).trim() || text, followUpAt: Number.isFinite(at) ? at : undefined };
}

export async function applyTextAction(ctx: TurnContext, member: Member, code: string, action: TextAction, text: string): Promise<void> {
  const report = await caseFor(ctx, member, code, true);
  if (!report) return;
  const problem = textActionProblem(report, action, member);
  if (problem) return void ctx.reply(problem);
  const { services } = ctx;
  const now = services.now();
  const body = text.slice(0, MAX_TEXT);
  const failed = () => ctx.reply(`Không cập nhật được vụ việc ${code}. Xin thử lại.`);
  if (action === 'note') {
    await services.cases.addEntry(code, { at: now, actor: ctx.identity, kind: 'note', text: body });
    return void ctx.reply(`📝 Đã ghi chú vào vụ việc ${code}.`);
  }
  if (action === 'emergency') {
    await services.cases.recordEmergencyAction(code, ctx.identity, body, now);
    return void ctx.reply(`🚨 Đã ghi biện pháp khẩn cấp cho vụ việc ${code}. Nhắc ${emergencyDeadlineText(ctx.commune(report.communeId))} đã dừng.`, nextActions(report));
  }
  if (action === 'ask') {
    const asked = await askReporter(services, report, ctx.identity, body);
    if (asked === 'no_channel') return void ctx.reply(`Báo cáo ${code} không có kênh nhắn lại cho người báo (báo hộ hoặc báo trực tiếp).`);
    return void ctx.reply(`💬 Đã gửi câu hỏi tới người báo vụ việc ${code} với tên "Cán bộ xã". Khi họ trả lời, bạn sẽ nhận được tin.`);
  }
  if (action === 'submit') {
    const chairs = await submitPlan(services, report, ctx.identity, body);
    return void ctx.reply(chairs.length ? `📋 Đã trình kế hoạch hỗ trợ vụ việc ${code} cho Lãnh đạo UBND xã (${chairs.length} người).` : `Xã chưa có Lãnh đạo UBND xã đăng ký để duyệt. Xin báo quản trị viên.`);
  }
  if (action === 'refer') {
    const { agency, followUpAt } = parseReferral(body, ctx, report);
    const done = await referCase(services, report, ctx.identity, agency, followUpAt);
    if (!done) return void failed();
    const tz = timezoneOf(ctx.services.config, report.communeId);
    return void ctx.reply(`↗️ Đã chuyển vụ việc ${code} cho: ${agency}. Hẹn theo dõi: ${formatLocal(done.followUpAt, tz)}; bạn sẽ được nhắc. Khi có kết quả, gửi ${USAGE.close.replace('MÃ', code)}.`);
  }
  if (action === 'reopen') {
    const done = await reopenCase(services, report, ctx.identity, body);
    return void (done ? ctx.reply(`🔄 Đã mở lại vụ việc ${code} (${STATUS_LABEL[done.status]}). Lý do: ${body}`, nextActions(done)) : failed());
  }
  const closed = await closeCase(services, report, ctx.identity, body);
  if (!closed) return void failed();
  ctx.reply(`🏁 Đã đóng vụ việc ${code}. Kết quả: ${body}`);
}

export function isTextAction(a: string): a is TextAction {
  return (TEXT_ACTIONS as readonly string[]).includes(a);
}

export function usageOf(action: TextAction): string {
  return USAGE[action];
}
