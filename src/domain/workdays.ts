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
import { wallClock } from './local-time.js';

/** A calendar day as 'YYYY-MM-DD' in the commune's zone. */
export type IsoDay = string;

export interface WorkCalendar {
  timezone: string;
  holidays: readonly IsoDay[];
  workingHours: { start: string; end: string };
}

const DAY_MS = 86_400_000;
/** A calendar where every day is a holiday would never end: give up after ten years. */
const MAX_SCAN_DAYS = 3660;

export interface LocalParts {
  day: IsoDay;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** Minutes since local midnight. */
  minutes: number;
}

function rawParts(at: number, timezone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const c = wallClock(at, timezone);
  return { y: c.year, mo: c.month, d: c.day, h: c.hour, mi: c.minute, s: c.second };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** The local calendar day, weekday and time of day of an instant. */
export function localParts(at: number, timezone: string): LocalParts {
  const p = rawParts(at, timezone);
  const day = `${pad(p.y, 4)}-${pad(p.mo)}-${pad(p.d)}`;
  return { day, weekday: weekdayOf(day), minutes: p.h * 60 + p.mi };
}

export function localDay(at: number, timezone: string): IsoDay {
  return localParts(at, timezone).day;
}

function dayToUtcMs(day: IsoDay): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new Error(`not a YYYY-MM-DD day: ${day}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function utcMsToDay(ms: number): IsoDay {
  return new Date(ms).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday; a calendar day has the same weekday in every zone. */
export function weekdayOf(day: IsoDay): number {
  return new Date(dayToUtcMs(day)).getUTCDay();
}

export function shiftDay(day: IsoDay, delta: number): IsoDay {
  return utcMsToDay(dayToUtcMs(day) + delta * DAY_MS);
}

export function isWorkingDay(day: IsoDay, cal: Pick<WorkCalendar, 'holidays'>): boolean {
  const wd = weekdayOf(day);
  return wd !== 0 && wd !== 6 && !cal.holidays.includes(day);
}

/** The N-th working day after `day` (not counting `day` itself); N = 0 gives `day` back. */
export function addWorkingDays(day: IsoDay, n: number, cal: Pick<WorkCalendar, 'holidays'>): IsoDay {
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
export function nextWorkingDay(day: IsoDay, cal: Pick<WorkCalendar, 'holidays'>): IsoDay {
  let current = day;
  for (let scanned = 0; !isWorkingDay(current, cal); scanned++) {
    if (scanned > MAX_SCAN_DAYS) throw new Error('no working day found within ten years: check the holidays');
    current = shiftDay(current, 1);
  }
  return current;
}

function hhmmMinutes(hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`not an HH:MM time: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** The instant of a local wall-clock time on a local day (zones with DST: the first matching instant). */
export function zonedInstant(day: IsoDay, hhmm: string, timezone: string): number {
  const wall = dayToUtcMs(day) + hhmmMinutes(hhmm) * 60_000;
  // Offset at a guess, then again at the corrected instant (they differ only across a DST change).
  let at = wall;
  for (let i = 0; i < 2; i++) {
    const p = rawParts(at, timezone);
    const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s);
    const offset = asUtc - Math.floor(at / 1000) * 1000;
    at = wall - offset;
  }
  return at;
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
