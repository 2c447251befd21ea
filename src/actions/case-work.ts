/**
 * Working a case, from any channel (chat commands and the web console): take it, move it through its
 * lifecycle, add a note, record an emergency measure, ask the reporter, submit or approve the support
 * plan, refer it with a follow-up date, close or reopen it. Each checks the same rules (who may, from
 * which status: src/actions/staff-roles.ts, src/domain/case-status.ts), does the step through the shared
 * actions (lifecycle.ts, reporter-contact.ts, acknowledge.ts) and returns the answer in words; chat
 * replies with it, the console shows it. A case of another commune is answered like an unknown code.
 */
import { timezoneOf } from '../config/communes.js';
import { STATUS_LABEL, canMove, canReopen, isOpen, nextStep, type CaseStatus } from '../domain/case-status.js';
import { categoryOf } from '../domain/categories.js';
import { formatLocal, zonedInstant } from '../domain/local-time.js';
import { urgencyText } from '../domain/urgency.js';
import type { ReportSummary } from '../store/reports.js';
import type { Member } from '../store/roles.js';
import { acknowledgeCase, claimAckNotice } from './acknowledge.js';
import { communeOf } from './case-alerts.js';
import { emergencyDeadlineText } from './case-wording.js';
import type { ActionDeps } from './deps.js';
import { approvePlan, closeCase, referCase, reopenCase, submitPlan } from './lifecycle.js';
import { memberName } from './people.js';
import { reassignCase, takeOver } from './handback.js';
import { askReporter } from './reporter-contact.js';
import { CASE_ROLES, canHandle, canRead } from './staff-roles.js';
import { foldWords } from '../text/vietnamese.js';

/**
 * What happened, in words; `next` is the case as it now stands when its next steps should be offered;
 * `chatHint` is how to go on by chat commands (the console shows its own buttons instead).
 */
export interface CaseAnswer {
  done: boolean;
  text: string;
  next?: ReportSummary;
  chatHint?: string;
  /** The person was told this by a message moments ago (an acknowledgement race): a chat sends nothing more. */
  toldAlready?: boolean;
}

const answer = (text: string, next?: ReportSummary): CaseAnswer => ({ done: true, text, next });
const refused = (text: string): CaseAnswer => ({ done: false, text });
const failed = (code: string): CaseAnswer => refused(`Không cập nhật được vụ việc ${code}. Xin thử lại.`);

export function isAnswer(v: ReportSummary | CaseAnswer): v is CaseAnswer {
  return 'done' in v;
}

export function caseNotFoundText(code: string): string {
  return `Không tìm thấy vụ việc ${code} trong xã của bạn. Xin kiểm tra lại mã (gửi /vuviec để xem danh sách).`;
}

/** The case when the member may read it (or, with `act`, work on it); otherwise the refusal. */
export async function caseFor(deps: Pick<ActionDeps, 'cases'>, member: Member, code: string, act: boolean): Promise<ReportSummary | CaseAnswer> {
  const report = await deps.cases.get(code);
  if (!report || !canRead(member, report)) return refused(caseNotFoundText(code));
  if (act && !canHandle(member, report)) return refused(`Bạn chỉ được xem vụ việc ${code}; việc xử lý do cán bộ bảo vệ trẻ em, lãnh đạo UBND xã hoặc công an xã thực hiện.`);
  return report;
}

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

/** The first staff member to take the case holds it; the others alerted are told. */
export async function takeCase(deps: ActionDeps, member: Member, code: string): Promise<CaseAnswer> {
  if (member.role === 'admin') return refused('Quản trị viên không tiếp nhận vụ việc. Việc tiếp nhận do cán bộ bảo vệ trẻ em, lãnh đạo UBND xã hoặc công an xã thực hiện.');
  const report = await deps.cases.get(code);
  if (!report || !canRead(member, report)) {
    if (report) deps.log.warn({ identity: member.identity, code, communeId: member.communeId }, 'acknowledgement refused: case of another commune');
    return refused(`${caseNotFoundText(code)}\nBạn chỉ tiếp nhận được vụ việc của xã mình.`);
  }
  if (!isOpen(report.status)) return refused(`Vụ việc ${code} đã kết thúc, không cần tiếp nhận. Gửi /xem ${code} để xem.`);
  const result = await acknowledgeCase(deps, report, member, deps.now());
  if (result.result === 'taken') {
    const commune = communeOf(deps, report.communeId);
    const lines = [`✅ Bạn đã tiếp nhận vụ việc ${code}: ${categoryOf(report.category).label}, ${urgencyText(report.urgency)}, ${report.village}.`];
    const hints = [`Gửi /xem ${code} để xem chi tiết (người báo, thông tin về trẻ) và cập nhật tiến độ.`];
    if (report.urgency === 'P0' && commune) {
      lines.push(`⏰ Biện pháp khẩn cấp phải được quyết định trong ${commune.clocks.emergencyHours} giờ từ khi nhận báo cáo (trước ${formatLocal(report.createdAt + commune.clocks.emergencyHours * 3_600_000, commune.timezone)}).`);
      hints.push(`Khi đã làm, gửi /khancap ${code} kèm nội dung.`);
    }
    return { ...answer(lines.join('\n')), chatHint: hints.join('\n') };
  }
  if (result.result === 'already_yours') return refused(`Bạn đã tiếp nhận vụ việc ${code} rồi. Gửi /xem ${code} để xem chi tiết.`);
  if ((result.result === 'taken_by_other' || result.result === 'not_new') && report.status !== 'new') {
    // Past acknowledgement: nobody holds it, or its holder can no longer act (handback.ts).
    const fresh = (await deps.cases.get(code)) ?? report;
    if ((await takeOver(deps, fresh, member)) === 'taken') return { ...answer(`✅ Bạn đã tiếp nhận lại vụ việc ${code} (${STATUS_LABEL[fresh.status]}).`), chatHint: `Gửi /xem ${code} để xem chi tiết và các bước đã làm.` };
  }
  if (result.result === 'taken_by_other' || result.result === 'not_new') {
    const holder = result.result === 'taken_by_other' ? await deps.roles.get(result.assignee) : undefined;
    const lost = refused(`Vụ việc ${code} đã được ${holder ? memberName(holder) : 'người khác'} tiếp nhận trước. Gửi /xem ${code} để xem.`);
    return (await claimAckNotice(deps, code, member.identity)) ? lost : { ...lost, toldAlready: true };
  }
  return refused(caseNotFoundText(code));
}

export async function moveCase(deps: ActionDeps, member: Member, code: string, target: CaseStatus): Promise<CaseAnswer> {
  const report = await caseFor(deps, member, code, true);
  if (isAnswer(report)) return report;
  const problem = lifecycleProblem(report, target);
  if (problem) return refused(problem);
  const updated = await deps.cases.setStatus(code, target, member.identity, deps.now());
  if (!updated) return failed(code);
  return answer(`✅ Vụ việc ${code}: ${STATUS_LABEL[target]}.`, updated);
}

/** /giao MÃ tên: the chair gives an open case to a handler of the commune (by name, or by role when one holds it). */
export async function assignCase(deps: ActionDeps, member: Member, code: string, who: string): Promise<CaseAnswer> {
  if (member.role !== 'chair') return refused('Chỉ Lãnh đạo UBND xã giao vụ việc cho người khác.');
  const report = await caseFor(deps, member, code, true);
  if (isAnswer(report)) return report;
  if (!isOpen(report.status)) return refused(`Vụ việc ${code} đã kết thúc (${STATUS_LABEL[report.status]}).`);
  if (report.status === 'new') return refused(`Vụ việc ${code} chưa có ai tiếp nhận. Người được giao gửi /nhan ${code} để tiếp nhận.`);
  const wanted = foldWords(who);
  const handlers = (await Promise.all(CASE_ROLES.map((r) => deps.roles.members(report.communeId, r)))).flat();
  const matches = wanted ? handlers.filter((m) => m.identity !== report.assignee && ` ${foldWords(memberName(m))} `.includes(` ${wanted} `)) : [];
  if (matches.length !== 1) {
    const names = handlers.filter((m) => m.identity !== report.assignee).map((m) => `• ${memberName(m)}`);
    const lead = matches.length > 1 ? `Có ${matches.length} người khớp "${who}".` : wanted ? `Không tìm thấy người nhận "${who}".` : 'Xin gửi kèm tên người nhận.';
    return refused(`${lead} Gửi /giao ${code} kèm tên một trong những người sau:\n${names.join('\n') || '(xã chưa có người xử lý nào khác)'}`);
  }
  const to = matches[0]!;
  if (!(await reassignCase(deps, report, member, to))) return failed(code);
  return answer(`📌 Đã giao vụ việc ${code} cho ${memberName(to)}. Người nhận đã được báo.`);
}

/** /duyet: the chair approves the support plan (the 5-working-day clock waits for this). */
export async function approve(deps: ActionDeps, member: Member, code: string, text: string): Promise<CaseAnswer> {
  if (member.role !== 'chair') return refused('Kế hoạch hỗ trợ do Lãnh đạo UBND xã duyệt. Xin gửi /trinhduyet MÃ tóm tắt để trình.'.replace('MÃ', code));
  const report = await caseFor(deps, member, code, true);
  if (isAnswer(report)) return report;
  const problem = lifecycleProblem(report, 'plan_approved');
  if (problem) return refused(problem);
  const updated = await approvePlan(deps, report, member, text.slice(0, MAX_TEXT));
  if (!updated) return failed(code);
  return answer(`✅ Đã duyệt kế hoạch hỗ trợ vụ việc ${code}. Nhắc hạn lập kế hoạch đã dừng; người giữ vụ việc đã được báo.`, updated);
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
export function parseReferral(text: string, deps: Pick<ActionDeps, 'config' | 'now'>, report: ReportSummary): { agency: string; followUpAt?: number } {
  const m = text.match(/[;,.]?\s*(?:hẹn|hen|theo dõi|theo doi)\s+(?:ngày\s+|ngay\s+)?(\d{1,2})[/-](\d{1,2})(?:[/-](\d{4}))?\s*$/i);
  if (!m) return { agency: text };
  const commune = communeOf(deps, report.communeId);
  const tz = timezoneOf(deps.config, report.communeId);
  const now = deps.now();
  const year = Number(m[3] ?? new Date(now).getUTCFullYear());
  const day = `${year}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  let at = zonedInstant(day, commune?.workingHours.start ?? '07:30', tz);
  if (!m[3] && at < now) at = zonedInstant(`${year + 1}${day.slice(4)}`, commune?.workingHours.start ?? '07:30', tz);
  return { agency: text.slice(0, m.index).trim() || text, followUpAt: Number.isFinite(at) ? at : undefined };
}

/** `onceId` names the request (a chat message's turn): run again with it, the note, measure, question or plan is written once. */
export async function applyTextAction(deps: ActionDeps, member: Member, code: string, action: TextAction, text: string, onceId: string): Promise<CaseAnswer> {
  const report = await caseFor(deps, member, code, true);
  if (isAnswer(report)) return report;
  const problem = textActionProblem(report, action, member);
  if (problem) return refused(problem);
  const now = deps.now();
  const body = text.slice(0, MAX_TEXT);
  if (action === 'note') {
    await deps.cases.addEntryOnce(code, `note-${onceId}`, { at: now, actor: member.identity, kind: 'note', text: body });
    // A note does not take the case: whoever writes about a case nobody holds is offered to take it.
    if (report.status === 'new') return answer(`📝 Đã ghi chú vào vụ việc ${code}. Vụ việc này chưa có ai tiếp nhận: nếu anh/chị xử lý, xin bấm "Tiếp nhận".`, report);
    return answer(`📝 Đã ghi chú vào vụ việc ${code}.`);
  }
  if (action === 'emergency') {
    await deps.cases.recordEmergencyAction(code, member.identity, body, now, `emergency-${onceId}`);
    return answer(`🚨 Đã ghi biện pháp khẩn cấp cho vụ việc ${code}. Nhắc ${emergencyDeadlineText(communeOf(deps, report.communeId))} đã dừng.`, report);
  }
  if (action === 'ask') {
    const asked = await askReporter(deps, report, member.identity, body, onceId);
    if (asked === 'no_channel') return refused(`Báo cáo ${code} không có kênh nhắn lại cho người báo (báo hộ hoặc báo trực tiếp).`);
    return answer(`💬 Đã gửi câu hỏi tới người báo vụ việc ${code} với tên "Cán bộ xã". Khi họ trả lời, bạn sẽ nhận được tin.`);
  }
  if (action === 'submit') {
    const chairs = await submitPlan(deps, report, member.identity, body, onceId);
    return answer(chairs.length ? `📋 Đã trình kế hoạch hỗ trợ vụ việc ${code} cho Lãnh đạo UBND xã (${chairs.length} người).` : `Xã chưa có Lãnh đạo UBND xã đăng ký để duyệt. Xin báo quản trị viên.`);
  }
  if (action === 'refer') {
    const { agency, followUpAt } = parseReferral(body, deps, report);
    const done = await referCase(deps, report, member.identity, agency, followUpAt);
    if (!done) return failed(code);
    const tz = timezoneOf(deps.config, report.communeId);
    return answer(`↗️ Đã chuyển vụ việc ${code} cho: ${agency}. Hẹn theo dõi: ${formatLocal(done.followUpAt, tz)}; bạn sẽ được nhắc. Khi có kết quả, gửi ${USAGE.close.replace('MÃ', code)}.`);
  }
  if (action === 'reopen') {
    const done = await reopenCase(deps, report, member.identity, body);
    return done ? answer(`🔄 Đã mở lại vụ việc ${code} (${STATUS_LABEL[done.status]}). Lý do: ${body}`, done) : failed(code);
  }
  const closed = await closeCase(deps, report, member.identity, body);
  if (!closed) return failed(code);
  return answer(`🏁 Đã đóng vụ việc ${code}. Kết quả: ${body}`);
}

export function isTextAction(a: string): a is TextAction {
  return (TEXT_ACTIONS as readonly string[]).includes(a);
}

export function usageOf(action: TextAction): string {
  return USAGE[action];
}
