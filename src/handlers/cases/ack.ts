/**
 * Acknowledgement by chat: "/nhan TE-XXXXXX", "nhận TE-XXXXXX" (typed, with or without diacritics) or the
 * "Tiếp nhận" button of an alert (`ack:<code>`). Taking the case, stopping its escalation and telling the
 * others is the shared action src/actions/acknowledge.ts; this reads the request and answers.
 *
 * Who may acknowledge: officer, chair, police or province staff of the case's commune. Someone of another
 * commune gets the same answer as for an unknown code; a citizen or a village head gets a clear refusal.
 */
import { findReportCode } from '../../domain/refcode.js';
import { foldWords } from '../../text/vietnamese.js';
import { ACK_PREFIX } from '../../actions/alert-text.js';
import type { Feature, TurnContext } from '../turn.js';
import { takeCase } from '../../actions/case-work.js';
import { staffMember } from './access.js';
import { OFFICER_LEAD } from './parse.js';
import { offerCases } from './pick.js';

/** The words an officer puts before "nhận" ("để e nhận …"), as before any command. */
const LEAD = `(?:(?:${OFFICER_LEAD.join('|')}) )*`;

/** "nhan TE-…", "tiep nhan TE-…", "nhan vu viec TE-…", "da nhan TE …", "để e nhận 7K3M9Q" (folded). */
const TYPED = new RegExp(`^${LEAD}(?:tiep )?nhan(?: vu viec| vu| ma)? (?:te ?)?[0-9a-z]{6}(?: nhe| nha| a)?$`);

/**
 * "nhận", "tiếp nhận", "dạ em nhận vụ này nhé", "để e nhận vụ này", "ok để a xử lý", "để em lo vụ này",
 * "em phụ trách": a case meant but not named (folded). Said in answer to an alert, taking it on in
 * other words is taking it; the cases are offered, so nothing is taken before a press.
 */
const TYPED_ALONE = new RegExp(`^${LEAD}(?:(?:tiep )?nhan|xu ly|lo|phu trach)(?: vu viec| vu| ca| viec)?(?: nay| do)?(?: luon| ngay)?(?: nhe| nha| a)?$`);

/**
 * "ok a nhận, a đang qua nhà cháu": the ack is the first part, and the officer's news after it does not
 * hide it (folded, or undefined when the text has one part only).
 */
function firstPart(text: string): string | undefined {
  const parts = text.split(/[,.;!\n]| [–-] /);
  return parts.length > 1 ? foldWords(parts[0] as string) : undefined;
}

function typedAck(ctx: Pick<TurnContext, 'text' | 'folded'>, form: RegExp): boolean {
  if (form.test(ctx.folded)) return true;
  const first = firstPart(ctx.text);
  return first !== undefined && form.test(first);
}

/** The code asked for ('' when the command came without one), or undefined when this is not an ack. */
export function parseAck(ctx: Pick<TurnContext, 'msg' | 'command' | 'commandArgs' | 'text' | 'folded'>): string | undefined {
  const choice = ctx.msg.choice;
  if (choice?.startsWith(ACK_PREFIX)) return findReportCode(choice.slice(ACK_PREFIX.length)) ?? '';
  if (ctx.command === 'nhan' || ctx.command === 'tiepnhan') return findReportCode(ctx.commandArgs, true) ?? '';
  if (typedAck(ctx, TYPED)) return findReportCode(ctx.text, true) ?? '';
  return undefined;
}

const NOT_STAFF =
  'Xin lỗi, chỉ cán bộ xã đã đăng ký (cán bộ bảo vệ trẻ em, lãnh đạo UBND xã, công an xã) mới tiếp nhận được vụ việc.\n' +
  'Nếu bạn là cán bộ, xin đăng ký bằng /dangky MÃ_MỜI. Để hỏi tình trạng một báo cáo bạn đã gửi, gửi /trangthai MÃ.';

async function acknowledge(ctx: TurnContext, code: string): Promise<void> {
  const member = await staffMember(ctx);
  if (!member) {
    ctx.services.log.info({ identity: ctx.identity, code }, 'acknowledgement refused: not case staff');
    return void ctx.reply(NOT_STAFF);
  }
  const taken = await takeCase(ctx.services, member, code);
  if (taken.toldAlready) return; // the "someone took it" notice reached them moments ago
  ctx.reply(taken.chatHint ? `${taken.text}\n${taken.chatHint}` : taken.text);
}

export const ackFeature: Feature = {
  name: 'officer-ack',
  // Narrow matcher (a command, an ack button, or "nhận" + a code and nothing else): safe to try early.
  async handle(ctx) {
    const code = parseAck(ctx);
    const alone = code === undefined && !ctx.command && typedAck(ctx, TYPED_ALONE);
    if (code === undefined && !alone) return false;
    if (code) {
      await acknowledge(ctx, code);
      return true;
    }
    const member = await staffMember(ctx);
    // Typed words without a code are the citizen side's when no staff member wrote them.
    if (!member && alone) return false;
    if (!member) ctx.reply(NOT_STAFF);
    else await offerCases(ctx, member, 'take', '/nhan MÃ');
    return true;
  },
};
