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
import { categoryOf } from '../../domain/categories.js';
import { isOpen } from '../../domain/case-status.js';
import { formatLocal } from '../../domain/local-time.js';
import { timezoneOf } from '../../config/communes.js';
import { AGREE, type ChoiceWithAliases } from '../../messaging/choices.js';
import type { ReportSummary } from '../../store/reports.js';
import type { Flow, FlowEngine } from '../flow.js';
import type { Feature, TurnContext } from '../turn.js';
import { opensAddition } from '../../nlu/addition-opening.js';
import { findOwnReport, ownReportByCode } from './status.js';
import { startReportFrom } from './start.js';

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

async function handleKind(ctx: TurnContext, kind: Kind, flows: FlowEngine): Promise<boolean> {
  const parsed = parseCodeCommand(ctx, kind);
  if (!parsed) return false;
  if (!parsed.code && kind === ADD && (await addUnnamed(ctx, flows, parsed.text))) return true;
  if (!parsed.code) return void ctx.reply(`Xin gửi theo mẫu: ${kind.usage}.`), true;
  const found = await ownReportByCode(ctx, parsed.code);
  if (!found) return true;
  const { report, note } = found;
  const example = kind.usage.split(',')[0]!.replace('MÃ', report.code);
  if (parsed.text.length < 2) return void ctx.reply(`Xin gửi kèm nội dung: ${example}.`), true;
  if (kind === CORRECT) {
    const onceId = ctx.turnId;
    const { services } = ctx;
    const c = parseCorrection(parsed.text);
    if (!c) return void ctx.reply(`Bạn muốn sửa mục nào? Có thể sửa: ${FIELD_LIST}. Ví dụ: sửa ${report.code} tuổi: 9.`), true;
    const commune = ctx.commune(report.communeId);
    const done = commune ? await correctReport(services, report, commune, c.field, c.value, onceId) : { result: 'not_found' as const };
    if (done.result === 'unknown_village') return void ctx.reply(`Không tìm thấy thôn "${c.value}" trong xã. Xin gõ lại tên thôn, xóm.`), true;
    if (done.result !== 'corrected') return void ctx.reply(`Chưa sửa được báo cáo ${report.code}. Xin thử lại sau.`), true;
    return void ctx.reply(`${note}Đã sửa "${done.label.toLowerCase()}" trong báo cáo ${report.code} và báo cho cán bộ xã. Cảm ơn bạn.`), true;
  }
  await forwardToOfficers(ctx, report, kind === ANSWER ? 'reporter_answer' : 'reporter_addition', parsed.text, note);
  return true;
}

async function forwardToOfficers(ctx: TurnContext, report: ReportSummary, kind: 'reporter_answer' | 'reporter_addition', text: string, note = ''): Promise<void> {
  await fromReporter(ctx.services, report, kind, text, ctx.turnId);
  ctx.reply(
    note +
      (kind === 'reporter_answer'
        ? `Cảm ơn bạn. Câu trả lời cho báo cáo ${report.code} đã được chuyển tới cán bộ xã.`
        : `Cảm ơn bạn. Thông tin bổ sung cho báo cáo ${report.code} đã được ghi lại và chuyển tới cán bộ xã.`),
  );
}

/**
 * "Em muốn bổ sung: …", "bổ sung thêm là …", "xin thêm thông tin: …" with no code: more for a report
 * already sent, which without this started a second report of the same child. Matched on the folded
 * text, whose positions are the text's (NFC: one letter each).
 */
const ADD_LEAD =
  /^\s*(?:(?:cho|de)\s+(?:em|e|toi|t|minh|m|tui|chau|con)\s+)?(?:(?:em|e|toi|t|minh|m|tui|chau|con|anh|chi)\s+)?(?:(?:muon|xin|can|co|cho)\s+)?(?:bo\s?sung|them\s+thong\s+tin)(?:\s+(?:them|y|them y))?(?:\s+(?:la|cho bao cao|bao cao|vu viec|vu nay|cho vu nay))?(?:\s*[:,.;–-]\s*|\s+)/;
/**
 * What trails a request to add with nothing added ("cho e bổ sung thêm chút", "em muốn bổ sung ạ"): the
 * content is still to come, so it is asked for; it is never sent to the officers as the addition.
 */
const ONLY_TRAILING = /^(?:(?:chut|ti|xiu|ty|mot chut|mot ti|them|nhe|nha|a|voi|vs|nua|cai|ne|duoc khong|dc ko|dc k|duoc ko|duoc k|thong tin|y)\s*[.!?]*\s*)*$/;
/** Reports offered to pick from when the person has several. */
const PICKED = 5;
const PICK_FLOW = 'reporter-addition-pick';

interface PickDraft {
  text: string;
  choices: ChoiceWithAliases[];
  code?: string;
  /** The question, when it is not which report the person asked to add to. */
  question?: string;
}

/** Picked when more told after a report was sent is about another matter: it starts that report. */
const ANOTHER = 'another';

function pickFlow(flows: FlowEngine): Flow<PickDraft> {
  return {
    name: PICK_FLOW,
    offer: true,
    steps: [
      {
        id: 'report',
        prompt: (d) => ({ text: d.question ?? 'Bạn muốn bổ sung thông tin này cho báo cáo nào? Xin bấm một báo cáo dưới đây.', choices: d.choices }),
        // Only a pick reaches here: anything else passes the offer by (`offer`).
        answer(d, input) {
          d.code = input.choice;
          return { done: true };
        },
      },
    ],
    async complete(d, ctx) {
      if (d.code === ANOTHER) return startReportFrom(ctx, flows, d.text);
      const report = d.code ? await findOwnReport(ctx, d.code) : undefined;
      if (report) await forwardToOfficers(ctx, report, 'reporter_addition', d.text);
    },
  };
}

/**
 * More for a report named by no code. Goes to the person's one open report (or one report at all);
 * with several they pick; with none it is not an addition (false: a typed story then starts a report).
 */
async function addUnnamed(ctx: TurnContext, flows: FlowEngine, text: string): Promise<boolean> {
  const mine = await ctx.services.cases.listByReporter(ctx.identity, PICKED);
  const open = mine.filter((r) => isOpen(r.status));
  const candidates = open.length ? open : mine;
  const [only] = candidates;
  if (!only) return false;
  if (text.length < 2 || ONLY_TRAILING.test(fold(text))) {
    return void ctx.reply(`Vâng, bạn gửi theo mẫu: bổ sung ${candidates.length === 1 ? only.code : 'MÃ'} nội dung cần bổ sung (một tin nhắn).`), true;
  }
  if (candidates.length === 1) return void (await forwardToOfficers(ctx, only, 'reporter_addition', text)), true;
  await flows.start<PickDraft>(ctx, PICK_FLOW, { text, choices: candidates.map((r) => reportChoice(ctx, r)) });
  return true;
}

function reportChoice(ctx: TurnContext, r: ReportSummary): ChoiceWithAliases {
  const tz = timezoneOf(ctx.services.config, r.communeId);
  return { label: `${r.code} · ${categoryOf(r.category).label} · ${formatLocal(r.createdAt, tz)}`, value: r.code };
}

/**
 * "À còn nữa, nó còn bị bỏ đói", "em quên chưa nói là …" with no report being written but one open:
 * more of what was sent, not a new report. It is offered as an addition to that report (or one of them),
 * with the choice of a report of its own; false with none open (a typed story then starts a report).
 */
async function offerAddition(ctx: TurnContext, flows: FlowEngine): Promise<boolean> {
  const open = (await ctx.services.cases.listByReporter(ctx.identity, PICKED)).filter((r) => isOpen(r.status));
  const [only] = open;
  if (!only) return false;
  const another: ChoiceWithAliases = { label: '📝 Đây là việc khác', value: ANOTHER, aliases: ['khong', 'ko', 'khong phai', 'viec khac', 'bao moi'] };
  const choices =
    open.length === 1
      ? [{ label: `➕ Thêm vào báo cáo ${only.code}`, value: only.code, aliases: [...AGREE, 'them vao', 'them'] }, another]
      : [...open.map((r) => reportChoice(ctx, r)), another];
  const question =
    open.length === 1
      ? `Bạn muốn thêm điều này vào báo cáo ${only.code} đã gửi phải không? Mình sẽ chuyển ngay cho cán bộ xã.`
      : 'Bạn muốn thêm điều này vào báo cáo nào đã gửi? Nếu là việc khác, chọn "Đây là việc khác".';
  await flows.start<PickDraft>(ctx, PICK_FLOW, { text: ctx.text, choices, question });
  return true;
}

export function reporterAdditionFeature(flows: FlowEngine): Feature {
  flows.register(pickFlow(flows));
  return {
    name: 'reporter-addition',
    async handle(ctx) {
      // "sửa" alone is a common word: only "sửa TE-…" (or /sua) is a correction.
      if (!ctx.command && fold(ctx.text).trim() === 'sua') return false;
      for (const kind of [ADD, ANSWER, CORRECT]) if (await handleKind(ctx, kind, flows)) return true;
      if (ctx.command || ctx.msg.choice || reportCodes(ctx.text, true).length) return false;
      const lead = ADD_LEAD.exec(fold(ctx.text));
      if (lead) return addUnnamed(ctx, flows, ctx.text.slice(lead[0].length).trim());
      return opensAddition(ctx.text) && offerAddition(ctx, flows);
    },
  };
}
