/**
 * The time vocabulary: the one place where instants become local days and wall-clock times. Deadlines,
 * quiet hours, working days, report periods and every date people read are local to a commune, in the
 * zone its configuration names (`timezone` in the communes file, docs/domain.md §8), whatever the
 * server's zone. Callers pass that zone in; nothing here knows where a commune is.
 *
 * A local day is always a `LocalDay`, 'YYYY-MM-DD': it sorts and compares as text, is what the communes
 * file uses for holidays, and reads the same in keys and logs.
 */
import { DEFAULT_TIMEZONE } from '../config/communes.js';

/** A calendar day in a commune's zone, 'YYYY-MM-DD'. */
export type LocalDay = string;

/** Wall-clock fields of an instant in a zone. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Where a local day and time of day stand: for working hours and quiet hours. */
export interface LocalParts {
  day: LocalDay;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** Minutes since local midnight. */
  minutes: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<unknown, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = { hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' };
    try {
      // `timeZone: undefined` would mean the server's zone: never wanted, so it takes the default too.
      if (typeof timezone !== 'string') throw new RangeError('no zone');
      f = new Intl.DateTimeFormat('en-US', { ...options, timeZone: timezone });
    } catch {
      // Config validation rejects unknown zones; should one slip through, the zone a commune gets when
      // its configuration names none is the right guess.
      f = new Intl.DateTimeFormat('en-US', { ...options, timeZone: DEFAULT_TIMEZONE });
    }
    formatters.set(timezone, f);
  }
  return f;
}

function formatClock(at: number, timezone: string): WallClock {
  const out: Record<string, number> = {};
  for (const p of formatter(timezone).formatToParts(at)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year ?? 1970, month: out.month ?? 1, day: out.day ?? 1, hour: out.hour ?? 0, minute: out.minute ?? 0, second: out.second ?? 0 };
}

/**
 * Each zone's wall clock at the start of the last minute asked about: formatToParts is dear (a fifth of
 * reading a counts message, which every answer in a report is checked for, issue 15), and instants come
 * in the same minute again and again. Kept only when that minute starts at second 0 there (a whole-minute
 * offset, as every zone has had since the 1970s, whose changes fall on whole minutes): the seconds are
 * then the instant's own.
 */
const minuteStarts = new Map<unknown, { minute: number; clock: WallClock }>();

export function wallClock(at: number, timezone: string): WallClock {
  const minute = Math.floor(at / 60_000);
  let start = minuteStarts.get(timezone);
  if (start?.minute !== minute) {
    const clock = formatClock(minute * 60_000, timezone);
    if (clock.second !== 0) return formatClock(at, timezone);
    start = { minute, clock };
    minuteStarts.set(timezone, start);
  }
  return { ...start.clock, second: Math.floor((at - minute * 60_000) / 1000) };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const dayText = (c: Pick<WallClock, 'year' | 'month' | 'day'>): LocalDay => `${pad(c.year, 4)}-${pad(c.month)}-${pad(c.day)}`;

/** The day of a calendar date; out-of-range months and days roll over (month 13 is next January). */
export function dayOf(year: number, month: number, day: number): LocalDay {
  return fromDayNumber(Math.floor(Date.UTC(year, month - 1, day) / DAY_MS));
}

/** The year, month and day of a local day. */
export function dayFields(day: LocalDay): Pick<WallClock, 'year' | 'month' | 'day'> {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new Error(`not a YYYY-MM-DD day: ${day}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** Days since 1970-01-01: for counting days between two local days. */
export function dayNumber(day: LocalDay): number {
  const { year, month, day: d } = dayFields(day);
  return Math.floor(Date.UTC(year, month - 1, d) / DAY_MS);
}

export function fromDayNumber(n: number): LocalDay {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar day at `at` in `timezone`. */
export function localDay(at: number, timezone: string): LocalDay {
  return dayText(wallClock(at, timezone));
}

/** The local calendar day, weekday and time of day of an instant. */
export function localParts(at: number, timezone: string): LocalParts {
  const c = wallClock(at, timezone);
  const day = dayText(c);
  return { day, weekday: weekdayOf(day), minutes: c.hour * 60 + c.minute };
}

/** 0 = Sunday … 6 = Saturday; a calendar day has the same weekday in every zone. */
export function weekdayOf(day: LocalDay): number {
  return new Date(dayNumber(day) * DAY_MS).getUTCDay();
}

export function shiftDay(day: LocalDay, delta: number): LocalDay {
  return fromDayNumber(dayNumber(day) + delta);
}

/** Minutes since midnight of an 'HH:MM' wall-clock time (as working hours are configured). */
export function hhmmMinutes(hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`not an HH:MM time: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** The instant of a local wall-clock time on a local day (zones with DST: the first matching instant). */
export function zonedInstant(day: LocalDay, hhmm: string, timezone: string): number {
  const wall = dayNumber(day) * DAY_MS + hhmmMinutes(hhmm) * 60_000;
  // Offset at a guess, then again at the corrected instant (they differ only across a DST change).
  let at = wall;
  for (let i = 0; i < 2; i++) {
    const c = wallClock(at, timezone);
    const asUtc = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);
    const offset = asUtc - Math.floor(at / 1000) * 1000;
    at = wall - offset;
  }
  return at;
}

/** "14:05 05/11/2025", the way dates are written in Vietnamese messages. */
export function formatLocal(at: number, timezone: string): string {
  const c = wallClock(at, timezone);
  return `${pad(c.hour)}:${pad(c.minute)} ${pad(c.day)}/${pad(c.month)}/${c.year}`;
}

/** '2025-11-25' → "25/11/2025". */
export function formatDay(day: LocalDay): string {
  const { year, month, day: d } = dayFields(day);
  return `${pad(d)}/${pad(month)}/${year}`;
}

/** "vừa xong", "7 phút trước", "2 giờ 5 phút trước", "3 ngày trước": how long ago, for alerts and lists. */
export function timeAgo(at: number, now: number): string {
  const minutes = Math.floor(Math.max(0, now - at) / 60_000);
  if (minutes < 1) return 'vừa xong';
  if (minutes < 60) return `${minutes} phút trước`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} giờ ${minutes % 60} phút trước` : `${hours} giờ trước`;
  return `${Math.floor(hours / 24)} ngày trước`;
}
