/**
 * Who may read and act on a case, for chat. The rules are the shared ones (src/actions/staff-roles.ts
 * and case-work.ts; the web console uses them too): a case of another commune is answered exactly like
 * a code that does not exist, so staff cannot even learn that it exists.
 */
import { caseFor as sharedCaseFor, isAnswer } from '../../actions/case-work.js';
import { STAFF_ROLES } from '../../actions/staff-roles.js';
import type { ReportSummary } from '../../store/reports.js';
import type { Member } from '../../store/roles.js';
import type { TurnContext } from '../turn.js';

export { CASE_ROLES, READ_ROLES, canHandle, canRead, hasRole } from '../../actions/staff-roles.js';

export const STAFF_ONLY_TEXT = 'Xin lỗi, lệnh này chỉ dành cho cán bộ xã đã đăng ký. Bạn có thể gửi /baocao để báo cáo sự việc, hoặc /trangthai MÃ để hỏi tình trạng báo cáo.';

export { caseNotFoundText } from '../../actions/case-work.js';

/**
 * The caller's membership when they hold a staff role (not a village head, not a citizen), on this
 * channel or on the one they linked this channel to (/lienket): an alert rerouted to the linked
 * channel can be acted on there.
 */
export async function staffMember(ctx: TurnContext): Promise<Member | undefined> {
  const member = await ctx.member();
  return member && STAFF_ROLES.includes(member.role) ? member : undefined;
}

/** The case if the member may use it (`act` asks for handling rights); otherwise answers why not. */
export async function caseFor(ctx: TurnContext, member: Member, code: string, act: boolean): Promise<ReportSummary | undefined> {
  const found = await sharedCaseFor(ctx.services, member, code, act);
  if (!isAnswer(found)) return found;
  ctx.reply(found.text);
  return undefined;
}

/**
 * A private chat with the service, where case details may be shown. In a group the chat differs from
 * the person (Telegram), and child details must never appear there.
 */
export function isPrivateChat(ctx: TurnContext): boolean {
  return ctx.msg.chatId === ctx.msg.userId;
}
