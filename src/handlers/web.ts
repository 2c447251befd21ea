/**
 * The web console from chat: `/web` (or the "Mở trên máy tính" button under an alert or a case) sends a
 * one-time sign-in link, valid a few minutes and bound to the person and their commune; from a case's
 * button the link opens that case after sign-in. `/thoatweb` signs the person out of the console
 * everywhere. Staff only, in a private chat only (the link is personal); nothing when the console is
 * off (no PUBLIC_URL).
 */
import { canRead } from '../actions/staff-roles.js';
import { findReportCode } from '../domain/refcode.js';
import { WEB_PREFIX } from '../actions/alert-text.js';
import { isPrivateChat, staffMember } from './cases/access.js';
import type { Feature, TurnContext } from './turn.js';

const NOT_STAFF = 'Trang quản lý trên máy tính chỉ dành cho cán bộ xã đã đăng ký (cán bộ bảo vệ trẻ em, lãnh đạo UBND xã, công an xã, cán bộ tỉnh, quản trị).';

async function sendLink(ctx: TurnContext, code: string | undefined): Promise<void> {
  const { web } = ctx.services;
  if (!web) return void ctx.reply('Trang quản lý trên máy tính chưa được bật cho kênh này. Xin hỏi quản trị viên.');
  const member = await staffMember(ctx);
  if (!member) return void ctx.reply(NOT_STAFF);
  if (!isPrivateChat(ctx)) return void ctx.reply('Vì an toàn, đường dẫn đăng nhập chỉ gửi trong tin nhắn riêng với kênh này.');
  const report = code ? await ctx.services.cases.get(code) : undefined;
  const caseCode = report && canRead(member, report) ? report.code : undefined;
  const token = await web.links.issue({ identity: member.identity, communeId: member.communeId, caseCode }, ctx.services.now());
  const minutes = Math.round(web.links.ttlSeconds / 60);
  ctx.reply(
    `💻 Đường dẫn đăng nhập trang quản lý${caseCode ? ` (mở vụ việc ${caseCode})` : ''}, dùng một lần trong ${minutes} phút:\n` +
      `${web.publicUrl}/console/dang-nhap?t=${token}\n` +
      'Đừng chuyển đường dẫn này cho người khác. Gửi /thoatweb để đăng xuất khỏi mọi máy.',
  );
}

export const webFeature: Feature = {
  name: 'web-console',
  async handle(ctx) {
    const choice = ctx.msg.choice;
    if (choice?.startsWith(WEB_PREFIX)) {
      await sendLink(ctx, findReportCode(choice.slice(WEB_PREFIX.length)));
      return true;
    }
    if (ctx.command === 'web') {
      await sendLink(ctx, findReportCode(ctx.commandArgs, true));
      return true;
    }
    if (ctx.command !== 'thoatweb') return false;
    const member = await staffMember(ctx);
    if (!member || !ctx.services.web) {
      ctx.reply(NOT_STAFF);
      return true;
    }
    const ended = await ctx.services.web.sessions.endAll(member.identity);
    await ctx.services.audit.add({ actor: member.identity, action: 'web.signout_all', subject: member.communeId, detail: String(ended) }, ctx.services.now());
    ctx.reply(ended ? `Đã đăng xuất trang quản lý trên ${ended} máy.` : 'Bạn không còn đăng nhập trang quản lý ở máy nào.');
    return true;
  },
};
