/**
 * Village heads send their village's monthly counts as one message, or answer row by row after
 * /baocaothang. Runs before the report feature: a counts message often starts with "báo cáo", which
 * the report feature would take for a concern about a child; and a village head's news in words is
 * sorted here first (counts, a child in danger, a grown-up: docs/domain.md §5).
 */
import type { CommuneConfig } from '../../config/communes.js';
import { zeroTheRest } from '../../domain/counts/parser.js';
import type { CountsProblem, CountsReading } from '../../domain/counts/reading.js';
import { periodKey, periodOfDay } from '../../domain/counts/periods.js';
import { classify, loadClassifier, type Classification } from '../../nlu/classifier.js';
import type { ConcernLabel } from '../../nlu/labels.js';
import type { Member } from '../../store/roles.js';
import { hasPhrase } from '../../text/vietnamese.js';
import type { Feature, TurnContext } from '../turn.js';
import type { FlowEngine } from '../flow.js';
import { possibleStory } from '../report/start.js';
import { fieldsOf, readCounts, readCountsIfAny, todayIn } from './common.js';
import { grownUpText, noNumberText, reportFirstText } from './texts.js';
import { applyReading, type CountsDraft } from './draft.js';
import { COUNTS_FLOW, countsFlow, newDraft, preparePeriod } from './flow.js';
import { childOfferFlow } from './child-offer.js';

const REPORT_BUTTON = { label: '📝 Báo cáo sự việc về trẻ em', value: 'menu:report' };

const ONLY_VILLAGE_HEADS =
  'Cảm ơn bạn. Số liệu hằng tháng chỉ do trưởng thôn (tổ trưởng tổ dân phố) đã đăng ký gửi. ' +
  'Nếu bạn là trưởng thôn, xin gửi /dangky MÃ_MỜI (mã do xã cấp) trước. ' +
  'Nếu bạn muốn báo một sự việc về trẻ em, gửi /baocao.';

/**
 * "tháng này thôn bình thường, không có gì": a month with nothing to count, from a village head. With
 * no row named and no concern read, every row is zero, for the sender to confirm.
 */
const QUIET = ['khong co gi', 'ko co gi', 'k co gi', 'binh thuong', 'khong phat sinh', 'ko phat sinh', 'khong co truong hop nao', 'khong xay ra', 'khong co viec gi', 'binh yen'];

/** Typed alone, these ask for the guided counts, like /baocaothang ("báo cáo tháng 10: sinh 2" is counts). */
const GUIDED_WORDS = new Set(['bao cao thang', 'bao cao so lieu', 'bao cao so lieu thang', 'gui so lieu', 'gui so lieu thang', 'nop so lieu', 'gui bao cao thang']);
/** A month as a village head names it before its numbers: "tháng 11", "T11/2026", "tháng này", "tháng trước". */
const MONTH_NAMED = /(?:^| )(?:(?:thang|t) ?\d{1,2}(?: \d{4})?(?: nam \d{4})?|thang (?:nay|truoc|vua roi|vua qua|roi|qua))(?= |$)/g;
/** Greetings, who speaks and polite tails around "em gửi số liệu": they change nothing. */
const SENDING_FILLERS = new Set(['chao', 'xin', 'da', 'vang', 'em', 'e', 'toi', 'minh', 'mk', 'tui', 'anh', 'chi', 'chu', 'bac', 'co', 'can', 'bo', 'xa', 'oi', 'thon', 'cua', 'nhe', 'nha', 'a', 'ah', 'voi', 'luon', 'ne', 'day', 'bay', 'gio', 'muon', 'se', 'de', 'phep']);
/** What is left of such a message: a verb of sending, and what is sent. */
const SENDS_COUNTS = /^(?:gui|nop|bao cao)(?: (?:bao cao|so lieu))*(?: thang)?$/;
const MAX_ANNOUNCEMENT_WORDS = 14;

/**
 * "chào anh, em gửi báo cáo tháng 11 nhé", "em xin báo cáo số liệu thôn tháng này ạ": a village head
 * about to send the counts, none given yet, asks for the guided counts as /baocaothang does. "Em muốn
 * báo cáo" alone names no month and no "số liệu": it may be a child's report.
 */
function announcesCounts(folded: string, monthNamed: boolean): boolean {
  if (GUIDED_WORDS.has(folded)) return true;
  if (folded.split(' ').length > MAX_ANNOUNCEMENT_WORDS) return false;
  const rest = folded.replace(MONTH_NAMED, ' ').split(' ').filter((w) => w && !SENDING_FILLERS.has(w)).join(' ');
  return SENDS_COUNTS.test(rest) && (monthNamed || rest.includes('so lieu'));
}

/**
 * From someone who is not a village head, only a message that is plainly a counts report gets the
 * note: two or more rows and more numbers than stray words. "Cháu bị tai nạn 2 hôm nay" is a concern,
 * and must reach the report feature.
 */
function plainlyCounts(reading: CountsReading): boolean {
  const n = Object.keys(reading.counts).length;
  return n >= 2 && reading.unknown.length < n;
}

async function villageHeadCommune(ctx: TurnContext, member: Member): Promise<CommuneConfig | undefined> {
  const commune = ctx.commune(member.communeId);
  if (!commune || !member.village) {
    ctx.reply('Tài khoản trưởng thôn của anh/chị chưa gắn với thôn nào. Xin liên hệ quản trị viên của xã.');
    return undefined;
  }
  return commune;
}

/** Asks the rows one by one; the month first unless `reading` named it. */
async function startGuided(ctx: TurnContext, flows: FlowEngine, member: Member, commune: CommuneConfig, reading?: CountsReading): Promise<void> {
  const draft = newDraft(ctx, commune, member.village as string, true);
  if (reading?.period?.source === 'explicit') {
    draft.period = periodKey(reading.period);
    draft.periodInferred = false;
    draft.monthNamed = true;
    const refused = await preparePeriod(ctx, draft);
    if (refused) return void ctx.reply(refused);
  }
  ctx.reply('Mình sẽ hỏi từng mục số liệu của thôn. Gõ số, 0 nếu không có, "bỏ qua" nếu chưa có số; "quay lại" để sửa mục trước.');
  await startKeeping(ctx, flows, draft);
}

async function startFromMessage(ctx: TurnContext, flows: FlowEngine, member: Member, commune: CommuneConfig, reading: CountsReading): Promise<void> {
  const draft = newDraft(ctx, commune, member.village as string, false);
  if (reading.period) {
    draft.period = periodKey(reading.period);
    draft.periodInferred = reading.period.source === 'inferred';
  }
  const refused = await preparePeriod(ctx, draft);
  if (refused) {
    ctx.reply(refused);
    return;
  }
  applyReading(draft, reading, fieldsOf(commune));
  const child = childToldOf(ctx, reading, commune);
  if (child) {
    draft.concern = true;
    draft.story = child;
  }
  await startKeeping(ctx, flows, draft);
}

/** Starts the counts; a report being written (reached here by `countsMidway` or /baocaothang) is kept for after. */
async function startKeeping(ctx: TurnContext, flows: FlowEngine, draft: CountsDraft): Promise<void> {
  if (ctx.session && ctx.session.flow !== COUNTS_FLOW) {
    ctx.reply(KEPT_NOTE);
    draft.reportKept = true;
  }
  await flows.start(ctx, COUNTS_FLOW, draft, { keep: true });
}

/**
 * Reads as the monthly counts rather than news: a month named, or two rows or more. Such a message
 * stays in the counts conversation even when its words sound urgent ("tháng 10 đuối nước, tử vong").
 */
function countsLike(reading: CountsReading, rows: readonly CountsProblem[]): boolean {
  const keys = new Set(rows.flatMap((p) => ('key' in p ? [p.key] : p.kind === 'unsure' ? p.keys : [])));
  return reading.period?.source === 'explicit' || keys.size >= 2;
}

/**
 * A village head's message with no count to save. Naming rows ("sinh nhiều lắm", "sinh -1"), it is
 * answered here, naming the rows, never with the citizen menu. News of a child in danger right now
 * ("hôm qua có cháu bị đuối nước"), or any news of a child that names no row ("cháu N nhà bên hay bị
 * bỏ đói"), is passed on to the report conversation (which gives the hotlines at once when urgent);
 * the village head is first told how to send the month's counts too. About a grown-up only ("ông nội
 * cháu qua đời") it is neither a child's report nor dropped: said back as not counted, with the way to
 * report a child who needs help.
 */
async function answerWithoutCounts(ctx: TurnContext, flows: FlowEngine, member: Member, reading: CountsReading): Promise<boolean> {
  const rows = reading.problems.filter((p) => 'key' in p || p.kind === 'unsure');
  const grownUps = reading.problems.filter((p) => p.kind === 'not_a_child');
  const urgent = ctx.understood.urgency === 'P0';
  // What the report conversation, next in line, will take as a story about a child.
  const story = rows.length === 0 && grownUps.length === 0 && possibleStory(ctx.text, ctx.understood);
  const quiet = rows.length === 0 && grownUps.length === 0 && !urgent && !story && QUIET.some((p) => hasPhrase(ctx.folded, p));
  if (rows.length === 0 && grownUps.length === 0 && !urgent && !story && !quiet) return false;
  const commune = await villageHeadCommune(ctx, member);
  if (!commune) return true;
  if (quiet) {
    // Every row zero, shown for confirmation like any counts message.
    const zeros: Record<string, number> = {};
    const zeroed = zeroTheRest(fieldsOf(commune), zeros, []);
    await startFromMessage(ctx, flows, member, commune, { ...reading, counts: zeros, zeroed });
    return true;
  }
  const hotlines = urgent ? commune.hotlines : undefined;
  if (rows.length === 0 && grownUps.length > 0) {
    ctx.reply(grownUpText(grownUps, fieldsOf(commune), hotlines), [REPORT_BUTTON]);
    return true;
  }
  const valueless = rows.filter((p) => p.kind === 'no_number').map((p) => p.key);
  if ((urgent && !countsLike(reading, rows)) || story) {
    // Not an answer: the report feature, next in line, starts the report after this line.
    ctx.reply(reportFirstText(valueless, fieldsOf(commune), periodOfDay(todayIn(commune, ctx.services.now())), urgent, {}, ctx.understood.categories[0]?.key));
    return false;
  }
  if (rows.length === 0) return false;
  if (valueless.length < rows.length) {
    // A negative, non-whole or unsure value: the confirmation names it and blocks saving.
    await startFromMessage(ctx, flows, member, commune, reading);
    return true;
  }
  ctx.reply(noNumberText(valueless, fieldsOf(commune), hotlines), [REPORT_BUTTON]);
  return true;
}

/**
 * Concern categories whose news a month's counts already hold (accidents, drownings), or ask about ("sinh
 * 2 tự tử": a death or an attempt, named back to be written as a row): told in counts, not a story apart.
 */
const COUNTED_KINDS: ReadonlySet<ConcernLabel> = new Set(['drowning', 'suicide']);

/**
 * A counts message that also tells of a child in danger now ("sinh 2, … hôm qua con bé nhà ông T bị bố
 * đánh chảy máu đầu, đang ở nhà"): the classifier reads an emergency of another kind than the rows
 * count, and the counts reading left words it could not place. The child comes first: the report
 * starts with the message as its story, and the numbers are sent again on their own (nothing saved).
 */
function tellsOfChildInDanger(ctx: TurnContext, reading: CountsReading): boolean {
  return tellsOfChild(ctx, reading) && ctx.understood.urgency === 'P0';
}

/**
 * The counts message also tells of a child who may need help, in words or a number the counts did not
 * place ("1 cháu bị bố đánh", "có 1 cháu hay bị bạn bè bắt nạt"): the probability of a concern of a kind
 * the counts do not hold (the concern's, times the share of such kinds in it) reaches the classifier's
 * concern threshold, or a severity cue names such a kind ("sờ soạng"). A cue that names no kind (a stay
 * in hospital, blood) tells how bad, not what: "1 cháu ốm đưa lên trạm y tế xã" stays in the counts.
 */
function tellsOfChild(ctx: TurnContext, reading: CountsReading): boolean {
  const unplaced = reading.unknown.length > 0 || reading.problems.some((p) => p.kind === 'stray_number');
  return unplaced && concernBeyondCounts(ctx.understood);
}

function concernBeyondCounts(c: Classification): boolean {
  const counted = c.shares.reduce((sum, s) => sum + (COUNTED_KINDS.has(s.key) ? s.score : 0), 0);
  const likely = c.concern * (1 - counted) >= loadClassifier().thresholds.concern;
  const named = c.cues.some((cue) => cue.kind !== undefined && !COUNTED_KINDS.has(cue.kind));
  return c.isConcern && (likely || named);
}

/** Where a counts message breaks into parts: sentences, lines, and commas between its items. */
const PARTS = /[.;!?\n]+|,(?=\s)/;
/** A part shorter than this ("tháng 10", "vậy thôi") tells of no child. */
const PART_WORDS = 3;

/**
 * The words a counts message tells of a child with, or undefined when it tells of none. The whole
 * message read as a concern (`tellsOfChild`) gives its parts that hold no count, or the message; and a
 * message whose numbers drown the story when read whole ("tháng 10: sinh 2, tử vong 0, …, cháu N nhà
 * ông Tư hay bị bỏ đói": 0.03 of concern) is read again by those parts alone.
 */
function childToldOf(ctx: TurnContext, reading: CountsReading, commune: CommuneConfig): string | undefined {
  const now = ctx.services.now();
  const parts = ctx.text.normalize('NFC').split(PARTS).map((p) => p.trim());
  const besides = parts.filter((p) => p.split(/\s+/).length >= PART_WORDS && Object.keys(readCountsIfAny(p, commune, now)?.counts ?? {}).length === 0).join(', ');
  if (tellsOfChild(ctx, reading)) return besides || ctx.text;
  return besides && besides !== ctx.text.trim() && concernBeyondCounts(classify(besides)) ? besides : undefined;
}

/**
 * A village head's counts sent in the middle of another conversation ("tháng 11/2025: sinh 2, tử vong 0 …"
 * while a report is being written): two rows or more, or a month with rows and nothing else, and no child
 * in danger told with them. They are the month's counts, not more of the story: read as counts, the other
 * conversation kept to go on with after (`keep`).
 */
export async function countsMidway(ctx: TurnContext): Promise<boolean> {
  if (ctx.command || ctx.msg.choice || !ctx.text || ctx.session?.flow === COUNTS_FLOW) return false;
  const looksLike = (commune: CommuneConfig | undefined): boolean => {
    if (!commune) return false;
    const reading = readCountsIfAny(ctx.text, commune, ctx.services.now());
    if (!reading) return false;
    const rows = Object.keys(reading.counts).length;
    const monthOnly = reading.period?.source === 'explicit' && rows > 0 && reading.unknown.length === 0;
    return (rows >= 2 || monthOnly) && !tellsOfChildInDanger(ctx, reading);
  };
  // Read first, so an answer to a report's question costs no look-up of the sender's role.
  if (!looksLike(ctx.communes[0])) return false;
  const member = await ctx.ownRole();
  return member?.role === 'village_head' && looksLike(ctx.commune(member.communeId));
}

/** Said before the counts shown for confirming when a report was being written: it is kept. */
const KEPT_NOTE = 'Mình đọc tin này là số liệu tháng của thôn. Báo cáo sự việc anh/chị đang làm dở vẫn được giữ: xong phần số liệu, mình sẽ hỏi tiếp.';

export function countsSubmissionFeature(flows: FlowEngine): Feature {
  flows.register(countsFlow(flows));
  flows.register(childOfferFlow(flows));
  return {
    name: 'counts-submission',
    async handle(ctx) {
      if (ctx.command === 'baocaothang' || (!ctx.command && !ctx.msg.choice && GUIDED_WORDS.has(ctx.folded))) {
        const member = await ctx.ownRole();
        if (member?.role !== 'village_head') {
          ctx.reply(ONLY_VILLAGE_HEADS);
          return true;
        }
        const commune = await villageHeadCommune(ctx, member);
        if (commune) await startGuided(ctx, flows, member, commune);
        return true;
      }
      if (ctx.command || ctx.msg.choice || !ctx.text) return false;
      const member = await ctx.ownRole();
      const commune = (member && ctx.commune(member.communeId)) ?? ctx.communes[0];
      if (!commune) return false;
      const reading = readCounts(ctx.text, commune, ctx.services.now());
      if (member?.role === 'village_head') {
        const none = Object.keys(reading.counts).length === 0;
        if (none && reading.problems.length === 0 && announcesCounts(ctx.folded, reading.period?.source === 'explicit')) {
          const own = await villageHeadCommune(ctx, member);
          if (own) await startGuided(ctx, flows, member, own, reading);
          return true;
        }
        if (none) return answerWithoutCounts(ctx, flows, member, reading);
        if (tellsOfChildInDanger(ctx, reading)) {
          // Not an answer: the report feature, next in line, starts the report (hotlines first) after this line.
          const own = ctx.commune(member.communeId) ?? commune;
          ctx.reply(reportFirstText([], fieldsOf(own), periodOfDay(todayIn(own, ctx.services.now())), true, reading.counts));
          return false;
        }
        const own = await villageHeadCommune(ctx, member);
        if (own) await startFromMessage(ctx, flows, member, own, reading);
        return true;
      }
      if (!plainlyCounts(reading)) return false;
      ctx.reply(ONLY_VILLAGE_HEADS);
      return true;
    },
  };
}
