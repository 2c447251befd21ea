/**
 * Which reminders are due at an instant, for one commune (docs/domain.md §6, §7). Pure: configuration and a
 * clock in, a list of steps out. Who actually gets a message (villages that have not submitted, people
 * not mid-conversation) and the "once per person" rule are the job's business (src/jobs/reminders.ts).
 *
 * Calendar rules, all in the commune's time zone:
 * - Monthly counts for month M are due on `counts.dueDay` of month M+1 (the last day that is on time).
 *   Village heads that have not submitted are reminded `remindDaysBefore` days before, on the due day,
 *   and `remindDaysAfter` days after; from the day after the due day the officers get the list of
 *   villages that have not reported (again with every later step, so they see it shrink).
 * - Officer report deadlines (`deadlines`, each `due` 'MM-DD' every year, the last day on time) are
 *   reminded `deadlineRemindDays` days before to the officers; from the day after, the officers and the
 *   chair are told it is overdue.
 * - A step is due from 00:00 of its day until the next step of the same series starts, and for at most
 *   STEP_LIFETIME_DAYS: after an outage a person gets the latest step once, not a backlog of stale ones.
 * - Nothing is delivered between 21:00 and 07:00 (`isQuietTime`); the job simply waits for the first
 *   tick at or after 07:00, which is still inside the step's lifetime.
 */
import { dueDayOf } from './counts/periods.js';
import { dayNumber, dayOf, fromDayNumber, localDay, wallClock, type LocalDay } from './local-time.js';
import type { CommuneConfig } from '../config/communes.js';

/** Days a step stays due when no later step of its series replaces it sooner. */
export const STEP_LIFETIME_DAYS = 2;
/** Local hours of the night rest: no reminder from QUIET_FROM_HOUR:00 until QUIET_UNTIL_HOUR:00. */
export const QUIET_FROM_HOUR = 21;
export const QUIET_UNTIL_HOUR = 7;

export type CountsAudience = 'pending_village_heads' | 'officers_missing_list';
export type DeadlineAudience = 'officers' | 'chair';

export interface CountsStep {
  kind: 'counts';
  /** The month the counts are for, 'YYYY-MM'. */
  period: string;
  /** 'd-3', 'd0', 'd+1', 'd+2' … relative to the due day; part of the idempotency key. */
  step: string;
  /** Days from the due day (negative before it). */
  offsetDays: number;
  dueDay: LocalDay;
  day: LocalDay;
  audiences: CountsAudience[];
}

export interface DeadlineStep {
  kind: 'deadline';
  deadlineKey: string;
  label: string;
  /** '<key>-<year of the due date>', e.g. 'six-month-2026': one series per deadline and year. */
  series: string;
  /** 'd-7', 'd-3', 'd-1' or 'overdue'. */
  step: string;
  /** Days left until the due day (0 or less once overdue). */
  daysLeft: number;
  dueDay: LocalDay;
  day: LocalDay;
  audiences: DeadlineAudience[];
}

export type ReminderStep = CountsStep | DeadlineStep;

export type PlanCommune = Pick<CommuneConfig, 'id' | 'timezone' | 'counts' | 'deadlines' | 'deadlineRemindDays'>;

// ---- calendar helpers -----------------------------------------------------------------------------

/** True between 21:00 and 07:00 local time: no reminder may reach anyone then. */
export function isQuietTime(at: number, timezone: string): boolean {
  const { hour } = wallClock(at, timezone);
  return hour >= QUIET_FROM_HOUR || hour < QUIET_UNTIL_HOUR;
}

/** '2025-10' → '10/2025', as people write it. */
export function periodLabel(period: string): string {
  const [y, m] = period.split('-');
  return `${Number(m)}/${y}`;
}

// ---- series and the step due now -----------------------------------------------------------------

interface SeriesStep<T> {
  /** Day number the step starts. */
  start: number;
  value: T;
}

/**
 * The step of a series that is due on `today`: the latest one already started, unless a later one has
 * started (then that one) or it is older than its lifetime.
 */
function dueStepOf<T>(series: Array<SeriesStep<T>>, today: number): T | undefined {
  const sorted = [...series].sort((a, b) => a.start - b.start);
  for (let i = sorted.length - 1; i >= 0; i--) {
    const s = sorted[i] as SeriesStep<T>;
    if (s.start > today) continue;
    return today - s.start < STEP_LIFETIME_DAYS ? s.value : undefined;
  }
  return undefined;
}

const signed = (n: number): string => (n === 0 ? 'd0' : n > 0 ? `d+${n}` : `d${n}`);

function countsSeries(commune: PlanCommune, period: string): Array<SeriesStep<CountsStep>> {
  const due = dayNumber(dueDayOf(period, commune.counts.dueDay));
  const byOffset = new Map<number, Set<CountsAudience>>();
  const add = (offset: number, audience: CountsAudience): void => {
    const set = byOffset.get(offset) ?? new Set<CountsAudience>();
    set.add(audience);
    byOffset.set(offset, set);
  };
  for (const b of commune.counts.remindDaysBefore) add(-b, 'pending_village_heads');
  add(0, 'pending_village_heads');
  add(1, 'officers_missing_list'); // "after the due day the officer gets the list"
  for (const a of commune.counts.remindDaysAfter) {
    add(a, 'pending_village_heads');
    add(a, 'officers_missing_list');
  }
  return [...byOffset].map(([offset, audiences]) => ({
    start: due + offset,
    value: {
      kind: 'counts',
      period,
      step: signed(offset),
      offsetDays: offset,
      dueDay: fromDayNumber(due),
      day: fromDayNumber(due + offset),
      audiences: [...audiences].sort(),
    },
  }));
}

function deadlineSeries(commune: PlanCommune, deadline: PlanCommune['deadlines'][number], year: number): Array<SeriesStep<DeadlineStep>> {
  const [m, d] = deadline.due.split('-').map(Number) as [number, number];
  // dayOf rolls 02-29 over to 03-01 in a common year.
  const due = dayNumber(dayOf(year, m, d));
  const base = { kind: 'deadline' as const, deadlineKey: deadline.key, label: deadline.label, series: `${deadline.key}-${year}`, dueDay: fromDayNumber(due) };
  const before = [...new Set(commune.deadlineRemindDays)].map((n) => ({
    start: due - n,
    value: { ...base, step: `d-${n}`, daysLeft: n, day: fromDayNumber(due - n), audiences: ['officers'] as DeadlineAudience[] },
  }));
  const overdue = {
    start: due + 1,
    value: { ...base, step: 'overdue', daysLeft: -1, day: fromDayNumber(due + 1), audiences: ['chair', 'officers'] as DeadlineAudience[] },
  };
  return [...before, overdue];
}

/**
 * Every reminder step due at `at` for the commune, quiet hours aside (the caller checks
 * `isQuietTime`). Deterministic: the same instant gives the same steps.
 */
export function dueReminderSteps(commune: PlanCommune, at: number): ReminderStep[] {
  const now = wallClock(at, commune.timezone);
  const today = dayNumber(localDay(at, commune.timezone));
  const steps: ReminderStep[] = [];

  // A counts series spans from a few days before its due day (possibly in the month before) to a few
  // days after (possibly in the month after): the last three periods cover every reachable step.
  for (let back = 0; back <= 2; back++) {
    const date = new Date(Date.UTC(now.year, now.month - 1 - back, 1));
    const period = date.toISOString().slice(0, 7);
    const step = dueStepOf(countsSeries(commune, period), today);
    if (step) steps.push(step);
  }
  for (const deadline of commune.deadlines) {
    // Reminders before a January deadline fall in December of the year before.
    for (const year of [now.year - 1, now.year, now.year + 1]) {
      const step = dueStepOf(deadlineSeries(commune, deadline, year), today);
      if (step) steps.push(step);
    }
  }
  return steps;
}
