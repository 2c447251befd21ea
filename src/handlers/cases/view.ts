/**
 * /vuviec (open cases of the commune, no personal data) and /xem (the full case, decrypted through the
 * audit-logged CaseStore.viewDetails, with the next steps offered as buttons).
 */
import { STATUS_LABEL } from '../../domain/case-status.js';
import { timezoneOf } from '../../config/communes.js';
import type { Choice } from '../../messaging/message.js';
import type { ReportDetails, ReportSummary } from '../../store/reports.js';
import type { TimelineEntry } from '../../store/cases.js';
import type { Member } from '../../store/roles.js';
import type { TurnContext } from '../turn.js';
import { ACK_PREFIX, webChoice, why } from '../../actions/alert-text.js';
import { DANGER_LABEL, KIND_LABEL, childLine, entryText, nextSteps, reporterLine } from '../../actions/case-wording.js';
import { canHandle, caseFor, isPrivateChat } from './access.js';
import { formatLocal, timeAgo } from '../../domain/local-time.js';
import { urgencyText } from '../../domain/urgency.js';
import { caseLine, categoryLabel, personLabel } from './format.js';
import { caseButton } from './parse.js';
import { OFFERED, caseChoice } from './pick.js';

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
  // The newest are a press away; any other by its code.
  const view = open.slice(0, OFFERED).map((r) => caseChoice('view', r));
  ctx.reply(`Vụ việc đang mở của ${commune}:\n${lines.join('\n')}${more}\n\nBấm một vụ hoặc gửi /xem MÃ để xem chi tiết.`, view);
}

async function timelineLines(ctx: TurnContext, entries: TimelineEntry[], tz: string): Promise<string[]> {
  return Promise.all(
    entries.map(async (e) => {
      const text = entryText(e);
      return `• ${formatLocal(e.at, tz)} — ${KIND_LABEL[e.kind] ?? e.kind} (${await personLabel(ctx.services, e.actor, ctx.identity)})${text ? `: ${text}` : ''}`;
    }),
  );
}

/** The next steps the member may take from this status (the shared rule), as buttons; typing the label works too. */
export function nextActions(r: ReportSummary): Choice[] {
  return nextSteps(r).map((s) => ({ label: s.label, value: s.step === 'take' ? `${ACK_PREFIX}${r.code}` : caseButton(s.step, r.code) }));
}

export async function viewCase(ctx: TurnContext, member: Member, code: string): Promise<void> {
  if (!isPrivateChat(ctx)) {
    ctx.reply('Vì an toàn cho trẻ, chi tiết vụ việc chỉ xem được trong tin nhắn riêng với kênh này.');
    return;
  }
  const report = await caseFor(ctx, member, code, false);
  if (!report) return;
  const shown = await ctx.services.cases.viewDetails(code, ctx.identity, (details) => showCase(ctx, member, report, details));
  if (!shown) ctx.reply(`Không đọc được chi tiết vụ việc ${code}. Xin báo quản trị viên.`);
}

async function showCase(ctx: TurnContext, member: Member, report: ReportSummary, details: ReportDetails): Promise<true> {
  const { code } = report;
  const tz = timezoneOf(ctx.services.config, report.communeId);
  const now = ctx.services.now();
  const [markers, entries] = await Promise.all([ctx.services.cases.markers(code), ctx.services.cases.timeline(code)]);
  const lines = [
    `📁 Vụ việc ${code} — ${urgencyText(report.urgency)}`,
    ...why(report),
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
    `Người báo: ${canHandle(member, report) ? reporterLine(details, `người giữ vụ việc hỏi thêm được: /hoi ${report.code} câu hỏi`) : '(chỉ cán bộ xử lý vụ việc được xem)'}`,
    `Tệp đính kèm: ${details.attachments.length}`,
    '',
    'Diễn biến:',
    ...(entries.length ? await timelineLines(ctx, entries, tz) : ['• (chưa có)']),
  ];
  const text = lines.filter((l) => l !== undefined).join('\n');
  const web = ctx.services.web ? [webChoice(code)] : [];
  const choices = [...(canHandle(member, report) ? nextActions(report) : []), ...web];
  ctx.reply(text, choices.length ? choices : undefined);
  return true;
}
