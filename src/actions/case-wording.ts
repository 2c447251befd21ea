/**
 * How a case reads, the same in chat and on the web console: labels for its fields and timeline, the
 * people named for other staff, and the next steps a handler may take from each status (the rule
 * behind chat's buttons and the console's forms).
 */
import type { CommuneConfig, Urgency } from '../config/communes.js';
import { cueOf } from '../nlu/cues.js';
import { COARSE_LABEL, STATUS_LABEL, isOpen, type CaseStatus, type CoarseStatus } from '../domain/case-status.js';
import { CATEGORIES } from '../domain/categories.js';
import type { TimelineEntry } from '../store/cases.js';
import type { ChildSex, ReportDetails, ReportSummary } from '../store/reports.js';
import type { ActionDeps } from './deps.js';
import { memberName } from './people.js';

export const SEX_LABEL: Record<ChildSex, string> = { nam: 'nam', nu: 'nữ', ca_hai: 'cả nam và nữ', khong_ro: 'không rõ giới tính' };
export const DANGER_LABEL: Record<ReportSummary['inDanger'], string> = { yes: 'CÓ', no: 'không', unknown: 'không rõ' };

export const KIND_LABEL: Record<string, string> = {
  alerted: 'Đã gửi cảnh báo',
  acknowledged: 'Tiếp nhận',
  re_alerted: 'Nhắc lại cảnh báo',
  escalated: 'Báo lên cấp trên',
  reminder: 'Nhắc hạn',
  note: 'Ghi chú',
  status: 'Chuyển trạng thái',
  emergency_action: 'Biện pháp khẩn cấp',
  referred: 'Chuyển cơ quan khác',
  closed: 'Đóng vụ việc',
  reporter_addition: 'Người báo bổ sung',
  reporter_notified: 'Gửi thông báo cho người báo',
  plan_approved: 'Duyệt kế hoạch hỗ trợ',
  reopened: 'Mở lại vụ việc',
  follow_up: 'Nhắc theo dõi vụ đã chuyển',
  skipped: 'Bỏ qua người không liên lạc được',
  reporter_question: 'Hỏi người báo',
  reporter_answer: 'Người báo trả lời',
  reporter_correction: 'Người báo sửa thông tin',
  handed_back: 'Trả lại vụ việc',
  reassigned: 'Đổi người giữ vụ việc',
};

/** Entry text in words: status keys become their labels, the rest is shown as written. */
export function entryText(e: TimelineEntry): string | undefined {
  if (!e.text) return undefined;
  if (e.kind === 'status') return STATUS_LABEL[e.text as CaseStatus] ?? e.text;
  if (e.kind === 'reporter_notified') return COARSE_LABEL[e.text as CoarseStatus] ?? e.text;
  return e.text;
}

export function childLine(d: ReportDetails): string {
  const parts = [d.child.name ? `tên: ${d.child.name}` : 'chưa rõ tên', d.child.age ? `tuổi: ${d.child.age}` : undefined, d.child.sex ? SEX_LABEL[d.child.sex] : undefined];
  return parts.filter(Boolean).join(', ');
}

/** The reporter's contact, or "ẩn danh" with how the case's holder can still ask them (`howToAsk`). */
export function reporterLine(d: ReportDetails, howToAsk: string): string {
  const contact = [d.reporter.name, d.reporter.phone].filter(Boolean).join(', ');
  const who = contact || `ẩn danh (${howToAsk})`;
  // The person who hurts the child may read the child's phone: the officer must know before writing back.
  return d.reporter.self ? `${who}. ⚠️ Có thể chính trẻ tự báo: liên hệ thận trọng, người gây hại có thể xem điện thoại của trẻ` : who;
}

/** "hạn 12 giờ" with the hours the commune configures; "hạn khẩn cấp" for a commune no longer configured. */
export function emergencyDeadlineText(commune: Pick<CommuneConfig, 'clocks'> | undefined): string {
  return commune ? `hạn ${commune.clocks.emergencyHours} giờ` : 'hạn khẩn cấp';
}

/** The reasons other than a cue, in the officers' words (the category's is its label). */
const REASON_TEXT: Record<string, string> = {
  in_danger: 'trẻ đang gặp nguy hiểm',
  story: 'nội dung lời kể nghiêm trọng',
  danger_unknown: 'chưa rõ trẻ có an toàn không',
};

/** Said before the reasons, for the levels worth a why (P2 and P3 are the categories' own). */
const WHY_HEADING: Partial<Record<Urgency, string>> = { P0: 'Khẩn cấp vì', P1: 'Mức cao vì' };

/**
 * "Khẩn cấp vì: trẻ bị thương nặng, vẫn ở cùng người gây hại": what made the report urgent, as its
 * reasons say (domain/urgency.ts), "trẻ" said once; undefined when there is nothing to say (a report
 * from before the reasons were kept, or a level that needs no why).
 */
export function urgencyWhy(report: Pick<ReportSummary, 'urgency' | 'reasons' | 'category'>): string | undefined {
  const heading = WHY_HEADING[report.urgency];
  if (!heading) return undefined;
  // A P1 category (violence, neglect…) is the usual level of its cases: said only at P0, where it alarms.
  const texts = (report.reasons ?? [])
    .filter((id) => id !== 'category' || report.urgency === 'P0')
    .map((id) => (id === 'category' ? `loại "${categoryLabel(report.category)}"` : (cueOf(id)?.reason ?? REASON_TEXT[id])))
    .filter((t): t is string => t !== undefined);
  if (!texts.length) return undefined;
  const said = texts.map((t, i) => (i > 0 && t.startsWith('trẻ ') && texts[i - 1]?.startsWith('trẻ ') ? t.slice(4) : t));
  return `${heading}: ${[...new Set(said)].join(', ')}`;
}

export function categoryLabel(key: string): string {
  return CATEGORIES.find((c) => c.key === key)?.label ?? key;
}

/**
 * Names a person for other staff: "bạn", a staff member by role and name, or a neutral word for the
 * reporter and the system. No internal id is ever shown.
 */
export async function personLabel(services: Pick<ActionDeps, 'roles'>, identity: string | undefined, viewer?: string): Promise<string> {
  if (!identity) return 'chưa có ai nhận';
  if (identity === viewer) return 'bạn';
  if (identity === 'system') return 'hệ thống';
  if (identity === 'reporter') return 'người báo';
  const member = await services.roles.get(identity);
  return member ? memberName(member) : 'người không còn vai trò';
}

export type CaseStep = 'take' | 'assess' | 'submit' | 'intervene' | 'note' | 'emergency' | 'ask' | 'refer' | 'close' | 'reopen';

/** The steps a handler may take from the case's status, in the order they are offered. */
export function nextSteps(r: Pick<ReportSummary, 'status'>): Array<{ step: CaseStep; label: string }> {
  const note = { step: 'note' as const, label: '📝 Ghi chú' };
  if (!isOpen(r.status)) return [note, { step: 'reopen', label: '🔄 Mở lại' }];
  const out: Array<{ step: CaseStep; label: string }> = [];
  if (r.status === 'new') out.push({ step: 'take', label: '✅ Tiếp nhận' });
  if (r.status === 'acknowledged') out.push({ step: 'assess', label: '🔍 Bắt đầu xác minh, đánh giá' });
  if (r.status === 'assessing') out.push({ step: 'submit', label: '📋 Trình duyệt kế hoạch' });
  if (r.status === 'plan_approved') out.push({ step: 'intervene', label: '🤝 Bắt đầu hỗ trợ, can thiệp' });
  out.push(note);
  if (r.status !== 'referred') out.push({ step: 'emergency', label: '🚨 Ghi biện pháp khẩn cấp' });
  if (r.status !== 'new') out.push({ step: 'ask', label: '💬 Hỏi người báo' });
  if (r.status !== 'new' && r.status !== 'referred') out.push({ step: 'refer', label: '↗️ Chuyển cơ quan khác' });
  if (r.status !== 'new') out.push({ step: 'close', label: '🏁 Đóng vụ việc' });
  return out;
}
