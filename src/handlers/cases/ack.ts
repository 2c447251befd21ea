/**
 * Acknowledgement by chat: "/nhan TE-XXXXXX", "nhận TE-XXXXXX" (typed, with or without diacritics) or the
 * "Tiếp nhận" button of an alert (`ack:<code>`). Taking the case, stopping its escalation and telling the
 * others is the shared action src/actions/acknowledge.ts; this reads the request and answers.
 *
 * Who may acknowledge: officer, chair, police or province staff of the case's commune. Someone of another
 * commune gets the same answer as for an unknown code; a citizen or a village head gets a clear refusal.
 */
import { isOpen } from '../../domain/case-status.js';
import { categoryOf } from '../../domain/categories.js';
import { findReportCode } from '../../domain/refcode.js';
import { formatLocal } from '../../domain/local-time.js';
import { urgencyText } from '../../domain/urgency.js';
import { acknowledgeCase } from '../../actions/acknowledge.js';
import { memberName } from '../../actions/people.js';
import { ACK_PREFIX } from '../../actions/alert-text.js';
import { communeOf } from '../../actions/case-alerts.js';
import type { Feature, TurnContext } from '../turn.js';
import { caseNotFoundText, canRead, staffMember } from './access.js';

/** "nhan TE-…", "tiep nhan TE-…", "nhan vu viec TE-…", "da nhan TE …" (folded). */
const TYPED = /^(?:da )?(?:tiep )?nhan(?: vu viec| vu| ma)? te ?[0-9a-z]{6}$/;

/** The code asked for ('' when the command came without one), or undefined when this is not an ack. */
export function parseAck(ctx: Pick<TurnContext, 'msg' | 'command' | 'commandArgs' | 'text' | 'folded'>): string | undefined {
  const choice = ctx.msg.choice;
  if (choice?.startsWith(ACK_PREFIX)) return findReportCode(choice.slice(ACK_PREFIX.length)) ?? '';
  if (ctx.command === 'nhan' || ctx.command === 'tiepnhan') return findReportCode(ctx.commandArgs) ?? '';
  if (TYPED.test(ctx.folded)) return findReportCode(ctx.text) ?? '';
  return undefined;
}

const NOT_STAFF =
  'Xin lỗi, chỉ cán bộ xã đã đăng ký (cán bộ bảo vệ trẻ em, lãnh đạo UBND xã, công an xã) mới tiếp nhận được vụ việc.\n' +
  'Nếu bạn là cán bộ, xin đăng ký bằng /dangky MÃ_MỜI. Để hỏi tình trạng một báo cáo bạn đã gửi, gửi /trangthai MÃ.';

async function acknowledge(ctx: TurnContext, code: string): Promise<void> {
  const { services } = ctx;
  const member = await staffMember(ctx);
  if (!member || member.role === 'admin') {
    services.log.info({ identity: ctx.identity, code }, 'acknowledgement refused: not case staff');
    ctx.reply(member ? 'Quản trị viên không tiếp nhận vụ việc. Việc tiếp nhận do cán bộ bảo vệ trẻ em, lãnh đạo UBND xã hoặc công an xã thực hiện.' : NOT_STAFF);
    return;
  }
  const report = await services.cases.get(code);
  if (!report || !canRead(member, report)) {
    if (report) services.log.warn({ identity: ctx.identity, code, communeId: member.communeId }, 'acknowledgement refused: case of another commune');
    ctx.reply(`${caseNotFoundText(code)}\nBạn chỉ tiếp nhận được vụ việc của xã mình.`);
    return;
  }
  const commune = communeOf(services, report.communeId);
  if (!isOpen(report.status)) {
    ctx.reply(`Vụ việc ${code} đã kết thúc, không cần tiếp nhận. Gửi /xem ${code} để xem.`);
    return;
  }
  const result = await acknowledgeCase(services, report, member, services.now());

  if (result.result === 'taken') {
    const lines = [
      `✅ Bạn đã tiếp nhận vụ việc ${code}: ${categoryOf(report.category).label}, ${urgencyText(report.urgency)}, ${report.village}.`,
      `Gửi /xem ${code} để xem chi tiết (người báo, thông tin về trẻ) và cập nhật tiến độ.`,
    ];
    if (report.urgency === 'P0' && commune) {
      lines.push(`⏰ Biện pháp khẩn cấp phải được quyết định trong ${commune.clocks.emergencyHours} giờ từ khi nhận báo cáo (trước ${formatLocal(report.createdAt + commune.clocks.emergencyHours * 3_600_000, commune.timezone)}). Khi đã làm, gửi /khancap ${code} kèm nội dung.`);
    }
    ctx.reply(lines.join('\n'));
    return;
  }
  if (result.result === 'already_yours') {
    ctx.reply(`Bạn đã tiếp nhận vụ việc ${code} rồi. Gửi /xem ${code} để xem chi tiết.`);
    return;
  }
  if (result.result === 'taken_by_other' || result.result === 'not_new') {
    const holder = result.result === 'taken_by_other' ? await services.roles.get(result.assignee) : undefined;
    ctx.reply(`Vụ việc ${code} đã được ${holder ? memberName(holder) : 'người khác'} tiếp nhận trước. Gửi /xem ${code} để xem.`);
    return;
  }
  ctx.reply(caseNotFoundText(code));
}

export const ackFeature: Feature = {
  name: 'officer-ack',
  // Narrow matcher (a command, an ack button, or "nhận" + a code and nothing else): safe to try early.
  async handle(ctx) {
    const code = parseAck(ctx);
    if (code === undefined) return false;
    if (!code) {
      ctx.reply((await staffMember(ctx)) ? 'Xin gửi kèm mã vụ việc, ví dụ: /nhan TE-7K3M9Q.' : NOT_STAFF);
      return true;
    }
    await acknowledge(ctx, code);
    return true;
  },
};
