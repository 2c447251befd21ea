/**
 * The scan of a counts message: one left-to-right pass over its tokens that turns them into a short list
 * of items (row names, unknown phrases, numbers, breaks) with the punctuation between them. It does not
 * decide which number belongs to which row: pairing.ts does, from the items' order and punctuation, so
 * "sinh 3 tử vong 0" and "3 cháu sinh ra, 0 tử vong" read alike.
 *
 * Built in layers, one job each: scan-words.ts asks what is written at a place, scan-state.ts holds
 * what the walk has found, scan-grown-ups.ts marks what is said about grown-ups, scan-numbers.ts reads
 * numbers and tells counts from ages, spans and list items; this module walks the tokens and reads the
 * rows, periods, villages, breakdowns, "còn lại" and corrections.
 */
import { isDate, readPeriod, readWhole, type PeriodRead, type Token } from './tokens.js';
import { NUMBER_WORDS, type Dictionary, type Match, type VillageNames } from './vocabulary.js';
import type { Gap, Item } from './scan-items.js';
import { NumberScan } from './scan-numbers.js';
import { BINDING, COUNT_FILLER, Words } from './scan-words.js';
import { numberFromWords } from '../../text/numbers.js';

/** Words between "còn lại" and its zero: "còn lại đều không có", "các mục khác bằng 0". */
const REST_FILLER = new Set(['deu', 'la', 'bang', 'thi', 'cung', 'co']);
/** "còn lại đều 0 hết", "… 0 cả", "… không có luôn": words after the rest's zero that only say "all of them". */
const REST_TAIL = new Set(['het', 'ca', 'luon', 'tat', 'nhe', 'nha', 'a']);

/** "không có cháu nào bị tai nạn hay đuối nước": one zero for every row of the list. */
const LIST_JOINERS = new Set(['hay', 'hoac', 'va', 'lan']);

/** Where an item of a list starts or ends: the message's edge, a line break, a comma or `;`. */
function listMark(t: Token | undefined): boolean {
  return t === undefined || t.kind === 'newline' || t.text === ',' || t.text === ';';
}

export class Scan extends NumberScan {
  constructor(text: string, tokens: readonly Token[], dict: Dictionary, villages: VillageNames) {
    super(new Words(text, tokens, dict, villages));
  }

  run(): this {
    let i = 0;
    while (i < this.tokens.length) i = this.step(i);
    return this;
  }

  private step(i: number): number {
    const tok = this.tokens[i] as Token;
    if (tok.kind === 'punct' && this.w.isMinus(i)) return this.onDigits(i + 1, true);
    if (tok.kind === 'newline') return this.separate(2, i);
    if (tok.text === '(' && this.gap === 0) {
      const end = this.breakdownEnd(i, true);
      if (end > 0) return end;
    }
    // "tai nạn 2 cháu: 1 cháu ngã xe, 1 cháu bị bỏng": after a row and its number a colon opens its parts.
    if (tok.text === ':' && this.gap === 0) {
      const end = this.breakdownEnd(i, false);
      if (end > 0) return end;
    }
    // "sinh 3, 1 bé trai, 2 bé gái", "sinh 3 - 1 trai 2 gái": boys and girls of the row just counted.
    if ((tok.text === ',' || tok.text === '-') && this.gap === 0) {
      const end = this.sexPartsEnd(i);
      if (end > 0) return end;
    }
    if (tok.kind === 'punct') return BINDING.has(tok.text) ? i + 1 : this.separate(1, i);
    const period = readPeriod(this.tokens, i);
    if (period) return this.onPeriod(i, period);
    if (tok.kind === 'num') return isDate(tok.folded) && !this.followsRow() ? this.pushBreak(i, i + 1) : this.onDigits(i, false);
    return this.onWord(i);
  }

  private onPeriod(i: number, period: PeriodRead): number {
    const raw = this.w.excerpt(i, period.next);
    if (period.bad) this.problems.push({ kind: 'bad_period', raw });
    else if (period.month !== undefined) this.periods.push({ index: i, month: period.month, year: period.year });
    else if (period.relative !== undefined) this.periods.push({ index: i, relative: period.relative });
    return this.pushBreak(i, period.next);
  }

  private onWord(i: number): number {
    if (this.pairOfTwins(i)) return i + 1;
    const match = this.w.matchAt(i);
    // "cháu H", "nhà ông Tuấn", "anh Năm": a name, not a row, a number or "k" (không).
    if ((!match || match.entry.kind === 'zero') && this.w.nameAt(i)) return i + 1;
    if (this.tokens[i + 1] && (this.tokens[i] as Token).norm === 'trong' && (this.tokens[i + 1] as Token).norm === 'do' && this.gap < 2) {
      const end = this.breakdownEnd(i + 1, false, true);
      if (end > 0) return end;
    }
    if (match?.entry.kind === 'key' && match.entry.filler && !this.listedBeforeCount(i, match.end)) return match.end;
    if (match?.entry.kind === 'key' && match.entry.weak && !match.entry.filler && !this.weakHolds(i, match.end)) return this.onUnknownWord(i, true);
    if (match?.entry.kind === 'near') return this.onNearRow(i, match.end);
    if (match?.entry.kind === 'word') return this.onWords(i, match.end);
    // "nghỉ học mấy hôm", "nghỉ học 2 tuần nay": a lasting row's name with a span after it was a passing
    // absence; said back with the span, whose number counts nothing.
    const span = match?.entry.kind === 'key' && this.dict.lasting.has(match.entry.key) ? this.w.spanEnd(match.end) : -1;
    if (span > 0) return this.onWords(i, span);
    if (match?.entry.kind === 'key') return this.onKey(match.entry.key, i, match.end);
    // Before number words: "nhầm" folds like "nhăm" (five after a tens word), which only a run of them reads.
    if (match?.entry.kind === 'correction') return this.onCorrection(match.end);
    // "sửa tử vong 1": "sửa" opening a clause before a row puts it right; folded it is also "sữa" (milk:
    // "bị sặc sữa"), so only there.
    if (!match && (this.tokens[i] as Token).norm === 'sua' && (i === 0 || this.tokens[i - 1]?.kind !== 'word') && this.w.startsRow(i + 1)) return this.onCorrection(i + 1);
    // A longer phrase ("năm nay", "một số") is a phrase, not a number word.
    if (!match || match.words === 1) {
      const end = this.numberWordsEnd(i);
      // Right after a number ("2 cháu nam") a number word describes the children: a boy, not five.
      if (end > i && this.followsNumber()) return end;
      if (end > i && !this.describesCountedRow(end) && !this.saysWhyOrWhen(i, end)) return this.onNumberWords(i, end);
      if (end > i) return this.onUnknownWord(i);
    }
    // "…, không đi viện": "không" negates the words after it, which name no row; not a zero.
    if (match?.entry.kind === 'zero' && !this.followsRow() && this.w.onlyWordsUntilClauseEnds(match.end)) return match.end;
    // "có cháu nào bị bạo lực không": a question, no zero; the row is left without a number and asked.
    if (match?.entry.kind === 'zero' && this.w.closesQuestion(i)) return match.end;
    if (match?.entry.kind === 'zero') return this.pushNumber({ raw: this.w.excerpt(i, match.end), value: 0, zero: true, index: i }, match.end);
    if (match?.entry.kind === 'marker') return this.skipVillage(i, match.end);
    if (match?.entry.kind === 'rest') return match.entry.none ? this.restIsZero(i, match.end) : this.onRest(i, match.end);
    if (match?.entry.kind === 'not') return this.onNot(match.end);
    if (match?.entry.kind === 'adult' && !this.w.leaves(i, match)) return this.onAdult(i, match.end);
    if (match?.entry.kind === 'noise' && this.childAgain(i)) this.adult = null;
    if (match?.entry.kind === 'noise' && match.words === 1 && this.w.opensClause(i)) this.clause = true;
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
    if (this.w.countAt(end)) return true;
    const ends = this.w.phraseEndsAt(end);
    if (this.followsNumber()) return ends || this.w.clauseStartsAt(end);
    // "bố cháu A mất rồi", "ông nội mất do bệnh": the grown-up just named died; said back, not counted.
    if (this.adult && (ends || this.w.clauseStartsAt(end))) return true;
    if (!ends) return false;
    const next = this.tokens[end];
    return listMark(this.tokens[i - 1]) && (listMark(next) || next?.text === '.') && this.w.namesStrongRow();
  }

  /**
   * "sinh 2, TH 0", "tv 0 th 0": a weak name that is also a filler ("2 TH" is two cases) is its row only
   * as an item of a list (first, or after a comma, a line break or a count) and right before its own count.
   */
  private listedBeforeCount(i: number, end: number): boolean {
    const prev = this.tokens[i - 1];
    return (listMark(prev) || prev?.kind === 'num') && this.w.countAt(end);
  }

  /** "tự tử", "mang thai": a phrase not understood that a row may be meant for (vocabulary.ts NEAR_ROW). */
  private onNearRow(i: number, end: number): number {
    return this.onWords(this.onUnknownWord(i, true), end);
  }

  /**
   * "một cặp sinh đôi", "2 cặp song sinh", "sinh đôi 1 cặp": "cặp" right after a number, before or after
   * a row named for twins, makes the number the children, two a pair; the row's name is read as usual.
   * Anywhere else "cặp" after a number ("sinh 1 cặp") is said back, never taken as one child.
   */
  private pairOfTwins(i: number): boolean {
    const last = this.items.at(-1);
    if (last?.kind !== 'number' || last.value === undefined || this.lastNumberEnd !== i || (this.tokens[i] as Token).norm !== 'cap') return false;
    const row = this.items.at(-2);
    const twinsBefore = row?.kind === 'label' && row.key !== undefined && last.gap === 0 && this.w.namesTwins(row.index, this.lastKeyEnd);
    if (!twinsBefore && !this.w.pairOfTwinsAt(i)) {
      this.onUnknownWord(i, true);
      return true;
    }
    last.value *= 2;
    last.counted = true;
    return true;
  }

  /** Tokens [i, end) as words not understood. */
  private onWords(i: number, end: number): number {
    let j = i;
    while (j < end) j = this.onUnknownWord(j);
    return j;
  }

  private onKey(key: string, i: number, end: number): number {
    const last = this.items.at(-1);
    // Two names of one row in a row ("mua bán, bắt cóc 2") are one row waiting for one number.
    if (last?.kind === 'label' && last.key === key && last.other === undefined && !this.adult) {
      this.gap = 0;
      return end;
    }
    // "1 cháu ngã cây vải gãy tay": words between two names of one row tell how it happened; one row.
    const row = this.items.at(-2);
    if (this.gap === 0 && last?.kind === 'label' && !last.key && !last.nearRow && last.gap === 0 && row?.kind === 'label' && row.key === key && row.other === undefined && !this.adult) {
      this.items.pop();
      this.unknownOpen = false;
      return end;
    }
    if (this.sharesZero(i, end)) this.push({ ...(this.items.at(-2) as Extract<Item, { kind: 'number' }>), gap: 0 });
    const label: Item = {
      kind: 'label', key, text: this.w.excerpt(i, end), start: (this.tokens[i] as Token).start, end: (this.tokens[end - 1] as Token).end, index: i, gap: this.gap,
    };
    if (this.w.causeBefore(i)) label.cause = true;
    if (this.correcting) label.corrects = true;
    this.correcting = false;
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

  /**
   * "không có cháu nào bị tai nạn hay đuối nước": a row joined by "hay", "hoặc", "và" to a row that
   * took a zero written before it, with no count of its own, takes that zero too; so does a row of a
   * list by commas that ends there or goes on with such a joiner ("không có trường hợp nào tử vong, đuối
   * nước; sinh 2", "không có cháu nào bị tai nạn, đuối nước hay tử vong").
   */
  private sharesZero(i: number, end: number): boolean {
    const [zero, row] = [this.items.at(-2), this.items.at(-1)];
    if (zero?.kind !== 'number' || !zero.zero || row?.kind !== 'label' || !row.key || row.gap !== 0) return false;
    // "… đuối nước hoặc bị tai nạn": "bị" may stand between the joiner and the row.
    const at = this.tokens[i - 1]?.norm === 'bi' && this.gap === 0 ? i - 2 : i - 1;
    if (this.lastKeyEnd !== at || this.w.countAt(end)) return false;
    const joiner = this.tokens[at] as Token;
    if (this.gap === 0) return LIST_JOINERS.has(joiner.norm);
    const after = this.tokens[end];
    // "…tai nạn, đuối nước hay tử vong": a joiner before the list's last row goes on with it.
    const listGoesOn = LIST_JOINERS.has(after?.norm ?? '') && this.w.rowAfterJoiner(end + 1);
    const listEnds = after === undefined || after.kind === 'newline' || after.text === ';' || after.text === '.' || listGoesOn;
    return this.gap === 1 && joiner.text === ',' && listEnds;
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
  private breakdownEnd(open: number, bracket: boolean, ofWhich = false): number {
    const [a, b] = [this.items.at(-2), this.items.at(-1)];
    const number = b?.kind === 'number' ? b : a?.kind === 'number' ? a : undefined;
    const label = b?.kind === 'label' ? b : a?.kind === 'label' ? a : undefined;
    if (!number || number.value === undefined || !label?.key || b?.gap !== 0) return -1;
    let sum = 0;
    let parts = 0;
    let adult = false;
    // A grown-up it is about, a zero word or a month ("(bố cháu)", "(không)", "(T9/25)"): not a plain description.
    let names = false;
    // "sinh 3 trong đó 1 cặp sinh đôi": twins among the row's children are a part of them, not all of them.
    let twinsOnly = true;
    const addsUp = (): boolean => parts > 0 && (sum === number.value || (twinsOnly && sum <= (number.value as number)));
    // "có 4 trẻ mới sinh, trong đó 1 cháu sinh non": what "trong đó" tells of some of them, up to the
    // end of the sentence with no other row, is a part too (before another row, "sinh 4 trong đó 1 cháu
    // tử vong", the number may be that row's and is read as usual).
    const endsHere = (): boolean => addsUp() || (ofWhich && parts > 0 && sum <= (number.value as number));
    // "sinh 4 trong đó 1 cháu sinh non, tử vong 0": the row named again inside, then a comma, ends it too.
    let again = false;
    let j = open + 1;
    while (j < this.tokens.length) {
      const tok = this.tokens[j] as Token;
      if (bracket && tok.text === ')' && adult) return this.partlyAdults(number, j);
      // "tai nạn 1 (xe đạp trầy xước)": no number, no other row, nothing else named: it only describes the row.
      if (bracket && tok.text === ')') return addsUp() || (parts === 0 && !names) ? j + 1 : -1;
      if (!bracket && (tok.kind === 'newline' || tok.text === ';' || tok.text === '.')) return endsHere() ? j : -1;
      if (tok.kind === 'newline' || tok.text === '(') return -1;
      // "(cháu 2 tháng tuổi, bị sặc sữa)", "(lớp 8)", "(bỏng độ 2)": an age, a class or a degree describes the child, it is no part.
      const attribute = this.w.ageEnd(j + 1) >= 0 || this.w.ordinalAt(j);
      // "trong đó một cặp sinh đôi", "(hai cháu trai, một cháu gái)": number words count a part when children follow.
      const spelt = tok.kind === 'word' ? this.w.childrenInWordsAt(j) : undefined;
      if ((tok.kind === 'num' && !attribute) || spelt) {
        const whole = spelt ? ({ ok: true, value: spelt.value } as const) : readWhole(tok.folded);
        if (!whole.ok) return -1;
        const after = spelt ? spelt.end : j + 1;
        const pair = this.w.pairOfTwinsAt(after);
        twinsOnly &&= pair;
        sum += pair ? 2 * whole.value : whole.value;
        parts += 1;
        if (spelt) {
          j = after;
          continue;
        }
      }
      const match = tok.kind === 'word' ? this.w.matchAt(j) : null;
      if (match?.entry.kind === 'key' && match.entry.key !== label.key) {
        const closed = again && this.tokens[j - 1]?.text === ',' ? endsHere() : addsUp();
        return !bracket && closed ? j : -1;
      }
      again ||= match?.entry.kind === 'key';
      // "sinh 7, trong đó 4 trai 3 gái, không có cháu nào tử vong": the zero is the next row's, not a part.
      if (!bracket && match?.entry.kind === 'zero' && parts > 0) return addsUp() ? j : -1;
      // "(1 người lớn, 1 trẻ em)": a grown-up counted inside, not one named as who did it or lives there.
      adult ||= tok.kind === 'num' && this.adultAt(j + 1);
      // A grown-up it is about opens the bracket ("(bố cháu)", "(là mẹ cháu)"); one further in is a part
      // of the telling ("(bị chó nhà hàng xóm cắn)", "(nghỉ ở nhà phụ bố mẹ)").
      const about = j === open + 1 || this.tokens[j - 1]?.norm === 'la';
      names ||= (about && this.adultAt(j)) || match?.entry.kind === 'zero' || readPeriod(this.tokens, j) !== null;
      j = match ? match.end : j + 1;
    }
    return !bracket && endsHere() ? j : -1;
  }

  /**
   * "sinh 3, 1 bé trai, 2 bé gái", "sinh 3 - 1 trai 2 gái": after a row and its number (itself not of
   * boys or girls: "sinh 1 bé trai, 1 bé gái" is two births), counts of boys and of girls only, up to the
   * next row, line or full stop, say who the row's children are, not more of them. When they add up to
   * more than the number, or boys and girls both are told and they add up to another number, the sender
   * is asked which is right (`breakdown_mismatch`). `open` is the comma or dash. Returns the index after
   * the parts, or -1 (read as usual).
   */
  private sexPartsEnd(open: number): number {
    const [a, b] = [this.items.at(-2), this.items.at(-1)];
    const number = b?.kind === 'number' ? b : a?.kind === 'number' ? a : undefined;
    const label = b?.kind === 'label' ? b : a?.kind === 'label' ? a : undefined;
    if (!number || number.value === undefined || number.sex !== undefined || !label?.key || b?.gap !== 0) return -1;
    const sexes = new Set<string>();
    let sum = 0;
    let j = open + 1;
    let last = -1;
    for (;;) {
      const tok = this.tokens[j];
      const spelt = tok?.kind === 'word' ? this.wordsValue(j) : undefined;
      const whole = tok?.kind === 'num' ? readWhole(tok.folded) : undefined;
      const value = whole?.ok ? whole.value : spelt?.value;
      if (value === undefined) break;
      let k = whole?.ok ? j + 1 : (spelt as { end: number }).end;
      while (this.w.childWordAt(k)) k += 1;
      const sex = this.tokens[k]?.norm;
      if (sex !== 'trai' && sex !== 'gai' && sex !== 'nam' && sex !== 'nu') return -1;
      sexes.add(sex === 'trai' || sex === 'nam' ? 'boy' : 'girl');
      sum += value;
      last = k + 1;
      j = last;
      while (this.tokens[j]?.text === ',' || this.tokens[j]?.text === '+' || this.tokens[j]?.norm === 'va') j += 1;
    }
    if (last < 0) return -1;
    // What follows the parts must end them: the message's end, a line, a full stop, or a comma before more.
    const after = this.tokens[last];
    if (after && after.kind !== 'newline' && after.text !== ',' && after.text !== ';' && after.text !== '.') return -1;
    const total = number.value;
    if (sum > total || (sexes.size === 2 && sum !== total)) {
      this.problems.push({ kind: 'breakdown_mismatch', key: label.key, total, sum, raw: this.w.excerpt(open + 1, last) });
    }
    return last;
  }

  /** Number words at j ("một", "hai mươi"): their value and end, or undefined. */
  private wordsValue(j: number): { value: number; end: number } | undefined {
    const end = this.numberWordsEnd(j);
    if (end <= j) return undefined;
    const value = numberFromWords(this.tokens.slice(j, end).map((t) => t.norm).join(' '));
    return value === undefined ? undefined : { value, end };
  }

  /**
   * "còn lại: 0", "các mục khác đều không có": the zero is for every row not written, not for the row
   * before it, so nothing pairs across it. Without a zero after it, "ngoài ra" is an ordinary word.
   */
  private onRest(i: number, from: number): number {
    let j = from;
    while (this.tokens[j] && (BINDING.has((this.tokens[j] as Token).text) || REST_FILLER.has((this.tokens[j] as Token).norm))) j += 1;
    const tok = this.tokens[j];
    const zero = tok?.kind === 'num' ? /^0+$/.test(tok.folded) : tok?.kind === 'word' && this.w.matchAt(j)?.entry.kind === 'zero';
    if (!zero) return from;
    let end = tok?.kind === 'num' ? j + 1 : (this.w.matchAt(j) as Match).end;
    while (this.tokens[end]?.kind === 'word' && REST_TAIL.has((this.tokens[end] as Token).norm)) end += 1;
    return this.restIsZero(i, end);
  }

  /** Every row not written is zero; nothing pairs across the words that said so. */
  private restIsZero(i: number, next: number): number {
    this.restZero = true;
    return this.pushBreak(i, next);
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
      const kind = this.w.matchAt(j)?.entry.kind;
      if (kind === 'key' || kind === 'zero' || readPeriod(this.tokens, j) || this.startsStatement(j)) break;
      j += 1;
    }
    return this.pushBreak(i, j);
  }

  /** "thôn có hai cháu…": a village name ends where "có" or a count of children starts. */
  private startsStatement(j: number): boolean {
    if ((this.tokens[j] as Token).norm === 'co') return true;
    const end = this.numberWordsEnd(j);
    return end > j && this.w.childWordAt(end);
  }
}
