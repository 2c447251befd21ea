/**
 * What the counts features share: a commune's rows, today's date there, the period a message without
 * a month is about, whether a period still takes submissions, and how many cases were reported.
 */
import type { CommuneConfig, CountFieldConfig } from '../../config/communes.js';
import { countFieldsFor } from '../../domain/counts/fields.js';
import { dueDayOf, isPastLock, lastOpenDayOf, periodDueAround, periodKey } from '../../domain/counts/periods.js';
import { formatDay, localDay, type LocalDay } from '../../domain/local-time.js';
import type { Unlock } from '../../store/counts.js';
import type { ActionDeps } from '../../actions/deps.js';
import { parseCounts, parseCountsIfAny } from '../../domain/counts/parser.js';
import type { CountsReading, ParseCountsOptions } from '../../domain/counts/reading.js';

const fieldCache = new WeakMap<CommuneConfig, CountFieldConfig[]>();

/** The same array per commune every time, so the parser's per-list dictionary is built once. */
export function fieldsOf(commune: CommuneConfig): CountFieldConfig[] {
  let fields = fieldCache.get(commune);
  if (!fields) {
    fields = countFieldsFor(commune);
    fieldCache.set(commune, fields);
  }
  return fields;
}

export function todayIn(commune: CommuneConfig, now: number): LocalDay {
  return localDay(now, commune.timezone);
}

const villageCache = new WeakMap<CommuneConfig, string[]>();

/** The same array per commune, for the parser's per-list village phrases as `fieldsOf` for its dictionary. */
function villageNamesOf(commune: CommuneConfig): string[] {
  let names = villageCache.get(commune);
  if (!names) {
    names = commune.villages.map((v) => v.name);
    villageCache.set(commune, names);
  }
  return names;
}

const optionsFor = (commune: CommuneConfig, now: number): ParseCountsOptions => ({
  now: new Date(now),
  timezone: commune.timezone,
  dueDay: commune.counts.dueDay,
  villageNames: villageNamesOf(commune),
});

/** A counts message read with the commune's rows, villages and due day. */
export function readCounts(text: string, commune: CommuneConfig, now: number): CountsReading {
  return parseCounts(text, fieldsOf(commune), optionsFor(commune, now));
}

/** As readCounts, undefined (and cheaper) for a message that gives no count at all. */
export function readCountsIfAny(text: string, commune: CommuneConfig, now: number): CountsReading | undefined {
  return parseCountsIfAny(text, fieldsOf(commune), optionsFor(commune, now));
}

/** The period a message without a month is about (the rule the parser uses too). */
export function reportingPeriod(commune: CommuneConfig, now: number): string {
  return periodKey(periodDueAround(todayIn(commune, now), commune.counts.dueDay));
}

export function dueDayText(commune: CommuneConfig, period: string): string {
  return formatDay(dueDayOf(period, commune.counts.dueDay));
}

export type PeriodState = { open: true; unlock?: Unlock } | { open: false; closedAfter: LocalDay };

/** Open until `lockAfterDays` after the due day, or while an officer's unlock lasts. */
export async function periodState(services: ActionDeps, commune: CommuneConfig, period: string, village: string): Promise<PeriodState> {
  const { dueDay, lockAfterDays } = commune.counts;
  const now = services.now();
  if (!isPastLock(period, todayIn(commune, now), dueDay, lockAfterDays)) return { open: true };
  const unlock = await services.counts.activeUnlock(commune.id, period, village, now);
  return unlock ? { open: true, unlock } : { open: false, closedAfter: lastOpenDayOf(period, dueDay, lockAfterDays) };
}

export function lockedText(commune: CommuneConfig, periodLabel: string, closedAfter: LocalDay): string {
  return (
    `Số liệu ${periodLabel} đã khoá sổ sau ngày ${formatDay(closedAfter)} nên không sửa qua tin nhắn được nữa. ` +
    `Nếu cần gửi hoặc sửa, xin liên hệ cán bộ bảo vệ trẻ em của ${commune.name} để được mở khoá.`
  );
}

export { COUNTS_STAFF } from '../../actions/staff-roles.js';

