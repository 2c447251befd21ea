/**
 * The legal clock of a case as the worklist shows it: which clock, its deadline and whether it still
 * runs, from the same rules the clock jobs use (src/domain/case-clocks.ts), so the page and the
 * reminders agree.
 */
import type { CommuneConfig } from '../config/communes.js';
import { clockDeadline, clockStopReason } from '../domain/case-clocks.js';
import type { ReportSummary } from '../store/reports.js';

export interface CaseClock {
  kind: 'emergency' | 'plan';
  deadline: number;
  running: boolean;
}

export interface ClockMarkers {
  emergencyActionAt?: number;
  closedAt?: number;
}

export function caseClock(report: ReportSummary, markers: ClockMarkers, commune: CommuneConfig): CaseClock | undefined {
  const clock = clockDeadline(report, commune);
  if (!clock) return undefined;
  return { ...clock, running: clockStopReason(clock.kind, { status: report.status, ...markers }) === undefined };
}

export function isOverdue(clock: CaseClock | undefined, now: number): boolean {
  return clock !== undefined && clock.running && clock.deadline <= now;
}

function span(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} phút`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} giờ ${minutes % 60} phút` : `${hours} giờ`;
  return `${Math.floor(hours / 24)} ngày ${hours % 24} giờ`;
}

export const CLOCK_LABEL: Record<CaseClock['kind'], string> = { emergency: 'Hạn khẩn cấp', plan: 'Hạn kế hoạch hỗ trợ' };

/** "còn 3 giờ 20 phút", "quá hạn 2 giờ", "đã dừng". */
export function clockText(clock: CaseClock | undefined, now: number): string {
  if (!clock) return 'không có hạn';
  if (!clock.running) return 'đã dừng';
  const left = clock.deadline - now;
  return left > 0 ? `còn ${span(left)}` : `quá hạn ${span(-left)}`;
}
