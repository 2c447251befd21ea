/**
 * Report periods for the monthly counts, and every month rule in one place: the 'YYYY-MM' key a month
 * is stored under, which month a month-only or month-less message means, the spans officers ask totals
 * for (a month, a half year, a year), and the calendar rules that make a submission late or a period
 * locked (docs/domain.md §6). Dates are compared as local days in the commune's time zone: a village
 * head sending at 23:30 on the due day is on time even though it is already the next day in UTC.
 */
import { dayFields, dayOf, shiftDay, type LocalDay } from '../local-time.js';
import { foldWords } from '../../text/vietnamese.js';

/** A calendar month the counts are for. */
export interface CountsPeriod {
  year: number;
  month: number;
}

/** A run of whole months, first to last inclusive, with the Vietnamese name used in replies and files. */
export interface PeriodSpan {
  kind: 'month' | 'half' | 'year';
  from: string;
  to: string;
  label: string;
}

/** '2025-10' */
export function periodKey(p: CountsPeriod): string {
  return `${p.year}-${String(p.month).padStart(2, '0')}`;
}

/** The month a local day falls in, '2025-10'. */
export function periodOfDay(day: LocalDay): string {
  return day.slice(0, 7);
}

/** A month written without its year (`T12` in January) is the latest one not after today: reports are for the current or a past month. */
export function yearOfMonth(month: number, today: LocalDay): number {
  const { year, month: current } = dayFields(today);
  return month > current ? year - 1 : year;
}

/**
 * The month a message that names none is about: up to and including the due day, last month's counts
 * are still being sent; after it, this month's.
 */
export function periodDueAround(today: LocalDay, dueDay: number): CountsPeriod {
  const { year, month, day } = dayFields(today);
  if (day > dueDay) return { year, month };
  return month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
}

export function parsePeriodKey(key: string): CountsPeriod | undefined {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  return m ? { year: Number(m[1]), month: Number(m[2]) } : undefined;
}

/** "T10/2025", the short form officers type and see. */
export function shortPeriod(key: string): string {
  const p = parsePeriodKey(key);
  return p ? `T${p.month}/${p.year}` : key;
}

export function addMonths(key: string, n: number): string {
  const p = parsePeriodKey(key);
  if (!p) throw new Error(`bad period ${key}`);
  const index = p.year * 12 + (p.month - 1) + n;
  return periodKey({ year: Math.floor(index / 12), month: (index % 12) + 1 });
}

/** Every month key from `from` to `to` inclusive (empty when to < from). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let k = from; k <= to && out.length < 1200; k = addMonths(k, 1)) out.push(k);
  return out;
}

export function monthsOf(span: PeriodSpan): string[] {
  return monthsBetween(span.from, span.to);
}

export function monthSpan(key: string): PeriodSpan {
  return { kind: 'month', from: key, to: key, label: `tháng ${shortPeriod(key).slice(1)}` };
}

/** Calendar halves: the 6-month report covers January–June, the annual one January–December. */
export function halfSpan(year: number, half: 1 | 2): PeriodSpan {
  const from = periodKey({ year, month: half === 1 ? 1 : 7 });
  return { kind: 'half', from, to: addMonths(from, 5), label: `6 tháng ${half === 1 ? 'đầu' : 'cuối'} năm ${year}` };
}

export function yearSpan(year: number): PeriodSpan {
  return { kind: 'year', from: `${year}-01`, to: `${year}-12`, label: `năm ${year}` };
}

const LAST_MONTH = /^thang (truoc|qua|vua roi|vua qua)$/;
const THIS_MONTH = /^thang (nay|hien tai)$/;

/**
 * What an officer or a CLI flag names: `T10/2025`, `10/2025`, `tháng 10 năm 2025`, `2025-10` (a month);
 * `2025-H1`, `H2/2025`, `6 tháng 2025`, `6 tháng cuối năm 2025` (a half); `2025`, `năm 2025` (a year).
 * A month without a year takes the year of `today`, or last year if that month has not come yet;
 * "tháng trước", "tháng vừa rồi" is the month before `today`'s, "tháng này" `today`'s.
 */
export function parseSpan(text: string, today?: LocalDay): PeriodSpan | undefined {
  // foldWords turns `/` and `-` into spaces: "T10/2025" → "t10 2025", "2025-H1" → "2025 h1".
  const f = foldWords(text);
  if (today && LAST_MONTH.test(f)) return monthSpan(addMonths(periodOfDay(today), -1));
  if (today && THIS_MONTH.test(f)) return monthSpan(periodOfDay(today));
  const iso = /^(\d{4}) (0?[1-9]|1[0-2])$/.exec(f);
  if (iso) return monthSpan(periodKey({ year: Number(iso[1]), month: Number(iso[2]) }));
  const half = /^(\d{4}) ?h([12])$/.exec(f);
  if (half) return halfSpan(Number(half[1]), Number(half[2]) as 1 | 2);
  const halfFirst = /^h([12]) (\d{4})$/.exec(f);
  if (halfFirst) return halfSpan(Number(halfFirst[2]), Number(halfFirst[1]) as 1 | 2);
  const sixMonths = /^6 thang(?: (dau|cuoi))?(?: nam)? (\d{4})$/.exec(f);
  if (sixMonths) return halfSpan(Number(sixMonths[2]), sixMonths[1] === 'cuoi' ? 2 : 1);
  const year = /^(?:(?:ca )?nam )?(\d{4})$/.exec(f);
  if (year) return yearSpan(Number(year[1]));
  const month = /^(?:t ?|thang )?(\d{1,2})(?: (?:nam )?(\d{4}))?$/.exec(f);
  if (!month) return undefined;
  const mo = Number(month[1]);
  if (mo < 1 || mo > 12) return undefined;
  let y = month[2] ? Number(month[2]) : undefined;
  if (y === undefined) {
    // A bare "10" is too ambiguous; "T10" or "tháng 10" is a month of this year or the last.
    if (!today || /^\d/.test(f)) return undefined;
    y = yearOfMonth(mo, today);
  }
  return monthSpan(periodKey({ year: y, month: mo }));
}

// ————————————————————————————————————————————————————————— calendar rules

/* Local days are 'YYYY-MM-DD' text, so comparing them as text compares the days. */

/** A month's counts are due on `dueDay` of the following month. */
export function dueDayOf(key: string, dueDay: number): LocalDay {
  const next = parsePeriodKey(addMonths(key, 1)) as CountsPeriod;
  return dayOf(next.year, next.month, dueDay);
}

/** The last day a period still accepts submissions without an officer unlocking it. */
export function lastOpenDayOf(key: string, dueDay: number, lockAfterDays: number): LocalDay {
  return shiftDay(dueDayOf(key, dueDay), lockAfterDays);
}

export function isLate(key: string, today: LocalDay, dueDay: number): boolean {
  return today > dueDayOf(key, dueDay);
}

export function isPastLock(key: string, today: LocalDay, dueDay: number, lockAfterDays: number): boolean {
  return today > lastOpenDayOf(key, dueDay, lockAfterDays);
}

/** A month that has not started yet cannot be reported. */
export function isFuture(key: string, today: LocalDay): boolean {
  return key > periodOfDay(today);
}
