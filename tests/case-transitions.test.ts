/**
 * Status changes of one case racing each other, sent at the same moment from separate Redis connections
 * as separate processes would (two officers sending /dong and /capnhat together, two taking the case at
 * once). Whatever order Redis runs them in, every case must end in exactly one consistent state: in one
 * status index, the one its hash says; timestamps and holder matching that status; a timeline and an
 * audit trail that replay as a legal path to it; and one status-change notice per change that happened.
 * No timing is asserted: a slow machine only changes which change wins.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CASE_STATUSES, type CaseStatus } from '../src/domain/case-status.js';
import { AUDIT_HEAD, AUDIT_STREAM, AuditLog } from '../src/store/audit.js';
import { CaseStore, type StatusChange } from '../src/store/cases.js';
import { DataCipher, generateDataKey } from '../src/store/crypto.js';
import { statusIndex, type NewReport } from '../src/store/reports.js';
import { sampleReport } from './helpers/reports.js';
import { startTestRedis, type TestRedis } from './helpers/redis.js';

const COMMUNE = 'bao-linh';
const CASES = 300;
const CONNECTIONS = 4;

// The lifecycle written out here, not read from the domain's table, so that the table is checked too.
const LEGAL: Record<CaseStatus, CaseStatus[]> = {
  new: ['acknowledged'],
  acknowledged: ['assessing', 'closed', 'referred'],
  assessing: ['plan_approved', 'closed', 'referred'],
  plan_approved: ['intervening', 'closed', 'referred'],
  intervening: ['closed', 'referred'],
  // A referred case stays open until it is closed; reopening a closed one is its own call (not raced here).
  referred: ['closed'],
  closed: [],
};
const ENDED: CaseStatus[] = ['closed'];

type Op = { kind: 'take'; who: string } | { kind: 'move'; to: CaseStatus; text?: string };
const OPS: Op[] = [
  { kind: 'take', who: 'local:o1' },
  { kind: 'take', who: 'local:o2' },
  { kind: 'move', to: 'assessing' },
  { kind: 'move', to: 'plan_approved' },
  { kind: 'move', to: 'intervening' },
  { kind: 'move', to: 'closed', text: 'Đã giải quyết xong' },
  { kind: 'move', to: 'referred', text: 'Công an huyện' },
];
const STARTS: CaseStatus[][] = [
  [],
  ['acknowledged'],
  ['acknowledged', 'assessing'],
  ['acknowledged', 'assessing', 'plan_approved'],
  ['acknowledged', 'assessing', 'plan_approved', 'intervening'],
  ['acknowledged', 'referred'],
];

/** A small seeded generator: the same mix of races on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const newReport = (i: number): NewReport => sampleReport({ communeId: COMMUNE }, { description: `Vụ thứ ${i}`, reporter: { identity: `local:dan-${i}` } });

let redis: TestRedis;
let connections: Redis[];
beforeAll(async () => {
  redis = await startTestRedis();
  connections = Array.from({ length: CONNECTIONS }, () => new Redis(redis.url));
});
afterAll(async () => {
  for (const c of connections) c.disconnect();
  await redis.stop();
});

it(`${CASES} cases, each with conflicting status changes sent at once, all end in one consistent state`, { timeout: 600_000 }, async () => {
  const cipher = DataCipher.fromString(generateDataKey());
  const stores = connections.map((c) => new CaseStore(c, cipher));
  const changes = new Map<string, StatusChange[]>();
  let racing = false;
  for (const store of stores) {
    store.onStatusChange(async (change) => {
      if (racing) changes.set(change.report.code, [...(changes.get(change.report.code) ?? []), change]);
    });
  }

  const next = random(8);
  const cases = await Promise.all(
    Array.from({ length: CASES }, async (_, i) => {
      const { code } = await stores[0]!.create(newReport(i));
      const steps = STARTS[i % STARTS.length]!;
      for (const s of steps) {
        if (s === 'acknowledged') await stores[0]!.take(code, 'local:o1');
        else await stores[0]!.setStatus(code, s, 'local:o1');
      }
      // Two to all seven changes, in a shuffled order, each from its own connection.
      const ops = OPS.map((op) => ({ op, key: next() }))
        .sort((a, b) => a.key - b.key)
        .slice(0, 2 + Math.floor(next() * (OPS.length - 1)))
        .map(({ op }) => op);
      return { code, setupSteps: steps.length, ops };
    }),
  );

  racing = true;
  const results = await Promise.all(
    cases.map(({ code, ops }) =>
      Promise.all(
        ops.map((op, j) => {
          const store = stores[j % CONNECTIONS]!;
          if (op.kind === 'take') return store.take(code, op.who).then((r) => r.result);
          return store.setStatus(code, op.to, 'local:o3', Date.now(), op.text).then((r) => (r ? 'moved' : 'refused'));
        }),
      ),
    ),
  );
  racing = false;

  // The audit trail of every case, read in one pass over the stream.
  const audited = new Map<string, string[]>();
  for (const [, kv] of await connections[0]!.xrange(AUDIT_STREAM, '-', '+')) {
    const f = new Map(kv.flatMap((v, k) => (k % 2 ? [] : [[v, kv[k + 1] ?? '']])));
    if (f.get('action')?.startsWith('case.')) audited.set(f.get('subject')!, [...(audited.get(f.get('subject')!) ?? []), f.get('detail')!]);
  }
  const bad: unknown[] = [];
  for (const [i, { code, setupSteps, ops }] of cases.entries()) {
    const [report, markers] = await Promise.all([stores[0]!.get(code), stores[0]!.markers(code)]);
    const status = report!.status;
    const inIndexes: CaseStatus[] = [];
    for (const s of CASE_STATUSES) if (await connections[0]!.sismember(statusIndex(COMMUNE, s), code)) inIndexes.push(s);

    // Replay the timeline's status entries from "new": every step legal, ending where the case is.
    const path: CaseStatus[] = ['new'];
    for (const e of await stores[0]!.timeline(code)) {
      if (e.kind === 'acknowledged' || e.kind === 'closed' || e.kind === 'referred' || e.kind === 'plan_approved') path.push(e.kind);
      else if (e.kind === 'status') path.push(e.text as CaseStatus);
    }
    const steps = path.slice(1).map((to, k) => `${path[k]}->${to}`);
    const outcomes = results[i]!;
    const state = {
      inIndexes,
      closedAt: markers.closedAt !== undefined,
      ackAt: markers.ackAt !== undefined,
      holder: markers.assignee !== undefined,
      legalPath: path.slice(1).every((to, k) => LEGAL[path[k]!].includes(to)),
      pathEnd: path.at(-1),
      audited: audited.get(code) ?? [],
      changesInTimeline: path.length - 1 - setupSteps,
      // Listeners on four connections may run in another order than Redis applied the changes: compare as sets.
      notices: (changes.get(code) ?? []).map((n) => `${n.before}->${n.report.status}`).sort(),
      taken: outcomes.filter((r) => r === 'taken').length,
      endings: ops.filter((op, j) => op.kind === 'move' && ENDED.includes(op.to) && outcomes[j] === 'moved').length,
    };
    const expected = {
      inIndexes: [status],
      closedAt: ENDED.includes(status),
      ackAt: status !== 'new',
      holder: status !== 'new',
      legalPath: true,
      pathEnd: status,
      audited: steps,
      changesInTimeline: outcomes.filter((r) => r === 'moved' || r === 'taken').length,
      notices: steps.slice(setupSteps).sort(),
      taken: setupSteps === 0 && status !== 'new' ? 1 : 0,
      endings: ENDED.includes(status) ? 1 : 0,
    };
    if (JSON.stringify(state) !== JSON.stringify(expected)) bad.push({ code, start: path[setupSteps], outcomes, state, expected });
  }
  expect(bad.length, `${bad.length} of ${CASES} cases inconsistent; first: ${JSON.stringify(bad[0])}`).toBe(0);

  // The races were real: in most cases at least two of the changes sent were allowed from where the case stood.
  const conflicting = cases.filter(({ ops, setupSteps }) => {
    const start: CaseStatus = setupSteps === 0 ? 'new' : STARTS[setupSteps]!.at(-1)!;
    return ops.filter((op) => (op.kind === 'take' ? start === 'new' : LEGAL[start].includes(op.to))).length >= 2;
  });
  expect(conflicting.length).toBeGreaterThan(CASES / 2);

  // Four connections wrote the audit at once: one chain, every entry numbered once, none forked.
  const chain = await new AuditLog(connections[0]!, cipher).verify();
  expect(chain).toMatchObject({ ok: true, unchained: 0 });
  expect(chain.entries).toBe(Number((await connections[0]!.get(AUDIT_HEAD))!.split(' ')[0]));
});
