/**
 * A case command sent without its code ("nhận", "xem vụ này", "/ghichu"): the cases it may mean are
 * offered as buttons, instead of a request for a code the officer would first have to look up. Nothing
 * is done until one is pressed, so with two alerts in a row the wrong case is never taken.
 */
import { ackChoice } from '../../actions/alert-text.js';
import { categoryLabel } from '../../actions/case-wording.js';
import { URGENCY_MARK } from '../../domain/urgency.js';
import type { Choice } from '../../messaging/message.js';
import type { ReportSummary } from '../../store/reports.js';
import type { Member } from '../../store/roles.js';
import type { TurnContext } from '../turn.js';
import { caseButton, type CaseAction } from './parse.js';

/** Buttons are for the few cases at hand; a commune with more has /vuviec. */
export const OFFERED = 5;

/** Acting on a case it may mean: 'take' is the acknowledgement; the rest are the case commands with buttons. */
export type PickedAction = 'take' | Extract<CaseAction, 'view' | 'note' | 'emergency' | 'refer' | 'close' | 'submit' | 'approve' | 'ask' | 'assess' | 'intervene'>;

const QUESTION: Record<PickedAction, string> = {
  take: 'Anh/chị muốn tiếp nhận vụ nào?',
  view: 'Anh/chị muốn xem vụ nào?',
  note: 'Ghi chú vào vụ nào?',
  emergency: 'Ghi biện pháp khẩn cấp cho vụ nào?',
  refer: 'Chuyển vụ nào cho cơ quan khác?',
  close: 'Đóng vụ nào?',
  submit: 'Trình duyệt kế hoạch của vụ nào?',
  approve: 'Duyệt kế hoạch của vụ nào?',
  ask: 'Hỏi người báo của vụ nào?',
  assess: 'Chuyển vụ nào sang xác minh, đánh giá?',
  intervene: 'Chuyển vụ nào sang hỗ trợ, can thiệp?',
};

/** Which case the action is for, as asked. */
export function pickQuestion(action: PickedAction): string {
  return QUESTION[action];
}

/** The open cases an action may mean (for 'take', those nobody has taken yet); with none, says so. */
export async function casesToOffer(ctx: TurnContext, member: Member, action: PickedAction): Promise<ReportSummary[]> {
  const open = await ctx.services.cases.listOpen(member.communeId);
  const cases = action === 'take' ? open.filter((r) => r.status === 'new') : open;
  if (!cases.length) {
    const none = action === 'take' ? 'Hiện không có vụ việc nào đang chờ tiếp nhận.' : 'Hiện không có vụ việc nào đang mở.';
    ctx.reply(`${none} Gửi /vuviec để xem các vụ việc của xã.`);
  }
  return cases;
}

function label(r: ReportSummary): string {
  return `${URGENCY_MARK[r.urgency]} ${r.code} · ${categoryLabel(r.category)} · ${r.village || 'chưa rõ thôn'}`;
}

/** A button acting on one case, labelled so the officer tells it apart without personal data. */
export function caseChoice(action: PickedAction, r: ReportSummary): Choice {
  return action === 'take' ? ackChoice(r.code, label(r)) : { label: label(r), value: caseButton(action, r.code) };
}

/**
 * Offers the open cases of the member's commune (for 'take', those nobody has taken yet), newest first;
 * only those `preferred` keeps when it keeps any ("vụ ở khuổi tát": the cases of that village).
 */
export async function offerCases(ctx: TurnContext, member: Member, action: PickedAction, usage: string, preferred?: (r: ReportSummary) => boolean): Promise<void> {
  const all = await casesToOffer(ctx, member, action);
  const kept = preferred ? all.filter(preferred) : [];
  const cases = kept.length ? kept : all;
  if (!cases.length) return;
  // The example is a real code of the list: a made-up one reads as a case that does not exist.
  const more = cases.length > OFFERED ? ` Còn ${cases.length - OFFERED} vụ khác: gửi /vuviec để xem hết.` : '';
  ctx.reply(
    `${QUESTION[action]} Bấm một vụ dưới đây, hoặc gửi ${usage.replace('MÃ', (cases[0] as ReportSummary).code)}.${more}`,
    cases.slice(0, OFFERED).map((r) => caseChoice(action, r)),
  );
}
