/**
 * The legal clocks of a case (docs/console.md): which clock runs for its urgency, when it
 * is due, and what stops it. The clock jobs schedule reminders from this; the web console shows the
 * time left from the same rules.
 * - P0: emergency measures within `emergencyHours` of receipt; stops at an emergency action.
 * - P1, P2: a support plan within `planWorkingDays` working days; stops once the chair approved the
 *   plan, or the case was referred to another agency.
 * - P3: no clock. Closing stops any clock.
 */
import type { CommuneConfig, Urgency } from '../config/communes.js';
import { isOpen, type CaseStatus } from './case-status.js';
import { workingDaysDeadline, type WorkCalendar } from './workdays.js';

export const CLOCK_KINDS = ['emergency', 'plan'] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

export function calendarOf(commune: CommuneConfig): WorkCalendar {
  return { timezone: commune.timezone, holidays: commune.holidays, workingHours: commune.workingHours };
}

/** The clock of a case and its deadline, or undefined when its urgency has none. */
export function clockDeadline(report: { urgency: Urgency; createdAt: number }, commune: CommuneConfig): { kind: ClockKind; deadline: number } | undefined {
  const c = commune.clocks;
  if (report.urgency === 'P0') return { kind: 'emergency', deadline: report.createdAt + c.emergencyHours * 3_600_000 };
  if (report.urgency === 'P1' || report.urgency === 'P2') return { kind: 'plan', deadline: workingDaysDeadline(report.createdAt, c.planWorkingDays, calendarOf(commune)) };
  return undefined;
}

/** Why the clock no longer runs, or undefined while it does. */
export function clockStopReason(clock: ClockKind, state: { status: CaseStatus; emergencyActionAt?: number; closedAt?: number; planApprovedAt?: number }): string | undefined {
  if (!isOpen(state.status) || state.closedAt) return 'closed';
  if (clock === 'emergency' && state.emergencyActionAt) return 'emergency action recorded';
  if (clock === 'plan' && state.planApprovedAt) return 'plan approved';
  if (clock === 'plan' && state.status === 'referred') return 'referred to another agency';
  return undefined;
}
