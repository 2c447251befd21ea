/** Messages no feature can use: over-long texts and updates without text (stickers, voice, …). */
import type { Feature } from './turn.js';
import { MENU_CHOICES } from './menu.js';

/** Telegram's own limit: a longer story arrives split into parts of at most this, which the report joins. */
export const MAX_TEXT_LENGTH = 4096;

export const tooLongFeature: Feature = {
  name: 'too-long',
  async handle(ctx) {
    if (ctx.text.length <= MAX_TEXT_LENGTH) return false;
    ctx.services.log.info({ identity: ctx.identity, length: ctx.text.length }, 'refused over-long text');
    ctx.reply(`Tin nhắn quá dài (hơn ${MAX_TEXT_LENGTH} ký tự). Xin gửi ngắn gọn hơn, hoặc chia thành vài tin.`);
    return true;
  },
};

const MEDIA_NAMES: Record<string, string> = {
  sticker: 'nhãn dán',
  voice: 'tin nhắn thoại',
  video: 'video',
  photo: 'ảnh',
  file: 'tệp',
  location: 'vị trí',
  other: 'nội dung này',
};

/** Runs after the active flow had its chance (a report step accepts photos), before the catch-all. */
export const nonTextFeature: Feature = {
  name: 'non-text',
  async handle(ctx) {
    if (ctx.text || ctx.msg.choice) return false;
    const kind = ctx.msg.media[0]?.kind ?? 'other';
    ctx.services.log.info({ identity: ctx.identity, kind }, 'non-text message');
    ctx.reply(
      `Cảm ơn bạn. Mình chưa đọc được ${MEDIA_NAMES[kind] ?? 'nội dung này'}; xin gõ bằng chữ. ` +
        'Ảnh và tệp có thể gửi kèm khi đang làm báo cáo (/baocao).',
      MENU_CHOICES,
    );
    return true;
  },
};
