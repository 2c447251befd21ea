/**
 * What is written at a place in a counts message, asked without changing anything: the longest phrase
 * the dictionary knows there, whether a count, a word for children, a span of time, an age, a list
 * item's number or a grown-up's name starts there, and the sender's own text for a run of tokens. The
 * scan (scanner.ts and the modules it is built from) asks these as it walks.
 */
import { numberFromWords } from '../../text/numbers.js';
import type { Token } from './tokens.js';
import { NUMBER_WORDS, type Dictionary, type Match, type VillageNames } from './vocabulary.js';
import { shorten } from './scan-items.js';

/** Words that count children: "tư cháu", "năm trường hợp". */
export const UNITS = new Set(['chau', 'tre', 'em', 'be', 'ca', 'nguoi', 'dua', 'con', 'truong', 'te', 'hs']);

/** "lớp 8", "ngã từ tầng 2", "học cấp 2": a number after these says which, not how many. */
const BEFORE_ORDINAL = new Set(['lop', 'tang', 'cap']);

/** "bỏng độ 2", "cấp độ 3", "mức độ 2": words "độ" grades when it is typed without its marks. */
const GRADED = new Set(['bong', 'cap', 'muc']);

/** Punctuation that binds a row to its number (`sinh: 3`, `sinh=3`) rather than separating items. */
export const BINDING = new Set([':', '=']);

/** What follows the number of a list item: "1. Sinh: 3", "2) Tử vong: 0", "3/ Đuối nước: 0", "4- Bỏ học: 1". */
const LIST_MARKS = new Set(['.', ')', '/', '-']);

/** Words between a weak row name and its count: "TV là 0", "mất = 1". */
export const COUNT_FILLER = new Set(['la', 'bang']);

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
/** Units of a span shorter than the month reported: "2 tuần nay" is for two weeks until now, never this week's two. */
const SHORT_SPANS = new Set(['ngay', 'hom', 'dem', 'tuan', 'buoi']);

/** Words that say a row is the cause or the time of what was said before it: "tử vong 1 do tai nạn". */
const CAUSE_MARKS = new Set(['do', 'vi', 'boi', 'sau', 'khi', 'luc']);

/** "mất mẹ", "mồ côi bố": a child who lost a parent (the death is the parent's). */
const BEREFT = new Set(['mat', 'coi']);

/** "bỏ đi", "bỏ nhà", "bỏ lại": `bo` (bố) before these is the verb "bỏ", not a father. */
const LEAVE_NEXT = new Set(['di', 'nha', 'lai', 'tron', 'qua', 've', 'ra', 'que', 'xu', 'hoc', 'ca']);

/** Punctuation that ends a clause. */
const CLAUSE_MARKS = new Set([',', ';', '.', '(', ')', '!', '?']);

/** Words that add children to those just counted: "… và 1 cháu sinh thường", "còn 1 cháu", "thêm 2 cháu". */
const ADDING = new Set(['va', 'voi', 'con', 'them', 'cung']);
/** Between such a word and the number: "và có 1 cháu", "còn thêm 1 cháu". */
const ADD_FILLER = new Set(['co', 'them', 'lai']);

/** How far a clause is looked ahead: further words are another matter, and a pasted essay stays linear. */
const MAX_CLAUSE_TOKENS = 12;

/**
 * Words that make what follows a predicate, said of someone already named: "không đi viện", "đã cấp cứu
 * kịp", "khỏe rồi", "khỏi rồi".
 */
/** Words between "có" and "nào" in a question: "có cháu nào", "có trẻ em nào", "có ai nào". */
const QUESTION_GAP = 3;
const PREDICATE_MARKS = new Set(['khong', 'ko', 'kh', 'k', 'chang', 'da', 'dang', 'chua', 'van', 'phai', 'se', 'khoe', 'khoi']);

/** Words a person's name follows: "cháu h", "bé Na", "nhà ông Tuấn", "chị Năm". */
const BEFORE_NAME = new Set([...UNITS, 'anh', 'chi', 'ong', 'ba', 'co', 'chu', 'bac', 'di', 'thim', 'cu', 'me', 'bo', 'cha']);

/** The most words a number is spelt in ("một trăm hai mươi mốt"). */
export const MAX_NUMBER_WORDS = 5;

/** How many words of a name ("ông Nguyễn Văn Tuấn") are looked back over. */
const MAX_NAME_WORDS = 4;

/** "mấy hôm", "vài tuần", "ít ngày": how long, without a number. */
const SPAN_WORDS = new Set(['may', 'vai', 'it']);

/** "5 tháng tuổi", "10 ngày tuổi": an age in months or days. */
const AGE_UNITS = new Set(['thang', 'ngay']);

export class Words {
  readonly tokens: readonly Token[];
  /** Whether the message names a row by a name that is not weak; worked out on first need. */
  private strongRow: boolean | undefined;
  /** matchAt's answers by token index. */
  private readonly matches: Array<Match | null | undefined> = [];

  constructor(
    readonly text: string,
    tokens: readonly Token[],
    readonly dict: Dictionary,
    readonly villages: VillageNames,
  ) {
    // Slips in a row's name ("sihn 2") are read as the name; the text said back stays as written.
    this.tokens = tokens.map((t) => {
      const norm = t.kind === 'word' ? dict.spell(t.norm) : t.norm;
      return norm === t.norm ? t : { ...t, norm };
    });
  }

  /** `-` glued to a number and not glued to a word before it: `sinh -1`, `sinh:-1`, `\n-1`, but not `sinh-1`. */
  isMinus(i: number): boolean {
    const tok = this.tokens[i] as Token;
    const next = this.tokens[i + 1];
    const prev = this.tokens[i - 1];
    if (tok.text !== '-' && tok.text !== '\u2212') return false;
    if (next?.kind !== 'num' || next.start !== tok.end) return false;
    return prev === undefined || prev.end !== tok.start || (prev.kind !== 'word' && prev.kind !== 'num');
  }

  /** The item number if token i has the shape of one (at a line's start, glued to its mark, then a space and a word). */
  listItemAt(i: number): number | undefined {
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

  /** Tokens [from, to) are fillers and words for children: "1 cháu 17 tuổi", not "1 cháu bị ông A 50 tuổi…". */
  onlyFillerBetween(from: number, to: number): boolean {
    for (let j = from; j < to; j += 1) {
      if (this.dict.phrases.get((this.tokens[j] as Token).norm)?.kind !== 'noise') return false;
    }
    return true;
  }

  /** A unit of time at j that makes the number before it a span ("sau 3 ngày"), not a date ("1 ngày 5/11"). */
  isDuration(j: number): boolean {
    const unit = this.tokens[j];
    const after = this.tokens[j + 1];
    if (unit?.kind !== 'word' || !DURATION_UNITS.has(unit.norm)) return false;
    // "tháng 11", "ngày 5/11", "hôm qua", "tháng này": a date or a named day, so the number is a count.
    return after?.kind !== 'num' && !(after?.kind === 'word' && NOT_DURATION.has(after.norm));
  }

  /**
   * The index after a span of time starting at j, or -1: "2 tuần", "mấy hôm", "vài ngày", "một tháng",
   * and "2 tuần nay", "mấy hôm nay" (for that long until now; not "2 tháng này", which may be this
   * month's two).
   */
  spanEnd(j: number): number {
    const tok = this.tokens[j];
    const counts = tok?.kind === 'num' || (tok?.kind === 'word' && (SPAN_WORDS.has(tok.norm) || NUMBER_WORDS.has(tok.norm)));
    if (!counts) return -1;
    const unit = this.tokens[j + 1];
    if (unit?.kind === 'word' && SHORT_SPANS.has(unit.norm) && this.tokens[j + 2]?.norm === 'nay') return j + 3;
    return this.isDuration(j + 1) ? j + 2 : -1;
  }

  /** "cặp sinh đôi", "cặp song sinh" at j: a pair of twins, "cặp" then a row's name for twins. */
  pairOfTwinsAt(j: number): boolean {
    if (this.tokens[j]?.norm !== 'cap') return false;
    const match = this.matchAt(j + 1);
    return match?.entry.kind === 'key' && this.namesTwins(j + 1, match.end);
  }

  /** Tokens [from, to) name twins: "sinh đôi", "song sinh". */
  namesTwins(from: number, to: number): boolean {
    const named = this.tokens.slice(from, to).map((t) => t.norm);
    return named.includes('doi') || named.includes('song');
  }

  /** Number words at j followed by a word for children or a pair of twins ("một cặp sinh đôi", "hai cháu"): their value and end. */
  childrenInWordsAt(j: number): { value: number; end: number } | undefined {
    let end = j;
    while (end - j < MAX_NUMBER_WORDS && this.tokens[end]?.kind === 'word' && NUMBER_WORDS.has((this.tokens[end] as Token).norm)) end += 1;
    if (end === j || !(this.childWordAt(end) || this.pairOfTwinsAt(end))) return undefined;
    const value = numberFromWords(this.tokens.slice(j, end).map((t) => t.norm).join(' '));
    return value === undefined ? undefined : { value, end };
  }

  /** The index after "tuổi", "tháng tuổi" or "ngày tuổi" starting at j, or -1. */
  ageEnd(j: number): number {
    const next = this.tokens[j];
    if (next?.kind !== 'word') return -1;
    if (next.norm === 'tuoi') return j + 1;
    return AGE_UNITS.has(next.norm) && this.tokens[j + 1]?.norm === 'tuoi' ? j + 2 : -1;
  }

  /**
   * The number at j says which or how bad, not how many: "lớp 8", "tầng 2", "cấp 2", "bỏng độ 2".
   * Folded, "độ" (degree) is "do" (because, "tử vong 1 do 2 xe va chạm"): it grades only typed with its
   * marks or after a word it grades.
   */
  ordinalAt(j: number): boolean {
    const prev = this.tokens[j - 1];
    if (BEFORE_ORDINAL.has(prev?.norm ?? '')) return true;
    return prev?.norm === 'do' && (prev.text.toLowerCase() === 'độ' || GRADED.has(this.tokens[j - 2]?.norm ?? ''));
  }

  /** Nothing at j continues a phrase: the end, punctuation, a number, or a word the dictionary knows. */
  phraseEndsAt(j: number): boolean {
    const tok = this.tokens[j];
    return tok === undefined || tok.kind !== 'word' || NUMBER_WORDS.has(tok.norm) || this.matchAt(j) !== null;
  }

  /** A count starts at j (after `:`, `=`, "là"): digits or a zero word or number words, then no time unit and no other word. */
  countAt(from: number): boolean {
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

  /**
   * A name at i, of a person or a place ("cháu H", "nhà ông Tuấn", "chị Năm", "sông Lô"): a capitalised
   * word after a lowercase word, a person word or another word of the name, or a single letter after a
   * person word ("cháu h"; not "k", which is "không"). It names no row and is not said back. A message
   * in capitals has no such word.
   */
  nameAt(i: number, words = MAX_NAME_WORDS): boolean {
    const tok = this.tokens[i];
    const prev = this.tokens[i - 1];
    if (tok?.kind !== 'word' || prev?.kind !== 'word' || words === 0) return false;
    if (/^\p{Lu}\p{Ll}*$/u.test(tok.text)) return /^\p{Ll}/u.test(prev.text) || BEFORE_NAME.has(prev.norm) || this.nameAt(i - 1, words - 1);
    return tok.text.length === 1 && BEFORE_NAME.has(prev.norm) && this.matchAt(i) === null;
  }

  /**
   * The words of this clause up to i (back to a comma or `;`) make it a predicate: "…, không phải đi
   * viện", "…, đang chờ xác minh". It says more about who was just counted and names no row.
   */
  predicateBefore(i: number): boolean {
    let j = i;
    let marked = false;
    while (j > i - MAX_CLAUSE_TOKENS && this.tokens[j]?.kind === 'word') {
      marked ||= PREDICATE_MARKS.has((this.tokens[j] as Token).norm);
      j -= 1;
    }
    const mark = this.tokens[j]?.text;
    return marked && (mark === ',' || mark === ';');
  }

  /**
   * The zero word at i closes a yes/no question, "có cháu nào bị bạo lực không (thì em chưa rõ)": in its
   * clause, "có … nào" comes before it, and no negation before that "có" ("không có cháu nào…" is a
   * zero). The village head asks or does not know; the row is asked about instead of counted as 0.
   */
  closesQuestion(i: number): boolean {
    for (let j = i - 1; j >= 0 && j >= i - MAX_CLAUSE_TOKENS; j--) {
      const tok = this.tokens[j] as Token;
      if (tok.kind === 'punct' || tok.kind === 'newline') return false;
      if (tok.norm !== 'nao') continue;
      for (let k = j - 1; k >= j - QUESTION_GAP && k >= 0; k--) {
        if (this.tokens[k]?.norm === 'co') return !this.negates(k - 1);
      }
      return false;
    }
    return false;
  }

  /** "không", "chẳng" (the dictionary's zero words), "chưa" or "chả" at j: "không có", "chưa có". */
  private negates(j: number): boolean {
    const norm = this.tokens[j]?.norm;
    return norm !== undefined && (norm === 'chua' || norm === 'cha' || this.dict.phrases.get(norm)?.kind === 'zero');
  }

  /**
   * From j to the end of the clause there are words the dictionary does not know, and besides them only
   * fillers: "không" there negates them ("không đi viện"), it is no zero for a row.
   */
  onlyWordsUntilClauseEnds(j: number): boolean {
    let unknown = false;
    for (let k = j; k < j + MAX_CLAUSE_TOKENS && this.tokens[k]?.kind === 'word'; ) {
      const match = this.matchAt(k);
      // A row, another zero, a grown-up…: the clause says more than a verb negated.
      if (match && match.entry.kind !== 'noise') return false;
      unknown ||= !match && !NUMBER_WORDS.has((this.tokens[k] as Token).norm);
      k = match ? match.end : k + 1;
    }
    return unknown;
  }

  /** Digits from j to the end of the clause, not followed by a word for children ("bo hco 2", not "2 cháu"). */
  bareNumberInClause(j: number): boolean {
    const end = Math.min(this.tokens.length, j + MAX_CLAUSE_TOKENS);
    for (let k = j; k < end && this.tokens[k]?.kind !== 'newline' && !CLAUSE_MARKS.has((this.tokens[k] as Token).text); k += 1) {
      if (this.tokens[k]?.kind === 'num' && !this.childWordAt(k + 1)) return true;
    }
    return false;
  }

  /** "và 1 cháu", "còn có 2 cháu", ", thêm 1 cháu": a word adding more children right before the number at i. */
  joinerBefore(i: number): boolean {
    let j = i - 1;
    while (this.tokens[j] && ADD_FILLER.has((this.tokens[j] as Token).norm) && !ADDING.has((this.tokens[j] as Token).norm)) j -= 1;
    return ADDING.has(this.tokens[j]?.norm ?? '');
  }

  /** "thêm" right before the number at i: "có thêm 1 cháu", "thêm 2". */
  moreBefore(i: number): boolean {
    return this.tokens[i - 1]?.norm === 'them';
  }

  /** What follows at j says why, when or where (CLAUSE_START), so the name before it has ended. */
  clauseStartsAt(j: number): boolean {
    const tok = this.tokens[j];
    return tok?.kind === 'word' && CLAUSE_START.has(tok.norm);
  }

  namesStrongRow(): boolean {
    this.strongRow ??= this.tokens.some((t, j) => {
      const entry = t.kind === 'word' ? this.matchAt(j)?.entry : undefined;
      return entry?.kind === 'key' && !entry.weak;
    });
    return this.strongRow;
  }

  /** Longest phrase of consecutive words starting at i; a row name beats a village name of equal length. */
  matchAt(i: number): Match | null {
    // The walk asks again about the words ahead of it (is a count there, does a name end): asked once.
    let match = this.matches[i];
    if (match === undefined) {
      match = this.longestAt(i);
      this.matches[i] = match;
    }
    return match;
  }

  private longestAt(i: number): Match | null {
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

  /** "tử vong 1 cháu do tai nạn", "mất khi bị đuối nước": the row at i follows "do", "vì", "khi"… */
  causeBefore(i: number): boolean {
    let j = i - 1;
    if (this.tokens[j]?.norm === 'bi') j -= 1;
    return CAUSE_MARKS.has(this.tokens[j]?.norm ?? '');
  }

  /** "do", "vì", "khi", "lúc", "sau" at i: what follows says why or when. */
  opensClause(i: number): boolean {
    return CAUSE_MARKS.has((this.tokens[i] as Token).norm);
  }

  /** "bỏ đi", "bỏ lại 1 cháu": `bo` that is the verb "bỏ" folded, not "bố". */
  leaves(i: number, match: Match): boolean {
    return match.words === 1 && (this.tokens[i] as Token).norm === 'bo' && LEAVE_NEXT.has(this.tokens[i + 1]?.norm ?? '');
  }

  /** "mất mẹ", "mồ côi bố", "mất cả bố lẫn mẹ": the word before the grown-up at i says the child lost them. */
  bereftBefore(i: number): boolean {
    const before = this.tokens[i - 1]?.norm === 'ca' ? i - 2 : i - 1;
    return BEREFT.has(this.tokens[before]?.norm ?? '');
  }

  unitBetween(from: number, to: number): boolean {
    for (let j = from; j < to; j += 1) if (UNITS.has((this.tokens[j] as Token).norm)) return true;
    return false;
  }

  startsRow(j: number): boolean {
    return this.matchAt(j)?.entry.kind === 'key';
  }

  /** A row at j, or after "bị" there ("… hoặc bị tai nạn"). */
  rowAfterJoiner(j: number): boolean {
    return this.startsRow(this.tokens[j]?.norm === 'bi' ? j + 1 : j);
  }

  /** A word for children ("cháu", "bé", "trẻ"…) at j. */
  childWordAt(j: number): boolean {
    const tok = this.tokens[j];
    return tok?.kind === 'word' && UNITS.has(tok.norm);
  }

  /** "1 bé trai", "2 cháu gái", "1 em bé nam": whether the children counted by the words for them at j are boys or girls. */
  sexAt(j: number): 'boy' | 'girl' | undefined {
    for (let k = j; this.childWordAt(k); k += 1) {
      const next = this.tokens[k + 1]?.norm;
      if (next === 'trai' || next === 'nam') return 'boy';
      if (next === 'gai' || next === 'nu') return 'girl';
    }
    return undefined;
  }

  /** "tư cháu": alone, "tư" is four only before a word for children (elsewhere it is "từ", "from"). */
  unitAt(i: number): boolean {
    const tok = this.tokens[i];
    return tok === undefined || tok.kind !== 'word' || UNITS.has(tok.norm);
  }

  /** The sender's own text for tokens [from, to), shortened: it is echoed back in a chat message. */
  excerpt(from: number, to: number): string {
    return shorten(this.text.slice((this.tokens[from] as Token).start, (this.tokens[to - 1] as Token).end));
  }
}
