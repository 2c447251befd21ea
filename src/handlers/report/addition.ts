/**
 * What a reporter sends about their own confirmed report: "bổ sung TE-XXXXXX …" (or /bosung) adds
 * information, "trả lời TE-XXXXXX …" (/traloi) answers the officer's question, "sửa TE-XXXXXX tuổi: 9"
 * (/sua) corrects one detail (the old value kept in the timeline). What happens is the shared action
 * src/actions/reporter-contact.ts. Like status questions, a code that is not the sender's gets the same
 * answer as an unknown one, and misses share the status questions' budget so codes cannot be guessed.
 */
import { reportCodes } from '../../domain/refcode.js';
import { correctReport, CORRECTABLE, fromReporter, type CorrectableField } from '../../actions/reporter-contact.js';
import { fold, foldWords } from '../../text/vietnamese.js';
import type { Feature, TurnContext } from '../turn.js';
import { findOwnReport } from './status.js';

interface Kind {
  slash: string;
  typed: string[];
  usage: string;
}
const ADD: Kind = {
  slash: 'bosung',
  typed: ['bo sung', 'bosung', 'bo sung cho', 'bo sung bao cao', 'them thong tin', 'them thong tin cho'],
  usage: 'bổ sung MÃ nội dung, ví dụ: bổ sung TE-7K3M9Q cháu đã được đưa về nhà bà ngoại',
};
const ANSWER: Kind = { slash: 'traloi', typed: ['tra loi', 'traloi', 'tra loi cho'], usage: 'trả lời MÃ nội dung, ví dụ: trả lời TE-7K3M9Q nhà cháu ở gần trường' };
const CORRECT: Kind = { slash: 'sua', typed: ['sua', 'sua lai', 'sua bao cao'], usage: 'sửa MÃ mục: giá trị mới, ví dụ: sửa TE-7K3M9Q tuổi: 9' };

/** The code (when it comes first) and the text after it, if the message is this kind at all. */
export function parseCodeCommand(ctx: TurnContext, kind: Kind): { code?: string; text: string } | undefined {
  let source: string;
  if (ctx.command === kind.slash) source = ctx.commandArgs;
  else if (ctx.command) return undefined;
  else if (kind.typed.includes(ctx.folded)) return { text: '' };
  else {
    // Typed: the words must be right before the code, so a report that says "bổ sung" is not taken.
    const m = reportCodes(ctx.text, true).find((c) => kind.typed.includes(foldWords(ctx.text.slice(0, c.index))));
    if (!m) return undefined;
    source = ctx.text.slice(m.index);
  }
  const m = reportCodes(source, true)[0];
  if (!m || source.slice(0, m.index).trim() !== '') return { text: source.trim() };
  return { code: m.code, text: source.slice(m.end).replace(/^[\s:,.;–-]+/, '').trim() };
}

/** "tuổi: 9", "tuoi 9", "số điện thoại = 09…": the field named by its first words, and the new value. */
function parseCorrection(text: string): { field: CorrectableField; value: string } | undefined {
  const words = text.split(/\s+/);
  for (let n = Math.min(3, words.length - 1); n >= 1; n--) {
    const head = foldWords(words.slice(0, n).join(' ').replace(/[:=]+$/, ''));
    const field = (Object.keys(CORRECTABLE) as CorrectableField[]).find((f) => (CORRECTABLE[f].words as readonly string[]).includes(head));
    const value = words.slice(n).join(' ').replace(/^[:=\s]+/, '').trim();
    if (field && value) return { field, value };
  }
  return undefined;
}

const FIELD_LIST = Object.values(CORRECTABLE).map((f) => f.label.toLowerCase()).join(', ');

async function handleKind(ctx: TurnContext, kind: Kind): Promise<boolean> {
  const parsed = parseCodeCommand(ctx, kind);
  if (!parsed) return false;
  if (!parsed.code) return void ctx.reply(`Xin gửi theo mẫu: ${kind.usage}.`), true;
  const report = await findOwnReport(ctx, parsed.code);
  if (!report) return true;
  const example = kind.usage.split(',')[0]!.replace('MÃ', report.code);
  if (parsed.text.length < 2) return void ctx.reply(`Xin gửi kèm nội dung: ${example}.`), true;
  const onceId = ctx.turnId;
  const { services } = ctx;
  if (kind === CORRECT) {
    const c = parseCorrection(parsed.text);
    if (!c) return void ctx.reply(`Bạn muốn sửa mục nào? Có thể sửa: ${FIELD_LIST}. Ví dụ: sửa ${report.code} tuổi: 9.`), true;
    const commune = ctx.commune(report.communeId);
    const done = commune ? await correctReport(services, report, commune, c.field, c.value, onceId) : { result: 'not_found' as const };
    if (done.result === 'unknown_village') return void ctx.reply(`Không tìm thấy thôn "${c.value}" trong xã. Xin gõ lại tên thôn, xóm.`), true;
    if (done.result !== 'corrected') return void ctx.reply(`Chưa sửa được báo cáo ${report.code}. Xin thử lại sau.`), true;
    return void ctx.reply(`Đã sửa "${done.label.toLowerCase()}" trong báo cáo ${report.code} và báo cho cán bộ xã. Cảm ơn bạn.`), true;
  }
  await fromReporter(services, report, kind === ANSWER ? 'reporter_answer' : 'reporter_addition', parsed.text, onceId);
  ctx.reply(
    kind === ANSWER
      ? `Cảm ơn bạn. Câu trả lời cho báo cáo ${report.code} đã được chuyển tới cán bộ xã.`
      : `Cảm ơn bạn. Thông tin bổ sung cho báo cáo ${report.code} đã được ghi lại và chuyển tới cán bộ xã.`,
  );
  return true;
}

export const reporterAdditionFeature: Feature = {
  name: 'reporter-addition',
  async handle(ctx) {
    // "sửa" alone is a common word: only "sửa TE-…" (or /sua) is a correction.
    if (!ctx.command && fold(ctx.text).trim() === 'sua') return false;
    for (const kind of [ADD, ANSWER, CORRECT]) if (await handleKind(ctx, kind)) return true;
    return false;
  },
};
