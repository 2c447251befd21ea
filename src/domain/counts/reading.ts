/**
 * What reading a counts message gives back (docs/domain.md §5): the period, the counts, the words not
 * understood and the problems to ask the sender about. Shared by the parser that builds a reading and
 * the handlers and texts that use one.
 */
import type { CountsPeriod } from './periods.js';

export interface ReadPeriod extends CountsPeriod {
  /** `inferred`: the message named no month, so the caller must ask the sender to confirm it. */
  source: 'explicit' | 'inferred';
  /** False when only the month was written (`T10`) and the year came from the date. */
  yearGiven: boolean;
}

export type CountsProblem =
  | { kind: 'negative'; key: string; raw: string }
  | { kind: 'not_whole'; key: string; raw: string }
  | { kind: 'too_large'; key: string; raw: string }
  /** The row is named but no number follows it (`sinh, tử vong 0`, `sinh2`). */
  | { kind: 'no_number'; key: string }
  /** The row twice with different values, or under different names (`names`, as written, one per value). */
  | { kind: 'duplicate'; key: string; values: number[]; names?: string[] }
  /** The sub-rows of a total add up to more than the total (`xamhai` < `baoluc + tinhduc + …`). */
  | { kind: 'parts_exceed_total'; key: string; total: number; parts: Array<{ key: string; value: number }>; sum: number }
  /** Boys and girls told after a row's number that add up to another number ("sinh 3, 1 bé trai, 1 bé gái"): `raw` as written. */
  | { kind: 'breakdown_mismatch'; key: string; total: number; sum: number; raw: string }
  /** Numbers that could belong to more than one of these rows (`sinh 2 tử vong`): asked, not guessed. */
  | { kind: 'unsure'; keys: string[]; raws: string[] }
  /** A number that follows no row. */
  | { kind: 'stray_number'; raw: string }
  /**
   * What the sender wrote about a grown-up, not a child ("1 cháu mất mẹ do tai nạn", "ông nội cháu qua
   * đời", "1 thanh niên 18 tuổi bị tai nạn"): `text` as written, and its number (`raw`) if it had one.
   * Nothing of it is counted; the sender is told so and how to write it if it was a child's.
   */
  | { kind: 'not_a_child'; text: string; raw?: string }
  | { kind: 'bad_period'; raw: string }
  | { kind: 'period_conflict'; periods: CountsPeriod[] }
  /** Only if the parser itself failed; reported instead of throwing into a chat handler. */
  | { kind: 'unreadable' };

export interface CountsReading {
  /** Null only when no period can be worked out (no month written and an invalid `now`). */
  period: ReadPeriod | null;
  counts: Record<string, number>;
  /** Phrases not understood, as the sender wrote them (NFC), e.g. `ma túy`. */
  unknown: string[];
  problems: CountsProblem[];
  /** Rows with no count and no problem, in form order. */
  missing: string[];
  /**
   * The rows of `counts` that are zero only because the sender said the rest are ("còn lại không có"),
   * not written themselves: a correction must not zero what an earlier message gave.
   */
  zeroed?: string[];
  /**
   * The rows whose number came after "thêm" only ("à quên, tháng 11 có thêm 1 cháu bị chó cắn"): more
   * children than the row was given before, so a correction adds it to the number sent earlier.
   */
  added?: string[];
}

export interface ParseCountsOptions {
  now: Date;
  /** IANA zone of the commune; the month boundary is local. */
  timezone: string;
  /** Day of the month by which last month's counts are due (inclusive). */
  dueDay: number;
  /** The commune's village names: noise wherever they appear, not unknown words. */
  villageNames?: readonly string[];
}
