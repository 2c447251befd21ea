/**
 * Reads one commune's figures over a run of months from the counts and reports stores, and adds them up
 * (src/domain/counts/figures.ts). For the export and the report draft (src/cli).
 */
import type { Redis } from 'ioredis';
import type { CommuneConfig } from '../config/communes.js';
import { tallyFigures, type CommuneFigures } from '../domain/counts/figures.js';
import { monthsBetween } from '../domain/counts/periods.js';
import { reportsInMonths, type CountsStore } from './counts.js';
import type { CaseStore } from './cases.js';

export async function communeFigures(
  stores: { redis: Redis; counts: CountsStore; reports: CaseStore },
  commune: CommuneConfig,
  from: string,
  to: string,
): Promise<CommuneFigures> {
  const months = monthsBetween(from, to);
  const perMonth = await Promise.all(months.map((m) => stores.counts.currentAll(commune.id, m)));
  const reports = await reportsInMonths(stores.redis, stores.reports, commune, from, to);
  return tallyFigures(commune, from, to, months, perMonth.flat(), reports);
}
