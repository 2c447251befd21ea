/** Local days (src/domain/local-time.ts) and working days and hours in a commune's calendar (src/domain/workdays.ts): pure, no Redis. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDay, localParts, shiftDay, wallClock, weekdayOf, zonedInstant } from '../src/domain/local-time.js';
import {
  addWorkingDays,
  isWithinWorkingHours,
  isWorkingDay,
  nextWorkingHoursStart,
  workingDaysDeadline,
  workingDaysStart,
  type WorkCalendar,
} from '../src/domain/workdays.js';

// Tết 2026 (16–20/2), 30/4–1/5, Quốc khánh (1–2/9): as in config/communes.example.yaml.
const HOLIDAYS = ['2026-01-01', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-04-30', '2026-05-01', '2026-09-01', '2026-09-02'];
const VN: WorkCalendar = { timezone: 'Asia/Ho_Chi_Minh', holidays: HOLIDAYS, workingHours: { start: '07:30', end: '17:00' } };
const vn = (local: string): number => Date.parse(`${local}+07:00`);

describe('calendar days', () => {
  it('knows weekdays and the commune time zone', () => {
    expect(weekdayOf('2026-03-06')).toBe(5); // Friday
    expect(weekdayOf('2026-03-08')).toBe(0); // Sunday
    // 20:00 UTC on Friday is already Saturday 03:00 in Vietnam.
    expect(localDay(Date.parse('2026-03-06T20:00:00Z'), 'Asia/Ho_Chi_Minh')).toBe('2026-03-07');
    expect(localParts(Date.parse('2026-03-06T20:00:00Z'), 'Asia/Ho_Chi_Minh')).toEqual({ day: '2026-03-07', weekday: 6, minutes: 180 });
    expect(shiftDay('2026-02-28', 1)).toBe('2026-03-01');
    expect(shiftDay('2028-02-28', 1)).toBe('2028-02-29');
    expect(zonedInstant('2026-03-09', '07:30', 'Asia/Ho_Chi_Minh')).toBe(Date.parse('2026-03-09T00:30:00Z'));
  });

  it('reads the wall clock as Intl does, seconds and offset changes included, one instant after another', () => {
    const intl = (at: number, timeZone: string): Record<string, number> => {
      const f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
      return Object.fromEntries(f.formatToParts(at).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
    };
    // Around a DST change (New York, 2026-03-08 07:00 UTC), Liberia's change from -0:44:30 (1972-01-07
    // 00:44:30 UTC, off a whole minute), and Vietnam; instants in the same minute and across them.
    const cases: Array<[string, string]> = [['America/New_York', '2026-03-08T06:58:00Z'], ['Africa/Monrovia', '1972-01-07T00:43:00Z'], ['Asia/Ho_Chi_Minh', '2026-03-06T16:59:00Z']];
    for (const [zone, from] of cases) {
      for (let s = 0; s < 300; s += 7) {
        const at = Date.parse(from) + s * 1000 + 123;
        expect(wallClock(at, zone), `${zone} ${new Date(at).toISOString()}`).toEqual(intl(at, zone));
      }
    }
  });

  it('a working day is Monday to Friday and not a configured holiday', () => {
    expect(isWorkingDay('2026-03-09', VN)).toBe(true);
    expect(isWorkingDay('2026-03-07', VN)).toBe(false);
    expect(isWorkingDay('2026-03-08', VN)).toBe(false);
    expect(isWorkingDay('2026-04-30', VN)).toBe(false);
    expect(isWorkingDay('2026-04-30', { holidays: [] })).toBe(true);
  });
});

describe('adding working days', () => {
  it('skips weekends', () => {
    expect(addWorkingDays('2026-03-06', 1, VN)).toBe('2026-03-09'); // Fri + 1 → Mon
    expect(addWorkingDays('2026-03-09', 5, VN)).toBe('2026-03-16'); // Mon + 5 → next Mon
    expect(addWorkingDays('2026-03-07', 1, VN)).toBe('2026-03-09'); // from a Saturday
    expect(addWorkingDays('2026-03-10', 0, VN)).toBe('2026-03-10');
  });

  it('skips the commune holidays (Tết, 30/4–1/5, 2/9)', () => {
    expect(addWorkingDays('2026-02-13', 1, VN)).toBe('2026-02-23'); // Friday before Tết → the Monday after
    expect(addWorkingDays('2026-04-23', 5, VN)).toBe('2026-05-04'); // Thu + 5, over 30/4 and 1/5
    expect(addWorkingDays('2026-08-28', 3, VN)).toBe('2026-09-04'); // Fri + 3, over 1/9 and 2/9
    // Another commune without those holidays counts them.
    expect(addWorkingDays('2026-04-23', 5, { holidays: [] })).toBe('2026-04-30');
  });

  it('refuses a negative or fractional count, and a calendar with no working day', () => {
    expect(() => addWorkingDays('2026-03-09', -1, VN)).toThrow();
    expect(() => addWorkingDays('2026-03-09', 1.5, VN)).toThrow();
    const everyDay = Array.from({ length: 4000 }, (_, i) => shiftDay('2026-03-10', i));
    expect(() => addWorkingDays('2026-03-09', 1, { holidays: everyDay })).toThrow(/ten years/);
  });

  it('legal deadlines: end of working hours of the N-th working day after the day of receipt', () => {
    // Received Thursday 23/4 at 10:00: 5 working days → Monday 4/5 at 17:00 (30/4 and 1/5 are holidays).
    expect(workingDaysDeadline(vn('2026-04-23T10:00:00'), 5, VN)).toBe(vn('2026-05-04T17:00:00'));
    // Received late on Friday evening, or on a Sunday: counting starts the next working day.
    expect(workingDaysDeadline(vn('2026-03-06T23:30:00'), 5, VN)).toBe(vn('2026-03-13T17:00:00'));
    expect(workingDaysDeadline(vn('2026-03-08T09:00:00'), 5, VN)).toBe(vn('2026-03-13T17:00:00'));
    // Received just after midnight Vietnam time (still the previous day in UTC).
    expect(workingDaysDeadline(Date.parse('2026-03-09T17:10:00Z'), 1, VN)).toBe(vn('2026-03-11T17:00:00'));
    expect(workingDaysStart(vn('2026-04-23T10:00:00'), 3, VN)).toBe(vn('2026-04-28T07:30:00'));
    expect(workingDaysStart(vn('2026-03-07T10:00:00'), 0, VN)).toBe(vn('2026-03-09T07:30:00'));
  });

  it('properties: the result is a working day, exactly N working days later, and later counts come later', () => {
    const day = fc.integer({ min: 0, max: 3 * 365 }).map((i) => shiftDay('2025-06-01', i));
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 40 }), (from, n) => {
        const to = addWorkingDays(from, n, VN);
        if (n > 0) expect(isWorkingDay(to, VN)).toBe(true);
        let count = 0;
        for (let d = shiftDay(from, 1); d <= to; d = shiftDay(d, 1)) if (isWorkingDay(d, VN)) count++;
        expect(count).toBe(n);
        expect(addWorkingDays(from, n + 1, VN) > to).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('working hours', () => {
  it('inside and outside working hours, in the commune zone', () => {
    expect(isWithinWorkingHours(vn('2026-03-10T07:30:00'), VN)).toBe(true);
    expect(isWithinWorkingHours(vn('2026-03-10T16:59:59'), VN)).toBe(true);
    expect(isWithinWorkingHours(vn('2026-03-10T17:00:00'), VN)).toBe(false);
    expect(isWithinWorkingHours(vn('2026-03-10T07:29:00'), VN)).toBe(false);
    expect(isWithinWorkingHours(vn('2026-03-07T10:00:00'), VN)).toBe(false); // Saturday
    expect(isWithinWorkingHours(vn('2026-09-02T10:00:00'), VN)).toBe(false); // holiday
  });

  it('the next working-hours start', () => {
    const inside = vn('2026-03-10T10:00:00');
    expect(nextWorkingHoursStart(inside, VN)).toBe(inside);
    expect(nextWorkingHoursStart(vn('2026-03-10T05:00:00'), VN)).toBe(vn('2026-03-10T07:30:00'));
    expect(nextWorkingHoursStart(vn('2026-03-10T18:00:00'), VN)).toBe(vn('2026-03-11T07:30:00'));
    expect(nextWorkingHoursStart(vn('2026-03-06T18:00:00'), VN)).toBe(vn('2026-03-09T07:30:00')); // Friday evening
    expect(nextWorkingHoursStart(vn('2026-02-13T17:30:00'), VN)).toBe(vn('2026-02-23T07:30:00')); // before Tết
  });

  it('works in another time zone too', () => {
    const bangkokLike: WorkCalendar = { timezone: 'Asia/Tokyo', holidays: [], workingHours: { start: '09:00', end: '18:00' } };
    // 00:30 UTC Monday = 09:30 Tokyo: inside.
    expect(isWithinWorkingHours(Date.parse('2026-03-09T00:30:00Z'), bangkokLike)).toBe(true);
    expect(nextWorkingHoursStart(Date.parse('2026-03-09T10:00:00Z'), bangkokLike)).toBe(Date.parse('2026-03-10T00:00:00Z'));
  });

  it('property: the next start is never earlier, is inside working hours, and nothing in between is', () => {
    fc.assert(
      fc.property(fc.integer({ min: vn('2025-12-20T00:00:00'), max: vn('2026-12-31T00:00:00') }), (at) => {
        const next = nextWorkingHoursStart(at, VN);
        expect(next).toBeGreaterThanOrEqual(at);
        expect(isWithinWorkingHours(next, VN)).toBe(true);
        // Sample the gap every 30 minutes: no working time was skipped.
        for (let t = at; t < next; t += 30 * 60_000) expect(isWithinWorkingHours(t, VN)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
