import { describe, expect, it } from 'vitest';
import { dueReminderSteps, isQuietTime, type PlanCommune, type ReminderStep } from '../src/domain/reminder-plan.js';

/** Counts due on the 25th, reminders 3 and 1 days before and 2 and 5 days after; bao-linh's deadlines. */
const COMMUNE: PlanCommune = {
  id: 'bao-linh',
  timezone: 'Asia/Ho_Chi_Minh',
  counts: { dueDay: 25, remindDaysBefore: [3, 1], remindDaysAfter: [2, 5], lockAfterDays: 45, extraFields: [] },
  deadlines: [
    { key: 'six-month', label: 'Báo cáo 6 tháng', due: '05-20' },
    { key: 'annual', label: 'Báo cáo năm', due: '11-20' },
    { key: 'action-month', label: 'Báo cáo Tháng hành động vì trẻ em', due: '07-20' },
  ],
  deadlineRemindDays: [7, 3, 1],
};

/** An instant given as Vietnam wall-clock time. */
const vn = (local: string): number => Date.parse(`${local}+07:00`);

const counts = (steps: ReminderStep[]) => steps.filter((s) => s.kind === 'counts');
const deadlines = (steps: ReminderStep[]) => steps.filter((s) => s.kind === 'deadline');
const countsAt = (local: string, commune = COMMUNE) =>
  counts(dueReminderSteps(commune, vn(local))).map((s) => `${s.period} ${s.step} ${s.audiences.join('+')}`);
const deadlinesAt = (local: string, commune = COMMUNE) =>
  deadlines(dueReminderSteps(commune, vn(local))).map((s) => `${s.series} ${s.step} ${s.audiences.join('+')}`);

describe('monthly counts steps', () => {
  it('reminds the pending village heads 3 and 1 days before, on the due day, and after it', () => {
    expect(countsAt('2025-11-21T12:00')).toEqual([]);
    expect(countsAt('2025-11-22T08:00')).toEqual(['2025-10 d-3 pending_village_heads']);
    expect(countsAt('2025-11-23T08:00')).toEqual(['2025-10 d-3 pending_village_heads']); // still within its lifetime
    expect(countsAt('2025-11-24T08:00')).toEqual(['2025-10 d-1 pending_village_heads']);
    expect(countsAt('2025-11-25T08:00')).toEqual(['2025-10 d0 pending_village_heads']);
    expect(countsAt('2025-11-26T08:00')).toEqual(['2025-10 d+1 officers_missing_list']);
    expect(countsAt('2025-11-27T08:00')).toEqual(['2025-10 d+2 officers_missing_list+pending_village_heads']);
    expect(countsAt('2025-11-28T20:00')).toEqual(['2025-10 d+2 officers_missing_list+pending_village_heads']);
    expect(countsAt('2025-11-29T08:00')).toEqual([]); // d+2 expired, d+5 not yet
    expect(countsAt('2025-11-30T08:00')).toEqual(['2025-10 d+5 officers_missing_list+pending_village_heads']);
    expect(countsAt('2025-12-02T08:00')).toEqual([]);
  });

  it('counts the day in Vietnam time, not UTC', () => {
    // 21 Nov 23:59 in Vietnam is still before the first step; 22 Nov 00:30 is in it (17:30 UTC the day before).
    expect(counts(dueReminderSteps(COMMUNE, Date.parse('2025-11-21T16:59:00Z')))).toEqual([]);
    const [step] = counts(dueReminderSteps(COMMUNE, Date.parse('2025-11-21T17:30:00Z')));
    expect(step).toMatchObject({ period: '2025-10', step: 'd-3', day: '2025-11-22', dueDay: '2025-11-25' });
  });

  it("asks for December's counts in January of the next year", () => {
    expect(countsAt('2026-01-24T09:00')).toEqual(['2025-12 d-1 pending_village_heads']);
  });

  it('follows the configured due day and offsets, merging audiences on one day', () => {
    const c = { ...COMMUNE, counts: { ...COMMUNE.counts, dueDay: 3, remindDaysBefore: [5], remindDaysAfter: [1] } };
    // Due 3 Dec: 5 days before is 28 Nov, still in November.
    expect(countsAt('2025-11-28T08:00', c)).toEqual(['2025-11 d-5 pending_village_heads']);
    expect(countsAt('2025-12-04T08:00', c)).toEqual(['2025-11 d+1 officers_missing_list+pending_village_heads']);
  });
});

describe('officer report deadlines', () => {
  it('reminds the officers 7, 3 and 1 days before, then the officers and the chair when overdue', () => {
    expect(deadlinesAt('2026-05-12T08:00')).toEqual([]);
    expect(deadlinesAt('2026-05-13T08:00')).toEqual(['six-month-2026 d-7 officers']);
    expect(deadlinesAt('2026-05-17T08:00')).toEqual(['six-month-2026 d-3 officers']);
    expect(deadlinesAt('2026-05-19T08:00')).toEqual(['six-month-2026 d-1 officers']);
    expect(deadlinesAt('2026-05-20T08:00')).toEqual(['six-month-2026 d-1 officers']); // the due day itself is on time
    expect(deadlinesAt('2026-05-21T08:00')).toEqual(['six-month-2026 overdue chair+officers']);
    expect(deadlinesAt('2026-05-23T08:00')).toEqual([]);
  });

  it('covers the Tháng hành động report and the annual one with their days left', () => {
    const [july] = deadlines(dueReminderSteps(COMMUNE, vn('2026-07-17T10:00')));
    expect(july).toMatchObject({ deadlineKey: 'action-month', step: 'd-3', daysLeft: 3, dueDay: '2026-07-20' });
    const [nov] = deadlines(dueReminderSteps(COMMUNE, vn('2025-11-21T10:00')));
    expect(nov).toMatchObject({ series: 'annual-2025', step: 'overdue' });
  });

  it('reminds in December of a deadline early in January', () => {
    const c = { ...COMMUNE, deadlines: [{ key: 'q4', label: 'Báo cáo quý IV', due: '01-03' }] };
    expect(deadlinesAt('2025-12-27T08:00', c)).toEqual(['q4-2026 d-7 officers']);
  });
});

describe('quiet hours', () => {
  it('is quiet from 21:00 to 07:00 Vietnam time', () => {
    const tz = 'Asia/Ho_Chi_Minh';
    expect(isQuietTime(vn('2025-11-22T20:59'), tz)).toBe(false);
    expect(isQuietTime(vn('2025-11-22T21:00'), tz)).toBe(true);
    expect(isQuietTime(vn('2025-11-23T00:00'), tz)).toBe(true);
    expect(isQuietTime(vn('2025-11-23T06:59'), tz)).toBe(true);
    expect(isQuietTime(vn('2025-11-23T07:00'), tz)).toBe(false);
    // 07:00 in Vietnam is midnight UTC: the zone matters.
    expect(isQuietTime(Date.parse('2025-11-23T00:00:00Z'), tz)).toBe(false);
  });
});
