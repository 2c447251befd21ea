/**
 * Reminders end to end on a real redis-server: ticks at chosen instants (no waiting for real days),
 * messages through the real outbox into local chats, submissions through the real counts store.
 */
import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StaffRole } from '../src/config/communes.js';
import { DEFAULT_COUNT_FIELDS } from '../src/domain/counts/fields.js';
import { parseCounts } from '../src/domain/counts/parser.js';
import { createRuntime, type Runtime } from '../src/app/runtime.js';
import { startWorkers, type RunningWorkers } from '../src/app/workers.js';
import { silentLogger } from '../src/logger.js';
import { REMINDER_QUEUE, countsExample, runReminderTick } from '../src/jobs/reminders.js';
import { LocalChatUser } from './helpers/local-chat.js';
import { outboxIdle } from './helpers/outbox-wait.js';
import { startService, type TestService } from './helpers/service.js';
import { until } from './helpers/wait.js';

/** An instant given as Vietnam wall-clock time. */
const vn = (local: string): number => Date.parse(`${local}+07:00`);
const COMMUNE = 'bao-linh';

/** Heads of the four villages of config/communes.example.yaml, two officers, a chair. */
const PEOPLE: Array<{ id: string; role: StaffRole; village?: string }> = [
  { id: 'th-naca', role: 'village_head', village: 'Thôn Nà Ca' },
  { id: 'th-banpieng', role: 'village_head', village: 'Thôn Bản Piềng' },
  { id: 'th-khuoitat', role: 'village_head', village: 'Thôn Khuổi Tát' },
  { id: 'th-dongtam', role: 'village_head', village: 'Thôn Đồng Tâm' },
  { id: 'cb-1', role: 'officer' },
  { id: 'cb-2', role: 'officer' },
  { id: 'ct-1', role: 'chair' },
];

let svc: TestService;
let workers: RunningWorkers;
/** The service clock (chat activity is stamped with it); ticks get their instant explicitly. */
let clock = vn('2025-09-20T23:00');

beforeEach(async () => {
  clock = vn('2025-09-20T23:00'); // night: a scheduled tick that fires during a test sends nothing
  svc = await startService({}, { now: () => clock });
  for (const p of PEOPLE) {
    await svc.runtime.services.roles.assign({ identity: `local:${p.id}`, communeId: COMMUNE, role: p.role, village: p.village, since: clock }, 'test');
  }
  workers = await startWorkers(svc.runtime);
});
afterEach(async () => {
  await workers.close();
  await svc.stop();
});

const tick = (at: number, services = svc.runtime.services) => runReminderTick(services, at);

async function inbox(id: string): Promise<string[]> {
  return (await svc.runtime.inbox.read(id)).filter((e) => e.from === 'service').map((e) => e.message.text);
}

/** Waits until every listed person holds exactly that many messages (the outbox works asynchronously). */
async function expectCounts(expected: Record<string, number>): Promise<void> {
  const actual = async () => Object.fromEntries(await Promise.all(Object.keys(expected).map(async (id) => [id, (await inbox(id)).length])));
  await until(async () => JSON.stringify(await actual()) === JSON.stringify(expected), 10_000, `inboxes ${JSON.stringify(expected)}`).catch(async (err: Error) => {
    throw new Error(`${err.message}; got ${JSON.stringify(await actual())}`);
  });
}

async function submit(village: string, period = '2025-08'): Promise<void> {
  await svc.runtime.services.counts.submit({ communeId: COMMUNE, period, village, values: { sinh: 1 }, by: 'local:test', late: false });
}

/** Another process on the same Redis and data key (its own connections, outbox and workers). */
async function secondProcess(): Promise<{ runtime: Runtime; workers: RunningWorkers; close(): Promise<void> }> {
  const runtime = await createRuntime({ env: svc.env, config: svc.config, redis: svc.redis.url, dataKey: svc.dataKey, log: silentLogger, now: () => clock });
  const running = await startWorkers(runtime);
  return {
    runtime,
    workers: running,
    async close() {
      await running.close();
      await runtime.close();
    },
  };
}

const none = { 'cb-1': 0, 'cb-2': 0, 'ct-1': 0 };

describe('monthly counts reminders', () => {
  it('remind only the villages that have not submitted, once per step, on the right days', async () => {
    await submit('Thôn Bản Piềng');

    expect((await tick(vn('2025-09-21T10:00'))).queued).toBe(0); // 4 days before: nothing yet

    expect(await tick(vn('2025-09-22T08:00'))).toMatchObject({ queued: 3, done: 0 });
    await expectCounts({ 'th-naca': 1, 'th-banpieng': 0, 'th-khuoitat': 1, 'th-dongtam': 1, ...none });
    const [first] = await inbox('th-naca');
    expect(first).toContain('Nhắc gửi số liệu trẻ em tháng 8/2025 của Thôn Nà Ca');
    expect(first).toContain('hạn chót là ngày 25/09/2025 (còn 3 ngày)');
    expect(first).toContain('Xin trả lời tin nhắn này');
    expect(first).toContain('tháng 8/2025: sinh …, tử vong …, tai nạn …, đuối nước …, xâm hại …');
    expect(first).toContain('hoàn cảnh đặc biệt …');
    expect(first).not.toMatch(/hcđb|hcdb/i);

    // Later ticks of the same step enqueue nothing.
    expect(await tick(vn('2025-09-22T15:00'))).toMatchObject({ queued: 0, done: 3 });
    expect(await tick(vn('2025-09-23T09:00'))).toMatchObject({ queued: 0, done: 3 });

    await submit('Thôn Khuổi Tát');
    expect(await tick(vn('2025-09-24T08:00'))).toMatchObject({ queued: 2 });
    await expectCounts({ 'th-naca': 2, 'th-banpieng': 0, 'th-khuoitat': 1, 'th-dongtam': 2, ...none });
    expect((await inbox('th-dongtam'))[1]).toContain('(còn 1 ngày)');

    expect(await tick(vn('2025-09-25T08:00'))).toMatchObject({ queued: 2 });
    await expectCounts({ 'th-naca': 3, 'th-banpieng': 0, 'th-khuoitat': 1, 'th-dongtam': 3, ...none });
    expect((await inbox('th-naca'))[2]).toContain('Hôm nay (25/09/2025) là hạn chót');
  });

  it('after the due day, the officers get the list of villages that have not reported', async () => {
    await submit('Thôn Bản Piềng');
    await submit('Thôn Khuổi Tát');

    expect(await tick(vn('2025-09-26T08:00'))).toMatchObject({ queued: 2 }); // d+1: officers only
    await expectCounts({ 'th-naca': 0, 'th-dongtam': 0, 'cb-1': 1, 'cb-2': 1, 'ct-1': 0 });
    expect((await inbox('cb-1'))[0]).toBe('Số liệu trẻ em tháng 8/2025 (hạn chót 25/09/2025): còn 2/4 thôn chưa gửi: Thôn Nà Ca, Thôn Đồng Tâm.');

    await submit('Thôn Nà Ca');
    expect(await tick(vn('2025-09-27T08:00'))).toMatchObject({ queued: 3 }); // d+2: the late head and the officers
    await expectCounts({ 'th-naca': 0, 'th-dongtam': 1, 'cb-1': 2, 'cb-2': 2, 'ct-1': 0 });
    expect((await inbox('th-dongtam'))[0]).toContain('đã quá hạn (hạn chót 25/09/2025) mà chưa nhận được');
    expect((await inbox('cb-2'))[1]).toContain('còn 1/4 thôn chưa gửi: Thôn Đồng Tâm.');

    await submit('Thôn Đồng Tâm');
    expect(await tick(vn('2025-09-30T08:00'))).toMatchObject({ queued: 0 }); // d+5: everyone reported
  });

  it('sends nothing at night: a step due in the evening goes out at 07:00', async () => {
    expect(await tick(vn('2025-09-22T22:00'))).toMatchObject({ queued: 0, quiet: 1 });
    expect(await tick(vn('2025-09-23T06:59'))).toMatchObject({ queued: 0, quiet: 1 });
    expect(await tick(vn('2025-09-23T07:00'))).toMatchObject({ queued: 4, quiet: 0 });
    await expectCounts({ 'th-naca': 1, 'th-banpieng': 1, 'th-khuoitat': 1, 'th-dongtam': 1, ...none });
  });

  it('waits while a village head is in the middle of a conversation, then reminds them', async () => {
    clock = vn('2025-09-22T08:58');
    const head = new LocalChatUser(() => svc.app, 'th-khuoitat');
    expect((await head.say('tôi muốn báo cáo')).map((m) => m.text).join('\n')).toContain('việc gì');
    expect(await svc.runtime.services.sessions.get('local:th-khuoitat')).toBeDefined();

    expect(await tick(vn('2025-09-22T09:00'))).toMatchObject({ queued: 3, deferred: 1 });
    // Idle for a while but the report is still open: still not interrupted.
    expect(await tick(vn('2025-09-22T09:20'))).toMatchObject({ queued: 0, deferred: 1 });
    await expectCounts({ 'th-naca': 1, 'th-banpieng': 1, 'th-dongtam': 1 });
    expect((await head.inbox()).length).toBe(0);

    // The draft has lain untouched for over an hour: the conversation is over.
    expect(await tick(vn('2025-09-22T10:05'))).toMatchObject({ queued: 1, deferred: 0 });
    await until(async () => (await inbox('th-khuoitat')).some((t) => t.startsWith('Nhắc gửi số liệu')), 10_000, 'deferred reminder');
  });

  it('does not cut in right after someone wrote, even without an open conversation', async () => {
    clock = vn('2025-09-22T08:57');
    await new LocalChatUser(() => svc.app, 'th-naca').say('cảm ơn');
    expect(await svc.runtime.services.sessions.get('local:th-naca')).toBeUndefined();
    const answered = (await inbox('th-naca')).length;
    expect(await tick(vn('2025-09-22T09:00'))).toMatchObject({ queued: 3, deferred: 1 });
    expect(await tick(vn('2025-09-22T09:05'))).toMatchObject({ queued: 1, deferred: 0 });
    await expectCounts({ 'th-naca': answered + 1, 'th-banpieng': 1, 'th-khuoitat': 1, 'th-dongtam': 1 });
  });

  it('the example in the reminder has no numbers and no jargon, and reads completely once filled in', () => {
    const commune = svc.config.communes[0]!;
    const example = countsExample(commune, '2025-08');
    expect(example.replace('8/2025', '')).not.toMatch(/[0-9]/);
    expect(example.toLowerCase()).not.toMatch(/hcđb|hcdb|tntt|xhtd/);
    const opts = { now: new Date(vn('2025-09-22T08:00')), timezone: commune.timezone, dueDay: 25 };
    expect(parseCounts(example, DEFAULT_COUNT_FIELDS, opts).counts).toEqual({});
    let n = 0;
    const filled = example.replace(/…/g, () => String(n++ === 0 ? 3 : 0));
    const reading = parseCounts(filled, DEFAULT_COUNT_FIELDS, opts);
    expect(reading.unknown).toEqual([]);
    expect(reading.problems).toEqual([]);
    expect(reading.missing).toEqual([]);
    expect(reading.period).toMatchObject({ year: 2025, month: 8, source: 'explicit' });
    expect(reading.counts).toMatchObject({ sinh: 3, tuvong: 0, taohon: 0 });
  });
});

describe('officer report deadlines', () => {
  it('reminds the officers 7, 3 and 1 days before, and officers and chair once overdue', async () => {
    for (const day of ['2026-05-13', '2026-05-14', '2026-05-17', '2026-05-19', '2026-05-20', '2026-05-21']) {
      await tick(vn(`${day}T08:00`));
      await outboxIdle(svc); // each day's reminders are out before the next day's: the inbox order is the days' order
    }
    await expectCounts({ 'cb-1': 4, 'cb-2': 4, 'ct-1': 1, 'th-naca': 0 });
    const texts = await inbox('cb-1');
    expect(texts[0]).toBe('Nhắc việc: Báo cáo 6 tháng hạn chót ngày 20/05/2026 (còn 7 ngày). Nếu đã gửi rồi, xin bỏ qua tin này.');
    expect(texts[1]).toContain('(còn 3 ngày)');
    expect(texts[2]).toContain('(còn 1 ngày)');
    expect(texts[3]).toBe('Báo cáo 6 tháng (hạn chót ngày 20/05/2026) đã quá hạn. Nếu đã gửi rồi, xin bỏ qua tin này.');
    expect((await inbox('ct-1'))[0]).toContain('đã quá hạn. Nếu đã gửi rồi, xin bỏ qua tin này. Kính đề nghị lãnh đạo xã đôn đốc.');
  });
});

describe('several workers', () => {
  it('two processes ticking at once send each reminder once', async () => {
    const other = await secondProcess();
    try {
      const at = vn('2025-09-22T08:00');
      // Both processes, several ticks each, all at once (as after a restart or with a re-check overlapping).
      const summaries = await Promise.all([tick(at), tick(at, other.runtime.services), tick(at), tick(at, other.runtime.services)]);
      expect(summaries.reduce((n, s) => n + s.queued, 0)).toBe(4);
      await expectCounts({ 'th-naca': 1, 'th-banpieng': 1, 'th-khuoitat': 1, 'th-dongtam': 1, ...none });
      await outboxIdle(svc); // every queued reminder finished: a second delivery would have happened
      await expectCounts({ 'th-naca': 1, 'th-banpieng': 1, 'th-khuoitat': 1, 'th-dongtam': 1, ...none });
    } finally {
      await other.close();
    }
  });

  it('every process installs the same hourly scheduler: one, in Vietnam time', async () => {
    const other = await secondProcess();
    const queue = new Queue(REMINDER_QUEUE, { connection: { url: svc.redis.url } });
    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers).toHaveLength(1);
      expect(schedulers[0]).toMatchObject({ pattern: '0 * * * *', tz: 'Asia/Ho_Chi_Minh' });
    } finally {
      await queue.close();
      await other.close();
    }
  });
});
