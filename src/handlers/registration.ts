/** "/dangky CODE" (or "đăng ký CODE"): links this chat to the role an invite code grants. */
import { tooManyTries, tryGuess } from '../actions/guesses.js';
import { alertNewMember } from '../actions/alert-chain.js';
import { ROLE_LABEL } from '../store/roles.js';
import type { Feature } from './turn.js';

const ROLE_HELP: Record<string, string> = {
  officer: 'Bạn sẽ nhận cảnh báo khi có báo cáo mới. Gửi /vuviec để xem các vụ việc đang mở, /huongdan để xem các lệnh.',
  chair: 'Bạn sẽ nhận cảnh báo các vụ khẩn cấp. Gửi /vuviec để xem các vụ việc đang mở.',
  police: 'Bạn sẽ nhận cảnh báo các vụ có dấu hiệu tội phạm. Gửi /vuviec để xem các vụ việc đang mở.',
  village_head: 'Hằng tháng bạn gửi số liệu của thôn bằng một tin nhắn, ví dụ: "tháng 10/2025: sinh 3, tử vong 0, tai nạn 1". Gửi /baocaothang để được hỏi từng mục.',
  admin: 'Bạn nhận thông báo khi tin nhắn không gửi được. Gửi /loigui để xem.',
  province: 'Bạn sẽ nhận các vụ khẩn cấp chưa được xã tiếp nhận kịp thời.',
};

export const registrationFeature: Feature = {
  name: 'registration',
  async handle(ctx) {
    const typed = ctx.command === 'dangky' ? ctx.commandArgs : ctx.folded.startsWith('dang ky ') ? ctx.text.replace(/^\S+\s+\S+\s*/, '') : undefined;
    if (typed === undefined) return false;
    const code = typed.trim();
    if (!code) {
      ctx.reply('Xin gửi kèm mã mời, ví dụ: /dangky K7M3Q9TA. Mã do quản trị viên của xã cấp.');
      return true;
    }
    const tried = await tryGuess(ctx.services, { identity: ctx.identity, channel: ctx.msg.channel }, 'invite', async () => {
      const redeemed = await ctx.services.roles.redeem(code, ctx.identity, ctx.services.now(), ctx.msg.displayName);
      return redeemed === 'invalid' ? undefined : redeemed;
    });
    if (tried.result === 'locked') {
      ctx.reply(tooManyTries(tried.retryAfterMinutes));
      return true;
    }
    if (tried.result === 'wrong') {
      ctx.services.log.info('invalid or used invite code');
      ctx.reply('Mã mời không đúng, đã dùng hoặc đã hết hạn. Xin liên hệ quản trị viên của xã để nhận mã mới.');
      return true;
    }
    const member = tried.value;
    const commune = ctx.commune(member.communeId);
    ctx.reply(
      `✅ Đăng ký thành công: ${ROLE_LABEL[member.role]}${member.village ? ` ${member.village}` : ''}, ${commune?.name ?? member.communeId}.\n` +
        (ROLE_HELP[member.role] ?? ''),
    );
    // Reports confirmed while nobody held this role reach them now (after the welcome, in the outbox).
    await alertNewMember(ctx.services, member);
    return true;
  },
};
