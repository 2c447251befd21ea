/**
 * "/lienket": a staff member links a second channel to their role. On the channel where they hold the
 * role, `/lienket` gives a one-time code; on the other channel, `/lienket CODE` makes it another
 * address of theirs: messages that cannot reach one channel (the OA's 7-day window, a blocked bot) go
 * to the other. Admins see and remove links with `npm run roles -- links | unlink`.
 */
import { tooManyTries, tryGuess } from '../actions/guesses.js';
import { LINK_CODE_TTL_SECONDS } from '../store/links.js';
import { ROLE_LABEL } from '../store/roles.js';
import type { Feature } from './turn.js';

const REFUSED: Record<'invalid' | 'same_channel', string> = {
  invalid: 'Mã liên kết không đúng hoặc đã hết hạn. Xin nhắn /lienket ở kênh bạn đã đăng ký để lấy mã mới.',
  same_channel: 'Mã này cần được nhắn từ một kênh khác (ví dụ Zalo Bot hoặc Telegram), không phải kênh đã lấy mã.',
};

export const linkFeature: Feature = {
  name: 'link',
  async handle(ctx) {
    const typed = ctx.command === 'lienket' ? ctx.commandArgs : ctx.folded === 'lien ket' || ctx.folded.startsWith('lien ket ') ? ctx.text.replace(/^\S+\s+\S+\s*/, '') : undefined;
    if (typed === undefined) return false;
    const { roles, links, now } = ctx.services;
    const code = typed.trim();
    if (!code) {
      const member = await roles.get(ctx.identity);
      if (!member) {
        ctx.reply('Chỉ cán bộ và trưởng thôn đã đăng ký vai trò mới liên kết được kênh. Xin nhắn /lienket ở kênh bạn đã đăng ký.');
        return true;
      }
      const issued = await links.issueCode(ctx.identity);
      ctx.reply(
        `Mã liên kết của bạn: ${issued} (dùng một lần, trong ${LINK_CODE_TTL_SECONDS / 60} phút).\n` +
          `Trên kênh kia (ví dụ Zalo Bot của xã), xin nhắn: /lienket ${issued}`,
      );
      return true;
    }
    // A wrong code counts against the shared limiter; the same channel is a mistake, not a guess.
    const tried = await tryGuess(ctx.services, { identity: ctx.identity, channel: ctx.msg.channel }, 'link', async () => {
      const r = await links.redeem(code, ctx.identity, now());
      return r.ok || r.reason === 'same_channel' ? r : undefined;
    });
    if (tried.result === 'locked') {
      ctx.reply(tooManyTries(tried.retryAfterMinutes));
      return true;
    }
    const result = tried.result === 'ok' ? tried.value : ({ ok: false, reason: 'invalid' } as const);
    if (!result.ok) {
      ctx.reply(REFUSED[result.reason]);
      return true;
    }
    const member = await roles.get(result.primary);
    const role = member ? `${ROLE_LABEL[member.role]}${member.village ? ` ${member.village}` : ''}` : 'của bạn';
    ctx.reply(
      `✅ Đã liên kết kênh này với vai trò ${role}. Tin cảnh báo và nhắc việc không gửi được ở kênh kia sẽ được gửi tới đây. ` +
        'Muốn gỡ liên kết, xin báo quản trị viên của xã.',
    );
    return true;
  },
};
