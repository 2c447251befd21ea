/**
 * The scan of a counts message: one left-to-right pass over its tokens that pairs each row name with the
 * number after it and collects periods, unknown phrases, stray numbers and problems. The parser turns
 * what it collected into a reading.
 */
import type { CountsProblem } from './reading.js';
import { isDate, readPeriod, readWhole, type PeriodRead, type Token } from './tokens.js';
import { NUMBER_WORDS, type Dictionary, type Match, type VillageNames } from './vocabulary.js';

const MAX_UNKNOWN_CHARS = 60;

type Pending =
  | { kind: 'key'; key: string }
  /** Unknown words waiting to see whether a number follows; `closed` once punctuation ends the phrase. */
  | { kind: 'unknown'; start: number; end: number; index: number; closed: boolean };

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

/**
 * One left-to-right pass. A row name opens a slot; the next number (or zero word) fills it, with
 * separators and filler words allowed in between. Unknown words open their own slot so that their
 * number is not taken as a stray count, and are named back to the sender.
 */
export class Scan {
  readonly values = new Map<string, number[]>();
  readonly problems: CountsProblem[] = [];
  readonly unknown: Hit[] = [];
  readonly strays: Hit[] = [];
  readonly periods: PeriodHit[] = [];
  readonly valueless = new Set<string>();
  firstKeyIndex = Number.POSITIVE_INFINITY;
  private pending: Pending | null = null;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
    private readonly dict: Dictionary,
    private readonly villages: VillageNames,
  ) {}

  run(): this {
    let i = 0;
    while (i < this.tokens.length) i = this.step(i);
    this.endSlot();
    return this;
  }

  private step(i: number): number {
    const tok = this.tokens[i] as Token;
    if (tok.kind === 'punct' && this.isMinus(i)) return this.onNumber(i + 1, true);
    if (tok.kind === 'punct' || tok.kind === 'newline') {
      if (this.pending?.kind === 'unknown') this.pending.closed = true;
      return i + 1;
    }
    const period = readPeriod(this.tokens, i);
    if (period) return this.onPeriod(i, period);
    if (tok.kind === 'num') return this.onNumber(i, false);
    return this.onWord(i);
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

  private onNumber(i: number, negative: boolean): number {
    const tok = this.tokens[i] as Token;
    const raw = shorten(negative ? `-${tok.text}` : tok.text);
    const pending = this.pending;
    if (pending?.kind === 'key') {
      this.pending = null;
      this.assign(pending.key, tok.folded, raw, negative);
    } else if (pending?.kind === 'unknown') {
      this.flushUnknown(true);
    } else if (!isDate(tok.folded)) {
      this.strays.push({ text: raw, index: i, withValue: true });
    }
    return i + 1;
  }

  private assign(key: string, chunk: string, raw: string, negative: boolean): void {
    const whole = readWhole(chunk);
    if (negative) this.problems.push({ kind: 'negative', key, raw });
    else if (!whole.ok) this.problems.push({ kind: whole.why, key, raw });
    else this.record(key, whole.value);
  }

  private record(key: string, value: number): void {
    const list = this.values.get(key);
    if (list) list.push(value);
    else this.values.set(key, [value]);
  }

  private onPeriod(i: number, period: PeriodRead): number {
    this.endSlot();
    const raw = this.excerpt(i, period.next);
    if (period.bad) this.problems.push({ kind: 'bad_period', raw });
    else if (period.month !== undefined) this.periods.push({ index: i, month: period.month, year: period.year });
    return period.next;
  }

  private onWord(i: number): number {
    const match = this.matchAt(i);
    if (match?.entry.kind === 'key') return this.onKey(match.entry.key, i, match.end);
    if (this.pending?.kind === 'key' && (!match || match.words === 1)) {
      const end = this.numberWordsEnd(i);
      if (end > i) return this.onNumberWords(i, end);
    }
    if (match?.entry.kind === 'zero') return this.onZero(match.end);
    if (match?.entry.kind === 'marker') return this.skipVillage(match.end);
    if (match) return match.end;
    return this.onUnknownWord(i);
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
    const pending = this.pending;
    // Two names of one row in a row ("mua bán, bắt cóc 2") wait for a single number.
    if (pending?.kind === 'key' && pending.key === key) return end;
    this.endSlot();
    this.pending = { kind: 'key', key };
    this.firstKeyIndex = Math.min(this.firstKeyIndex, i);
    return end;
  }

  /**
   * End of a run of number words standing on their own (then punctuation, a known word or the end),
   * or i. Folding makes "tu" of "tu vong2k" look like "tư" (four); inside an unknown phrase it is not
   * a value.
   */
  private numberWordsEnd(i: number): number {
    let j = i;
    while (this.tokens[j]?.kind === 'word' && NUMBER_WORDS.has((this.tokens[j] as Token).norm)) j += 1;
    const after = this.tokens[j];
    const standsAlone = after === undefined || after.kind !== 'word' || this.matchAt(j) !== null;
    return standsAlone ? j : i;
  }

  /** "sinh ba": the row is named, but the value is a word; report it rather than guess. */
  private onNumberWords(i: number, end: number): number {
    const pending = this.pending;
    if (pending?.kind !== 'key') return end;
    this.problems.push({ kind: 'not_whole', key: pending.key, raw: this.excerpt(i, end) });
    this.pending = null;
    return end;
  }

  private onZero(end: number): number {
    const pending = this.pending;
    if (pending?.kind === 'key') {
      this.record(pending.key, 0);
      this.pending = null;
    } else if (pending?.kind === 'unknown') {
      this.flushUnknown(true);
    }
    return end;
  }

  /** After `thôn`, `xóm`, `bản`…: the village number (`thôn 3`) or name up to the next row or punctuation. */
  private skipVillage(i: number): number {
    this.endSlot();
    if (this.tokens[i]?.kind === 'num') return i + 1;
    let j = i;
    while (j < this.tokens.length && this.tokens[j]?.kind === 'word') {
      if (this.matchAt(j)?.entry.kind === 'key' || readPeriod(this.tokens, j)) break;
      j += 1;
    }
    return j;
  }

  private onUnknownWord(i: number): number {
    const tok = this.tokens[i] as Token;
    const pending = this.pending;
    if (pending?.kind === 'unknown' && !pending.closed) {
      pending.end = tok.end;
      return i + 1;
    }
    this.endSlot();
    this.pending = { kind: 'unknown', start: tok.start, end: tok.end, index: i, closed: false };
    return i + 1;
  }

  /** Closes whatever slot is open: a row without a number, or unknown words without one. */
  private endSlot(): void {
    const pending = this.pending;
    if (pending?.kind === 'key') this.valueless.add(pending.key);
    if (pending?.kind === 'unknown') this.flushUnknown(false);
    this.pending = null;
  }

  /** The sender's own text for tokens [from, to), shortened: it is echoed back in a chat message. */
  private excerpt(from: number, to: number): string {
    return shorten(this.text.slice((this.tokens[from] as Token).start, (this.tokens[to - 1] as Token).end));
  }

  private flushUnknown(withValue: boolean): void {
    const pending = this.pending;
    if (pending?.kind !== 'unknown') return;
    this.unknown.push({ text: this.text.slice(pending.start, pending.end), index: pending.index, withValue });
    this.pending = null;
  }
}

/** Cut by code points so an emoji is never split; only the head of a long phrase is ever looked at. */
export function shorten(text: string): string {
  const chars = [...text.slice(0, MAX_UNKNOWN_CHARS * 2)];
  return chars.length <= MAX_UNKNOWN_CHARS ? text : `${chars.slice(0, MAX_UNKNOWN_CHARS - 1).join('')}…`;
}
