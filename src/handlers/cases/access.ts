/**
 * Who may read and act on a case. Every officer command goes through here, so commune isolation and
 * role rules live in one place: a case of another commune is answered exactly like a code that does
 * not exist, so staff cannot even learn that it exists.
 */
import type { StaffRole } from '../../config/communes.js';
import type { ReportSummary } from '../../store/reports.js';
import type { Member } from '../../store/roles.js';
import type { TurnContext } from '../turn.js';

/** Roles that handle cases: acknowledge, assess, intervene, refer, close (docs/domain.md §1). */
export const CASE_ROLES: readonly StaffRole[] = ['officer', 'chair', 'police'];
/** Roles that may read a case of their commune; the province follows cases but does not act. */
export const READ_ROLES: readonly StaffRole[] = [...CASE_ROLES, 'province'];
/** Village heads hold a role but send counts only: they are not staff for case commands. */
const STAFF_ROLES: readonly StaffRole[] = [...READ_ROLES, 'admin'];

export const STAFF_ONLY_TEXT = 'Xin lỗi, lệnh này chỉ dành cho cán bộ xã đã đăng ký. Bạn có thể gửi /baocao để báo cáo sự việc, hoặc /trangthai MÃ để hỏi tình trạng báo cáo.';

export function caseNotFoundText(code: string): string {
  return `Không tìm thấy vụ việc ${code} trong xã của bạn. Xin kiểm tra lại mã (gửi /vuviec để xem danh sách).`;
}

/** The caller's membership when they hold a staff role (not a village head, not a citizen). */
export async function staffMember(ctx: TurnContext): Promise<Member | undefined> {
  const member = await ctx.services.roles.get(ctx.identity);
  return member && STAFF_ROLES.includes(member.role) ? member : undefined;
}

export function hasRole(member: Member, roles: readonly StaffRole[]): boolean {
  return roles.includes(member.role);
}

/** May read the case: same commune and a reading role. */
export function canRead(member: Member, report: Pick<ReportSummary, 'communeId'>): boolean {
  return member.communeId === report.communeId && hasRole(member, READ_ROLES);
}

/**
 * May act on the case: same commune and a case-handling role. The province follows cases without
 * acting, except on a case it took itself (an escalated emergency it acknowledged).
 */
export function canHandle(member: Member, report: Pick<ReportSummary, 'communeId' | 'assignee'>): boolean {
  if (member.communeId !== report.communeId) return false;
  return hasRole(member, CASE_ROLES) || (member.role === 'province' && report.assignee === member.identity);
}

/**
 * The case if the member may use it (`act` asks for handling rights, else reading rights); otherwise
 * answers "not found" and returns undefined. A readable case the member may not act on gets a clear
 * "read only" answer instead, since its existence is no secret to them.
 */
export async function caseFor(ctx: TurnContext, member: Member, code: string, act: boolean): Promise<ReportSummary | undefined> {
  const report = await ctx.services.cases.get(code);
  if (!report || !canRead(member, report)) {
    ctx.reply(caseNotFoundText(code));
    return undefined;
  }
  if (act && !canHandle(member, report)) {
    ctx.reply(`Bạn chỉ được xem vụ việc ${code}; việc xử lý do cán bộ bảo vệ trẻ em, lãnh đạo UBND xã hoặc công an xã thực hiện.`);
    return undefined;
  }
  return report;
}

/**
 * A private chat with the service, where case details may be shown. In a group the chat differs from
 * the person (Telegram), and child details must never appear there.
 */
export function isPrivateChat(ctx: TurnContext): boolean {
  return ctx.msg.chatId === ctx.msg.userId;
}
