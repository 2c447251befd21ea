/**
 * "bổ sung TE-XXXXXX …" (or /bosung): the reporter adds information to their own report. The addition
 * is sealed into the case timeline and forwarded to the person holding the case, or to the commune's
 * officers while nobody holds it. Like status questions, a code that is not the sender's gets the same
 * answer as an unknown one, and misses share the status questions' budget so codes cannot be guessed.
 */
import { findReportCode } from '../../domain/refcode.js';
import { notifyIdentity } from '../../actions/notify.js';
import { caseButton } from '../cases/parse.js';
import type { ReportSummary } from '../../store/reports.js';
import { foldWords } from '../../text/vietnamese.js';
import type { Feature, TurnContext } from '../turn.js';
import { findOwnReport } from './status.js';

const TYPED_PREFIXES = ['bo sung', 'bosung', 'bo sung cho', 'bo sung bao cao', 'them thong tin', 'them thong tin cho'];
const CODE = /\bTE[\s-]?[0-9A-Z]{6}\b/i;
const MAX_TEXT = 2000;


/** Who should read the addition: the holder, else the commune's officers (private chats only). */
async function recipients(ctx: TurnContext, report: ReportSummary): Promise<string[]> {
  if (report.assignee) return [report.assignee];
  // Member identities are people (`<channel>:<userId>`), so their address is a private chat, never a group.
  return (await ctx.services.roles.members(report.communeId, 'officer')).map((m) => m.identity);
}

/** The code (when it comes first) and the added text, if the message is an addition at all. */
function parseAddition(ctx: TurnContext): { code?: string; text: string } | undefined {
  let source: string;
  if (ctx.command === 'bosung') source = ctx.commandArgs;
  else if (ctx.command) return undefined;
  else if (TYPED_PREFIXES.includes(ctx.folded)) return { text: '' };
  else {
    // Typed: the words must be right before the code, so a report that says "bổ sung" is not taken.
    const m = ctx.text.match(CODE);
    if (!m || !TYPED_PREFIXES.includes(foldWords(ctx.text.slice(0, m.index)))) return undefined;
    source = ctx.text.slice(m.index);
  }
  const m = source.match(CODE);
  if (!m || source.slice(0, m.index).trim() !== '') return { text: source.trim() };
  return { code: findReportCode(m[0]), text: source.slice((m.index ?? 0) + m[0].length).replace(/^[\s:,.;–-]+/, '').trim() };
}

export const reporterAdditionFeature: Feature = {
  name: 'reporter-addition',
  async handle(ctx) {
    const parsed = parseAddition(ctx);
    if (!parsed) return false;
    if (!parsed.code) {
      ctx.reply('Xin gửi theo mẫu: bổ sung MÃ nội dung, ví dụ: bổ sung TE-7K3M9Q cháu đã được đưa về nhà bà ngoại.');
      return true;
    }
    const report = await findOwnReport(ctx, parsed.code);
    if (!report) return true;
    if (parsed.text.length < 2) {
      ctx.reply(`Bạn muốn bổ sung gì cho báo cáo ${report.code}? Xin gửi: bổ sung ${report.code} nội dung.`);
      return true;
    }
    const text = parsed.text.slice(0, MAX_TEXT);
    const { cases, now } = ctx.services;
    // Actor "reporter": the audit log is readable by admins and must not name the reporter.
    // Once per incoming message: the platform's retry of the same update is not written twice.
    await cases.addEntryOnce(report.code, `addition-${ctx.msg.channel}-${ctx.msg.platformId}`, { at: now(), actor: 'reporter', kind: 'reporter_addition', text });
    const to = await recipients(ctx, report);
    for (const identity of to) {
      await notifyIdentity(
        ctx.services,
        identity,
        {
          text: `📎 Người báo bổ sung thông tin cho vụ việc ${report.code}:\n${text}`,
          choices: [{ label: '📁 Xem vụ việc', value: caseButton('view', report.code) }],
        },
        // One delivery per incoming message: a platform's retry of the same update is not sent twice.
        `addition:${report.code}:${ctx.msg.platformId}`,
        report.communeId,
        { preview: `người báo bổ sung ${report.code}` },
      );
    }
    if (!to.length) ctx.services.log.warn({ code: report.code, communeId: report.communeId }, 'reporter addition: no officer to forward to');
    ctx.reply(`Cảm ơn bạn. Thông tin bổ sung cho báo cáo ${report.code} đã được ghi lại và chuyển tới cán bộ xã.`);
    return true;
  },
};
