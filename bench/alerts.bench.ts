/**
 * Issue 3's figure: alert latency, from the citizen's final "gửi" (the webhook update that confirms the
 * report) to the officer's sendMessage reaching the fake Bot API, over BENCH_ALERT_REPORTS reports
 * (default 1,000). Target: p99 ≤ 250 ms.
 *
 * What is measured, honestly:
 * - The whole path: webhook → report saved → alert job (BullMQ) → outbox job (BullMQ, default Telegram
 *   limits: 28/s overall, 1 per second per chat) → HTTP to a fake Bot API in another thread.
 * - Reports are P1 (violence, child not in danger now): one alert each, to the commune's officer.
 * - A province deployment: BENCH_ALERT_COMMUNES communes (default 50), one officer each, reports spread
 *   over them, confirmations spread evenly at BENCH_ALERT_RATE per second (default 20, under the outbox's
 *   28/s so alerts do not queue behind the limit; each officer gets one alert every 2.5 s, under the
 *   1/s per-chat limit). One officer for 1,000 reports would measure the per-chat limit, not the service.
 * - Other citizens are mid-conversation meanwhile (each walks its report in the 3 s before its slot),
 *   so the service also handles about 12 × rate other updates per second and sends their replies.
 *   Those direct replies do not go through the outbox limiter; against the real Telegram, this many
 *   bot messages per second (replies + alerts) would exceed its ~30/s bulk limit: the rate is a
 *   load test of our pipeline, not a claim about Telegram's capacity.
 * - Timestamps are Date.now() in two threads of one process (millisecond resolution).
 */
import { runAlertScenario, STAFF_FROM } from './support/alert-scenario.js';
import { percentile } from './support/threads.js';

export default async function run(): Promise<Record<string, number | string>> {
  const reports = Number(process.env.BENCH_ALERT_REPORTS ?? 1000);
  const rate = Number(process.env.BENCH_ALERT_RATE ?? 20);
  const communes = Number(process.env.BENCH_ALERT_COMMUNES ?? 50);
  // Let the last alerts arrive (at most 10 s).
  const { confirms, failedUpdates: failures, seconds, fake: result } = await runAlertScenario({
    reports,
    rate,
    communes,
    staffOf: (i) => [{ chat: STAFF_FROM + i, role: 'officer' }],
    settled: (alerted) => alerted >= reports,
    settleMs: 10_000,
  });

  const codeOf = new Map(result.codes.map(([chat, code]) => [chat, code]));
  const alertAt = new Map<string, number>();
  const perCode = new Map<string, number>();
  for (const [code, at] of result.alerts) {
    perCode.set(code, (perCode.get(code) ?? 0) + 1);
    if (!alertAt.has(code)) alertAt.set(code, at);
  }
  const latencies: number[] = [];
  let missing = 0;
  for (const c of confirms) {
    const code = codeOf.get(c.userId);
    const at = code ? alertAt.get(code) : undefined;
    if (at === undefined) missing++;
    else latencies.push(at - c.at);
  }
  latencies.sort((a, b) => a - b);
  const requests = confirms.map((c) => c.requestMs).sort((a, b) => a - b);
  const late = confirms.map((c) => c.late).sort((a, b) => a - b);
  return {
    'reports confirmed': confirms.length,
    'communes (one officer each)': communes,
    'confirmations per second (spread evenly)': rate,
    'seconds of load': Number(seconds.toFixed(1)),
    'failed webhook updates': failures,
    'alerts delivered': latencies.length,
    'alerts missing': missing,
    'alerts delivered twice': [...perCode.values()].filter((n) => n > 1).length,
    '429 answers': result.tooMany,
    'alert latency p50 ms (confirm update sent → officer sendMessage at the Bot API)': percentile(latencies, 50),
    'alert latency p99 ms': percentile(latencies, 99),
    'alert latency max ms': latencies.at(-1) ?? NaN,
    'confirm update (webhook request) p50 ms': Number(percentile(requests, 50).toFixed(1)),
    'confirm update p99 ms': Number(percentile(requests, 99).toFixed(1)),
    'load generator behind schedule p99 ms': percentile(late, 99),
    'target': 'p99 ≤ 250 ms',
  };
}
