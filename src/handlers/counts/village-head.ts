/**
 * What a registered village head asks the service besides sending counts: their own help (/help,
 * "giúp", "hướng dẫn"), what they sent (/dagui, "số liệu đã gửi", "số liệu tháng 10"), which rows the
 * month's counts have ("phải gửi những mục nào") and when they are due ("hạn nộp khi nào"). Comes before
 * the citizen menu (features.ts), so a village head never gets the citizen help instead of theirs.
 * History shows the village's own confirmed numbers only: nothing about reports or cases (SECURITY.md).
 */
import type { CommuneConfig, CountFieldConfig } from '../../config/communes.js';
import { addMonths, parseSpan, shortPeriod } from '../../domain/counts/periods.js';
import { formatDay, localDay } from '../../domain/local-time.js';
import { labelAlone } from '../../domain/counts/fields.js';
import type { Member } from '../../store/roles.js';
import type { Feature, TurnContext } from '../turn.js';
import { dueDayText, fieldsOf, reportingPeriod, todayIn } from './common.js';

/** Months shown when none is named: the one being reported now and the two before it. */
const DEFAULT_MONTHS = 3;

const HELP_WORDS = new Set(['help', 'huong dan', 'giup', 'giup do', 'tro giup', 'giup toi', 'can giup']);
/**
 * Help asked in a sentence: "e cần giúp", "chị ơi em cần hướng dẫn với", "làm sao để gửi số liệu ạ",
 * "gửi số liệu như nào". Only the whole message: "giúp em với, bố đánh em" is a story.
 */
const HELP_ASKED = new RegExp(
  '^(?:(?:anh|chi|em|e|ad|admin|can bo|xa|a|c) oi )?(?:(?:em|e|toi|t|minh|tui|anh|chi) )?' +
    '(?:(?:(?:can|muon|xin|nho|can duoc|muon duoc) |cho (?:em|e|toi|minh|tui) (?:xin |duoc |))?(?:giup|giup do|tro giup|huong dan|chi dan|chi cach)' +
    '|(?:lam sao|lam the nao|the nao|cach) (?:de |)(?:gui|nop|bao cao|nhan|ghi) so lieu|(?:gui|nop|bao cao|ghi) so lieu (?:the nao|nhu nao|nhu the nao|lam sao|ra sao|kieu gi))' +
    '(?: (?:voi|a|nhe|nha|chut|ti|xiu|cai|em|e|toi|minh|di|dum|gium|duoc khong|dc ko|dc k|vay|the|nhi))*$',
);
const HISTORY = /^(?:(?:cho )?(?:(?:toi|em|minh|anh|chi) )?(?:xem|kiem tra|tra cuu|coi) )?(?:lai )?(?:giup )?so lieu(?: (?:da gui|da bao cao|cua thon|thon))?(?: (.+))?$/;
/** "thôn em đã gửi số liệu tháng 11 chưa nhỉ", "gửi số liệu rồi chứ": whether a month was sent. */
const SENT_YET = /^(?:thon (?:em |minh |toi )?)?(?:(?:em|minh|toi) )?(?:da )?(?:gui|bao cao|nop) so lieu(?: (.+?))? (?:chua|roi chu|roi a|roi nhi)$/;
/**
 * The month first, "số liệu" left out: "thôn mình tháng 10 gửi chưa", "cho xem lại tháng 9 với",
 * "xem tháng trước".
 */
const MONTH_SENT_YET =
  /^(?:thon (?:em |minh |toi )?)?(?:(?:em|e|minh|mk|toi|t) )?(thang \S+(?: nam \d{4})?|t\d{1,2}(?:\/\d{4})?) (?:(?:thon (?:em |minh |toi )?)?(?:em|e|minh|mk|toi|t) )?(?:da )?(?:gui|nop|bao cao)(?: so lieu)? (?:chua|roi chu|roi a|roi nhi)$/;
const SEE_MONTH = /^(?:cho )?(?:(?:toi|em|minh|anh|chi) )?(?:xem|coi|kiem tra) (?:lai )?(?:giup )?(thang \S+(?: nam \d{4})?|t\d{1,2}(?:\/\d{4})?)$/;
/**
 * What was sent in a month named, asked in words: "tháng trước thôn mình gửi những gì", "tháng 10 em gửi
 * bao nhiêu", "T9 đã báo cáo những gì". With "phải", "cần" ("tháng này phải gửi những gì") it asks the rows.
 */
const SENT_WHAT = /(?:^| )(thang (?:vua roi|vua qua|\S+)(?: nam)?(?: \d{4})?|t\d{1,2}(?: \d{4})?)(?: [a-z0-9]+){0,4} (?:da )?(?:gui|nop|bao cao)(?: (?:so lieu|len|cho xa))? (?:(?:nhung|cac) )?(?:gi|cai gi|bao nhieu|the nao|ra sao|so nao|muc nao)(?: |$)/;
/**
 * The asking first, the month after it: "em gửi gì tháng trước rồi nhỉ", "đã gửi những gì cho tháng 10".
 * Only said of the past ("đã", "rồi", "tháng trước"): "gửi gì tháng này" asks the rows.
 */
const SENT_WHAT_FOR =
  /(?:^| )(?:da )?(?:gui|nop|bao cao)(?: (?:so lieu|len|cho xa))? (?:(?:nhung|cac) )?(?:gi|cai gi|bao nhieu|so nao|muc nao) (?:(?:cho|trong|vao|cua) )?(thang (?:vua roi|vua qua|\S+)(?: nam)?(?: \d{4})?|t\d{1,2}(?: \d{4})?)(?: |$)/;
const PAST = /(?:^| )(?:da|roi|thang truoc|thang vua roi|thang vua qua)(?: |$)/;
const MUST = /(?:^| )(?:phai|can|se|nen)(?: |$)/;
/** Words that end a question and change nothing: "… chưa nhỉ", "… không ạ". */
const QUESTION_TAIL = / (?:a|nhi|nhe|vay|the|ha|voi|di)$/;

export const VILLAGE_HEAD_HELP =
  'Hướng dẫn cho trưởng thôn:\n' +
  '• Gửi số liệu tháng: nhắn một tin, ví dụ "tháng 10/2025: sinh 2, tử vong 0, tai nạn 1". Không có trường hợp nào thì ghi 0. ' +
  'Mình đọc lại để anh/chị xác nhận rồi mới lưu.\n' +
  '• /baocaothang: mình hỏi lần lượt từng mục.\n' +
  '• Sửa số đã gửi: nhắn tháng và mục cần sửa, ví dụ "tháng 10/2025: sinh 3".\n' +
  '• /dagui: xem số liệu đã gửi (một tháng: /dagui 10/2025).\n' +
  '• /baocao: báo một sự việc về trẻ em.\n' +
  '• Đang trả lời: "quay lại" để sửa câu trước, "huỷ" để dừng.';

/** "phải gửi những mục nào", "báo cáo gồm những gì", "cần ghi các chỉ tiêu gì": which rows the form has. */
const ASKS_ROWS = /(?:^| )(?:(?:nhung|cac|may) (?:muc|chi tieu|noi dung|so lieu)(?: nao| gi)|muc nao|(?:gui|bao cao|ghi|nop|gom) (?:nhung |cac )?(?:gi|cai gi|nhung gi))(?: |$)/;
/** "hạn nộp khi nào", "bao giờ phải gửi", "gửi trước ngày nào": the due day. */
const ASKS_DEADLINE = /(?:^| )(?:han (?:nop|gui|chot|bao cao|cuoi)|han la|(?:khi nao|bao gio|ngay nao|ngay may|truoc ngay) .*(?:nop|gui|bao cao)|(?:nop|gui|bao cao) .*(?:khi nao|bao gio|ngay nao|ngay may|han))(?: |$)/;
/** "anh ơi cho em hỏi", "xin hỏi", "cho e hỏi chút": asking leave to ask, before the question (folded). */
const ASKS_LEAVE = /^(?:(?:a|anh|chi|c|em|e|co|chu|bac|ad|admin|xa) oi )?(?:(?:cho|xin) (?:(?:em|e|toi|minh|anh|chi|a|c) )?hoi(?: (?:chut|ti|xiu|cai))? )?/;
/** A question, not counts: no digit, and short. */
const MAX_QUESTION_WORDS = 14;
/** How a question ends, before its polite tail: "… thế nào", "… được không", "… cho ai", "… ở đâu". */
const ASKING = /(?:^| )(?:the nao|nhu nao|ra sao|lam sao|sao|duoc khong|dc khong|duoc ko|dc ko|duoc k|dc k|duoc chu|khong|ko|k|chua|gi|ai|dau|nao)$/;
/** "gửi số liệu cho ai", "số liệu này ai xem", "gửi lên đâu": who receives the counts. */
const ASKS_RECIPIENT = /(?:^| )(?:cho ai|cho ben nao|(?:len|ve|vao|o|di) dau|ai (?:xem|nhan|doc|duyet|tong hop|giu)|ben nao (?:xem|nhan))(?: |$)/;
/** "gửi sai thì sửa thế nào", "gửi lại tháng trước được không", "quên gửi thì gửi bù được không": putting a month right, or sending it late. */
const ASKS_CORRECTION = /(?:^| )(?:sua|sai|nham|gui lai|nop lai|gui bu|nop bu|bo sung|gui muon|nop muon|quen gui|quen nop|chua gui)(?: |$)/;
/** "không có trường hợp nào thì ghi gì", "tháng không có gì có phải gửi không": a month with nothing to count. */
const ASKS_NOTHING = /(?:^| )(?:khong|ko|k|chua) co .*(?:thi|co phai|co can|phai|can) .*(?:ghi|gui|nop|bao cao)(?: |$)/;
/** "có cần ghi tên cháu không", "có phải báo tên không": names in the counts. */
const ASKS_NAMES = /(?:^| )(?:ghi|gui|bao|nhan|kem) (?:ca )?(?:ho )?ten(?: |$)/;

/** "chó cắn có tính vào tai nạn không", "bị bỏng thì ghi vào mục nào", "cháu nghỉ học tính là bỏ học à": which row a case goes in. */
const ASKS_ROW = /(?:^| )(?:(?:tinh|ghi|xep|dem|dua)(?: (?:vao|la|thanh|o))|thuoc)(?: (?:muc|dong|phan|loai|cai))?(?: |$)|(?:^| )(?:muc|dong) nao(?: |$)/;

/** "… tính là bỏ học à", "… ghi vào tai nạn nhỉ": asked by its ending alone. */
const ROW_TAIL = /(?: a| ha| nhi| chu| ak| a ha)$/;

type Question = 'rows' | 'deadline' | 'recipient' | 'correction' | 'nothing' | 'names' | 'row';
type Ask = { kind: 'help' } | { kind: 'history'; months?: string } | { kind: Question };

/** Help or history, or nothing when the message is neither (it may be counts, or a concern). */
function whatIsAsked(ctx: TurnContext): Ask | undefined {
  const cmd = ctx.command;
  if (cmd === 'help' || cmd === 'huongdan' || ctx.msg.choice === 'menu:help') return { kind: 'help' };
  if (cmd === 'dagui') return { kind: 'history', months: ctx.commandArgs.trim() || undefined };
  if (cmd || ctx.msg.choice) return undefined;
  if (HELP_WORDS.has(ctx.folded) || HELP_ASKED.test(ctx.folded)) return { kind: 'help' };
  // Before history: "số liệu này ai xem" is no month to show.
  const question = questionAsked(ctx.folded);
  if (question) return { kind: question };
  const months = historyAsked(ctx.folded);
  return months ? { kind: 'history', months: months.words } : undefined;
}

/**
 * "số liệu đã gửi", "số liệu tháng 10", "thôn mình tháng 10 gửi chưa", "cho xem lại tháng 9 với", "tháng
 * trước thôn mình gửi những gì": what was sent is asked, for the month in `words` (none: the latest months). Also asked in the middle of
 * the counts conversation (flow.ts), where it is no correction.
 */
export function historyAsked(folded: string): { words?: string } | undefined {
  const asked = folded.replace(QUESTION_TAIL, '');
  const history = HISTORY.exec(asked) ?? SENT_YET.exec(asked) ?? MONTH_SENT_YET.exec(asked) ?? SEE_MONTH.exec(asked) ?? sentWhat(asked);
  return history ? { words: history[1] } : undefined;
}

function sentWhat(folded: string): RegExpExecArray | null {
  if (MUST.test(folded)) return null;
  return SENT_WHAT.exec(folded) ?? (PAST.test(folded) ? SENT_WHAT_FOR.exec(folded) : null);
}

/**
 * A question about the counts work, short and with no digit: which rows ("phải gửi những mục nào"),
 * the due day ("hạn nộp khi nào"), who receives them ("gửi số liệu cho ai"), how to put a month right
 * or send it late ("gửi sai thì sửa thế nào"), what to send for a month with nothing ("không có gì thì
 * ghi gì"), whether names go in ("có cần ghi tên cháu không"). Also asked in the middle of the counts
 * conversation (flow.ts).
 */
export function questionAsked(said: string): Question | undefined {
  // "a ơi cho e hỏi, …": the asking itself is not the question, nor counted in its length.
  const folded = said.replace(ASKS_LEAVE, '');
  if (/\d/.test(folded) || folded.split(' ').length > MAX_QUESTION_WORDS) return undefined;
  if (ASKS_DEADLINE.test(folded)) return 'deadline';
  // Before the rows: "bị bỏng thì ghi vào mục nào" asks for one row, not the list.
  if (ASKS_ROW.test(folded) && !ASKS_RECIPIENT.test(folded) && (ASKING.test(folded.replace(QUESTION_TAIL, '')) || / hay /.test(folded) || ROW_TAIL.test(folded))) return 'row';
  if (ASKS_ROWS.test(folded) && !ASKS_NOTHING.test(folded) && !sentWhat(folded)) return 'rows';
  const asked = folded.replace(QUESTION_TAIL, '');
  if (ASKS_RECIPIENT.test(asked)) return 'recipient';
  // The others read as statements too ("sửa lại sinh ba", "không có gì"): only asked, they are questions.
  if (!ASKING.test(asked)) return undefined;
  if (ASKS_NAMES.test(asked)) return 'names';
  if (ASKS_NOTHING.test(asked)) return 'nothing';
  return ASKS_CORRECTION.test(asked) ? 'correction' : undefined;
}

/** The answer to a question about the counts themselves; `sent`: whether the month due now was sent, when known. */
export function questionAnswer(question: Question, commune: CommuneConfig, now: number, village: string, asked: { sent?: boolean; folded?: string } = {}): string {
  const month = shortPeriod(reportingPeriod(commune, now)).slice(1);
  switch (question) {
    case 'rows':
      return rowsText(commune, now);
    case 'row':
      return rowOfCase(commune, asked.folded ?? '') ?? rowsText(commune, now);
    case 'deadline':
      return deadlineText(commune, now, village, asked.sent);
    case 'recipient':
      return (
        `Anh/chị cứ nhắn số liệu ngay tại đây, không cần gửi cho ai khác: số liệu đến thẳng cán bộ bảo vệ trẻ em của ${commune.name}. ` +
        'Số liệu từng thôn chỉ cán bộ xã xem; cấp trên chỉ nhận số tổng hợp.'
      );
    case 'correction':
      return (
        `Được ạ. Để gửi bù hoặc sửa, anh/chị nhắn tháng và các mục, ví dụ "tháng ${month}: sinh 3" (chỉ cần mục cần sửa). ` +
        `Mình đọc lại để anh/chị xác nhận rồi mới lưu; số cũ vẫn được giữ lại. Sau ${commune.counts.lockAfterDays} ngày kể từ hạn nộp, tháng đó khoá sổ và cần cán bộ xã mở khoá.`
      );
    case 'nothing':
      return `Mục nào không có trường hợp nào thì ghi 0, và vẫn gửi như thường. Cả tháng không có gì thì nhắn "tháng ${month} không có gì đặc biệt", mình ghi tất cả các mục là 0 để anh/chị xác nhận.`;
    case 'names':
      return 'Không ạ: số liệu tháng chỉ gồm các con số, không ghi tên cháu nào. Nếu một cháu cần được giúp, anh/chị gửi /baocao để báo riêng cho cán bộ xã.';
  }
}

/** Where the words of `field` first stand in ` folded `, or -1. */
function firstMention(field: CountFieldConfig, padded: string): number {
  const at = field.aliases.map((a) => padded.indexOf(` ${a} `)).filter((i) => i >= 0);
  return at.length ? Math.min(...at) : -1;
}

/**
 * "cháu bị chó cắn thì có tính vào tai nạn không": the row the case told first goes in ("chó cắn": the
 * injuries), said against the row asked about when that is another; undefined when the question names
 * no case the rows know.
 */
function rowOfCase(commune: CommuneConfig, folded: string): string | undefined {
  const padded = ` ${folded} `;
  const verb = ASKS_ROW.exec(folded)?.index ?? folded.length;
  const fields = fieldsOf(commune);
  const named = fields
    .map((f) => ({ f, at: firstMention(f, padded) }))
    .filter((x) => x.at >= 0)
    .sort((a, b) => a.at - b.at);
  const told = named.filter((x) => x.at < verb).map((x) => x.f);
  if (told.length !== 1) return undefined;
  const row = told[0] as CountFieldConfig;
  const total = row.partOf ? fields.find((f) => f.key === row.partOf) : undefined;
  const asked = named.find((x) => x.at >= verb && x.f.key !== row.key && x.f.key !== total?.key)?.f;
  const where = `Trường hợp đó ghi vào mục "${labelAlone(row.label)}"${total ? ` (và tính cả vào "${total.label}")` : ''}`;
  return `${asked ? `${where}, không ghi vào mục "${labelAlone(asked.label)}".` : `${where}.`} Anh/chị nhắn tháng và số của mục đó như thường, mình đọc lại để anh/chị xác nhận.`;
}

/** The form's rows in its order, sub-rows after their total, and how to send them. */
function rowsText(commune: CommuneConfig, now: number): string {
  const fields = fieldsOf(commune);
  const lines = fields.map((f) => (f.partOf ? `   ${f.label}` : `• ${f.label}`));
  const month = shortPeriod(reportingPeriod(commune, now)).slice(1);
  return [
    'Số liệu tháng của thôn gồm các mục:',
    ...lines,
    `Mục nào không có trường hợp nào thì ghi 0. Anh/chị nhắn một tin, ví dụ "tháng ${month}: sinh 2, tử vong 0, tai nạn 1", hoặc gõ /baocaothang để mình hỏi từng mục.`,
  ].join('\n');
}

/** The due day as a rule and for the month being reported now, and whether the village has sent it (when known). */
function deadlineText(commune: CommuneConfig, now: number, village: string, sent: boolean | undefined): string {
  const period = reportingPeriod(commune, now);
  const month = shortPeriod(period).slice(1);
  const state =
    sent === undefined
      ? ''
      : sent
        ? ` ${village} đã gửi số liệu tháng ${month}; cần sửa thì nhắn lại tháng và mục cần sửa.`
        : ` ${village} chưa gửi số liệu tháng ${month}; mình sẽ nhắc trước hạn.`;
  return `Số liệu mỗi tháng gửi chậm nhất ngày ${commune.counts.dueDay} của tháng sau. Số liệu tháng ${month} hạn đến hết ngày ${dueDayText(commune, period)}.${state}`;
}

/** The months asked for, newest first; undefined when the words after "số liệu" are not a month. */
function monthsAsked(commune: CommuneConfig, words: string | undefined, now: number): string[] | undefined {
  if (words === undefined) {
    const latest = reportingPeriod(commune, now);
    return Array.from({ length: DEFAULT_MONTHS }, (_, i) => addMonths(latest, -i));
  }
  const span = parseSpan(words, todayIn(commune, now));
  return span?.kind === 'month' ? [span.from] : undefined;
}

/** "Tháng 10/2025 (gửi ngày 12/11/2025, bản sửa lần 2):" then one line per row given. */
async function monthText(ctx: TurnContext, commune: CommuneConfig, village: string, period: string): Promise<string> {
  const month = `Tháng ${shortPeriod(period).slice(1)}`;
  const current = await ctx.services.counts.current(commune.id, period, village);
  if (!current) return `${month}: chưa gửi.`;
  const sent = formatDay(localDay(current.at, commune.timezone));
  const version = current.version > 1 ? `, đã sửa ${current.version - 1} lần` : '';
  const rows = fieldsOf(commune)
    .filter((f) => current.values[f.key] !== undefined)
    .map((f) => `  • ${labelAlone(f.label)}: ${current.values[f.key]}`);
  return [`${month} (gửi ngày ${sent}${version}):`, ...rows].join('\n');
}

/** What the village sent for the months `words` names; undefined when they name no month ("số liệu tháng 10: sinh 2" is counts). */
export async function historyText(ctx: TurnContext, commune: CommuneConfig, village: string, words: string | undefined): Promise<string | undefined> {
  const months = monthsAsked(commune, words, ctx.services.now());
  if (!months) return undefined;
  const parts = await Promise.all(months.map((period) => monthText(ctx, commune, village, period)));
  const month = shortPeriod(reportingPeriod(commune, ctx.services.now())).slice(1);
  const tail = `Muốn sửa, anh/chị nhắn tháng và mục cần sửa, ví dụ "tháng ${month}: sinh 3".`;
  return [`Số liệu ${village} đã gửi:`, ...parts, tail].join('\n');
}

async function showHistory(ctx: TurnContext, member: Member, commune: CommuneConfig, words: string | undefined): Promise<boolean> {
  const text = await historyText(ctx, commune, member.village as string, words);
  if (text) ctx.reply(text);
  return text !== undefined;
}

export const villageHeadFeature: Feature = {
  name: 'village-head',
  async handle(ctx) {
    const ask = whatIsAsked(ctx);
    if (!ask) return false;
    const member = await ctx.ownRole();
    const commune = member?.role === 'village_head' && member.village ? ctx.commune(member.communeId) : undefined;
    if (!member || !commune) {
      if (ctx.command !== 'dagui') return false;
      ctx.reply('Lệnh /dagui dành cho trưởng thôn đã đăng ký. Nếu bạn là trưởng thôn, xin gửi /dangky MÃ_MỜI (mã do xã cấp) trước.');
      return true;
    }
    if (ask.kind === 'help') {
      ctx.reply(VILLAGE_HEAD_HELP);
      return true;
    }
    if (ask.kind !== 'history') {
      const now = ctx.services.now();
      const village = member.village as string;
      const sent = ask.kind === 'deadline' ? (await ctx.services.counts.current(commune.id, reportingPeriod(commune, now), village)) !== undefined : undefined;
      ctx.reply(questionAnswer(ask.kind, commune, now, village, { sent, folded: ctx.folded }));
      return true;
    }
    return showHistory(ctx, member, commune, ask.months);
  },
};
