/**
 * A province's annual totals from the village heads' counts: 1,000 villages (50 communes of 20) × 12
 * months of confirmed submissions in a private redis-server, summed by CountsStore.totals. One hash per
 * commune and month makes that 600 pipelined HGETALLs. Seeding goes through raw pipelines in the
 * store's key layout (the store's own submit would add 12,000 audit entries and round trips that are
 * not what is measured); one village-month is then corrected through submit, so the figures also show
 * that a later version replaces the earlier one in the totals.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { DEFAULT_COUNT_FIELDS } from '../src/domain/counts/fields.js';
import { CountsStore, currentKey, historyKey, metaKey } from '../src/store/counts.js';
import { AuditLog } from '../src/store/audit.js';
import { DataCipher, generateDataKey } from '../src/store/crypto.js';
import { startRedisServer } from '../src/store/redis-server.js';

const COMMUNES = 50;
const VILLAGES_PER_COMMUNE = 20;
const MONTHS = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`);
const ROUNDS = 20;

function values(seed: number): Record<string, number> {
  return Object.fromEntries(DEFAULT_COUNT_FIELDS.map((f, i) => [f.key, (seed + i) % 4]));
}

export default async function bench(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'treem-bench-'));
  const server = await startRedisServer(dir);
  const redis = new Redis(server.url, { maxRetriesPerRequest: null });
  try {
    const communes = Array.from({ length: COMMUNES }, (_, i) => `xa-${i + 1}`);
    const expected: Record<string, number> = {};
    const seedStart = performance.now();
    let seed = 0;
    for (const communeId of communes) {
      const pipe = redis.pipeline();
      for (const period of MONTHS) {
        for (let v = 1; v <= VILLAGES_PER_COMMUNE; v++) {
          const village = `Thôn ${v}`;
          const vals = values(seed++);
          for (const [k, n] of Object.entries(vals)) expected[k] = (expected[k] ?? 0) + n;
          pipe.rpush(historyKey(communeId, period, village), JSON.stringify({ values: vals, by: 'bench', at: 0, late: false }));
          pipe.hset(currentKey(communeId, period), village, JSON.stringify(vals));
          pipe.hset(metaKey(communeId, period), village, JSON.stringify({ by: 'bench', at: 0, late: false }));
        }
      }
      await pipe.exec();
    }
    const seedMs = performance.now() - seedStart;

    const store = new CountsStore(redis, new AuditLog(redis, DataCipher.fromString(generateDataKey())));
    // A correction of one village-month: the totals must count the new version, not both.
    const old = values(0);
    const corrected = { ...old, sinh: old.sinh! + 100 };
    await store.submit({ communeId: 'xa-1', period: '2025-01', village: 'Thôn 1', values: corrected, by: 'bench', late: true });
    expected.sinh = expected.sinh! + 100;

    const times: number[] = [];
    let result = await store.totals(communes, MONTHS);
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = performance.now();
      result = await store.totals(communes, MONTHS);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const correct = DEFAULT_COUNT_FIELDS.every((f) => result.values[f.key] === expected[f.key]);
    return {
      'villages × months': `${COMMUNES * VILLAGES_PER_COMMUNE} × ${MONTHS.length} = ${result.submissions} submissions`,
      'seed (pipelined), ms': seedMs.toFixed(0),
      'annual province totals, median ms': (times[Math.floor(times.length / 2)] ?? 0).toFixed(1),
      'annual province totals, max ms': (times.at(-1) ?? 0).toFixed(1),
      'totals equal the seeded sums (latest versions only)': correct ? 'yes' : 'NO',
      'births in the year': result.values.sinh ?? 0,
    };
  } finally {
    redis.disconnect();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
