/**
 * Reads an officer command from a message: a slash command ("/ghichu TE-7K3M9Q đã gọi điện"), the same
 * words typed with or without diacritics ("ghi chú TE-7K3M9Q …"; a typed form needs the code right after
 * its words, so ordinary sentences are not mistaken for commands), or a button ("case:close:TE-7K3M9Q").
 */
import { reportCodes } from '../../domain/refcode.js';
import { fold, foldWords } from '../../text/vietnamese.js';
import type { TurnContext } from '../turn.js';

export type CaseAction = 'view' | 'note' | 'update' | 'assess' | 'intervene' | 'emergency' | 'refer' | 'close' | 'approve' | 'submit' | 'reopen' | 'ask' | 'assign';
export type OfficerCommandName = CaseAction | 'list' | 'deadletters' | 'help';

export interface OfficerCommand {
  name: OfficerCommandName;
  /** TE-XXXXXX when one follows the command words. */
  code?: string;
  /** What follows the code (note text, outcome, agency, target status). */
  rest: string;
  /** Typed without a slash: the caller falls through for non-staff rather than refusing. */
  typed: boolean;
}

interface CommandSpec {
  name: OfficerCommandName;
  slash: string[];
  /** Folded word sequences that, followed by a code (or alone for list commands), mean this command. */
  typed: string[];
  /**
   * For commands that end a case: when typed with diacritics, the words must be these. Folding makes
   * "chuyện" (a story) look like "chuyển" (refer) and "đồng" like "đóng" (close).
   */
  accented?: string[];
  /** Typed, only with a code: alone the words mean other things ("hỗ trợ" is also a call for help). */
  withCode?: true;
}

const CASE_COMMANDS: CommandSpec[] = [
  { name: 'view', slash: ['xem', 'chitiet'], typed: ['xem', 'xem vu', 'xem vu viec', 'xem ma', 'xem ho so', 'chi tiet', 'xem chi tiet'] },
  { name: 'note', slash: ['ghichu'], typed: ['ghi chu', 'ghichu', 'them ghi chu'] },
  { name: 'update', slash: ['capnhat'], typed: ['cap nhat', 'capnhat'] },
  // The steps named as the help names them ("/capnhat MÃ đánh giá"), typed on their own: "đánh giá 7K3M9Q".
  { name: 'assess', slash: [], typed: ['danh gia', 'xac minh', 'bat dau danh gia', 'bat dau xac minh', 'chuyen danh gia'], withCode: true },
  { name: 'intervene', slash: [], typed: ['ho tro', 'can thiep', 'bat dau ho tro', 'bat dau can thiep', 'chuyen ho tro'], withCode: true },
  { name: 'emergency', slash: ['khancap'], typed: ['khan cap', 'khancap', 'bien phap khan cap'] },
  { name: 'refer', slash: ['chuyen'], typed: ['chuyen', 'chuyen co quan', 'chuyen vu viec'], accented: ['chuyển', 'chuyển cơ quan', 'chuyển vụ việc'] },
  { name: 'close', slash: ['dong'], typed: ['dong', 'dong vu viec', 'ket thuc'], accented: ['đóng', 'đóng vụ việc', 'kết thúc'] },
  { name: 'submit', slash: ['trinhduyet'], typed: ['trinh duyet', 'trinh duyet ke hoach', 'trinh ke hoach', 'gui ke hoach', 'nop ke hoach', 'trinh ke hoach ho tro', 'gui ke hoach ho tro'] },
  { name: 'approve', slash: ['duyet', 'duyetkehoach'], typed: ['duyet', 'duyet ke hoach'], accented: ['duyệt', 'duyệt kế hoạch'] },
  { name: 'reopen', slash: ['molai'], typed: ['mo lai', 'mo lai vu viec'], accented: ['mở lại', 'mở lại vụ việc'] },
  { name: 'ask', slash: ['hoi'], typed: ['hoi nguoi bao', 'hoi lai nguoi bao', 'hoi them nguoi bao', 'nhan nguoi bao', 'nhan hoi nguoi bao'] },
  { name: 'assign', slash: ['giao'], typed: ['giao vu viec', 'giao vu'] },
];

const PLAIN_COMMANDS: CommandSpec[] = [
  { name: 'list', slash: ['vuviec', 'dsvuviec'], typed: ['vu viec', 'cac vu viec', 'danh sach vu viec', 'vu viec dang mo'] },
  { name: 'deadletters', slash: ['loigui'], typed: ['loi gui', 'tin loi', 'tin khong gui duoc'] },
  { name: 'help', slash: ['huongdan', 'help'], typed: ['huong dan', 'help'] },
];

const BUTTON = /^case:(view|assess|intervene|note|emergency|refer|close|approve|submit|reopen|ask):(TE-[0-9A-Z]{6})$/;

export function caseButton(action: CaseAction, code: string): string {
  return `case:${action}:${code}`;
}

/** Text after the code, without the separators people put there ("TE-7K3M9Q: …", "TE-7K3M9Q - …"). */
function afterCode(text: string, end: number): string {
  return text.slice(end).replace(/^[\s:,.;–-]+/, '').trim();
}

/** Typed without diacritics anything folding to the words counts; typed with them, the exact words must. */
function typedAsMeant(words: string, spec: CommandSpec): boolean {
  if (!spec.accented || fold(words) === words.toLowerCase()) return true;
  const written = words.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return spec.accented.includes(written);
}

export function parseOfficerCommand(ctx: TurnContext): OfficerCommand | undefined {
  const button = ctx.msg.choice?.match(BUTTON);
  if (button) return { name: button[1] as CaseAction, code: button[2], rest: '', typed: false };
  if (ctx.msg.choice === 'menu:help') return { name: 'help', rest: '', typed: false };

  const cmd = ctx.command;
  if (cmd) {
    const spec = [...CASE_COMMANDS, ...PLAIN_COMMANDS].find((s) => s.slash.includes(cmd));
    if (!spec) return undefined;
    const args = ctx.commandArgs;
    // The code must come first: "/ghichu đã gọi TE-…" is a note without its code, not a note on it.
    const m = reportCodes(args, true)[0];
    if (!m || args.slice(0, m.index).trim() !== '') return { name: spec.name, rest: args.trim(), typed: false };
    return { name: spec.name, code: m.code, rest: afterCode(args, m.end), typed: false };
  }

  // A command's slash word typed without its slash ("vuviec", "ghichu 7K3M9Q …") is that command.
  const plain = PLAIN_COMMANDS.find((s) => s.typed.includes(ctx.folded) || s.slash.includes(ctx.folded));
  if (plain) return { name: plain.name, rest: '', typed: true };
  if (asksForCases(ctx.folded)) return { name: 'list', rest: '', typed: true };
  // Typed, the command's words come right before the code ("xem vụ 7K3M9Q"), or with "vụ" between them
  // ("bắt đầu xác minh vụ 7K3M9Q", "đóng vụ việc 7K3M9Q").
  for (const m of reportCodes(ctx.text, true)) {
    const before = ctx.text.slice(0, m.index);
    for (const words of new Set([before, withoutCaseWord(before)].map(withoutLead))) {
      const folded = foldWords(words);
      const spec = CASE_COMMANDS.find((s) => s.typed.includes(folded) || s.slash.includes(folded));
      if (spec && typedAsMeant(words, spec)) return { name: spec.name, code: m.code, rest: afterCode(ctx.text, m.end), typed: true };
    }
  }
  return codeFirst(ctx.text) ?? typedAlone(ctx.text) ?? typedWithText(ctx.text);
}

/** Words between the code and the command's words: "TE-7K3M9Q đã quyết định biện pháp khẩn cấp: …", "vụ 7K3M9Q chuyển sang xác minh". */
const LEADS = new Set(['da', 'vua', 'se', 'cho', 'xin', 'quyet dinh', 'chuyen sang', 'chuyen qua', 'sang', 'bat dau', 'de nghi', 'em', 'toi', 'minh', 'anh', 'chi']);
const COMMAND_WORDS = 5;
const WITHOUT_TEXT: ReadonlySet<OfficerCommandName> = new Set(['view', 'assess', 'intervene']);

/**
 * The code first and the command's words after it, as people also write: "TE-7K3M9Q đã quyết định biện
 * pháp khẩn cấp: báo công an", "vụ 7K3M9Q chuyển sang xác minh", "7K3M9Q đóng vì đã xong". Only the code
 * (after "vụ", "mã") may come before; what follows the command's words is its text.
 */
function codeFirst(text: string): OfficerCommand | undefined {
  const m = reportCodes(text, true)[0];
  if (!m || foldWords(withoutCaseWord(` ${text.slice(0, m.index)}`)) !== '') return undefined;
  const words = [...text.slice(m.end).matchAll(/[^\s:,.;–-]+/g)];
  let i = 0;
  for (let led = true; led; ) {
    const two = foldWords(`${words[i]?.[0] ?? ''} ${words[i + 1]?.[0] ?? ''}`);
    led = LEADS.has(two) || LEADS.has(foldWords(words[i]?.[0] ?? ''));
    if (led) i += LEADS.has(two) ? 2 : 1;
  }
  for (let n = Math.min(COMMAND_WORDS, words.length - i); n > 0; n--) {
    const said = words.slice(i, i + n).map((w) => w[0]).join(' ');
    const spec = CASE_COMMANDS.find((c) => c.typed.includes(foldWords(said)));
    if (!spec || !typedAsMeant(said, spec)) continue;
    const last = words[i + n - 1] as RegExpMatchArray;
    const rest = afterCode(text, m.end + (last.index ?? 0) + last[0].length);
    // "TE-7K3M9Q đã xem xét, …", "… hỗ trợ gia đình làm giấy tờ" record work: a step without text is its words alone.
    if (WITHOUT_TEXT.has(spec.name) && foldWords(rest).replace(ALONE_TAIL, '').replace(/^(nhe|nha|a)$/, '') !== '') return undefined;
    return { name: spec.name, code: m.code, rest, typed: true };
  }
  return undefined;
}

/** The word for a case typed between a command's words and the code. */
const CASE_WORD = /\s+(?:vu viec|vu|ma|ho so)[\s:]*$/;

/** The command's words without a trailing "vụ", "vụ việc", "mã": folding keeps positions, so the cut is the text's. */
function withoutCaseWord(words: string): string {
  const m = CASE_WORD.exec(fold(words));
  return m ? words.slice(0, m.index) : words;
}

/** "Có vụ nào mới không", "hôm nay có vụ việc nào không", "các vụ đang mở": the list, asked in words. */
const ASKS_FOR_CASES = /(?:^| )vu(?: viec)?(?: [a-z]+){0,2} (?:nao|moi|dang mo|chua nhan|chua xu ly)(?: |$)/;
const ASK_WORDS = 9;
function asksForCases(folded: string): boolean {
  return folded.split(' ').length <= ASK_WORDS && ASKS_FOR_CASES.test(folded);
}

/** What may follow a command's words when no code does ("xem vụ này nhé"). */
const ALONE_TAIL = /( (vu nay|vu do|nay|do|nhe|nha|a))+$/;

/** Words an officer puts before a command: "dạ", "ok", "để em", "cho e", "a" (anh), "mk" (mình), folded. */
export const OFFICER_LEAD = ['ok', 'oke', 'okie', 'vang', 'da', 'de', 'cho', 'xin', 'em', 'e', 'toi', 't', 'anh', 'a', 'chi', 'c', 'minh', 'mk'];
const LEAD_WORDS: ReadonlySet<string> = new Set(OFFICER_LEAD);

/** The words without those leading ones ("để e xem vụ 7K3M9Q" → "xem vụ"), as typed; never all of them. */
function withoutLead(words: string): string {
  const typed = words.trim().split(/\s+/);
  let i = 0;
  while (i < typed.length - 1 && LEAD_WORDS.has(foldWords(typed[i] as string))) i++;
  return typed.slice(i).join(' ');
}

/** The command's typed words and nothing else ("xem", "xem vụ này", "để e ghi chú"): a case meant, not named. */
function typedAlone(typedText: string): OfficerCommand | undefined {
  const text = withoutLead(typedText);
  const folded = foldWords(text);
  const words = folded.replace(ALONE_TAIL, '');
  const spec = CASE_COMMANDS.find((s) => !s.withCode && s.typed.includes(words));
  const written = text.trim().split(/\s+/).slice(0, words.split(' ').length).join(' ');
  return spec && typedAsMeant(written, spec) ? { name: spec.name, rest: '', typed: true } : undefined;
}

/** Commands whose words typed first, then their text with no code, are plainly that command. */
const LEADS_TEXT: ReadonlySet<OfficerCommandName> = new Set(['ask', 'note']);
/** Words between the command's and its text: "hỏi người báo xem …", "ghi chú là …". */
const BEFORE_TEXT: ReadonlySet<string> = new Set(['xem', 'la', 'rang', 'giup', 'gium', 'dum', 'ho', 'nhe']);

/**
 * "hỏi người báo xem cháu ở nhà số mấy", "ghi chú: đã gọi cho mẹ cháu": a question or a note with no
 * code, its text kept for the case picked (it got "Anh/chị muốn xem vụ nào?", the question lost).
 */
function typedWithText(typedText: string): OfficerCommand | undefined {
  const words = withoutLead(typedText).split(/\s+/);
  for (let n = Math.min(COMMAND_WORDS, words.length - 1); n > 0; n--) {
    const said = words.slice(0, n).join(' ');
    const spec = CASE_COMMANDS.find((s) => LEADS_TEXT.has(s.name) && s.typed.includes(foldWords(said)));
    if (!spec || !typedAsMeant(said, spec)) continue;
    let from = n;
    while (from < words.length - 1 && BEFORE_TEXT.has(foldWords(words[from] as string))) from++;
    const rest = words.slice(from).join(' ').replace(/^[\s:,.;–-]+/, '').trim();
    return rest ? { name: spec.name, rest, typed: true } : undefined;
  }
  return undefined;
}

/** Whether a text would itself be read as an officer command (so it is not taken as a note's content). */
export function looksLikeCommand(ctx: TurnContext): boolean {
  return ctx.command !== undefined || parseOfficerCommand(ctx) !== undefined;
}
