/**
 * What the scan of a counts message gives the pairing and the parser: its items (row names, phrases not
 * understood, numbers, breaks, with the punctuation before each), the phrases and numbers to say back,
 * and the periods written. Types only, and the one rule for how much of the sender's text is quoted.
 */
const MAX_UNKNOWN_CHARS = 60;

/** How strongly the punctuation between two items separates them: none (or `:`/`=`), a comma-like mark, a line break. */
export type Gap = 0 | 1 | 2;

export type ValueProblem = 'negative' | 'not_whole' | 'too_large';

export type Item =
  /**
   * A row name (`key`) or a phrase not understood (`key` undefined, `text` as written), `start`..`end`
   * in the text. `cause`: the row is named as the cause or time of what came before ("tử vong 1 cháu do
   * tai nạn"). `nearRow`: a phrase not understood that starts with a row's weak name ("mất tích") or
   * an event the form may lack ("tự tử", vocabulary.ts NEAR_ROW): the sender may have meant a row, so
   * it is always named back. `corrects`: the row comes after "nhầm",
   * "sửa lại"…, and its number replaces the one the message gave it before. `predicate`: a phrase not
   * understood in a clause opened by "không", "đã", "đang"… after a comma ("…, không phải đi viện"): it
   * says more about what came before the comma.
   */
  | {
      kind: 'label'; key?: string; text: string; start: number; end: number; index: number; gap: Gap; cause?: boolean; other?: number; nearRow?: boolean;
      corrects?: boolean; predicate?: boolean;
    }
  // `other` on a label or number: it is about a grown-up, not a child ("mẹ cháu bị tai nạn", "1 cụ già
  // tử vong", "1 cháu mất mẹ", "1 thanh niên 18 tuổi"); the text offset where that is said.
  /**
   * A count as written: digits, number words, or a zero word (`không`, `ko`). `counted`: a word for
   * children follows it ("1 cháu"), and `sex` when that says boys or girls ("1 bé trai"). `joined`: "và", "còn", "thêm"… come right before it ("… và 1 cháu
   * …"): more children than those counted before. `more`: "thêm" itself ("có thêm 1 cháu bị chó cắn"):
   * more than the row was given before, also in an earlier message.
   */
  | {
      kind: 'number'; raw: string; value?: number; problem?: ValueProblem; zero: boolean; index: number; gap: Gap; counted?: boolean;
      sex?: 'boy' | 'girl'; joined?: boolean; more?: boolean; start: number; end: number; other?: number;
    }
  /** A period, a date or a village name: nothing pairs across it. */
  | { kind: 'break'; index: number; gap: Gap };

export interface Hit {
  text: string;
  index: number;
  withValue: boolean;
}

/** A month written (`year` if given), or one counted from the month it is read in ("tháng trước" -1, "tháng này" 0). */
export type PeriodHit = { index: number; month: number; year?: number } | { index: number; relative: -1 | 0 };

/** Cut by code points so an emoji is never split; only the head of a long phrase is ever looked at. */
export function shorten(text: string): string {
  const chars = [...text.slice(0, MAX_UNKNOWN_CHARS * 2)];
  return chars.length <= MAX_UNKNOWN_CHARS ? text : `${chars.slice(0, MAX_UNKNOWN_CHARS - 1).join('')}…`;
}
