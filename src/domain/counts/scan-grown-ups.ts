/**
 * The grown-up rules of the counts scan (docs/domain.md §5): the rows count children, so what is said
 * about a parent, a grandparent or anyone of 16 or more is marked as theirs, not counted, unless the
 * grown-up is the one who did it, the mother, or names whose child it is; a child who lost a parent is
 * not a death either; an age at or above a row's limit makes the count not a child's.
 */
import { OWNER_MARKS } from './vocabulary.js';
import type { Item } from './scan-items.js';
import { ScanState } from './scan-state.js';
import { UNITS } from './scan-words.js';
import type { Token } from './tokens.js';

/** "1 cháu bị bố đánh", "xâm hại bởi cha dượng": a grown-up after these did it, and the row is the child's. */
const AGENT_MARKS = new Set(['bi', 'boi', 'duoc']);

export abstract class GrownUpScan extends ScanState {
  /** Whether a "ba" ending before `end` is three ("ba cháu"), not "bà" (a grandmother): scan-numbers.ts decides. */
  protected abstract threeAt(end: number): boolean;

  /**
   * "1 cháu 17 tuổi bị tai nạn", "tai nạn 1 cháu 17 tuổi": someone of that age may not be counted in the
   * row (a child is under 16; a marriage is a child marriage under 18). The row before the count and age
   * is checked now, the rows after it as they come (`adult`, with the age).
   */
  protected onAge(i: number, age: number, end: number): void {
    if (this.adult) return;
    const [row, number] = [this.items.at(-2), this.items.at(-1)];
    if (number?.kind !== 'number' || this.gap !== 0 || !this.w.onlyFillerBetween(number.index + 1, i)) return;
    if (row?.kind === 'label' && row.key !== undefined && number.gap === 0) {
      if (age < this.dict.untilAge(row.key)) return;
      row.other = row.start;
      number.end = (this.tokens[end - 1] as Token).end; // said back with the age
      return;
    }
    this.adult = { start: number.start, after: -1, age };
  }

  /**
   * "tai nạn 2 (1 người lớn, 1 trẻ em)": the row's number counts a grown-up too, so it is not saved;
   * the sender is told, with the bracket (ending at token `close`).
   */
  protected partlyAdults(number: Extract<Item, { kind: 'number' }>, close: number): number {
    number.other = number.start;
    number.end = (this.tokens[close] as Token).end;
    return close + 1;
  }

  /** A grown-up is named at j (after "cả": "mất cả bố lẫn mẹ"). */
  protected adultAt(j: number): boolean {
    const tok = this.tokens[j];
    if (tok?.kind !== 'word') return false;
    const match = this.w.matchAt(j);
    if (match?.entry.kind === 'adult') return !this.w.leaves(j, match);
    return tok.norm === 'ba' && !this.threeAt(j + 1);
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
  protected onAdult(i: number, end: number): number {
    const before = this.tokens[i - 1]?.norm ?? '';
    const owner = OWNER_MARKS.has(before) || (before === 'dinh' && this.tokens[i - 2]?.norm === 'gia');
    if (AGENT_MARKS.has(before) || owner) return end;
    const start = (this.tokens[i] as Token).start;
    const last = this.items.at(-1);
    let from = start;
    if (last && last.kind !== 'break' && this.gap === 0) {
      const appositive = this.tokens[i - 1]?.norm === 'la' && last.kind === 'label' && last.key !== undefined;
      const counts = last.kind === 'number' && this.w.onlyFillerBetween(last.index + 1, i) && !this.w.unitBetween(last.index + 1, i);
      const takesIn = last.kind === 'label' && last.key === undefined && this.unknownOpen && this.w.bereftBefore(i);
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
  protected childAgain(i: number): boolean {
    const adult = this.adult;
    if (!adult || !UNITS.has((this.tokens[i] as Token).norm)) return false;
    return i !== adult.after && !(i === adult.after + 1 && this.tokens[adult.after]?.norm === 'cua');
  }
}
