/**
 * Working days and working hours of a commune (pure: configuration and instants in, instants out).
 *
 * A working day is Monday to Friday, in the commune's time zone, that is not one of the commune's
 * configured holidays (`holidays`, 'YYYY-MM-DD'). Working hours are `workingHours.start`–`end` on a
 * working day. Legal clocks count in working days (NĐ 56/2017 Điều 28: the support plan within 5 working
 * days); P2 alerts go out inside working hours.
 *
 * Counting rule: "N working days after a report" means the N-th working day after the day the report
 * was received (that day itself is not counted, whatever the hour), and a deadline falls at the end of
 * working hours of that day. A report received on Friday evening or on a holiday therefore starts
 * counting on the next working day, as the officer could not have started earlier.
 */
import { hhmmMinutes, localDay, localParts, shiftDay, weekdayOf, zonedInstant, type LocalDay } from './local-time.js';

export interface WorkCalendar {
  timezone: string;
  /** 'YYYY-MM-DD' days off besides weekends. */
  holidays: readonly LocalDay[];
  workingHours: { start: string; end: string };
}

/** A calendar where every day is a holiday would never end: give up after ten years. */
const MAX_SCAN_DAYS = 3660;

export function isWorkingDay(day: LocalDay, cal: Pick<WorkCalendar, 'holidays'>): boolean {
  const wd = weekdayOf(day);
  return wd !== 0 && wd !== 6 && !cal.holidays.includes(day);
}

/** The N-th working day after `day` (not counting `day` itself); N = 0 gives `day` back. */
export function addWorkingDays(day: LocalDay, n: number, cal: Pick<WorkCalendar, 'holidays'>): LocalDay {
  if (!Number.isInteger(n) || n < 0) throw new Error(`working days must be a whole number ≥ 0, got ${n}`);
  let current = day;
  let left = n;
  for (let scanned = 0; left > 0; scanned++) {
    if (scanned > MAX_SCAN_DAYS) throw new Error('no working day found within ten years: check the holidays');
    current = shiftDay(current, 1);
    if (isWorkingDay(current, cal)) left--;
  }
  return current;
}

/** The first working day on or after `day`. */
export function nextWorkingDay(day: LocalDay, cal: Pick<WorkCalendar, 'holidays'>): LocalDay {
  let current = day;
  for (let scanned = 0; !isWorkingDay(current, cal); scanned++) {
    if (scanned > MAX_SCAN_DAYS) throw new Error('no working day found within ten years: check the holidays');
    current = shiftDay(current, 1);
  }
  return current;
}

/** End of working hours on the N-th working day after the day `from` falls on: the legal deadline. */
export function workingDaysDeadline(from: number, n: number, cal: WorkCalendar): number {
  const day = n === 0 ? nextWorkingDay(localDay(from, cal.timezone), cal) : addWorkingDays(localDay(from, cal.timezone), n, cal);
  return zonedInstant(day, cal.workingHours.end, cal.timezone);
}

/** Start of working hours on the N-th working day after the day `from` falls on: when to remind. */
export function workingDaysStart(from: number, n: number, cal: WorkCalendar): number {
  const day = n === 0 ? nextWorkingDay(localDay(from, cal.timezone), cal) : addWorkingDays(localDay(from, cal.timezone), n, cal);
  return zonedInstant(day, cal.workingHours.start, cal.timezone);
}

export function isWithinWorkingHours(at: number, cal: WorkCalendar): boolean {
  const p = localParts(at, cal.timezone);
  if (!isWorkingDay(p.day, cal)) return false;
  return p.minutes >= hhmmMinutes(cal.workingHours.start) && p.minutes < hhmmMinutes(cal.workingHours.end);
}

/** `at` itself when inside working hours, otherwise the start of the next working hours. */
export function nextWorkingHoursStart(at: number, cal: WorkCalendar): number {
  if (isWithinWorkingHours(at, cal)) return at;
  const p = localParts(at, cal.timezone);
  // Today's start is still ahead (early morning of a working day)?
  if (isWorkingDay(p.day, cal) && p.minutes < hhmmMinutes(cal.workingHours.start)) {
    return zonedInstant(p.day, cal.workingHours.start, cal.timezone);
  }
  return zonedInstant(addWorkingDays(p.day, 1, cal), cal.workingHours.start, cal.timezone);
}
