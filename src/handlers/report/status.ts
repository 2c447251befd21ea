/**
 * Status questions: "/trangthai TE-XXXXXX", "tình trạng TE-XXXXXX", "báo cáo của tôi". A reporter sees
 * only the coarse status of their own reports; a code from another chat gets the same answer as an
 * unknown code, and repeated misses are slowed down so codes cannot be guessed.
 */
import { tooManyTries, tryGuess } from '../../actions/guesses.js';
import { categoryOf } from '../../domain/categories.js';
import { coarseStatus, COARSE_LABEL, type CoarseStatus } from '../../domain/case-status.js';
import { findReportCode, mistypedCode, nearestCode, reportCodes } from '../../domain/refcode.js';
import { timezoneOf } from '../../config/communes.js';
import { formatLocal } from '../../domain/local-time.js';
import type { ReportSummary } from '../../store/reports.js';
import { serviceTopic } from '../../nlu/service-topics.js';
import { tellsNow } from '../../nlu/story-facts.js';
import { words } from '../../nlu/pattern.js';
import { foldWords, hasPhrase } from '../../text/vietnamese.js';
import { NATIONAL_CHILD_LINE } from '../sender-commune.js';
import type { Feature, TurnContext } from '../turn.js';
import { asksLeave } from '../menu.js';
import { asksToReport } from './start.js';

const STATUS_WORDS = ['trang thai', 'tinh trang', 'kiem tra', 'tra cuu'];
/**
 * With a code, a short message asking about it is a status question in any wording: "cho hỏi tình
 * hình báo cáo TE-…", "báo cáo TE-… sao rồi", "TE-… xử lý chưa ạ".
 */
const QUESTION_WORDS = ['tinh hinh', 'sao roi', 'the nao', 'ra sao', 'den dau', 'chua', 'cho hoi', 'hoi', 'xu ly', 'giai quyet', 'ket qua', 'nhu nao'];
const SHORT_QUESTION_WORDS = 14;
const MINE_PHRASES = ['bao cao cua toi', 'cac bao cao cua toi', 'bao cao da gui', 'xem bao cao', 'xem lai bao cao'];
/**
 * The classifier's reading of a typed question about a report already sent, in any wording ("vụ thằng
 * Tèo xã xử lý chưa ạ", "em báo từ sáng mà chưa thấy ai liên hệ"): held-out status lines score 0.9+.
 * A message that also reads as a concern is a story first (no story is thrown away).
 */
const STATUS_SCORE = 0.6;
/** Mid-conversation, a status question in the person's own words has at least this many words. */
const MIN_QUESTION_WORDS = 4;

/** What each status means for the person who reported, in a line they can act on. */
const MEANING: Record<CoarseStatus, string> = {
  received: 'Cán bộ bảo vệ trẻ em của xã đã nhận báo cáo và sẽ xem xét, tìm hiểu.',
  in_progress: 'Cán bộ xã đang tìm hiểu và hỗ trợ trẻ.',
  referred: 'Vụ việc đã được chuyển đến cơ quan có thẩm quyền; xã vẫn tiếp tục theo dõi.',
  done: 'Cán bộ xã đã xử lý xong vụ việc. Cảm ơn bạn đã lên tiếng.',
};

export function describeStatus(r: ReportSummary, tz: string): string {
  const status = coarseStatus(r.status);
  return (
    `Báo cáo ${r.code}: ${COARSE_LABEL[status]}\n` +
    `${MEANING[status]}\n` +
    // The person may have sent several: what each was about tells them apart.
    `• Vấn đề: ${categoryOf(r.category).label}\n` +
    `• Gửi lúc: ${formatLocal(r.createdAt, tz)}\n` +
    `• Cập nhật lần cuối: ${formatLocal(r.updatedAt, tz)}`
  );
}

/**
 * The report if this person made it; otherwise answers "not found or not yours" and returns undefined.
 * Misses go to the shared limiter (every kind of code one budget), so codes cannot be guessed.
 */
export async function findOwnReport(ctx: TurnContext, code: string, mine?: readonly ReportSummary[]): Promise<ReportSummary | undefined> {
  const tried = await tryGuess(ctx.services, { identity: ctx.identity, channel: ctx.msg.channel }, 'status', () => ctx.services.cases.getOwn(code, ctx.identity));
  if (tried.result === 'ok') return tried.value;
  if (tried.result === 'locked') {
    ctx.reply(tooManyTries(tried.retryAfterMinutes));
    return undefined;
  }
  const own = mine ?? (await ctx.services.cases.listByReporter(ctx.identity, OWN_CODES_SHOWN));
  ctx.reply(`Không tìm thấy báo cáo ${code}, hoặc báo cáo này không do bạn gửi. ${ownCodesHint(own, ctx)}`);
  return undefined;
}

/**
 * After a code not found: the person's own codes (`mine`, newest first), so one who mistyped or mixed up a
 * code is not left to search their chat (only their own reports: nothing is told of anyone else's).
 */
function ownCodesHint(mine: readonly ReportSummary[], ctx: TurnContext): string {
  if (!mine.length) return 'Xin kiểm tra lại mã.';
  const tz = (r: ReportSummary) => timezoneOf(ctx.services.config, r.communeId);
  const lines = mine.slice(0, OWN_CODES_SHOWN).map((r) => `• ${r.code}: ${categoryOf(r.category).label}, gửi lúc ${formatLocal(r.createdAt, tz(r))}`);
  return `Báo cáo bạn đã gửi từ tài khoản này:\n${lines.join('\n')}\nGửi mã của báo cáo muốn hỏi (ví dụ: /trangthai ${(mine[0] as ReportSummary).code}).`;
}

/** A person's codes listed after a code not found: the newest few. */
const OWN_CODES_SHOWN = 3;

/** What the person can do next, after a status: add what they know, or call when a child is in danger. */
function nextStepText(ctx: TurnContext, code: string, communeId: string): string {
  const line = ctx.commune(communeId)?.hotlines.child ?? NATIONAL_CHILD_LINE;
  return `Có thêm thông tin, bạn gửi: bổ sung ${code} <nội dung>. Nếu trẻ đang gặp nguy hiểm, gọi ngay 113 hoặc ${line}.`;
}

function replyStatus(ctx: TurnContext, report: ReportSummary, lead = ''): void {
  ctx.reply(`${lead}${describeStatus(report, timezoneOf(ctx.services.config, report.communeId))}\n\n${nextStepText(ctx, report.code, report.communeId)}`);
}

/**
 * The person's own report whose code the typed one (signs without "TE-") is, or is a slip away from
 * ("TE-XKWEUI" for TE-XKWEUY): only their own codes are compared, so nobody learns of a report that
 * is not theirs, and no guess is spent.
 */
function nearOwn(mine: readonly ReportSummary[], typed: string): ReportSummary | undefined {
  const near = nearestCode(typed, mine.map((r) => r.code));
  return near ? mine.find((r) => r.code === near) : undefined;
}

/** What to say before a report found by a code typed with a slip ("" when typed right). */
function slipNote(typed: string, report: ReportSummary): string {
  return report.code === `TE-${typed}` ? '' : `Mình không thấy mã TE-${typed}; có lẽ bạn muốn nói báo cáo ${report.code} của bạn.\n`;
}

async function answerNearOwn(ctx: TurnContext, typed: string): Promise<boolean> {
  const report = nearOwn(await ctx.services.cases.listByReporter(ctx.identity), typed);
  if (report) replyStatus(ctx, report, slipNote(typed, report));
  return report !== undefined;
}

/**
 * The person's own report by its code, or by a code typed with a slip, with what to say before it;
 * otherwise the answer "not found or not yours" is given (findOwnReport) and undefined returned.
 */
export async function ownReportByCode(ctx: TurnContext, code: string): Promise<{ report: ReportSummary; note: string } | undefined> {
  const typed = code.replace(/^TE-/, '');
  // The person's reports, read once: for a slip, and for the list after "not found".
  const mine = await ctx.services.cases.listByReporter(ctx.identity);
  const near = nearOwn(mine, typed);
  if (near) return { report: near, note: slipNote(typed, near) };
  const report = await findOwnReport(ctx, code, mine);
  return report ? { report, note: '' } : undefined;
}

async function answerCode(ctx: TurnContext, code: string): Promise<void> {
  const found = await ownReportByCode(ctx, code);
  if (found) replyStatus(ctx, found.report, found.note);
}

/**
 * A code typed with a slip and no well-formed one: "TE-XKVVEUY", or "xkweuy" alone. Near one of the
 * person's own codes, that report's status; with "TE-" but near none, how a code looks. A word alone
 * near none is not a code: it goes on to the other features.
 */
async function answerMistyped(ctx: TurnContext, text: string): Promise<boolean> {
  if ((ctx.command && ctx.command !== 'trangthai') || ctx.msg.choice || !text || ctx.folded.split(' ').length > SHORT_QUESTION_WORDS) return false;
  const typed = mistypedCode(text);
  if (!typed) return false;
  if (await answerNearOwn(ctx, typed)) return true;
  if (!/(?:^|[^\p{L}\p{N}])te[\s-]?[0-9a-z]/iu.test(text)) return false;
  ctx.reply(`Mình không tìm thấy mã TE-${typed}. Mã báo cáo gồm "TE-" và 6 ký tự, ví dụ TE-7K3M9Q: xin kiểm tra lại tin nhắn mình gửi khi nhận báo cáo, hoặc gửi "báo cáo của tôi" để xem các báo cáo bạn đã gửi từ tài khoản này.`);
  return true;
}

async function answerMine(ctx: TurnContext): Promise<void> {
  const mine = await ctx.services.cases.listByReporter(ctx.identity);
  if (!mine.length) {
    ctx.reply('Bạn chưa gửi báo cáo nào từ tài khoản này. Nếu bạn đã báo từ tài khoản khác, xin gửi mã báo cáo (ví dụ TE-7K3M9Q). Gửi /baocao để báo cáo mới.');
    return;
  }
  listMine(ctx, mine);
}

function listMine(ctx: TurnContext, mine: ReportSummary[]): void {
  const list = mine.map((r) => describeStatus(r, timezoneOf(ctx.services.config, r.communeId)));
  ctx.reply([...list, nextStepText(ctx, mine.length === 1 ? (mine[0] as ReportSummary).code : 'MÃ', (mine[0] as ReportSummary).communeId)].join('\n\n'));
}

/** Words said around a code given as it is ("mã báo cáo của em là 7K3M9Q", "TE-7K3M9Q đây ạ"): they ask nothing else. */
const AROUND_CODE = new Set(['ma', 'so', 'bao', 'cao', 'bc', 'cua', 'em', 'e', 'toi', 'minh', 'mk', 'tui', 'la', 'day', 'a', 'ah', 'nhe', 'nha', 'oi', 'anh', 'chi', 'vang', 'da', 'ne', 'cho', 'xem', 'giup', 'voi', 'dum', 'gium']);

/** The text gives one code (with "TE-", after "mã", or bare with a digit: "7k3 m9q") and nothing else. */
function givesCode(text: string): boolean {
  const [m, ...more] = reportCodes(text, 'digit');
  if (!m || more.length) return false;
  return foldWords(`${text.slice(0, m.index)} ${text.slice(m.end)}`).split(' ').every((w) => !w || AROUND_CODE.has(w));
}

function askedAboutCode(ctx: TurnContext): boolean {
  if (ctx.command || !findReportCode(ctx.text, 'digit')) return false;
  const short = ctx.folded.split(' ').length <= SHORT_QUESTION_WORDS;
  return short && (ctx.text.includes('?') || QUESTION_WORDS.some((w) => hasPhrase(ctx.folded, w)));
}

/**
 * A typed question the classifier reads as one about a report already sent. The words are checked
 * first, so a command, a button or a request to report ("báo cáo", "tôi muốn báo cáo", which starts
 * one however the classifier reads it) is never classified here.
 */
function readAsStatus(ctx: TurnContext): boolean {
  if (ctx.command || ctx.msg.choice || !ctx.text || asksToReport(ctx.folded) || asksLeave(ctx.folded)) return false;
  const c = ctx.understood;
  return !c.isConcern && c.kind === 'status' && c.kindScore >= STATUS_SCORE;
}

/** Told as going on or happening again ("mà nó lại bị đánh", "vẫn còn bị nhốt"): news, not a question. */
const GOES_ON = words('lai (?:bi|danh|dang)', '(?:van|con) (?:dang |con |)bi', 'dang bi', 'tiep tuc (?:bi|danh|nhot)', 'moi (?:bi|xay ra)');

/**
 * A status question that retells the harm reported ("em báo vụ thằng bé bị bố đánh chảy máu hôm trước
 * rồi, giờ xử lý tới đâu rồi ạ"): the classifier reads a status question, and only a severity cue of the
 * retold harm makes it a concern. Nothing new is told, so it gets the status of the person's reports.
 */
function retellsReport(ctx: TurnContext): boolean {
  if (ctx.command || ctx.msg.choice || !ctx.text) return false;
  const c = ctx.understood;
  return c.isConcern && c.concern < 0.5 && c.kind === 'status' && c.kindScore >= STATUS_SCORE && !GOES_ON.test(ctx.folded) && !tellsNow(ctx.text);
}

/**
 * A typed question about the person's own reports, in any wording: it is answered even in the middle of
 * a conversation. A few words there are an answer to the step ("hôm qua" reads as a status question).
 */
export function asksAboutOwnReport(ctx: TurnContext): boolean {
  const question = ctx.folded.split(' ').length >= MIN_QUESTION_WORDS && readAsStatus(ctx);
  return MINE_PHRASES.some((p) => hasPhrase(ctx.folded, p)) || question || askedAboutCode(ctx);
}

/**
 * "Bao giờ thì có người đến nhà cháu", "khi nào cán bộ xuống": asked by someone who has reported, the
 * answer is their report's status, not the service's hours.
 */
const WHO_COMES = /(?:^| )(?:co nguoi|can bo|xa|ai|cong an)(?: [a-z]+){0,2} (?:den|xuong|toi|lien he|goi|ve|giup)(?: |$)/;
function asksWhoComes(ctx: TurnContext): boolean {
  // The folded words first: most texts here are stories, and the topic reading normalises the text again.
  return !ctx.command && !ctx.msg.choice && WHO_COMES.test(ctx.folded) && serviceTopic(ctx.text) !== undefined;
}

export const statusFeature: Feature = {
  name: 'status',
  async handle(ctx) {
    const asked =
      ctx.command === 'trangthai' ||
      ctx.msg.choice === 'menu:status' ||
      STATUS_WORDS.some((w) => hasPhrase(ctx.folded, w));
    const mine = MINE_PHRASES.some((p) => hasPhrase(ctx.folded, p)) || readAsStatus(ctx);
    const bareCode = !ctx.command && givesCode(ctx.text);
    // Only to someone who has reported: from anyone else the harm told is a story (no story is thrown away).
    if (!asked && !mine && !bareCode && (asksWhoComes(ctx) || retellsReport(ctx))) {
      // Nobody who has not reported is told "you have no report": the service's answer is theirs.
      const reports = await ctx.services.cases.listByReporter(ctx.identity);
      if (!reports.length) return false;
      listMine(ctx, reports);
      return true;
    }
    if (!asked && !mine && !bareCode && !askedAboutCode(ctx)) return answerMistyped(ctx, ctx.text);
    const typed = ctx.command === 'trangthai' ? ctx.commandArgs : ctx.text;
    // Asked for by name ("/trangthai 7K3M9Q", "tình trạng XKWEUY"), a code without "TE-" is one even with no digit.
    const code = findReportCode(typed, ctx.command === 'trangthai' || asked ? true : 'digit');
    if (code) await answerCode(ctx, code);
    else if (await answerMistyped(ctx, typed)) return true;
    else if (mine || ctx.msg.choice === 'menu:status' || ctx.command === 'trangthai') await answerMine(ctx);
    else return false;
    return true;
  },
};
