/**
 * Every figure the service holds for one commune over a run of months: the village heads' confirmed
 * counts (per village and month, per village, in total) and statistics of the reports received. The
 * export and the report draft are two renderings of this one object, so their numbers cannot differ.
 * Reports are read through their public fields only; nothing personal is ever used here. Reading the
 * stores is src/store/figures.ts; this only adds up what it read.
 */
import type { CommuneConfig, CountFieldConfig, Urgency } from '../../config/communes.js';
import { URGENCIES } from '../../config/communes.js';
import { CASE_STATUSES, STATUS_LABEL, type CaseStatus } from '../case-status.js';
import { CATEGORIES } from '../categories.js';
import { URGENCY_LABEL } from '../urgency.js';
import { addValues, countFieldsFor, type CountValues } from './fields.js';

export interface VillageMonth {
  village: string;
  period: string;
  /** Undefined when the village sent nothing for that month. */
  values?: CountValues;
  version?: number;
  late?: boolean;
}

export interface Tally {
  label: string;
  count: number;
}

export interface CaseStatistics {
  total: number;
  /** Abuse forms (Luật Trẻ em Điều 4) first, then the other categories. */
  byCategory: Tally[];
  byUrgency: Tally[];
  byStatus: Tally[];
  /** Closed or referred. */
  finished: number;
}

export interface CommuneFigures {
  commune: Pick<CommuneConfig, 'id' | 'name' | 'province'>;
  from: string;
  to: string;
  months: string[];
  fields: CountFieldConfig[];
  /** Every configured village × month, in config and calendar order, submitted or not. */
  grid: VillageMonth[];
  byVillage: Array<{ village: string; values: CountValues; submitted: number }>;
  total: CountValues;
  submitted: number;
  expected: number;
  cases: CaseStatistics;
}

/** A village's current confirmed values for one month, as the counts store reads them. */
export type ConfirmedMonth = Required<Pick<VillageMonth, 'village' | 'period' | 'values' | 'version' | 'late'>>;

/** The figures of the months `from`..`to` (`months`), from the confirmed counts and the reports read. */
export function tallyFigures(
  commune: CommuneConfig,
  from: string,
  to: string,
  months: string[],
  confirmed: readonly ConfirmedMonth[],
  reports: ReadonlyArray<{ category: string; urgency: Urgency; status: CaseStatus }>,
): CommuneFigures {
  const found = new Map(confirmed.map((v) => [`${v.village}\u0000${v.period}`, v]));
  // Villages removed from the config keep their figures: they were confirmed and count in the totals.
  const villages = [...commune.villages.map((v) => v.name)];
  for (const v of found.values()) if (!villages.includes(v.village)) villages.push(v.village);

  const grid: VillageMonth[] = [];
  const byVillage: CommuneFigures['byVillage'] = [];
  const total: CountValues = {};
  for (const village of villages) {
    const sum: CountValues = {};
    let submitted = 0;
    for (const period of months) {
      const v = found.get(`${village}\u0000${period}`);
      grid.push(v ? { village, period, values: v.values, version: v.version, late: v.late } : { village, period });
      if (v) {
        addValues(sum, v.values);
        submitted += 1;
      }
    }
    byVillage.push({ village, values: sum, submitted });
    addValues(total, sum);
  }
  return {
    commune: { id: commune.id, name: commune.name, province: commune.province },
    from,
    to,
    months,
    fields: countFieldsFor(commune),
    grid,
    byVillage,
    total,
    submitted: found.size,
    expected: commune.villages.length * months.length,
    cases: caseStatistics(reports),
  };
}

export function caseStatistics(reports: ReadonlyArray<{ category: string; urgency: Urgency; status: CaseStatus }>): CaseStatistics {
  const count = <T>(pick: (r: (typeof reports)[number]) => T, value: T): number => reports.filter((r) => pick(r) === value).length;
  const ordered = [...CATEGORIES.filter((c) => c.form), ...CATEGORIES.filter((c) => !c.form)];
  return {
    total: reports.length,
    byCategory: ordered.map((c) => ({ label: c.label, count: count((r) => r.category, c.key) })),
    byUrgency: URGENCIES.map((u) => ({ label: `${u} ${URGENCY_LABEL[u]}`, count: count((r) => r.urgency, u) })),
    byStatus: CASE_STATUSES.map((s) => ({ label: STATUS_LABEL[s], count: count((r) => r.status, s) })),
    finished: reports.filter((r) => r.status === 'closed' || r.status === 'referred').length,
  };
}
