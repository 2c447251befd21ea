/**
 * Confirmed monthly counts per commune, village and period ('YYYY-MM'). Numbers only: the store refuses
 * anything that is not a row key with a non-negative whole number, so no name can end up here.
 *
 * Keys (one commune + period shares a hash, so a year of a whole province is a few hundred pipelined
 * HGETALLs, not one read per village and month):
 * - `counts:cur:<commune>:<period>`  hash village → JSON values of the current (latest) version
 * - `counts:meta:<commune>:<period>` hash village → JSON { by, at, late } of that version
 * - `counts:hist:<commune>:<period>:<village>` list of every confirmed version, oldest first
 * - `counts:unlock:<commune>:<period>` hash village (or `*` for all) → JSON { by, at, until }
 * Every write goes in one MULTI with its audit entry. A version number is the history length, so it
 * is never stored twice and cannot drift from the history.
 */
import type { Redis } from 'ioredis';
import { addValues, type CountValues } from '../domain/counts/fields.js';
import { periodOfDay } from '../domain/counts/periods.js';
import { localDay } from '../domain/local-time.js';
import type { AuditLog } from './audit.js';
import type { CaseStore } from './cases.js';
import { communeIndex, type ReportSummary } from './reports.js';

export interface CountsVersion {
  communeId: string;
  period: string;
  village: string;
  /** 1 for the first confirmation, then 2, 3… */
  version: number;
  values: CountValues;
  /** Identity of the village head who confirmed it. */
  by: string;
  at: number;
  /** Confirmed after the due day. */
  late: boolean;
}

export interface Unlock {
  by: string;
  at: number;
  /** Epoch ms after which the period is locked again. */
  until: number;
}

/** One village-month of current values, as the totals read them. */
export interface CurrentRow {
  communeId: string;
  period: string;
  village: string;
  values: CountValues;
}

/** Unlocks every village of a period at once. */
export const ALL_VILLAGES = '*';

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const KEY = /^[a-z][a-z0-9_]*$/;

export const currentKey = (communeId: string, period: string) => `counts:cur:${communeId}:${period}`;
export const metaKey = (communeId: string, period: string) => `counts:meta:${communeId}:${period}`;
export const historyKey = (communeId: string, period: string, village: string) => `counts:hist:${communeId}:${period}:${village}`;
export const unlockKey = (communeId: string, period: string) => `counts:unlock:${communeId}:${period}`;

function checkPeriod(period: string): void {
  if (!PERIOD.test(period)) throw new Error(`counts: period must be YYYY-MM, got "${period}"`);
}

/** Only row keys and whole numbers get through: the guarantee behind "numbers only, never names". */
function cleanValues(values: CountValues): CountValues {
  const out: CountValues = {};
  for (const [key, value] of Object.entries(values)) {
    if (!KEY.test(key)) throw new Error(`counts: bad row key "${key}"`);
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`counts: ${key} must be a non-negative whole number`);
    out[key] = value;
  }
  return out;
}

function parseValues(json: string | null | undefined): CountValues {
  if (!json) return {};
  try {
    return JSON.parse(json) as CountValues;
  } catch {
    return {};
  }
}

export class CountsStore {
  constructor(
    private readonly redis: Redis,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Saves a confirmed submission as a new version; the previous ones stay in the history. The version
   * number is the history length after the push, inside the same MULTI, so two heads of one village
   * confirming at once get 1 and 2, never both 1, and the current values are those of the last push.
   */
  async submit(
    input: { communeId: string; period: string; village: string; values: CountValues; by: string; late: boolean },
    now = Date.now(),
  ): Promise<CountsVersion> {
    checkPeriod(input.period);
    const values = cleanValues(input.values);
    const { communeId, period, village, by, late } = input;
    const entry = JSON.stringify({ values, by, at: now, late });
    const tx = this.redis.multi();
    tx.rpush(historyKey(communeId, period, village), entry);
    tx.hset(currentKey(communeId, period), village, JSON.stringify(values));
    tx.hset(metaKey(communeId, period), village, JSON.stringify({ by, at: now, late }));
    this.audit.addTo(tx, { actor: by, action: 'counts.submit', subject: `${communeId}/${village}/${period}`, detail: late ? 'late' : undefined }, now);
    const res = await tx.exec();
    const version = Number(res?.[0]?.[1] ?? 0);
    if (!version) throw new Error('counts: submission was not saved');
    return { communeId, period, village, version, values, by, at: now, late };
  }

  async current(communeId: string, period: string, village: string): Promise<CountsVersion | undefined> {
    const [values, meta, version] = await Promise.all([
      this.redis.hget(currentKey(communeId, period), village),
      this.redis.hget(metaKey(communeId, period), village),
      this.redis.llen(historyKey(communeId, period, village)),
    ]);
    if (!values) return undefined;
    return this.toVersion(communeId, period, village, values, meta, version);
  }

  /** Every confirmed version of one village-month, oldest first. */
  async history(communeId: string, period: string, village: string): Promise<CountsVersion[]> {
    const rows = await this.redis.lrange(historyKey(communeId, period, village), 0, -1);
    return rows.map((row, i) => {
      const e = JSON.parse(row) as { values: CountValues; by: string; at: number; late: boolean };
      return { communeId, period, village, version: i + 1, values: e.values, by: e.by, at: e.at, late: e.late };
    });
  }

  /** Villages with a confirmed submission for the period (any version). Used by reminders. */
  async submittedVillages(communeId: string, period: string): Promise<string[]> {
    checkPeriod(period);
    return (await this.redis.hkeys(currentKey(communeId, period))).sort();
  }

  /** The current version of every village that submitted for the period. */
  async currentAll(communeId: string, period: string): Promise<CountsVersion[]> {
    const [values, meta] = await Promise.all([
      this.redis.hgetall(currentKey(communeId, period)),
      this.redis.hgetall(metaKey(communeId, period)),
    ]);
    const villages = Object.keys(values).sort();
    const versions = await Promise.all(villages.map((v) => this.redis.llen(historyKey(communeId, period, v))));
    return villages.map((village, i) => this.toVersion(communeId, period, village, values[village] as string, meta[village], versions[i] ?? 0));
  }

  /**
   * Current values of every village for every commune × period asked, in one pipeline: the read behind
   * monthly, 6-month, annual and province totals.
   */
  async currentRows(communeIds: readonly string[], periods: readonly string[]): Promise<CurrentRow[]> {
    periods.forEach(checkPeriod);
    const pipe = this.redis.pipeline();
    const asked: Array<{ communeId: string; period: string }> = [];
    for (const communeId of communeIds) {
      for (const period of periods) {
        pipe.hgetall(currentKey(communeId, period));
        asked.push({ communeId, period });
      }
    }
    const results = asked.length ? await pipe.exec() : [];
    const rows: CurrentRow[] = [];
    results?.forEach(([err, hash], i) => {
      if (err) throw err;
      const { communeId, period } = asked[i] as { communeId: string; period: string };
      for (const [village, json] of Object.entries(hash as Record<string, string>)) {
        rows.push({ communeId, period, village, values: parseValues(json) });
      }
    });
    return rows;
  }

  /** Sum of the current values over the communes and periods asked. */
  async totals(communeIds: readonly string[], periods: readonly string[]): Promise<{ values: CountValues; submissions: number }> {
    const rows = await this.currentRows(communeIds, periods);
    const values: CountValues = {};
    for (const row of rows) addValues(values, row.values);
    return { values, submissions: rows.length };
  }

  /** Opens a locked period for one village (or ALL_VILLAGES) until `until`. */
  async unlock(input: { communeId: string; period: string; village: string; by: string; until: number }, now = Date.now()): Promise<void> {
    checkPeriod(input.period);
    const tx = this.redis.multi();
    tx.hset(unlockKey(input.communeId, input.period), input.village, JSON.stringify({ by: input.by, at: now, until: input.until }));
    this.audit.addTo(
      tx,
      { actor: input.by, action: 'counts.unlock', subject: `${input.communeId}/${input.village}/${input.period}`, detail: String(input.until) },
      now,
    );
    await tx.exec();
  }

  /** The unlock in force for the village at `now` (its own or the whole period's), if any. */
  async activeUnlock(communeId: string, period: string, village: string, now = Date.now()): Promise<Unlock | undefined> {
    const [own, all] = await this.redis.hmget(unlockKey(communeId, period), village, ALL_VILLAGES);
    const open = [own, all]
      .filter((j): j is string => Boolean(j))
      .map((j) => JSON.parse(j) as Unlock)
      .filter((u) => u.until > now)
      .sort((a, b) => b.until - a.until);
    return open[0];
  }

  private toVersion(
    communeId: string,
    period: string,
    village: string,
    values: string,
    meta: string | null | undefined,
    version: number,
  ): CountsVersion {
    const m = meta ? (JSON.parse(meta) as { by: string; at: number; late: boolean }) : { by: '', at: 0, late: false };
    return { communeId, period, village, version, values: parseValues(values), by: m.by, at: m.at, late: m.late };
  }
}

/**
 * Reports (cases) of a commune created in the months `from`..`to` ('YYYY-MM', the commune's local
 * calendar), public fields only. Read from the commune's time index with a day of slack on both ends,
 * which covers any time zone; each report's local month then decides.
 */
export async function reportsInMonths(
  redis: Redis,
  reports: CaseStore,
  commune: { id: string; timezone: string },
  from: string,
  to: string,
): Promise<ReportSummary[]> {
  checkPeriod(from);
  checkPeriod(to);
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  const codes = await redis.zrangebyscore(communeIndex(commune.id), Date.UTC(fy, fm - 1, 1) - DAY_MS, Date.UTC(ty, tm, 1) + DAY_MS);
  const all = await Promise.all(codes.map((code) => reports.get(code)));
  return all.filter((r): r is ReportSummary => {
    if (!r) return false;
    const month = periodOfDay(localDay(r.createdAt, commune.timezone));
    return month >= from && month <= to;
  });
}

const DAY_MS = 86_400_000;
