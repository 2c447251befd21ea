/**
 * The scan of a counts message: one left-to-right pass over its tokens that turns them into a short list
 * of items (row names, unknown phrases, numbers, breaks) with the punctuation between them. It does not
 * decide which number belongs to which row: pairing.ts does, from the items' order and punctuation, so
 * "sinh 3 tử vong 0" and "3 cháu sinh ra, 0 tử vong" read alike.
 */
import { numberFromWords } from '../../text/numbers.js';
import type { CountsProblem } from './reading.js';
import { isDate, readPeriod, readWhole, type PeriodRead, type Token } from './tokens.js';
import { NUMBER_WORDS, OWNER_MARKS, type Dictionary, type Match, type VillageNames } from './vocabulary.js';

const MAX_UNKNOWN_CHARS = 60;

/** How strongly the punctuation between two items separates them: none (or `:`/`=`), a comma-like mark, a line break. */
export type Gap = 0 | 1 | 2;

export type ValueProblem = 'negative' | 'not_whole' | 'too_large';

export type Item =
  /**
   * A row name (`key`) or a phrase not understood (`key` undefined, `text` as written), `start`..`end`
   * in the text. `cause`: the row is named as the cause or time of what came before ("tử vong 1 cháu do
   * tai nạn"). `nearRow`: a phrase not understood that starts with a row's weak name ("mất tích"): the
   * sender may have meant a row, so it is always named back.
   */
  | { kind: 'label'; key?: string; text: string; start: number; end: number; index: number; gap: Gap; cause?: boolean; other?: number; nearRow?: boolean }
  // `other` on a label or number: it is about a grown-up, not a child ("mẹ cháu bị tai nạn", "1 cụ già
  // tử vong", "1 cháu mất mẹ", "1 thanh niên 18 tuổi"); the text offset where that is said.
  /**
   * A count as written: digits, number words, or a zero word (`không`, `ko`). `counted`: a word for
   * children follows it ("1 cháu").
   */
  | {
      kind: 'number'; raw: string; value?: number; problem?: ValueProblem; zero: boolean; index: number; gap: Gap; counted?: boolean;
      start: number; end: number; other?: number;
    }
  /** A period, a date or a village name: nothing pairs across it. */
  | { kind: 'break'; index: number; gap: Gap };

export interface Hit {
  text: string;
  index: number;
  withValue: boolean;
}

export interface PeriodHit {
  index: number;
  month: number;
  year?: number;
}

/** The most words a number is spelt in ("một trăm hai mươi mốt"). */
const MAX_NUMBER_WORDS = 5;

/** Number words that make numbers too big to be worth reading from words: asked back in digits. */
const MULTIPLIERS = new Set(['tram', 'nghin', 'ngan', 'trieu']);

/** Words that count children: "tư cháu", "năm trường hợp". */
const UNITS = new Set(['chau', 'tre', 'em', 'be', 'ca', 'nguoi', 'dua', 'con', 'truong', 'te', 'hs']);

/** Punctuation that binds a row to its number (`sinh: 3`, `sinh=3`) rather than separating items. */
const BINDING = new Set([':', '=']);

/** What follows the number of a list item: "1. Sinh: 3", "2) Tử vong: 0", "3/ Đuối nước: 0", "4- Bỏ học: 1". */
const LIST_MARKS = new Set(['.', ')', '/', '-']);

/** Words between "còn lại" and its zero: "còn lại đều không có", "các mục khác bằng 0". */
const REST_FILLER = new Set(['deu', 'la', 'bang', 'thi', 'cung', 'co']);

/** Words between a weak row name and its count: "TV là 0", "mất = 1". */
const COUNT_FILLER = new Set(['la', 'bang']);

/**
 * Words that start what is said about an event, not a longer name: its cause ("do", "vì", "bởi"), its
 * time ("sau", "khi", "lúc", "rồi") or its place ("tại", "ở"). "1 cháu mất do sốt" is a death.
 */
const CLAUSE_START = new Set(['do', 'vi', 'boi', 'sau', 'khi', 'luc', 'roi', 'tai', 'o']);

/** "mất 2 ngày", "mất 3 tiếng": a span of time, not a count. */
const TIME_UNITS = new Set(['ngay', 'hom', 'dem', 'tuan', 'thang', 'nam', 'gio', 'tieng', 'phut', 'buoi']);

/**
 * "sau 3 ngày", "2 tuần trước": a number before one of these is a span of time, not a count, unless a
 * date or "nay"/"qua" follows ("1 ngày 5/11", "1 hôm qua", "3 tháng này").
 */
const DURATION_UNITS = new Set(['ngay', 'hom', 'dem', 'tuan', 'thang', 'gio', 'tieng', 'phut', 'buoi']);
const NOT_DURATION = new Set(['nay', 'qua', 'kia', 'vua']);

/** "1 vụ", "2 lần": a number of incidents or times, not of children. */
const EVENT_UNITS = new Set(['vu', 'lan']);

/** Words that say a row is the cause or the time of what was said before it: "tử vong 1 do tai nạn". */
const CAUSE_MARKS = new Set(['do', 'vi', 'boi', 'sau', 'khi', 'luc']);

/** "1 cháu bị bố đánh", "xâm hại bởi cha dượng": a grown-up after these did it, and the row is the child's. */
const AGENT_MARKS = new Set(['bi', 'boi', 'duoc']);

/** "mất mẹ", "mồ côi bố": a child who lost a parent (the death is the parent's). */
const BEREFT = new Set(['mat', 'coi']);

/** "bỏ đi", "bỏ nhà", "bỏ lại": `bo` (bố) before these is the verb "bỏ", not a father. */
const LEAVE_NEXT = new Set(['di', 'nha', 'lai', 'tron', 'qua', 've', 'ra', 'que', 'xu', 'hoc', 'ca']);

/** "không có cháu nào bị tai nạn hay đuối nước": one zero for every row of the list. */
const LIST_JOINERS = new Set(['hay', 'hoac', 'va', 'lan']);

/** "5 tháng tuổi", "10 ngày tuổi": an age in months or days. */
const AGE_UNITS = new Set(['thang', 'ngay']);

export class Scan {
  readonly items: Item[] = [];
  readonly problems: CountsProblem[] = [];
  readonly periods: PeriodHit[] = [];
  firstKeyIndex = Number.POSITIVE_INFINITY;
  /** "còn lại không có": the rows not written are zero. */
  restZero = false;
  /** Strongest punctuation seen since the last item. */
  private gap: Gap = 0;
  /** True while the last item is an unknown phrase that the next unknown word may extend. */
  private unknownOpen = false;
  /** The token after the last number item, to see a count restated in brackets right after it. */
  private lastNumberEnd = -1;
  /** The number of the last list item ("2." of "2. Tử vong: 0"), or -1. */
  private lastListItem = -1;
  /** Whether the message names a row by a name that is not weak; worked out on first need. */
  private strongRow: boolean | undefined;
  /** The token after the last row name. */
  private lastKeyEnd = -1;
  /**
   * Set while what is said is about a grown-up ("mẹ cháu … bị tai nạn"): where they are named in the
   * text, and the token after their name (a number right there, "bố của 2 cháu", is theirs too).
   */
  private adult: { start: number; after: number; age?: number } | null = null;

  private readonly tokens: readonly Token[];

  constructor(
    private readonly text: string,
    tokens: readonly Token[],
    private readonly dict: Dictionary,
    private readonly villages: VillageNames,
  ) {
    // Slips in a row's name ("sihn 2") are read as the name; the text said back stays as written.
    this.tokens = tokens.map((t) => {
      const norm = t.kind === 'word' ? dict.spell(t.norm) : t.norm;
      return norm === t.norm ? t : { ...t, norm };
    });
  }

  run(): this {
    let i = 0;
    while (i < this.tokens.length) i = this.step(i);
    return this;
  }

  private step(i: number): number {
    const tok = this.tokens[i] as Token;
    if (tok.kind === 'punct' && this.isMinus(i)) return this.onDigits(i + 1, true);
    if (tok.kind === 'newline') return this.separate(2, i);
    if (tok.text === '(' && this.gap === 0) {
      const end = this.breakdownEnd(i, true);
      if (end > 0) return end;
    }
    if (tok.kind === 'punct') return BINDING.has(tok.text) ? i + 1 : this.separate(1, i);
    const period = readPeriod(this.tokens, i);
    if (period) return this.onPeriod(i, period);
    if (tok.kind === 'num') return isDate(tok.folded) && !this.followsRow() ? this.pushBreak(i, i + 1) : this.onDigits(i, false);
    return this.onWord(i);
  }

  private separate(strength: Gap, i: number): number {
    if (strength > this.gap) this.gap = strength;
    this.unknownOpen = false;
    this.adult = null;
    return i + 1;
  }

  /** `-` glued to a number and not glued to a word before it: `sinh -1`, `sinh:-1`, `\n-1`, but not `sinh-1`. */
  private isMinus(i: number): boolean {
    const tok = this.tokens[i] as Token;
    const next = this.tokens[i + 1];
    const prev = this.tokens[i - 1];
    if (tok.text !== '-' && tok.text !== '\u2212') return false;
    if (next?.kind !== 'num' || next.start !== tok.end) return false;
    return prev === undefined || prev.end !== tok.start || (prev.kind !== 'word' && prev.kind !== 'num');
  }

  private onDigits(i: number, negative: boolean): number {
    const tok = this.tokens[i] as Token;
    const raw = shorten(negative ? `-${tok.text}` : tok.text);
    const whole = readWhole(tok.folded);
    if (negative) return this.pushNumber({ raw, problem: 'negative', zero: false, index: i }, i + 1);
    if (!whole.ok) return this.pushNumber({ raw, problem: whole.why, zero: false, index: i }, i + 1);
    if (this.isListMarker(i)) {
      this.lastListItem = whole.value;
      return i + 2;
    }
    return this.pushNumber({ raw, value: whole.value, zero: false, index: i }, i + 1);
  }

  /**
   * "1. Sinh: 3": a small number opening a line (or a part after `;`), glued to `.`, `)`, `/` or `-`
   * and followed by a space and words, numbers a list item when the line holds its own count further on,
   * or the items before or after it are numbered one less or one more ("2. Tử vong" with no count yet).
   */
  private isListMarker(i: number): boolean {
    const n = this.listItemAt(i);
    if (n === undefined) return false;
    if (this.lastListItem === n - 1) return true;
    let j = i + 2;
    for (; j < this.tokens.length; j += 1) {
      const t = this.tokens[j] as Token;
      if (t.kind === 'newline' || t.text === ';') break;
      if (t.kind === 'num' || this.dict.phrases.get(t.norm)?.kind === 'zero') return true;
    }
    return this.listItemAt(j + 1) === n + 1;
  }

  /** The item number if token i has the shape of one (at a line's start, glued to its mark, then a space and a word). */
  private listItemAt(i: number): number | undefined {
    const tok = this.tokens[i];
    const prev = this.tokens[i - 1];
    const mark = this.tokens[i + 1];
    const first = this.tokens[i + 2];
    if (tok?.kind !== 'num' || !/^[0-9]{1,2}$/.test(tok.folded)) return undefined;
    if (prev !== undefined && prev.kind !== 'newline' && prev.text !== ';') return undefined;
    if (mark?.kind !== 'punct' || !LIST_MARKS.has(mark.text) || mark.start !== tok.end) return undefined;
    // A space after the mark, as lists are typed: "3-sinh" is not an item number.
    if (first?.kind !== 'word' || first.start === mark.end) return undefined;
    return Number(tok.folded);
  }

  /**
   * "3 tuổi", "5 tháng tuổi", "lớp 8": a number describing a child (age, school class), not a count.
   * Returns the index after it, or -1.
   */
  private attributeEnd(i: number, end: number, value: number | undefined): number {
    if (this.tokens[i - 1]?.norm === 'lop') return end;
    const age = this.ageEnd(end);
    if (age >= 0 && value !== undefined && age === end + 1) this.onAge(i, value, age);
    if (age >= 0) return age;
    // "1 vụ đuối nước làm 2 cháu tử vong": incidents or times are not children.
    if (EVENT_UNITS.has(this.tokens[end]?.norm ?? '')) return end + 1;
    return this.isDuration(end) ? end + 1 : -1;
  }

  /**
   * "1 cháu 17 tuổi bị tai nạn", "tai nạn 1 cháu 17 tuổi": someone of that age may not be counted in the
   * row (a child is under 16; a marriage is a child marriage under 18). The row before the count and age
   * is checked now, the rows after it as they come (`adult`, with the age).
   */
  private onAge(i: number, age: number, end: number): void {
    if (this.adult) return;
    const [row, number] = [this.items.at(-2), this.items.at(-1)];
    if (number?.kind !== 'number' || this.gap !== 0 || !this.onlyFillerBetween(number.index + 1, i)) return;
    if (row?.kind === 'label' && row.key !== undefined && number.gap === 0) {
      if (age < this.dict.untilAge(row.key)) return;
      row.other = row.start;
      number.end = (this.tokens[end - 1] as Token).end; // said back with the age
      return;
    }
    this.adult = { start: number.start, after: -1, age };
  }

  /** Tokens [from, to) are fillers and words for children: "1 cháu 17 tuổi", not "1 cháu bị ông A 50 tuổi…". */
  private onlyFillerBetween(from: number, to: number): boolean {
    for (let j = from; j < to; j += 1) {
      if (this.dict.phrases.get((this.tokens[j] as Token).norm)?.kind !== 'noise') return false;
    }
    return true;
  }

  /** A unit of time at j that makes the number before it a span ("sau 3 ngày"), not a date ("1 ngày 5/11"). */
  private isDuration(j: number): boolean {
    const unit = this.tokens[j];
    const after = this.tokens[j + 1];
    if (unit?.kind !== 'word' || !DURATION_UNITS.has(unit.norm)) return false;
    // "tháng 11", "ngày 5/11", "hôm qua", "tháng này": a date or a named day, so the number is a count.
    return after?.kind !== 'num' && !(after?.kind === 'word' && NOT_DURATION.has(after.norm));
  }

  /** The index after "tuổi", "tháng tuổi" or "ngày tuổi" starting at j, or -1. */
  private ageEnd(j: number): number {
    const next = this.tokens[j];
    if (next?.kind !== 'word') return -1;
    if (next.norm === 'tuoi') return j + 1;
    return AGE_UNITS.has(next.norm) && this.tokens[j + 1]?.norm === 'tuoi' ? j + 2 : -1;
  }

  /**
   * "sinh 4 (2 nam, 2 nữ)", "2 tai nạn (1 ngã, 1 chó cắn)", "sinh 7, trong đó 4 trai 3 gái": a bracket
   * (or "trong đó" up to the next other row, line or full stop) right after a row and its number,
   * splitting that number into parts that add up to it and naming no other row, is a breakdown, not more
   * counts; a bracket there with no number, no other row and no grown-up only describes it ("tử vong 1
   * (sơ sinh)"). `open` is the last token of the opener. Returns the index after the breakdown, or -1 (it is
   * read as usual, and parts that do not add up are asked about; "xâm hại 3, trong đó bạo lực 2" names
   * sub-rows, which are counts).
   */
  private breakdownEnd(open: number, bracket: boolean): number {
    const [a, b] = [this.items.at(-2), this.items.at(-1)];
    const number = b?.kind === 'number' ? b : a?.kind === 'number' ? a : undefined;
    const label = b?.kind === 'label' ? b : a?.kind === 'label' ? a : undefined;
    if (!number || number.value === undefined || !label?.key || b?.gap !== 0) return -1;
    let sum = 0;
    let parts = 0;
    let adult = false;
    // A grown-up, a zero word or a month inside ("(bố cháu)", "(không)", "(T9/25)"): not a plain description.
    let names = false;
    const addsUp = (): boolean => parts > 0 && sum === number.value;
    let j = open + 1;
    while (j < this.tokens.length) {
      const tok = this.tokens[j] as Token;
      if (bracket && tok.text === ')' && adult) return this.partlyAdults(number, j);
      // "tai nạn 1 (xe đạp trầy xước)": no number, no other row, nothing else named: it only describes the row.
      if (bracket && tok.text === ')') return addsUp() || (parts === 0 && !names) ? j + 1 : -1;
      if (!bracket && (tok.kind === 'newline' || tok.text === ';' || tok.text === '.')) return addsUp() ? j : -1;
      if (tok.kind === 'newline' || tok.text === '(') return -1;
      if (tok.kind === 'num') {
        const whole = readWhole(tok.folded);
        if (!whole.ok) return -1;
        sum += whole.value;
        parts += 1;
      }
      const match = tok.kind === 'word' ? this.matchAt(j) : null;
      if (match?.entry.kind === 'key' && match.entry.key !== label.key) return !bracket && addsUp() ? j : -1;
      // "(1 người lớn, 1 trẻ em)": a grown-up counted inside, not one named as who did it or lives there.
      adult ||= tok.kind === 'num' && this.adultAt(j + 1);
      names ||= this.adultAt(j) || match?.entry.kind === 'zero' || readPeriod(this.tokens, j) !== null;
      j = match ? match.end : j + 1;
    }
    return !bracket && addsUp() ? j : -1;
  }

  /**
   * "tai nạn 2 (1 người lớn, 1 trẻ em)": the row's number counts a grown-up too, so it is not saved;
   * the sender is told, with the bracket (ending at token `close`).
   */
  private partlyAdults(number: Extract<Item, { kind: 'number' }>, close: number): number {
    number.other = number.start;
    number.end = (this.tokens[close] as Token).end;
    return close + 1;
  }

  /** "02 (hai)", "hai (02)", "0 (không)": the same count again in brackets, as official letters write it. */
  private restates(i: number, end: number, value: number | undefined): boolean {
    const last = this.items.at(-1);
    return (
      value !== undefined &&
      last?.kind === 'number' &&
      last.value === value &&
      this.lastNumberEnd === i - 1 &&
      this.tokens[i - 1]?.text === '(' &&
      this.tokens[end]?.text === ')'
    );
  }

  private onPeriod(i: number, period: PeriodRead): number {
    const raw = this.excerpt(i, period.next);
    if (period.bad) this.problems.push({ kind: 'bad_period', raw });
    else if (period.month !== undefined) this.periods.push({ index: i, month: period.month, year: period.year });
    return this.pushBreak(i, period.next);
  }

  private onWord(i: number): number {
    const match = this.matchAt(i);
    if (this.tokens[i + 1] && (this.tokens[i] as Token).norm === 'trong' && (this.tokens[i + 1] as Token).norm === 'do' && this.gap < 2) {
      const end = this.breakdownEnd(i + 1, false);
      if (end > 0) return end;
    }
    if (match?.entry.kind === 'key' && match.entry.weak && !this.weakHolds(i, match.end)) return this.onUnknownWord(i, true);
    if (match?.entry.kind === 'key') return this.onKey(match.entry.key, i, match.end);
    // A longer phrase ("năm nay", "một số") is a phrase, not a number word.
    if (!match || match.words === 1) {
      const end = this.numberWordsEnd(i);
      // Right after a number ("2 cháu nam") a number word describes the children: a boy, not five.
      if (end > i && this.followsNumber()) return end;
      if (end > i && !this.describesCountedRow(end)) return this.onNumberWords(i, end);
      if (end > i) return this.onUnknownWord(i);
    }
    if (match?.entry.kind === 'zero') return this.pushNumber({ raw: this.excerpt(i, match.end), value: 0, zero: true, index: i }, match.end);
    if (match?.entry.kind === 'marker') return this.skipVillage(i, match.end);
    if (match?.entry.kind === 'rest') return this.onRest(i, match.end);
    if (match?.entry.kind === 'not') return this.onNot(match.end);
    if (match?.entry.kind === 'adult' && !this.leaves(i, match)) return this.onAdult(i, match.end);
    if (match?.entry.kind === 'noise' && this.childAgain(i)) this.adult = null;
    if (match) return match.end;
    return this.onUnknownWord(i);
  }

  /**
   * A weak name ("TV", "ĐN", "mất") is its row right after a count and before nothing more that it
   * could be part of ("1 cháu mất", "1 cháu mất do sốt", not "1 cháu mất ngủ"), right before a count
   * that is not a span of time ("mất 1", "TV: 0", "mất 1 do bệnh", not "mất 2 ngày"), or alone as an
   * item of a list that names other rows ("sinh 2, TV, ĐN 0"). Anywhere else it is an ordinary word and
   * is named back if not understood.
   */
  private weakHolds(i: number, end: number): boolean {
    // "1 cháu mất mẹ", "mất cả bố lẫn mẹ": lost a parent, which is not a death counted here.
    if (this.adultAt(this.tokens[end]?.norm === 'ca' ? end + 1 : end)) return false;
    if (this.countAt(end)) return true;
    const ends = this.phraseEndsAt(end);
    if (this.followsNumber()) return ends || this.clauseStartsAt(end);
    if (!ends) return false;
    const prev = this.tokens[i - 1];
    const next = this.tokens[end];
    const listed = (t: Token | undefined): boolean => t === undefined || t.kind === 'newline' || t.text === ',' || t.text === ';';
    return listed(prev) && (listed(next) || next?.text === '.') && this.namesStrongRow();
  }

  /** Nothing at j continues a phrase: the end, punctuation, a number, or a word the dictionary knows. */
  private phraseEndsAt(j: number): boolean {
    const tok = this.tokens[j];
    return tok === undefined || tok.kind !== 'word' || NUMBER_WORDS.has(tok.norm) || this.matchAt(j) !== null;
  }

  /** A count starts at j (after `:`, `=`, "là"): digits or a zero word or number words, then no time unit and no other word. */
  private countAt(from: number): boolean {
    let j = from;
    while (this.tokens[j] && (BINDING.has((this.tokens[j] as Token).text) || COUNT_FILLER.has((this.tokens[j] as Token).norm))) j += 1;
    const tok = this.tokens[j];
    if (tok === undefined) return false;
    let end = j + 1;
    if (tok.kind === 'word' && this.dict.phrases.get(tok.norm)?.kind !== 'zero') {
      end = j;
      while (this.tokens[end]?.kind === 'word' && NUMBER_WORDS.has((this.tokens[end] as Token).norm)) end += 1;
      const words = this.tokens.slice(j, end).map((t) => t.norm).join(' ');
      if (end === j || numberFromWords(words) === undefined) return false;
    } else if (tok.kind !== 'num' && tok.kind !== 'word') return false;
    const after = this.tokens[end];
    return !TIME_UNITS.has(after?.norm ?? '') && (this.phraseEndsAt(end) || this.clauseStartsAt(end));
  }

  /** What follows at j says why, when or where (CLAUSE_START), so the name before it has ended. */
  private clauseStartsAt(j: number): boolean {
    const tok = this.tokens[j];
    return tok?.kind === 'word' && CLAUSE_START.has(tok.norm);
  }

  private namesStrongRow(): boolean {
    this.strongRow ??= this.tokens.some((t, j) => {
      const entry = t.kind === 'word' ? this.matchAt(j)?.entry : undefined;
      return entry?.kind === 'key' && !entry.weak;
    });
    return this.strongRow;
  }

  /** Longest phrase of consecutive words starting at i; a row name beats a village name of equal length. */
  private matchAt(i: number): Match | null {
    const words: string[] = [];
    const limit = Math.max(this.dict.maxWords, this.villages.maxWords);
    for (let j = i; j < this.tokens.length && words.length < limit; j += 1) {
      const tok = this.tokens[j] as Token;
      if (tok.kind !== 'word') break;
      words.push(tok.norm);
    }
    for (let n = words.length; n > 0; n -= 1) {
      const phrase = words.slice(0, n).join(' ');
      const entry = this.dict.phrases.get(phrase);
      if (entry?.kind === 'key') return { entry, end: i + n, words: n };
      if (this.villages.phrases.has(phrase)) return { entry: { kind: 'noise' }, end: i + n, words: n };
      if (entry) return { entry, end: i + n, words: n };
    }
    return null;
  }

  private onKey(key: string, i: number, end: number): number {
    const last = this.items.at(-1);
    // Two names of one row in a row ("mua bán, bắt cóc 2") are one row waiting for one number.
    if (last?.kind === 'label' && last.key === key && last.other === undefined && !this.adult) {
      this.gap = 0;
      return end;
    }
    if (this.sharesZero(i, end)) this.push({ ...(this.items.at(-2) as Extract<Item, { kind: 'number' }>), gap: 0 });
    const label: Item = {
      kind: 'label', key, text: this.excerpt(i, end), start: (this.tokens[i] as Token).start, end: (this.tokens[end - 1] as Token).end, index: i, gap: this.gap,
    };
    if (this.causeBefore(i)) label.cause = true;
    const adult = this.adult;
    const theirs = adult !== null && (adult.age === undefined ? !this.dict.adultActs.has(key) : adult.age >= this.dict.untilAge(key));
    if (theirs) label.other = adult.start;
    this.push(label);
    // The grown-up did it ("bố mẹ bỏ rơi 1 cháu", "mẹ cháu mới sinh"): what follows is the child's again.
    this.adult = adult && adult.age === undefined && this.dict.adultActs.has(key) ? null : adult;
    this.firstKeyIndex = Math.min(this.firstKeyIndex, i);
    this.lastKeyEnd = end;
    return end;
  }

  /** "tử vong 1 cháu do tai nạn", "mất khi bị đuối nước": the row at i follows "do", "vì", "khi"… */
  private causeBefore(i: number): boolean {
    let j = i - 1;
    if (this.tokens[j]?.norm === 'bi') j -= 1;
    return CAUSE_MARKS.has(this.tokens[j]?.norm ?? '');
  }

  /**
   * "không có cháu nào bị tai nạn hay đuối nước": a row joined by "hay", "hoặc", "và" to a row that
   * took a zero written before it, with no count of its own, takes that zero too.
   */
  private sharesZero(i: number, end: number): boolean {
    const [zero, row] = [this.items.at(-2), this.items.at(-1)];
    if (zero?.kind !== 'number' || !zero.zero || row?.kind !== 'label' || !row.key || row.gap !== 0 || this.gap !== 0) return false;
    return this.lastKeyEnd === i - 1 && LIST_JOINERS.has((this.tokens[i - 1] as Token).norm) && !this.countAt(end);
  }

  /**
   * End of a run of number words standing on their own (then punctuation, a known word or the end),
   * or i. Folding makes "tu" of "tu vong2k" look like "tư" (four); inside an unknown phrase it is not
   * a value.
   */
  private numberWordsEnd(i: number): number {
    let j = i;
    // The run stops where a row name starts: "hai tử vong" is two, then the row. No number is spelt in
    // more words than "một trăm hai mươi mốt"; a longer run is words, and is not walked to its end
    // from each of its words (a pasted "hai hai hai …" would take quadratic time).
    while (
      j - i <= MAX_NUMBER_WORDS &&
      this.tokens[j]?.kind === 'word' &&
      NUMBER_WORDS.has((this.tokens[j] as Token).norm) &&
      !this.startsRow(j)
    ) {
      j += 1;
    }
    if (j === i) return i;
    const after = this.tokens[j];
    const standsAlone = after === undefined || after.kind !== 'word' || this.matchAt(j) !== null;
    return standsAlone && !this.unknownOpen ? j : i;
  }

  /**
   * "1 bé bị ngộ độc nấm": after a row that already has its number in front ("1 bé … ngộ độc"), a
   * number word ending the phrase is an ordinary word (nấm, nam, từ, bà…), not a second count. Before
   * another row ("3 sinh hai tử vong") or a word for children ("2 cháu sinh ra và một cháu ngã") it still counts.
   */
  private describesCountedRow(end: number): boolean {
    return this.rowHasItsNumber() && !this.startsRow(end) && !this.childWordAt(end);
  }

  /** The last item is a row just written with its own number in front ("1 bé … ngộ độc", "2 cháu mất"). */
  private rowHasItsNumber(): boolean {
    const [before, number, row] = [this.items.at(-3), this.items.at(-2), this.items.at(-1)];
    if (row?.kind !== 'label' || row.key === undefined || row.gap !== 0 || this.gap !== 0) return false;
    return number?.kind === 'number' && !(before?.kind === 'label' && number.gap === 0);
  }

  /**
   * Folded, "sau" is "after" far more often than "sáu" (six), and the text without diacritics must read
   * the same: alone it is six only before a word for children or the end ("sáu cháu", "tử vong sáu"),
   * or right after a row still waiting for its number ("sinh sáu"). "2 cháu mất sau sinh" is after.
   */
  private sixAt(end: number): boolean {
    if (this.startsRow(end)) return false; // "tử vong sau sinh": after the birth
    return this.unitAt(end) || (this.followsRow() && !this.rowHasItsNumber());
  }

  /**
   * "ba" is also "bà" (grandmother, an old woman) and the southern "ba" (father): alone it is three only
   * before a word for children ("ba cháu") or right after a row still waiting for its number ("sinh
   * ba", "tử vong: ba"). "bà bị tai nạn", "ở với bà" are a person.
   */
  private threeAt(end: number): boolean {
    return this.childWordAt(end) || (this.followsRow() && !this.rowHasItsNumber());
  }

  /** A grown-up is named at j (after "cả": "mất cả bố lẫn mẹ"). */
  private adultAt(j: number): boolean {
    const tok = this.tokens[j];
    if (tok?.kind !== 'word') return false;
    const match = this.matchAt(j);
    if (match?.entry.kind === 'adult') return !this.leaves(j, match);
    return tok.norm === 'ba' && !this.threeAt(j + 1);
  }

  /** "bỏ đi", "bỏ lại 1 cháu": `bo` that is the verb "bỏ" folded, not "bố". */
  private leaves(i: number, match: Match): boolean {
    return match.words === 1 && (this.tokens[i] as Token).norm === 'bo' && LEAVE_NEXT.has(this.tokens[i + 1]?.norm ?? '');
  }

  /**
   * A grown-up named at [i, end). After "bị", "bởi", "được" they did it ("1 cháu bị bố đánh"), and the
   * row stays the child's. Otherwise what follows in the same part of the message, up to a comma or a
   * new count of children, is about them: rows there are theirs ("mẹ cháu bị tai nạn") unless the row
   * is one a grown-up does to a child or gives birth to (`adultActs`). A number right before them with
   * nothing but fillers between counts them ("1 cụ già", "hai vợ chồng"); a child who lost them is not
   * a count either ("1 cháu mất mẹ", "mồ côi bố"); "là" before them says who the row just
   * read was about ("1 người tử vong là ông A").
   */
  private onAdult(i: number, end: number): number {
    const before = this.tokens[i - 1]?.norm ?? '';
    const owner = OWNER_MARKS.has(before) || (before === 'dinh' && this.tokens[i - 2]?.norm === 'gia');
    if (AGENT_MARKS.has(before) || owner) return end;
    const start = (this.tokens[i] as Token).start;
    const last = this.items.at(-1);
    let from = start;
    if (last && last.kind !== 'break' && this.gap === 0) {
      const appositive = this.tokens[i - 1]?.norm === 'la' && last.kind === 'label' && last.key !== undefined;
      const counts = last.kind === 'number' && this.onlyFillerBetween(last.index + 1, i) && !this.unitBetween(last.index + 1, i);
      const takesIn = last.kind === 'label' && last.key === undefined && this.unknownOpen && this.bereftBefore(i);
      if (appositive || counts || takesIn) {
        last.other = last.start;
        from = last.start;
      }
      // "1 bà mẹ": the number's own words, said back with it.
      if (counts) last.end = (this.tokens[end - 1] as Token).end;
      if (takesIn && last.kind === 'label') {
        last.end = (this.tokens[end - 1] as Token).end;
        last.text = this.text.slice(last.start, last.end);
        this.adult = { start: from, after: end };
        return end;
      }
    }
    this.adult = { start: this.adult?.start ?? from, after: end };
    this.unknownOpen = false;
    return end;
  }

  /**
   * "bố cháu Q đánh cháu gãy tay": a word for children after a grown-up, not right after their name
   * ("mẹ cháu", "bố của 1 cháu": whose grown-up), brings the child back as the one it happens to.
   */
  private childAgain(i: number): boolean {
    const adult = this.adult;
    if (!adult || !UNITS.has((this.tokens[i] as Token).norm)) return false;
    return i !== adult.after && !(i === adult.after + 1 && this.tokens[adult.after]?.norm === 'cua');
  }

  /** "mất mẹ", "mồ côi bố", "mất cả bố lẫn mẹ": the word before the grown-up at i says the child lost them. */
  private bereftBefore(i: number): boolean {
    const before = this.tokens[i - 1]?.norm === 'ca' ? i - 2 : i - 1;
    return BEREFT.has(this.tokens[before]?.norm ?? '');
  }

  private unitBetween(from: number, to: number): boolean {
    for (let j = from; j < to; j += 1) if (UNITS.has((this.tokens[j] as Token).norm)) return true;
    return false;
  }

  private startsRow(j: number): boolean {
    return this.matchAt(j)?.entry.kind === 'key';
  }

  /** "sinh 1/2": right after a row a date-like chunk is a value (not a whole one), not a date of writing. */
  private followsRow(): boolean {
    const last = this.items.at(-1);
    return last?.kind === 'label' && last.key !== undefined && this.gap === 0;
  }

  /** A word for children ("cháu", "bé", "trẻ"…) at j. */
  private childWordAt(j: number): boolean {
    const tok = this.tokens[j];
    return tok?.kind === 'word' && UNITS.has(tok.norm);
  }

  /** "tư cháu": alone, "tư" is four only before a word for children (elsewhere it is "từ", "from"). */
  private unitAt(i: number): boolean {
    const tok = this.tokens[i];
    return tok === undefined || tok.kind !== 'word' || UNITS.has(tok.norm);
  }

  private followsNumber(): boolean {
    return this.items.at(-1)?.kind === 'number' && this.gap === 0;
  }

  /**
   * "năm cháu", "hai mươi mốt": read as a number. A big number in words ("một trăm") is asked back in
   * digits; a word that spells no number on its own ("làm", "lẻ") is an ordinary word.
   */
  private onNumberWords(i: number, end: number): number {
    const raw = this.excerpt(i, end);
    const words = this.tokens.slice(i, end).map((t) => t.norm);
    const joined = words.join(' ');
    if (joined === 'ba' && !this.threeAt(end)) return this.onAdult(i, end);
    const value = joined === 'sau' && !this.sixAt(end) ? undefined : numberFromWords(joined) ?? (joined === 'tu' && this.unitAt(end) ? 4 : undefined);
    if (value !== undefined) return this.pushNumber({ raw, value, zero: false, index: i }, end);
    if (words.some((w) => MULTIPLIERS.has(w))) return this.pushNumber({ raw, problem: 'not_whole', zero: false, index: i }, end);
    // "nhầm" folds like "nhăm" (five after a tens word): alone it is the filler it also is.
    const match = this.matchAt(i);
    return match?.entry.kind === 'noise' ? match.end : this.onUnknownWord(i);
  }

  /**
   * "còn lại: 0", "các mục khác đều không có": the zero is for every row not written, not for the row
   * before it, so nothing pairs across it. Without a zero after it, "ngoài ra" is an ordinary word.
   */
  private onRest(i: number, from: number): number {
    let j = from;
    while (this.tokens[j] && (BINDING.has((this.tokens[j] as Token).text) || REST_FILLER.has((this.tokens[j] as Token).norm))) j += 1;
    const tok = this.tokens[j];
    const zero = tok?.kind === 'num' ? /^0+$/.test(tok.folded) : tok?.kind === 'word' && this.matchAt(j)?.entry.kind === 'zero';
    if (!zero) return from;
    this.restZero = true;
    return this.pushBreak(i, (tok?.kind === 'num' ? j + 1 : (this.matchAt(j) as Match).end));
  }

  /** "sinh 2 chứ không phải 3": the number after "không phải" is the wrong one; nothing pairs across it. */
  private onNot(from: number): number {
    let j = from;
    while (this.tokens[j] && (BINDING.has((this.tokens[j] as Token).text) || COUNT_FILLER.has((this.tokens[j] as Token).norm))) j += 1;
    const tok = this.tokens[j];
    let end = tok?.kind === 'num' ? j + 1 : j;
    while (this.tokens[end]?.kind === 'word' && NUMBER_WORDS.has((this.tokens[end] as Token).norm)) end += 1;
    this.gap = Math.max(this.gap, 1) as Gap;
    this.unknownOpen = false;
    return end > j ? end : from;
  }

  /**
   * After `thôn`, `xóm`, `bản`…: the village number (`thôn 3`) or name up to the next row, zero word
   * ("thôn không có trẻ nào…") or punctuation.
   */
  private skipVillage(i: number, from: number): number {
    // "xã 2" is rare, "đi làm xa 2 cháu bỏ học" is not: "xa" (far) folds like "xã".
    if (this.tokens[from]?.kind === 'num' && (this.tokens[i] as Token).norm !== 'xa') return this.pushBreak(i, from + 1);
    let j = from;
    while (j < this.tokens.length && this.tokens[j]?.kind === 'word') {
      const kind = this.matchAt(j)?.entry.kind;
      if (kind === 'key' || kind === 'zero' || readPeriod(this.tokens, j) || this.startsStatement(j)) break;
      j += 1;
    }
    return this.pushBreak(i, j);
  }

  /** "thôn có hai cháu…": a village name ends where "có" or a count of children starts. */
  private startsStatement(j: number): boolean {
    if ((this.tokens[j] as Token).norm === 'co') return true;
    const end = this.numberWordsEnd(j);
    return end > j && this.childWordAt(end);
  }

  private onUnknownWord(i: number, nearRow = false): number {
    const tok = this.tokens[i] as Token;
    const last = this.items.at(-1);
    if (this.unknownOpen && last?.kind === 'label') {
      last.end = tok.end;
      last.text = this.text.slice(last.start, tok.end);
      if (nearRow) last.nearRow = true;
      return i + 1;
    }
    this.push({ kind: 'label', text: tok.text, start: tok.start, end: tok.end, index: i, gap: this.gap, ...(nearRow && { nearRow }) });
    this.unknownOpen = true;
    return i + 1;
  }

  /** Pushes the number of tokens [item.index, end) unless it describes a child or restates the last one; returns end. */
  private pushNumber(item: Omit<Extract<Item, { kind: 'number' }>, 'kind' | 'gap' | 'start' | 'end'>, end: number): number {
    const attribute = this.attributeEnd(item.index, end, item.value);
    if (attribute >= 0) return attribute;
    if (this.restates(item.index, end, item.value)) {
      this.gap = 0; // the bracket only wrapped the restatement
      return end + 1;
    }
    const counted = this.childWordAt(end);
    const span = { start: (this.tokens[item.index] as Token).start, end: (this.tokens[end - 1] as Token).end };
    const adult = this.adult;
    // "bố của 2 cháu", "mẹ 2 cháu": the grown-up's children, said to say who the grown-up is.
    const theirs = adult !== null && (item.index === adult.after || (item.index === adult.after + 1 && this.tokens[adult.after]?.norm === 'cua'));
    this.push({ kind: 'number', ...item, ...span, gap: this.gap, ...(counted && { counted }), ...(theirs && { other: adult.start }) });
    // "bố mẹ đi làm xa, 2 cháu bỏ học" without the comma: a new count of children is the children's.
    // After "bố của 2", the next word ("cháu") still says whose grown-up.
    this.adult = theirs ? { ...adult, after: end } : counted ? null : adult;
    this.lastNumberEnd = end;
    return end;
  }

  private pushBreak(index: number, next: number): number {
    this.push({ kind: 'break', index, gap: this.gap });
    return next;
  }

  private push(item: Item): void {
    this.items.push(item);
    this.gap = 0;
    this.unknownOpen = false;
  }

  /** The sender's own text for tokens [from, to), shortened: it is echoed back in a chat message. */
  private excerpt(from: number, to: number): string {
    return shorten(this.text.slice((this.tokens[from] as Token).start, (this.tokens[to - 1] as Token).end));
  }
}

/** Cut by code points so an emoji is never split; only the head of a long phrase is ever looked at. */
export function shorten(text: string): string {
  const chars = [...text.slice(0, MAX_UNKNOWN_CHARS * 2)];
  return chars.length <= MAX_UNKNOWN_CHARS ? text : `${chars.slice(0, MAX_UNKNOWN_CHARS - 1).join('')}…`;
}
