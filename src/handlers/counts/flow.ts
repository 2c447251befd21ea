/**
 * The counts conversation on the shared flow engine, so back and cancel work as everywhere else.
 * A counts message starts it at the confirmation; /baocaothang starts it at the period and asks the
 * rows one by one first. Nothing counts until the sender confirms.
 */
import type { CommuneConfig, CountFieldConfig } from '../../config/communes.js';
import { AGREE, saidInFewWords, type ChoiceWithAliases } from '../../messaging/choices.js';
import type { CountsReading } from '../../domain/counts/reading.js';
import { addMonths, isFuture, isLate, parseSpan, shortPeriod } from '../../domain/counts/periods.js';
import { labelAlone } from '../../domain/counts/fields.js';
import { numberFromWords } from '../../text/numbers.js';
import { foldWords, noAnswer } from '../../text/vietnamese.js';
import type { TurnContext } from '../turn.js';
import type { Flow, FlowEngine, Step, StepResult } from '../flow.js';
import { offerChildReport } from './child-offer.js';
import { dueDayText, fieldsOf, lockedText, periodState, readCounts, reportingPeriod, todayIn } from './common.js';
import { historyAsked, historyText, questionAnswer, questionAsked } from './village-head.js';
import { applyReading, blockingProblems, confirmationText, givesNumbers, missingRows, setPrevious, setValue, type CountsDraft } from './draft.js';

export const COUNTS_FLOW = 'counts';
/** Guided mode has one step per row; a commune's form never has this many rows. */
const MAX_ROWS = 40;

const SAVE: ChoiceWithAliases = {
  label: '✅ Đúng, lưu số liệu',
  value: 'counts:save',
  aliases: [...AGREE, 'luu', 'gui'],
};
const FIX: ChoiceWithAliases = { label: '✏️ Sửa lại', value: 'counts:fix', aliases: ['khong', 'ko', 'k', 'kh', 'sai', 'sua', 'chua', 'no', 'n'] };
const SKIP: ChoiceWithAliases = { label: 'Bỏ qua', value: 'counts:skip', aliases: ['bo qua', 'chua biet', 'chua ro', 'khong biet', 'khong ro'] };
const ZERO_WORDS = new Set(['khong', 'ko', 'k', 'kh', 'khong co', 'chua co', 'ko co', 'k co']);

const FIX_HINT = 'Xin gửi tin nhắn đã sửa, chỉ cần các mục cần sửa (ví dụ: "sinh 4"), hoặc bấm "Huỷ".';
export function communeOf(d: CountsDraft, ctx: TurnContext): CommuneConfig {
  const commune = ctx.commune(d.communeId);
  if (!commune) throw new Error(`unknown commune ${d.communeId}`);
  return commune;
}

/**
 * Checks that a period can take a submission and loads its confirmed version into the draft.
 * Returns what to tell the sender when it cannot.
 */
export async function preparePeriod(ctx: TurnContext, d: CountsDraft): Promise<string | undefined> {
  const commune = communeOf(d, ctx);
  if (isFuture(d.period, todayIn(commune, ctx.services.now()))) {
    return `Tháng ${shortPeriod(d.period).slice(1)} chưa đến nên chưa báo cáo được. Xin kiểm tra lại tháng.`;
  }
  const state = await periodState(ctx.services, commune, d.period, d.village);
  if (!state.open) return lockedText(commune, shortPeriod(d.period), state.closedAfter);
  const current = await ctx.services.counts.current(d.communeId, d.period, d.village);
  setPrevious(d, current && { version: current.version, values: current.values }, fieldsOf(commune));
  return undefined;
}

// ——————————————————————————————————————————————————————————— guided mode

function periodChoice(key: string): ChoiceWithAliases {
  return { label: `Tháng ${shortPeriod(key).slice(1)}`, value: `counts:period:${key}` };
}

const periodStep: Step<CountsDraft> = {
  id: 'period',
  // A month named with the request ("em gửi số liệu tháng 11") is not asked again.
  skip: (d) => !d.guided || d.monthNamed === true,
  prompt: (d) => ({
    text: 'Anh/chị báo cáo số liệu tháng nào? Bấm chọn, hoặc gõ tháng (ví dụ: T10/2025).',
    choices: [periodChoice(d.period), periodChoice(addMonths(d.period, -1))],
  }),
  async answer(d, input, ctx): Promise<StepResult> {
    const commune = communeOf(d, ctx);
    const picked = input.choice?.startsWith('counts:period:') ? input.choice.slice('counts:period:'.length) : undefined;
    const span = picked ? undefined : parseSpan(input.text, todayIn(commune, ctx.services.now()));
    const period = picked ?? (span?.kind === 'month' ? span.from : undefined);
    if (!period) return { error: 'Xin chọn một tháng, hoặc gõ tháng và năm (ví dụ: T10/2025).' };
    d.period = period;
    d.periodInferred = false;
    const refused = await preparePeriod(ctx, d);
    return refused ? { error: refused } : {};
  },
};

function rowPrompt(d: CountsDraft, field: CountFieldConfig, index: number, total: number): string {
  const label = field.label.replace(/^[\s\-–—]+/, '');
  const already = d.previous?.values[field.key];
  const sentBefore = already === undefined ? '' : ` (bản đã gửi: ${already})`;
  return `(${index + 1}/${total}) ${field.partOf ? `Trong đó, ${label}` : label}${sentBefore}: bao nhiêu? Gõ số, 0 nếu không có.`;
}

/** Words around a number typed as an answer that change nothing: "có 2 cháu", "hai trẻ thôi ạ". */
const ANSWER_LEAD = /^(?:co|la|duoc|tat ca|tong) /;
const ANSWER_TAIL = /(?: (?:chau|tre|tre em|em|be|ca|truong hop|nguoi|dua|thoi|a|nhe|nha|ah|roi|th))+$/;

/** A whole number typed alone ("3", "1.000", "2 cháu", "hai"), or a word meaning none; undefined otherwise. */
function readAnswer(text: string): number | 'negative' | undefined {
  const t = text.trim();
  if (/^-\s*\d/.test(t)) return 'negative';
  if (/^\d+$/.test(t) || /^\d{1,3}([.,])\d{3}(\1\d{3})*$/.test(t)) {
    const n = Number(t.replace(/[.,]/g, ''));
    return Number.isSafeInteger(n) ? n : undefined;
  }
  const folded = foldWords(t);
  if (ZERO_WORDS.has(folded)) return 0;
  const bare = folded.replace(ANSWER_LEAD, '').replace(ANSWER_TAIL, '');
  if (!bare) return undefined;
  return /^\d+$/.test(bare) ? Number(bare) : numberFromWords(bare);
}

/** Step `row-i` asks the i-th row of the sender's commune; slots beyond the form are passed over. */
function rowStep(index: number): Step<CountsDraft> {
  const fieldAt = (d: CountsDraft, ctx: TurnContext): { field?: CountFieldConfig; total: number } => {
    const fields = fieldsOf(communeOf(d, ctx));
    return { field: fields[index], total: fields.length };
  };
  return {
    id: `row-${index}`,
    skip(d, ctx) {
      const { field } = fieldAt(d, ctx);
      // A total of 0 already answers its sub-rows.
      return !d.guided || !field || (field.partOf !== undefined && d.values[field.partOf] === 0);
    },
    prompt(d, ctx) {
      const { field, total } = fieldAt(d, ctx);
      return { text: field ? rowPrompt(d, field, index, total) : '', choices: [SKIP] };
    },
    async answer(d, input, ctx): Promise<StepResult> {
      const { field } = fieldAt(d, ctx);
      if (!field) return {};
      // The number first: typed "1" would otherwise pick the first button, which is "Bỏ qua".
      const value = readAnswer(input.text);
      // "ko biết", "thôi khỏi": no number yet, as "Bỏ qua" says.
      if (value === undefined && (input.choice === SKIP.value || noAnswer(input.text))) return {};
      if (value === 'negative') return { error: 'Số phải từ 0 trở lên. Xin gõ lại (0 nếu không có).' };
      if (value === undefined) return readRows(d, field, input.text, ctx);
      const fields = fieldsOf(communeOf(d, ctx));
      setValue(d, field.key, value, fields);
      if (value === 0) {
        for (const part of fields.filter((f) => f.partOf === field.key)) setValue(d, part.key, 0, fields);
      }
      return {};
    },
  };
}

/**
 * Rows named with their numbers at a row's question ("sinh 2 cháu, 1 cháu bị đuối nước, không cháu nào
 * mất"): the whole message is read as a counts message. Only this row's number: the next row is asked;
 * other rows too: the rows are shown for confirming, as for a counts message.
 */
async function readRows(d: CountsDraft, field: CountFieldConfig, text: string, ctx: TurnContext): Promise<StepResult> {
  const reading = readCounts(text, communeOf(d, ctx), ctx.services.now());
  const keys = Object.keys(reading.counts);
  if (!keys.length) return { error: 'Xin gõ một số (ví dụ: 2), 0 nếu không có, hoặc bấm "Bỏ qua".' };
  const refused = await takeReading(d, reading, ctx);
  if (refused) return { error: refused };
  if (keys.length === 1 && keys[0] === field.key && !d.problems.length) return {};
  d.guided = false;
  return { next: 'confirm' };
}

// ——————————————————————————————————————————————————————————— confirmation

const confirmStep: Step<CountsDraft> = {
  id: 'confirm',
  prompt(d, ctx) {
    const text = confirmationText(d, fieldsOf(communeOf(d, ctx)));
    return { text, choices: blockingProblems(d).length ? [] : [SAVE, FIX] };
  },
  async answer(d, input, ctx): Promise<StepResult> {
    if (input.choice === SAVE.value || (!input.choice && !blockingProblems(d).length && saidInFewWords(input.folded, SAVE, FIX.aliases))) return { done: true };
    if (input.choice === FIX.value || !input.text) return { error: FIX_HINT };
    const commune = communeOf(d, ctx);
    // "cho xem lại tháng 9", "tháng 10 gửi chưa": what was sent, then this confirmation again (no correction).
    const history = historyAsked(input.folded);
    const shown = history && (await historyText(ctx, commune, d.village, history.words));
    if (shown) {
      ctx.reply(shown);
      return { next: 'confirm' };
    }
    const reading = readCounts(input.text, commune, ctx.services.now());
    const periodNamed = reading.period?.source === 'explicit';
    if (Object.keys(reading.counts).length === 0 && !periodNamed && reading.problems.length === 0) {
      return { error: `Mình chưa đọc được số nào trong tin này. ${FIX_HINT}` };
    }
    const refused = await takeReading(d, reading, ctx);
    return refused ? { error: refused } : { next: 'confirm' };
  },
};

/**
 * Lays a message's reading over the draft; when it names another month, loads that month's version.
 * Returns why that month takes nothing (the draft is then kept as it was).
 */
async function takeReading(d: CountsDraft, reading: CountsReading, ctx: TurnContext): Promise<string | undefined> {
  const before = structuredClone(d);
  if (!applyReading(d, reading, fieldsOf(communeOf(d, ctx)))) return undefined;
  const refused = await preparePeriod(ctx, d);
  if (refused) {
    Object.assign(d, before);
    return refused;
  }
  if (!before.periodInferred && Object.keys(before.sent).length) {
    ctx.reply(
      givesNumbers(reading)
        ? `Số liệu ${shortPeriod(before.period)} vừa rồi chưa được lưu. Mình chuyển sang ${shortPeriod(d.period)}:`
        : `Mình chuyển các số vừa gửi sang ${shortPeriod(d.period)} (${shortPeriod(before.period)} chưa lưu gì):`,
    );
  }
  return undefined;
}

// ——————————————————————————————————————————————————————————— saving

function sameValues(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}

async function save(d: CountsDraft, ctx: TurnContext, flows: FlowEngine): Promise<void> {
  const commune = communeOf(d, ctx);
  const fields = fieldsOf(commune);
  const label = shortPeriod(d.period);
  // Checked again: the period may have locked while the draft waited.
  const state = await periodState(ctx.services, commune, d.period, d.village);
  if (!state.open) {
    ctx.reply(lockedText(commune, label, state.closedAfter));
    return;
  }
  const current = await ctx.services.counts.current(d.communeId, d.period, d.village);
  if (current && sameValues(current.values, d.values)) {
    // The child the message told of is offered all the same: the numbers were known, the child may not be.
    return answerSaved([`Số liệu ${label} của ${d.village} không thay đổi, vẫn giữ phiên bản ${current.version}. Cảm ơn anh/chị!`], d, ctx, flows);
  }
  const now = ctx.services.now();
  const late = isLate(d.period, todayIn(commune, now), commune.counts.dueDay);
  const saved = await ctx.services.counts.submit({ communeId: d.communeId, period: d.period, village: d.village, values: d.values, by: ctx.identity, late }, now);
  const lines = [
    saved.version === 1
      ? `✅ Đã lưu số liệu ${label} của ${d.village}. Cảm ơn anh/chị!`
      : `✅ Đã cập nhật số liệu ${label} của ${d.village}, phiên bản ${saved.version}. Cảm ơn anh/chị!`,
  ];
  if (late) {
    lines.push(`Số liệu này gửi sau hạn (ngày ${dueDayText(commune, d.period)}) nên được ghi là gửi muộn. Không sao cả, lần sau mong anh/chị gửi trước hạn nhé.`);
  }
  const missing = missingRows({ ...d, problems: [] }, fields);
  if (missing.length) {
    const names = missing.map((key) => labelAlone(fields.find((f) => f.key === key)?.label ?? key));
    lines.push(`Còn thiếu: ${names.join(', ')}. Khi có số, anh/chị gửi thêm (ví dụ: "${label} bỏ học 0").`);
  }
  await answerSaved(lines, d, ctx, flows);
}

/**
 * What the saving says, and the report asked for when the counts name abused children or the message told
 * of one: its button starts the report from the words that told of the child; none while the one kept
 * for after is asked on next (it would replace it).
 */
async function answerSaved(lines: string[], d: CountsDraft, ctx: TurnContext, flows: FlowEngine): Promise<void> {
  const casePrompt = casePromptText(d);
  if (casePrompt) lines.push(casePrompt);
  if (casePrompt && d.story && !d.reportKept) return offerChildReport(ctx, flows, lines.join('\n'), d.story);
  ctx.reply(lines.join('\n'), casePrompt && !d.reportKept ? [{ label: '📝 Báo cáo vụ việc', value: 'menu:report' }] : undefined);
}

/**
 * Numbers alone do not get a child help: when the counts name abused children, ask for one report per
 * child through the report flow. The month is named: counts are often sent for a month already past.
 * Asked the same whatever the commune holds, so the answer never tells a village head how many reports
 * came from the village (minimum disclosure, SECURITY.md).
 */
function casePromptText(d: CountsDraft): string | undefined {
  const abused = Math.max(d.values.xamhai ?? 0, d.values.tinhduc ?? 0);
  if (d.reportKept && (abused > 0 || d.concern)) {
    const told = abused > 0 ? `Số liệu ${shortPeriod(d.period)} có ${abused} trẻ bị xâm hại.` : 'Anh/chị có kể về một cháu có thể cần được giúp đỡ.';
    return `${told} Báo cáo anh/chị đang làm dở được hỏi tiếp ngay dưới đây; trường hợp nào khác chưa báo cho xã, gửi xong báo cáo này anh/chị báo tiếp bằng /baocao (ở đây chỉ ghi số).`;
  }
  if (abused <= 0 && d.concern) {
    return 'Anh/chị có kể về một cháu có thể cần được giúp đỡ. Nếu chưa báo cho xã, xin bấm "Báo cáo vụ việc" để kể lại cho cán bộ xã (ở đây chỉ ghi số).';
  }
  if (abused <= 0) return undefined;
  return (
    `Số liệu ${shortPeriod(d.period)} có ${abused} trẻ bị xâm hại. Trường hợp nào chưa báo cho xã, xin báo từng trường hợp qua /baocao ` +
    'để cán bộ kịp thời hỗ trợ trẻ (ở đây chỉ ghi số, không ghi tên). Trường hợp đã báo thì không cần báo lại.'
  );
}

export const countsFlow = (flows: FlowEngine): Flow<CountsDraft> => ({
  name: COUNTS_FLOW,
  steps: [periodStep, ...Array.from({ length: MAX_ROWS }, (_, i) => rowStep(i)), confirmStep],
  // "hạn nộp khi nào", "phải gửi những mục nào" asked before confirming: answered, then the step again.
  aside(d, ctx) {
    const question = questionAsked(ctx.folded);
    return question && questionAnswer(question, communeOf(d, ctx), ctx.services.now(), d.village, { folded: ctx.folded });
  },
  complete: (d, ctx) => save(d, ctx, flows),
});

/** A fresh draft for a village head; the period is the one a message without a month is about. */
export function newDraft(ctx: TurnContext, commune: CommuneConfig, village: string, guided: boolean): CountsDraft {
  return {
    communeId: commune.id,
    village,
    period: reportingPeriod(commune, ctx.services.now()),
    periodInferred: true,
    sent: {},
    values: {},
    unknown: [],
    problems: [],
    guided,
  };
}
