/**
 * The state of the scan of a counts message as it walks the tokens: the items found so far, the
 * punctuation since the last one, and what the last words said (a phrase not understood still open, a
 * grown-up being talked about). The rules that read numbers (scan-numbers.ts), grown-ups
 * (scan-grown-ups.ts) and rows (scanner.ts) build on it, each in its own module.
 */
import type { CountsProblem } from './reading.js';
import type { Gap, Item, PeriodHit } from './scan-items.js';
import type { Token } from './tokens.js';
import type { Dictionary } from './vocabulary.js';
import type { Words } from './scan-words.js';

export abstract class ScanState {
  readonly items: Item[] = [];
  readonly problems: CountsProblem[] = [];
  readonly periods: PeriodHit[] = [];
  firstKeyIndex = Number.POSITIVE_INFINITY;
  /** "còn lại không có": the rows not written are zero. */
  restZero = false;
  /** Strongest punctuation seen since the last item. */
  protected gap: Gap = 0;
  /** True while the last item is an unknown phrase that the next unknown word may extend. */
  protected unknownOpen = false;
  /** The token after the last number item, to see a count restated in brackets right after it. */
  protected lastNumberEnd = -1;
  /** The number of the last list item ("2." of "2. Tử vong: 0"), or -1. */
  protected lastListItem = -1;
  /** The token after the last row name. */
  protected lastKeyEnd = -1;
  /**
   * A word saying why or when ("do", "khi", "lúc", "sau") was read and nothing since: what follows tells
   * the cause or the time, so a lone number word there is an ordinary word ("khi đi tắm": bathe, not eight).
   */
  protected clause = false;
  /** A correction word was seen ("à nhầm") and no row has been named since. */
  protected correcting = false;
  /**
   * Set while what is said is about a grown-up ("mẹ cháu … bị tai nạn"): where they are named in the
   * text, and the token after their name (a number right there, "bố của 2 cháu", is theirs too).
   */
  protected adult: { start: number; after: number; age?: number } | null = null;
  protected readonly text: string;
  protected readonly tokens: readonly Token[];
  protected readonly dict: Dictionary;

  constructor(protected readonly w: Words) {
    this.text = w.text;
    this.tokens = w.tokens;
    this.dict = w.dict;
  }

  /** "à nhầm", "sửa lại": the next row named replaces its earlier value; nothing pairs across the word. */
  protected onCorrection(end: number): number {
    this.correcting = true;
    this.gap = Math.max(this.gap, 1) as Gap;
    this.unknownOpen = false;
    return end;
  }

  protected separate(strength: Gap, i: number): number {
    if (strength > this.gap) this.gap = strength;
    this.unknownOpen = false;
    this.clause = false;
    this.adult = null;
    return i + 1;
  }

  /** "sinh 1/2": right after a row a date-like chunk is a value (not a whole one), not a date of writing. */
  protected followsRow(): boolean {
    const last = this.items.at(-1);
    return last?.kind === 'label' && last.key !== undefined && this.gap === 0;
  }

  protected followsNumber(): boolean {
    return this.items.at(-1)?.kind === 'number' && this.gap === 0;
  }

  /** The last item is a row just written with its own number in front ("1 bé … ngộ độc", "2 cháu mất"). */
  protected rowHasItsNumber(): boolean {
    const [before, number, row] = [this.items.at(-3), this.items.at(-2), this.items.at(-1)];
    if (row?.kind !== 'label' || row.key === undefined || row.gap !== 0 || this.gap !== 0) return false;
    return number?.kind === 'number' && !(before?.kind === 'label' && number.gap === 0);
  }

  protected onUnknownWord(i: number, nearRow = false): number {
    const tok = this.tokens[i] as Token;
    const last = this.items.at(-1);
    // A weak name inside a phrase ("sưng mặt", folded like "mất") does not make the phrase a row meant:
    // only one that leads it ("mất tích") does.
    if (this.unknownOpen && last?.kind === 'label') {
      last.end = tok.end;
      last.text = this.text.slice(last.start, tok.end);
      return i + 1;
    }
    // "mẹ cháu khỏe", "bố mẹ ly hôn": words said of a grown-up name no child's row; not said back. With
    // a number after them that counts no children ("bo hco 2") they may be a row misspelt, and stay.
    if (this.adult && this.adult.age === undefined && !nearRow && !this.w.bareNumberInClause(i + 1)) return i + 1;
    const predicate = this.gap === 1 && this.w.predicateBefore(i);
    this.push({ kind: 'label', text: tok.text, start: tok.start, end: tok.end, index: i, gap: this.gap, ...(nearRow && { nearRow }), ...(predicate && { predicate }) });
    this.unknownOpen = true;
    return i + 1;
  }

  protected pushBreak(index: number, next: number): number {
    this.push({ kind: 'break', index, gap: this.gap });
    return next;
  }

  protected push(item: Item): void {
    this.items.push(item);
    this.gap = 0;
    this.unknownOpen = false;
    this.clause = false;
  }
}
