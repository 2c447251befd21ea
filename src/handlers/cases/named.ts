/**
 * A staff member's message that names a case of their commune but no command ("TE-7K3M9Q sao rồi",
 * "7K3M9Q gia đình đã ổn định"): the case's state and what they may do next, as buttons. Without this
 * such a message reaches the citizens' features, and an officer hears that the case is "not theirs" or
 * is walked into a new report. Comes after the commands and before the reporter's features.
 */
import { caseFor, isAnswer } from '../../actions/case-work.js';
import { webChoice } from '../../actions/alert-text.js';
import { STATUS_LABEL } from '../../domain/case-status.js';
import { reportCodes } from '../../domain/refcode.js';
import type { ReportSummary } from '../../store/reports.js';
import type { Member } from '../../store/roles.js';
import type { Feature, TurnContext } from '../turn.js';
import { canHandle, staffMember } from './access.js';
import { categoryLabel, personLabel } from './format.js';
import { caseButton } from './parse.js';
import { nextActions } from './view.js';

/** A text naming more codes than this is a list, not one case meant. */
const MAX_LOOKED_UP = 3;

async function namedCase(ctx: TurnContext): Promise<{ report: ReportSummary; member: Member } | undefined> {
  // Bare codes too ("H4PCEM"): a word can look like one, so only a case that exists counts.
  const codes = [...new Set(reportCodes(ctx.text, true).map((m) => m.code))];
  if (!codes.length || codes.length > MAX_LOOKED_UP) return undefined;
  const member = await staffMember(ctx);
  if (!member) return undefined;
  const found = (await Promise.all(codes.map((c) => caseFor(ctx.services, member, c, false)))).filter((f): f is ReportSummary => !isAnswer(f));
  return found.length === 1 && found[0] ? { report: found[0], member } : undefined;
}

export const namedCaseFeature: Feature = {
  name: 'officer-named-case',
  async handle(ctx) {
    if (ctx.msg.choice || ctx.command || !ctx.text) return false;
    const named = await namedCase(ctx);
    if (!named) return false;
    const { report: r, member } = named;
    const holder = await personLabel(ctx.services, r.assignee, ctx.identity);
    const web = ctx.services.web ? [webChoice(r.code)] : [];
    ctx.reply(
      `Vụ việc ${r.code} (${categoryLabel(r.category)}, ${r.village || 'chưa rõ thôn'}): ${STATUS_LABEL[r.status]}, người giữ: ${holder}.\n` +
        `Anh/chị muốn làm gì? Bấm bên dưới, hoặc gõ lệnh kèm mã, ví dụ: ghi chú ${r.code} nội dung.`,
      [{ label: '📁 Xem chi tiết', value: caseButton('view', r.code) }, ...(canHandle(member, r) ? nextActions(r) : []), ...web],
    );
    return true;
  },
};
