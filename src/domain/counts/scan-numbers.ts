/**
 * How the counts scan reads numbers (docs/domain.md §5): digits, with their sign and whether they are
 * whole; number words, and the everyday words they fold into ("sau", "ba", "tư"); the number of a list
 * item; and numbers that are not counts because they give an age, a class, a span of time, a number of
 * incidents or restate the count before them in brackets.
 */
import { numberFromWords } from '../../text/numbers.js';
import { shorten, type Item } from './scan-items.js';
import { GrownUpScan } from './scan-grown-ups.js';
import { MAX_NUMBER_WORDS } from './scan-words.js';
import { readWhole, type Token } from './tokens.js';
import { NUMBER_WORDS } from './vocabulary.js';


/** Number words that make numbers too big to be worth reading from words: asked back in digits. */
const MULTIPLIERS = new Set(['tram', 'nghin', 'ngan', 'trieu']);

/** Number words that are, folded, also words that only join a phrase: "sau" (after), "tu" (từ, from). */
const FUNCTION_WORDS = new Set(['sau', 'tu']);

/**
 * "1 vụ", "2 lần": a number of incidents or times, not of children; "khâu 3 mũi", "uống 2 viên", "cách 5
 * km", "nặng 3 kg": a measure of what happened, also none.
 */
const NOT_CHILDREN = new Set(['vu', 'lan', 'mui', 'vien', 'lieu', 'km', 'met', 'cm', 'kg', 'lit', 'dong']);
/**
 * "2 xe va chạm", "2 chiếc xe máy", "3 ô tô": vehicles counted, not children, unless a row waits for its
 * number right before ("tai nạn 1 xe đạp trầy xước": the vehicle says how). The vehicle's words are left
 * to be read, so "xe va chạm" still names the accident.
 */
const VEHICLES = new Set(['xe', 'oto', 'chiec', 'o to']);

export abstract class NumberScan extends GrownUpScan {
  protected onDigits(i: number, negative: boolean): number {
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
  protected isListMarker(i: number): boolean {
    const n = this.w.listItemAt(i);
    if (n === undefined) return false;
    if (this.lastListItem === n - 1) return true;
    let j = i + 2;
    for (; j < this.tokens.length; j += 1) {
      const t = this.tokens[j] as Token;
      if (t.kind === 'newline' || t.text === ';') break;
      if (t.kind === 'num' || this.dict.phrases.get(t.norm)?.kind === 'zero') return true;
    }
    return this.w.listItemAt(j + 1) === n + 1;
  }

  /**
   * "3 tuổi", "5 tháng tuổi", "lớp 8", "bỏng độ 2": a number describing a child (age, school class, how
   * bad a burn), not a count.
   * Returns the index after it, or -1.
   */
  protected attributeEnd(i: number, end: number, value: number | undefined): number {
    if (this.w.ordinalAt(i)) return end;
    const age = this.w.ageEnd(end);
    if (age >= 0 && value !== undefined && age === end + 1) this.onAge(i, value, age);
    if (age >= 0) return age;
    // "1 vụ đuối nước làm 2 cháu tử vong", "khâu 3 mũi": incidents, times and measures are not children.
    if (NOT_CHILDREN.has(this.tokens[end]?.norm ?? '')) return end + 1;
    const vehicle = VEHICLES.has(this.tokens[end]?.norm ?? '') || VEHICLES.has(`${this.tokens[end]?.norm} ${this.tokens[end + 1]?.norm}`);
    if (vehicle && !(this.followsRow() && !this.rowHasItsNumber())) return end;
    return this.w.isDuration(end) ? end + 1 : -1;
  }

  /** "02 (hai)", "hai (02)", "0 (không)": the same count again in brackets, as official letters write it. */
  protected restates(i: number, end: number, value: number | undefined): boolean {
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

  /**
   * End of a run of number words standing on their own (then punctuation, a known word or the end),
   * or i. Folding makes "tu" of "tu vong2k" look like "tư" (four); inside an unknown phrase it is not
   * a value.
   */
  protected numberWordsEnd(i: number): number {
    let j = i;
    // The run stops where a row name starts: "hai tử vong" is two, then the row. No number is spelt in
    // more words than "một trăm hai mươi mốt"; a longer run is words, and is not walked to its end
    // from each of its words (a pasted "hai hai hai …" would take quadratic time).
    while (
      j - i <= MAX_NUMBER_WORDS &&
      this.tokens[j]?.kind === 'word' &&
      NUMBER_WORDS.has((this.tokens[j] as Token).norm) &&
      !this.w.startsRow(j)
    ) {
      j += 1;
    }
    if (j === i) return i;
    const after = this.tokens[j];
    const standsAlone = after === undefined || after.kind !== 'word' || this.w.matchAt(j) !== null || this.w.pairOfTwinsAt(j);
    return standsAlone && !this.unknownOpen ? j : i;
  }

  /**
   * "1 bé bị ngộ độc nấm": after a row that already has its number in front ("1 bé … ngộ độc"), a
   * number word ending the phrase is an ordinary word (nấm, nam, từ, bà…), not a second count. Before
   * another row ("3 sinh hai tử vong") or a word for children ("2 cháu sinh ra và một cháu ngã") it still counts.
   */
  protected describesCountedRow(end: number): boolean {
    return this.rowHasItsNumber() && !this.w.startsRow(end) && !this.w.childWordAt(end);
  }

  /**
   * "khi đi tắm", "do ăn nấm": after a word saying why or when, a number word is an ordinary word unless
   * a word for children follows it ("khi hai cháu…"). "bà" is left to threeAt, which knows her.
   */
  protected saysWhyOrWhen(i: number, end: number): boolean {
    return this.clause && !this.w.childWordAt(end) && (this.tokens[i] as Token).norm !== 'ba';
  }

  /**
   * Folded, "sau" is "after" far more often than "sáu" (six), and the text without diacritics must read
   * the same: alone it is six only before a word for children or the end ("sáu cháu", "tử vong sáu"),
   * or right after a row still waiting for its number ("sinh sáu"). "2 cháu mất sau sinh" is after.
   */
  protected sixAt(end: number): boolean {
    if (this.w.startsRow(end)) return false; // "tử vong sau sinh": after the birth
    return this.w.unitAt(end) || (this.followsRow() && !this.rowHasItsNumber());
  }

  /**
   * "ba" is also "bà" (grandmother, an old woman) and the southern "ba" (father): alone it is three only
   * before a word for children ("ba cháu") or right after a row still waiting for its number ("sinh
   * ba", "tử vong: ba"). "bà bị tai nạn", "ở với bà" are a person.
   */
  protected threeAt(end: number): boolean {
    return this.w.childWordAt(end) || (this.followsRow() && !this.rowHasItsNumber());
  }

  /**
   * "năm cháu", "hai mươi mốt": read as a number. A big number in words ("một trăm") is asked back in
   * digits; a word that spells no number on its own ("làm", "lẻ") is an ordinary word.
   */
  protected onNumberWords(i: number, end: number): number {
    const raw = this.w.excerpt(i, end);
    const words = this.tokens.slice(i, end).map((t) => t.norm);
    const joined = words.join(' ');
    if (joined === 'ba' && !this.threeAt(end)) return this.onAdult(i, end);
    const value = joined === 'sau' && !this.sixAt(end) ? undefined : numberFromWords(joined) ?? (joined === 'tu' && this.w.unitAt(end) ? 4 : undefined);
    if (value !== undefined) return this.pushNumber({ raw, value, zero: false, index: i }, end);
    if (words.some((w) => MULTIPLIERS.has(w))) return this.pushNumber({ raw, problem: 'not_whole', zero: false, index: i }, end);
    // "mất sau sinh 3 ngày", "ngã từ trên cây": not six or four, "after" and "from", which name no row.
    if (FUNCTION_WORDS.has(joined)) {
      this.clause ||= this.w.opensClause(i);
      return end;
    }
    return this.onUnknownWord(i);
  }

  /** Pushes the number of tokens [item.index, end) unless it describes a child or restates the last one; returns end. */
  protected pushNumber(item: Omit<Extract<Item, { kind: 'number' }>, 'kind' | 'gap' | 'start' | 'end'>, end: number): number {
    const attribute = this.attributeEnd(item.index, end, item.value);
    if (attribute >= 0) return attribute;
    if (this.restates(item.index, end, item.value)) {
      this.gap = 0; // the bracket only wrapped the restatement
      return end + 1;
    }
    const counted = this.w.childWordAt(end);
    const sex = counted ? this.w.sexAt(end) : undefined;
    const joined = this.w.joinerBefore(item.index);
    const more = this.w.moreBefore(item.index);
    const span = { start: (this.tokens[item.index] as Token).start, end: (this.tokens[end - 1] as Token).end };
    const adult = this.adult;
    // "bố của 2 cháu", "mẹ 2 cháu": the grown-up's children, said to say who the grown-up is.
    const theirs = adult !== null && (item.index === adult.after || (item.index === adult.after + 1 && this.tokens[adult.after]?.norm === 'cua'));
    this.push({ kind: 'number', ...item, ...span, gap: this.gap, ...(counted && { counted }), ...(sex && { sex }), ...(joined && { joined }), ...(more && { more }), ...(theirs && { other: adult.start }) });
    // "bố mẹ đi làm xa, 2 cháu bỏ học" without the comma: a new count of children is the children's.
    // After "bố của 2", the next word ("cháu") still says whose grown-up.
    this.adult = theirs ? { ...adult, after: end } : counted ? null : adult;
    this.lastNumberEnd = end;
    return end;
  }
}
