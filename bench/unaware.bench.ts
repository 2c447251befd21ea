/**
 * Issue 12's figure, nobody left unaware under faults: over BENCH_UNAWARE_REPORTS P1 reports (default
 * 1,000) in BENCH_UNAWARE_COMMUNES communes (default 50, an officer and a chair each), with one officer
 * in five unreachable (the bot blocked: 403) and 30% of all sends failing (500, 429 with retry_after 1,
 * the connection reset, in turn at random, seeded), every report's alert must reach a person who can
 * act (the officer, or the chair the chain skips to), none twice.
 *
 * Measured: the time from the report's confirmation (as the store saved it) to the first alert the fake Bot API accepted
 * in an acting person's chat (p50, p99, max), reports that reached nobody, alerts accepted twice in one
 * chat, and how many of the blocked officers' reports reached their chair. Direct replies to citizens
 * fail at the same rate, so their conversations also run through the outbox's retries meanwhile.
 */
import { runAlertScenario, STAFF_FROM } from './support/alert-scenario.js';
import { percentile } from './support/threads.js';

const CHAIR_OFFSET = 100_000;

export default async function run(): Promise<Record<string, number | string>> {
  const reports = Number(process.env.BENCH_UNAWARE_REPORTS ?? 1000);
  const rate = Number(process.env.BENCH_UNAWARE_RATE ?? 10);
  const communes = Number(process.env.BENCH_UNAWARE_COMMUNES ?? 50);
  const share = Number(process.env.BENCH_UNAWARE_FAILING ?? 0.3);
  // BENCH_UNAWARE_429=0 leaves 429s out of the mix, to see what the waits they impose cost.
  const with429 = process.env.BENCH_UNAWARE_429 !== '0';
  const kinds = [{ status: 500 }, ...(with429 ? [{ status: 429, retryAfter: 1 }] : []), { status: 0, drop: true }];
  const officer = (i: number) => STAFF_FROM + i;
  const chair = (i: number) => STAFF_FROM + CHAIR_OFFSET + i;
  const blocked = Array.from({ length: communes }, (_, i) => i).filter((i) => i % 5 === 0).map(officer);
  const { confirms, saved, failedUpdates, seconds, fake } = await runAlertScenario({
    reports,
    rate,
    communes,
    staffOf: (i) => [
      { chat: officer(i), role: 'officer' },
      { chat: chair(i), role: 'chair' },
    ],
    blocked,
    failures: { share, kinds, seed: 12 },
    settled: (reached) => reached >= reports,
    settleMs: 180_000,
  });

  const unreachable = new Set(blocked);
  const firstReach = new Map<string, { at: number; chat: number }>();
  const perChat = new Map<string, number>();
  for (const [code, at, chat] of fake.alerts) {
    if (unreachable.has(chat)) continue;
    perChat.set(`${code}:${chat}`, (perChat.get(`${code}:${chat}`) ?? 0) + 1);
    const seen = firstReach.get(code);
    if (!seen || at < seen.at) firstReach.set(code, { at, chat });
  }
  // From the store's confirmation time: citizens' own replies fail too, so their codes arrive late.
  const latencies: number[] = [];
  let reachedNobody = 0;
  let blockedOfficerReports = 0;
  let reachedChairInstead = 0;
  for (const r of saved) {
    const first = firstReach.get(r.code);
    if (unreachable.has(officer(r.commune))) {
      blockedOfficerReports++;
      if (first?.chat === chair(r.commune)) reachedChairInstead++;
    }
    if (!first) reachedNobody++;
    else latencies.push(first.at - r.createdAt);
  }
  latencies.sort((a, b) => a - b);
  return {
    'confirming updates sent': confirms.length,
    'reports saved': saved.length,
    'communes (officer + chair each)': communes,
    'officers unreachable (bot blocked)': blocked.length,
    'share of sends failing': share,
    'failure kinds, in turn at random': with429 ? '500, 429 retry_after 1, reset' : '500, reset',
    'confirmations per second': rate,
    'seconds of load': Number(seconds.toFixed(1)),
    'failed webhook updates': failedUpdates,
    'reports that reached an acting person': latencies.length,
    'reports that reached nobody': reachedNobody,
    'alerts accepted twice in one chat': [...perChat.values()].filter((n) => n > 1).length,
    "blocked officers' reports": blockedOfficerReports,
    '… of which reached the chair instead': reachedChairInstead,
    '429 answers': fake.tooMany,
    'confirm → first acting person p50 ms': percentile(latencies, 50),
    'confirm → first acting person p99 ms': percentile(latencies, 99),
    'confirm → first acting person max ms': latencies.at(-1) ?? NaN,
  };
}
