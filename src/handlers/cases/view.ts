/**
 * /vuviec (open cases of the commune, no personal data) and /xem (the full case, decrypted through the
 * audit-logged CaseStore.viewDetails, with the next steps offered as buttons).
 */
import { COARSE_LABEL, STATUS_LABEL, isOpen, type CaseStatus, type CoarseStatus } from '../../domain/case-status.js';
import { timezoneOf } from '../../config/communes.js';
import type { Choice } from '../../messaging/message.js';
import type { ReportDetails, ReportSummary } from '../../store/reports.js';
import type { TimelineEntry } from '../../store/cases.js';
import type { Member } from '../../store/roles.js';
import type { TurnContext } from '../turn.js';
import { canHandle, caseFor, isPrivateChat } from './access.js';
import { formatLocal, timeAgo } from '../../domain/local-time.js';
import { urgencyText } from '../../domain/urgency.js';
import { caseLine, categoryLabel, personLabel } from './format.js';
import { caseButton } from './parse.js';

const LIST_LIMIT = 30;

export async function listCases(ctx: TurnContext, member: Member): Promise<void> {
  const open = await ctx.services.cases.listOpen(member.communeId, LIST_LIMIT + 1);
  const commune = ctx.commune(member.communeId)?.name ?? member.communeId;
  if (!open.length) {
    ctx.reply(`${commune} hiện không có vụ việc nào đang mở.`);
    return;
  }
  const now = ctx.services.now();
  const lines = await Promise.all(open.slice(0, LIST_LIMIT).map((r) => caseLine(ctx.services, r, ctx.identity, now)));
  const more = open.length > LIST_LIMIT ? `\n(Chỉ hiện ${LIST_LIMIT} vụ mới nhất.)` : '';
  ctx.reply(`Vụ việc đang mở của ${commune}:\n${lines.join('\n')}${more}\n\nGửi /xem MÃ để xem chi tiết.`);
}

const SEX_LABEL: Record<string, string> = { nam: 'nam', nu: 'nữ', khong_ro: 'không rõ giới tính' };
const DANGER_LABEL: Record<ReportSummary['inDanger'], string> = { yes: 'CÓ', no: 'không', unknown: 'không rõ' };

const KIND_LABEL: Record<string, string> = {
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
};

/** Entry text in words: status keys become their labels, the rest is shown as written. */
function entryText(e: TimelineEntry): string | undefined {
  if (!e.text) return undefined;
  if (e.kind === 'status') return STATUS_LABEL[e.text as CaseStatus] ?? e.text;
  if (e.kind === 'reporter_notified') return COARSE_LABEL[e.text as CoarseStatus] ?? e.text;
  return e.text;
}

async function timelineLines(ctx: TurnContext, entries: TimelineEntry[], tz: string): Promise<string[]> {
  return Promise.all(
    entries.map(async (e) => {
      const text = entryText(e);
      return `• ${formatLocal(e.at, tz)} — ${KIND_LABEL[e.kind] ?? e.kind} (${await personLabel(ctx.services, e.actor, ctx.identity)})${text ? `: ${text}` : ''}`;
    }),
  );
}

function childLine(d: ReportDetails): string {
  const parts = [d.child.name ? `tên: ${d.child.name}` : 'chưa rõ tên', d.child.age ? `tuổi: ${d.child.age}` : undefined, d.child.sex ? SEX_LABEL[d.child.sex] : undefined];
  return parts.filter(Boolean).join(', ');
}

function reporterLine(d: ReportDetails): string {
  const contact = [d.reporter.name, d.reporter.phone].filter(Boolean).join(', ');
  return contact || 'ẩn danh (người giữ vụ việc hỏi thêm được: /hoi MÃ câu hỏi)';
}

/** The next steps a handler may take from this status, as buttons (typing the label works too). */
export function nextActions(r: ReportSummary): Choice[] {
  const c = r.code;
  if (!isOpen(r.status)) return [{ label: '📝 Ghi chú', value: caseButton('note', c) }, { label: '🔄 Mở lại', value: caseButton('reopen', c) }];
  const out: Choice[] = [];
  if (r.status === 'new') out.push({ label: '✅ Tiếp nhận', value: `ack:${c}` });
  if (r.status === 'acknowledged') out.push({ label: '🔍 Bắt đầu xác minh, đánh giá', value: caseButton('assess', c) });
  if (r.status === 'assessing') out.push({ label: '📋 Trình duyệt kế hoạch', value: caseButton('submit', c) });
  if (r.status === 'plan_approved') out.push({ label: '🤝 Bắt đầu hỗ trợ, can thiệp', value: caseButton('intervene', c) });
  out.push({ label: '📝 Ghi chú', value: caseButton('note', c) });
  if (r.status !== 'referred') out.push({ label: '🚨 Ghi biện pháp khẩn cấp', value: caseButton('emergency', c) });
  if (r.status !== 'new') out.push({ label: '💬 Hỏi người báo', value: caseButton('ask', c) });
  if (r.status !== 'new' && r.status !== 'referred') out.push({ label: '↗️ Chuyển cơ quan khác', value: caseButton('refer', c) });
  if (r.status !== 'new') out.push({ label: '🏁 Đóng vụ việc', value: caseButton('close', c) });
  return out;
}

export async function viewCase(ctx: TurnContext, member: Member, code: string): Promise<void> {
  if (!isPrivateChat(ctx)) {
    ctx.reply('Vì an toàn cho trẻ, chi tiết vụ việc chỉ xem được trong tin nhắn riêng với kênh này.');
    return;
  }
  const report = await caseFor(ctx, member, code, false);
  if (!report) return;
  const details = await ctx.services.cases.viewDetails(code, ctx.identity);
  if (!details) {
    ctx.reply(`Không đọc được chi tiết vụ việc ${code}. Xin báo quản trị viên.`);
    return;
  }
  const tz = timezoneOf(ctx.services.config, report.communeId);
  const now = ctx.services.now();
  const [markers, entries] = await Promise.all([ctx.services.cases.markers(code), ctx.services.cases.timeline(code)]);
  const lines = [
    `📁 Vụ việc ${code} — ${urgencyText(report.urgency)}`,
    `• Loại: ${categoryLabel(report.category)}`,
    `• Thôn: ${report.village || 'chưa rõ'}`,
    `• Nhận lúc: ${formatLocal(report.createdAt, tz)} (${timeAgo(report.createdAt, now)})`,
    `• Trạng thái: ${STATUS_LABEL[report.status]} — người giữ: ${await personLabel(ctx.services, markers.assignee, ctx.identity)}`,
    `• Trẻ đang gặp nguy hiểm: ${DANGER_LABEL[report.inDanger]}`,
    markers.emergencyActionAt ? `• Đã có biện pháp khẩn cấp lúc ${formatLocal(markers.emergencyActionAt, tz)}` : undefined,
    markers.followUpAt ? `• Hẹn theo dõi cơ quan đã nhận: ${formatLocal(markers.followUpAt, tz)}` : undefined,
    '',
    `Trẻ: ${childLine(details)}`,
    `Sự việc: ${details.description}`,
    details.when ? `Thời điểm: ${details.when}` : undefined,
    details.extra ? `Thông tin thêm: ${details.extra}` : undefined,
    // docs/domain.md §3: the reporter's identity is for the officers handling the case, not for readers.
    `Người báo: ${canHandle(member, report) ? reporterLine(details) : '(chỉ cán bộ xử lý vụ việc được xem)'}`,
    `Tệp đính kèm: ${details.attachments.length}`,
    '',
    'Diễn biến:',
    ...(entries.length ? await timelineLines(ctx, entries, tz) : ['• (chưa có)']),
  ];
  const text = lines.filter((l) => l !== undefined).join('\n');
  ctx.reply(text, canHandle(member, report) ? nextActions(report) : undefined);
}
