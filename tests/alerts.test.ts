/**
 * Urgent alerts, acknowledgement, escalation and legal clocks, on a real redis-server with the fake Bot
 * API: the citizen's confirmation goes through the Telegram webhook, alerts through the real outbox and
 * job modules. Time is controlled through `services.now` (an offset the tests move) and by calling the
 * processors with explicit times; one commune uses a tiny ackMinutes to see real delayed jobs fire.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole, Urgency } from '../src/config/communes.js';
import type { CategoryKey } from '../src/domain/categories.js';
import { alertRolesFor } from '../src/handlers/report/draft.js';
import { ALERTS_QUEUE, alertJobId, digestJobId, reportConfirmed } from '../src/actions/alert-queue.js';
import { ESCALATION_QUEUE, escalationJobId } from '../src/actions/escalation.js';
import { outboxQueueName } from '../src/actions/outbox/contract.js';
import { queueFor } from '../src/actions/queues.js';
import { digestBatchId, digestKey, digestSlot, hasWaitingCodes, processDigest, restoreDigestBatch } from '../src/jobs/alerts/digest.js';
import { createAlertsModule } from '../src/jobs/alerts/module.js';
import { processReportAlert } from '../src/jobs/alerts/report-alert.js';
import { sweep } from '../src/jobs/alerts/sweep.js';
import { CLOCKS_QUEUE, clockJobId, clockPlan, createClocksModule, processClock } from '../src/jobs/clocks.js';
import { createEscalationModule, processEscalation } from '../src/jobs/escalation.js';
import type { JobModule } from '../src/jobs/job-module.js';
import { reportKey, type ReportSummary } from '../src/store/reports.js';
import { startFakeTelegram, type ApiCall, type FakeTelegram } from './helpers/fake-telegram.js';
import { outboxIdle } from './helpers/outbox-wait.js';
import { startService, type TestService } from './helpers/service.js';
import { buttonUpdate, textUpdate } from './helpers/telegram-updates.js';
import { until } from './helpers/wait.js';

const SECRET = 'alerts-secret-0123456789abcdefghijklmnopqrstuv';
const CONFIG = `
communes:
  - id: xa-a
    name: Xã An Bình
    province: Thái Nguyên
    villages:
      - { name: Thôn Nà Ca, aliases: [na ca] }
      - { name: Thôn Bản Piềng, aliases: [ban pieng] }
    escalation: { ackMinutes: 10, chain: [officer, chair, province] }
    holidays: ["2026-01-01", "2026-04-30", "2026-05-01"]
  - id: xa-b
    name: Xã Bình Minh
    province: Thái Nguyên
    villages: [{ name: Thôn Một }]
  - id: xa-c
    name: Xã Cẩm Thủy
    province: Thanh Hóa
    villages: [{ name: Thôn Hạ }]
    escalation: { ackMinutes: 0.01, chain: [officer, chair, province] }
  - id: xa-d
    name: Xã Đồng Hỷ
    province: Thái Nguyên
    villages: [{ name: Thôn Đông }]
    hotlines: { province: "0208 3851 111" }
    chains: { P1: { ackMinutes: 240, chain: [officer, chair] } }
  - id: xa-e
    name: Xã Yên Lạc
    province: Thái Nguyên
    villages: [{ name: Thôn Tây }]
  - id: xa-f
    name: Xã Phú Lương
    province: Thái Nguyên
    villages: [{ name: Thôn Nam }]
`;

// Staff, by Telegram chat id.
const A = { officer: 1001, chair: 1002, police: 1003, province: 1004, admin: 1005 } as const;
const B = { officer: 2001, admin: 2005 } as const;
const C = { officer: 4001, chair: 4002, police: 4003, province: 4004 } as const;
const D = { officer: 5001, chair: 5002, province: 5004, admin: 5005 } as const;
const E = { admin: 6005, newcomer: 6001 } as const;
const F = { officer: 7001, officer2: 7002, chair: 7003 } as const;
const CITIZEN = 3001;

// Personal data that must never appear in an alert.
const CHILD_NAME = 'Lò Thị Mai';
const REPORTER_NAME = 'Hoàng Văn Báo';
const PHONE = '0912345678';
const DESCRIPTION = 'Ông hàng xóm sàm sỡ cháu gái sau nhà kho';

let dir: string;
let fake: FakeTelegram;
let svc: TestService;
let offset = 0;
const running: Array<{ close(): Promise<void> }> = [];

const services = () => svc.runtime.services;
const vn = (local: string): number => Date.parse(`${local}+07:00`);
/** Moves the service's clock so that now is `at` (real time keeps running from there). */
const setNow = (at: number): void => {
  offset = at - Date.now();
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'treem-alerts-'));
  writeFileSync(join(dir, 'communes.yaml'), CONFIG);
  fake = await startFakeTelegram();
  svc = await startService(
    { CONFIG_FILE: join(dir, 'communes.yaml'), TELEGRAM_BOT_TOKEN: '123456:TEST-token', TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot },
    { now: () => Date.now() + offset },
  );
  const s = services();
  const assign = (chat: number, communeId: string, role: StaffRole) => s.roles.assign({ identity: `telegram:${chat}`, communeId, role, since: Date.now() }, 'test');
  for (const [role, chat] of Object.entries(A)) await assign(chat, 'xa-a', role as StaffRole);
  for (const [role, chat] of Object.entries(B)) await assign(chat, 'xa-b', role as StaffRole);
  for (const [role, chat] of Object.entries(C)) await assign(chat, 'xa-c', role as StaffRole);
  for (const [role, chat] of Object.entries(D)) await assign(chat, 'xa-d', role as StaffRole);
  await assign(E.admin, 'xa-e', 'admin');
  await s.roles.assign({ identity: `telegram:${F.officer}`, communeId: 'xa-f', role: 'officer', name: 'Nguyễn Văn An', since: Date.now() }, 'test');
  await s.roles.assign({ identity: `telegram:${F.officer2}`, communeId: 'xa-f', role: 'officer', name: 'Trần Thị Bình', since: Date.now() }, 'test');
  await assign(F.chair, 'xa-f', 'chair');
  await svc.runtime.outboxWorkers.start();
});
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.close();
  offset = 0;
});
afterAll(async () => {
  await svc.stop();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(...modules: JobModule[]): Promise<void> {
  for (const m of modules) running.push(await m.start(services()));
}
// The stalled-job check is shared by every worker of a queue (the last one to run sets when the next may
// run): short everywhere, so the kill test's take-over is not held back by a worker of an earlier test.
const alerts = () => createAlertsModule({ sweepEveryMs: 0, stalledIntervalMs: 300 });

async function post(update: object): Promise<void> {
  const res = await svc.app.inject({
    method: 'POST',
    url: '/telegram/webhook',
    headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' },
    payload: update,
  });
  expect(res.statusCode).toBe(200);
}

/** Sends a text or button as `chat` and returns the replies it got directly. */
async function say(chat: number, text: string): Promise<string> {
  const before = fake.calls.length;
  await post(textUpdate(chat, text));
  return texts(fake.calls.slice(before).filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === String(chat)));
}
async function press(chat: number, data: string): Promise<string> {
  const before = fake.calls.length;
  await post(buttonUpdate(chat, data));
  return texts(fake.calls.slice(before).filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === String(chat)));
}

const texts = (calls: ApiCall[]): string => calls.map((c) => String(c.payload.text)).join('\n---\n');
/** Messages delivered to a chat that mention a code. */
const deliveredTo = (chat: number, code: string): ApiCall[] =>
  fake.delivered().filter((c) => String(c.payload.chat_id) === String(chat) && String(c.payload.text).includes(code));
/**
 * "Nothing more was sent" is proved by the work being finished, never by a pause: the alert job of
 * `code` (when given) has completed, then the Telegram outbox has nothing left waiting, running or retrying.
 */
async function allSent(code?: string): Promise<void> {
  if (code !== undefined) await alertJobResult(code);
  await outboxIdle(svc, ['telegram']);
}
/** Waits for the alert job of `code` to complete and returns what it did. */
async function alertJobResult(code: string, timeoutMs = 5000): Promise<unknown> {
  let result: unknown;
  await until(async () => {
    const queue = queueFor(services(), ALERTS_QUEUE);
    if ((await queue.getJobState(alertJobId(code))) !== 'completed') return false;
    result = (await queue.getJob(alertJobId(code)))?.returnvalue; // read after completion: the job is final
    return true;
  }, timeoutMs, `the alert job of ${code} to complete`);
  return result;
}
type Keyboard = { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
const buttons = (call: ApiCall | undefined) => ((call?.payload.reply_markup as Keyboard | undefined)?.inline_keyboard ?? []).flat();

/** Saves a report as the confirm step does, and fires the same hook. */
async function confirmReport(communeId: string, urgency: Urgency, category: CategoryKey = 'violence', village = 'Thôn Nà Ca'): Promise<ReportSummary> {
  const s = services();
  const commune = s.config.communes.find((c) => c.id === communeId)!;
  const report = await s.cases.create(
    {
      communeId,
      category,
      urgency,
      alertRoles: alertRolesFor(commune, urgency),
      village: commune.villages.some((v) => v.name === village) ? village : commune.villages[0]!.name,
      inDanger: urgency === 'P0' ? 'yes' : 'no',
      channel: 'telegram',
      details: {
        description: DESCRIPTION,
        child: { name: CHILD_NAME, age: '9 tuổi', sex: 'nu' },
        reporter: { identity: `telegram:${CITIZEN}`, name: REPORTER_NAME, phone: PHONE },
        attachments: [],
      },
    },
    s.now(),
  );
  await reportConfirmed(s, report);
  return report;
}

function expectNoPersonalData(call: ApiCall): void {
  const text = String(call.payload.text);
  for (const secret of [CHILD_NAME, REPORTER_NAME, PHONE, '0912 345 678', DESCRIPTION, 'sàm sỡ', 'nhà kho', `telegram:${CITIZEN}`, String(CITIZEN)]) {
    expect(text).not.toContain(secret);
  }
}

describe('alerts by urgency', () => {
  it('a P0 confirmed in a Telegram conversation reaches officer, chair and police at once, with no name, phone or description', async () => {
    await start(alerts());
    const chat = CITIZEN;
    await say(chat, '/baocao');
    await say(chat, '1'); // Xã An Bình
    await say(chat, 'Ông hàng xóm sàm sỡ cháu gái sau nhà kho'); // category and description from the text
    await say(chat, 'na ca');
    await say(chat, 'hôm nay');
    await say(chat, '9');
    await say(chat, 'nữ');
    await say(chat, 'có'); // in danger now
    await say(chat, CHILD_NAME);
    await say(chat, 'bỏ qua');
    await say(chat, 'để lại liên hệ');
    await say(chat, REPORTER_NAME);
    const summary = await say(chat, '0912 345 678');
    expect(summary).toContain(CHILD_NAME);
    const confirmedAt = Date.now();
    const done = await say(chat, 'gửi');
    const code = done.match(/TE-[0-9A-Z]{6}/)?.[0] ?? '';
    expect(code, done).not.toBe('');

    for (const who of [A.officer, A.chair, A.police]) await until(() => deliveredTo(who, code).length === 1, 5000, `alert to ${who}`);
    const calls = [A.officer, A.chair, A.police].map((who) => deliveredTo(who, code)[0]!);
    for (const call of calls) {
      expect(call.at - confirmedAt).toBeLessThan(3000);
      const text = String(call.payload.text);
      expect(text).toContain(code);
      expect(text).toContain('Xâm hại tình dục');
      expect(text).toContain('Khẩn cấp');
      expect(text).toContain('Thôn Nà Ca');
      expect(text).toMatch(/vừa xong|phút trước/);
      expect(text).toContain(`/nhan ${code}`);
      expect(buttons(call)).toEqual([{ text: 'Tiếp nhận', callback_data: `ack:${code}` }]);
      expectNoPersonalData(call);
    }
    // Nobody else: not the province (escalation only), not the admin, not commune B.
    for (const who of [A.province, A.admin, B.officer, C.officer]) expect(deliveredTo(who, code)).toHaveLength(0);

    const s = services();
    // Clocks are scheduled last, after the alerts and the escalation step.
    await until(async () => Boolean(await queueFor(s, CLOCKS_QUEUE).getJob(clockJobId(code, 'emergency', 'due'))), 5000, 'clocks scheduled');
    expect((await s.cases.timeline(code)).map((e) => e.kind)).toContain('alerted');
    expect(await s.cases.pendingAlerts()).not.toContain(code);
    // Escalation step 1 after ackMinutes, and the 12-hour clock's steps, are waiting with their ids.
    const esc = await queueFor(s, ESCALATION_QUEUE).getJob(escalationJobId(code, 1));
    expect(esc?.opts.delay).toBeGreaterThan(9.9 * 60_000);
    expect(esc?.opts.delay).toBeLessThanOrEqual(10 * 60_000);
    for (const [step, hours] of [['r1', 6], ['r2', 10], ['due', 12]] as const) {
      const job = await queueFor(s, CLOCKS_QUEUE).getJob(clockJobId(code, 'emergency', step));
      expect(job?.opts.delay, step).toBeGreaterThan(hours * 3_600_000 - 10_000);
      expect(job?.opts.delay, step).toBeLessThanOrEqual(hours * 3_600_000);
    }
  });

  it('a P1 goes to the officer only; a P3 is stored and alerts nobody', async () => {
    await start(alerts());
    const p1 = await confirmReport('xa-a', 'P1', 'neglect');
    const p3 = await confirmReport('xa-a', 'P3', 'advice');
    await until(() => deliveredTo(A.officer, p1.code).length === 1, 5000, 'P1 alert');
    const call = deliveredTo(A.officer, p1.code)[0]!;
    expect(String(call.payload.text)).toContain('Bị bỏ mặc');
    expect(String(call.payload.text)).toContain('Cao');
    expectNoPersonalData(call);
    expect(await alertJobResult(p3.code)).toBe('stored');
    expect(await alertJobResult(p1.code)).toBe('alerted');
    await allSent();
    for (const who of [A.chair, A.police, A.province]) expect(deliveredTo(who, p1.code)).toHaveLength(0);
    for (const who of Object.values(A)) expect(deliveredTo(who, p3.code)).toHaveLength(0);
    // A P1 has its own chain: step 1 after the configured 240 minutes (longer than P0's 10).
    const step1 = await queueFor(services(), ESCALATION_QUEUE).getJob(escalationJobId(p1.code, 1));
    expect(step1?.opts.delay).toBeGreaterThan(239 * 60_000);
    expect(await queueFor(services(), ESCALATION_QUEUE).getJob(escalationJobId(p3.code, 1))).toBeUndefined();
  });

  it('P2 reports wait for working hours and go out as one digest at the next working-hours start', async () => {
    await start(alerts());
    const friday = vn('2026-03-06T18:30:00'); // Friday evening: outside working hours
    setNow(friday);
    const first = await confirmReport('xa-a', 'P2', 'at_risk');
    const second = await confirmReport('xa-a', 'P2', 'drowning', 'Thôn Bản Piềng');
    const monday = vn('2026-03-09T07:30:00');
    const digestId = digestJobId('xa-a', monday);
    await until(async () => Boolean(await queueFor(services(), ALERTS_QUEUE).getJob(digestId)), 5000, 'digest scheduled for Monday 07:30');
    const job = await queueFor(services(), ALERTS_QUEUE).getJob(digestId);
    expect(job?.opts.delay).toBeGreaterThan(monday - friday - 10_000);
    expect(await alertJobResult(first.code)).toBe('digest');
    expect(await alertJobResult(second.code)).toBe('digest');
    await allSent();
    expect(deliveredTo(A.officer, first.code)).toHaveLength(0); // nothing sent on Friday evening

    // Monday 07:30: the digest job runs (called here with its batch id, as the worker would).
    setNow(monday);
    expect(await processDigest(services(), 'xa-a', digestBatchId(job!))).toBe(2);
    expect(await processDigest(services(), 'xa-a', digestBatchId(job!))).toBe(2); // a re-run
    await until(() => deliveredTo(A.officer, first.code).length >= 1, 5000, 'digest delivered');
    await allSent();
    const digest = deliveredTo(A.officer, first.code);
    expect(digest).toHaveLength(1); // one message, once
    expect(String(digest[0]!.payload.text)).toContain(second.code);
    expect(String(digest[0]!.payload.text)).toContain('Trung bình');
    expectNoPersonalData(digest[0]!);
    expect(buttons(digest[0]).map((b) => b.callback_data)).toEqual([`ack:${first.code}`, `ack:${second.code}`]);
    expect(deliveredTo(A.chair, first.code)).toHaveLength(0);
    expect((await services().cases.timeline(second.code)).map((e) => e.kind)).toContain('alerted');
    // The alert job running again (a retry) does not put the code in a second digest.
    expect(await processReportAlert(services(), first.code)).toBe('digest');
    expect(await hasWaitingCodes(services(), 'xa-a')).toBe(false);
    await job!.remove();
  });

  it('inside working hours a P2 digest goes out within the gathering minute; a holiday counts as outside', () => {
    const commune = services().config.communes.find((c) => c.id === 'xa-a')!;
    const tuesday = vn('2026-03-10T10:15:20');
    const slot = digestSlot(tuesday, commune);
    expect(slot - tuesday).toBeGreaterThan(0);
    expect(slot - tuesday).toBeLessThanOrEqual(60_000);
    expect(digestSlot(vn('2026-04-30T10:00:00'), commune)).toBe(vn('2026-05-04T07:30:00')); // 30/4 and 1/5 are holidays
    expect(digestSlot(vn('2026-03-10T06:00:00'), commune)).toBe(vn('2026-03-10T07:30:00'));
    expect(digestSlot(vn('2026-03-10T17:00:00'), commune)).toBe(vn('2026-03-11T07:30:00'));
  });

  it('a role nobody holds is reported to the commune admins', async () => {
    await start(alerts());
    const report = await confirmReport('xa-b', 'P0', 'sexual', 'Thôn Một'); // xa-b has an officer and an admin only
    await until(() => deliveredTo(B.officer, report.code).length === 1, 5000, 'officer alert');
    await until(() => deliveredTo(B.admin, report.code).length === 1, 5000, 'admin told');
    const text = String(deliveredTo(B.admin, report.code)[0]!.payload.text);
    expect(text).toContain('Lãnh đạo UBND xã');
    expect(text).toContain('Công an xã');
    expectNoPersonalData(deliveredTo(B.admin, report.code)[0]!);
  });

  it('a duplicate enqueue is a no-op, and a report saved without its alert queued is alerted when the worker starts', async () => {
    const s = services();
    // Saved, but the process "died" before the confirm hook queued the alert.
    const commune = s.config.communes[0]!;
    const orphan = await s.cases.create(
      { communeId: 'xa-a', category: 'labour', urgency: 'P1', alertRoles: alertRolesFor(commune, 'P1'), village: 'Thôn Nà Ca', inDanger: 'no', channel: 'telegram', details: { description: DESCRIPTION, child: {}, reporter: { identity: `telegram:${CITIZEN}` }, attachments: [] } },
      s.now(),
    );
    expect(await s.cases.pendingAlerts()).toContain(orphan.code);
    const twice = await confirmReport('xa-a', 'P1', 'labour');
    await reportConfirmed(s, twice); // the confirmation ran again (a retried update)
    expect(await queueFor(s, ALERTS_QUEUE).getJobCounts('wait', 'delayed', 'active')).toMatchObject({ wait: 1 });
    await start(alerts());
    await until(() => deliveredTo(A.officer, orphan.code).length === 1, 5000, 'orphan alerted by the start-up sweep');
    await until(() => deliveredTo(A.officer, twice.code).length === 1, 5000, 'duplicate-enqueued alert');
    expect(await alertJobResult(orphan.code)).toBe('alerted');
    await allSent(twice.code);
    expect(deliveredTo(A.officer, twice.code)).toHaveLength(1);
    expect(await s.cases.pendingAlerts()).not.toContain(orphan.code);
  });
});

describe('acknowledgement', () => {
  it('the first acknowledgement wins; the others who were alerted are told', async () => {
    await start(alerts());
    const report = await confirmReport('xa-a', 'P0', 'sexual');
    for (const who of [A.officer, A.chair, A.police]) await until(() => deliveredTo(who, report.code).length === 1, 5000, 'alerts');
    const alert = deliveredTo(A.officer, report.code)[0]!;
    // The officer presses the button while the police officer types the command, at the same time.
    const [byButton, byCommand] = await Promise.all([press(A.officer, buttons(alert)[0]!.callback_data), say(A.police, `nhận ${report.code.toLowerCase()}`)]);
    const winners = [byButton, byCommand].filter((t) => t.includes('✅ Bạn đã tiếp nhận'));
    expect(winners).toHaveLength(1);
    const takerChat = byButton.includes('✅') ? A.officer : A.police;
    const otherChat = takerChat === A.officer ? A.police : A.officer;
    expect(takerChat === A.officer ? byButton : byCommand).toContain(`/xem ${report.code}`);

    const s = services();
    const markers = await s.cases.markers(report.code);
    expect(markers.assignee).toBe(`telegram:${takerChat}`);
    expect((await s.cases.get(report.code))?.status).toBe('acknowledged');
    const label = takerChat === A.officer ? 'Cán bộ bảo vệ trẻ em' : 'Công an xã';
    const told = (chat: number) => deliveredTo(chat, report.code).filter((c) => String(c.payload.text).includes(`${label} đã tiếp nhận ${report.code}`));
    await until(() => told(A.chair).length === 1, 5000, 'others told');
    await allSent();
    // The loser hears it once: the notice to those alerted, or the answer to their own press, not both.
    const afterAlert = deliveredTo(otherChat, report.code).slice(1);
    expect(afterAlert).toHaveLength(1);
    expect(String(afterAlert[0]!.payload.text)).toMatch(new RegExp(`${label} đã tiếp nhận ${report.code}|đã được ${label} tiếp nhận trước`));
    expect(told(takerChat)).toHaveLength(0);
    expect(await say(takerChat, `/nhan ${report.code}`)).toContain('đã tiếp nhận vụ việc');
    // The escalation step was removed.
    expect(await queueFor(s, ESCALATION_QUEUE).getJob(escalationJobId(report.code, 1))).toBeUndefined();
  });

  it('an officer of another commune cannot acknowledge, and neither can a citizen', async () => {
    await start(alerts());
    const report = await confirmReport('xa-a', 'P1');
    await until(() => deliveredTo(A.officer, report.code).length === 1, 5000, 'alert');
    const fromB = await say(B.officer, `/nhan ${report.code}`);
    expect(fromB).toContain('Không tìm thấy vụ việc');
    expect(fromB).toContain('xã mình');
    expect(await press(B.officer, `ack:${report.code}`)).toContain('Không tìm thấy vụ việc');
    const citizen = await say(CITIZEN, `/nhan ${report.code}`);
    expect(citizen).toContain('chỉ cán bộ xã đã đăng ký');
    expect(await press(CITIZEN, `ack:${report.code}`)).toContain('chỉ cán bộ xã đã đăng ký');
    expect(await say(CITIZEN, `nhận ${report.code}`)).toContain('chỉ cán bộ xã đã đăng ký');
    expect(await say(A.admin, `/nhan ${report.code}`)).toContain('Quản trị viên không tiếp nhận');
    const s = services();
    expect((await s.cases.markers(report.code)).assignee).toBeUndefined();
    expect((await s.cases.get(report.code))?.status).toBe('new');
    // The commune's own officer still can.
    expect(await say(A.officer, `/nhan ${report.code}`)).toContain('✅ Bạn đã tiếp nhận');
  });
});

describe('escalation', () => {
  it('steps fire at ackMinutes intervals along the chain (controlled time), each once and in the timeline', async () => {
    await start(alerts()); // the escalation worker is not running: the steps are called with explicit times
    const s = services();
    const t0 = vn('2026-03-10T09:00:00');
    setNow(t0);
    const report = await confirmReport('xa-a', 'P0', 'trafficking');
    await until(() => deliveredTo(A.officer, report.code).length === 1, 5000, 'first alert');
    // The alert job schedules step 1 right after handing the alerts to the outbox.
    await until(async () => Boolean(await queueFor(s, ESCALATION_QUEUE).getJob(escalationJobId(report.code, 1))), 5000, 'step 1 scheduled');
    const esc1 = await queueFor(s, ESCALATION_QUEUE).getJob(escalationJobId(report.code, 1));
    expect(esc1?.data).toEqual({ code: report.code, step: 1 });

    setNow(t0 + 10 * 60_000);
    expect(await processEscalation(s, { code: report.code, step: 1 })).toBe('escalated');
    expect(await processEscalation(s, { code: report.code, step: 1 })).toBe('escalated'); // re-run: nothing doubled
    const esc2 = await queueFor(s, ESCALATION_QUEUE).getJob(escalationJobId(report.code, 2));
    expect(esc2?.opts.delay).toBeGreaterThan(9.9 * 60_000);
    expect(esc2?.opts.delay).toBeLessThanOrEqual(10 * 60_000);
    const realert = (chat: number, step: number) => deliveredTo(chat, report.code).filter((c) => String(c.payload.text).includes(`NHẮC LẦN ${step}`));
    for (const who of [A.officer, A.chair, A.police]) await until(() => realert(who, 1).length === 1, 5000, `re-alert 1 to ${who}`);
    expect(String(realert(A.officer, 1)[0]!.payload.text)).toContain('sau 10 phút');
    expect(realert(A.province, 1)).toHaveLength(0);

    setNow(t0 + 20 * 60_000);
    expect(await processEscalation(s, { code: report.code, step: 2 })).toBe('escalated');
    for (const who of [A.officer, A.chair, A.police, A.province]) await until(() => realert(who, 2).length === 1, 5000, `step 2 to ${who}`);
    expect(String(realert(A.province, 2)[0]!.payload.text)).toContain('Cán bộ tỉnh');
    expect(buttons(realert(A.province, 2)[0])).toEqual([{ text: 'Tiếp nhận', callback_data: `ack:${report.code}` }]);
    expect(await queueFor(s, ESCALATION_QUEUE).getJob(escalationJobId(report.code, 3))).toBeUndefined(); // end of the chain
    await allSent();
    for (const who of [A.officer, A.chair, A.police]) expect(realert(who, 1)).toHaveLength(1);

    const kinds = (await s.cases.timeline(report.code)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 're_alerted')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'escalated')).toHaveLength(1);

    // The province officer takes it; a step that still runs afterwards sends nothing.
    expect(await say(A.province, `/nhan ${report.code}`)).toContain('✅');
    const before = fake.delivered().length;
    expect(await processEscalation(s, { code: report.code, step: 2 })).toBe('stopped');
    await allSent();
    // What may still arrive: the others told who took it, and the reporter's status notice (its
    // timing relative to the reply is not fixed). No reminder step may.
    const after = fake.delivered().slice(before).filter((c) => String(c.payload.text).includes(report.code));
    expect(after.filter((c) => /NHẮC LẦN|KHẨN CẤP/.test(String(c.payload.text)))).toEqual([]);
    for (const who of [A.officer, A.chair, A.police]) expect(deliveredTo(who, report.code).some((c) => String(c.payload.text).includes('đã tiếp nhận'))).toBe(true);
  });

  it('real delayed steps fire along the chain (tiny ackMinutes)', async () => {
    await start(alerts(), createEscalationModule());
    const report = await confirmReport('xa-c', 'P0', 'sexual', 'Thôn Hạ');
    const realert = (chat: number, step: number) => deliveredTo(chat, report.code).filter((c) => String(c.payload.text).includes(`NHẮC LẦN ${step}`));
    await until(() => realert(C.province, 2).length === 1, 8000, 'step 2 reaches the province');
    for (const who of [C.officer, C.chair, C.police]) expect(realert(who, 1)).toHaveLength(1);
    expect(realert(C.province, 1)).toHaveLength(0);
    expect(await say(C.chair, `/nhan ${report.code}`)).toContain('✅');
  });

  it('an acknowledgement stops all escalation, even when steps were already due', async () => {
    await start(alerts()); // no escalation worker yet: step 1 becomes due and waits
    const s = services();
    const report = await confirmReport('xa-c', 'P0', 'sexual', 'Thôn Hạ');
    for (const who of [C.officer, C.chair, C.police]) await until(() => deliveredTo(who, report.code).length === 1, 5000, 'alerts');
    await until(async () => Boolean(await queueFor(s, ESCALATION_QUEUE).getJob(escalationJobId(report.code, 1))), 5000, 'step 1 scheduled');
    const step1 = await queueFor(s, ESCALATION_QUEUE).getJob(escalationJobId(report.code, 1));
    expect(step1?.data).toEqual({ code: report.code, step: 1 });
    // ackMinutes is 0.6 s: wait until step 1 is overdue (its own due time, read from the job).
    await until(() => Date.now() > step1!.timestamp + (step1!.opts.delay ?? 0), 5000, 'step 1 to be overdue');

    expect(await say(C.officer, `/nhan ${report.code}`)).toContain('✅');
    const ackedAt = Date.now();
    expect(await queueFor(s, ESCALATION_QUEUE).getJob(escalationJobId(report.code, 1))).toBeUndefined(); // removed
    // A step that could not be removed (already picked up by a worker elsewhere) runs anyway: it must
    // find the case taken and send nothing.
    await queueFor(s, ESCALATION_QUEUE).add('escalate', { code: report.code, step: 2 }, { jobId: escalationJobId(report.code, 2) });
    await start(createEscalationModule());
    await until(async () => (await queueFor(s, ESCALATION_QUEUE).getJob(escalationJobId(report.code, 2)))?.returnvalue === 'stopped', 5000, 'step 2 ran');
    await allSent();
    const later = fake.delivered().filter((c) => c.at >= ackedAt && String(c.payload.text).includes(report.code));
    for (const c of later) expect(String(c.payload.text)).toContain('đã tiếp nhận');
    for (const who of Object.values(C)) expect(deliveredTo(who, report.code).filter((c) => String(c.payload.text).includes('NHẮC'))).toHaveLength(0);
  });
});

describe('acknowledgement and the outbox', () => {
  it('re-alerts queued in the outbox but not yet sent are withdrawn by the acknowledgement', async () => {
    await start(alerts());
    const s = services();
    const report = await confirmReport('xa-a', 'P0', 'sexual');
    for (const who of [A.officer, A.chair, A.police]) await until(() => deliveredTo(who, report.code).length === 1, 5000, 'alerts');
    // Alerts and escalations travel in the outbox's urgent lane.
    const telegramOutbox = queueFor(s, outboxQueueName('telegram', 'urgent'));
    await telegramOutbox.pause(); // the platform is slow: nothing leaves the outbox for now
    try {
      setNow(report.createdAt + 10 * 60_000);
      expect(await processEscalation(s, { code: report.code, step: 1 })).toBe('escalated');
      expect(await telegramOutbox.getJobCounts('paused', 'wait')).toSatisfy((c: Record<string, number>) => (c.paused ?? 0) + (c.wait ?? 0) >= 3);
      expect(await say(A.chair, `/nhan ${report.code}`)).toContain('✅');
    } finally {
      await telegramOutbox.resume();
    }
    const told = (chat: number) => deliveredTo(chat, report.code).filter((c) => String(c.payload.text).includes('đã tiếp nhận'));
    await until(() => told(A.officer).length === 1 && told(A.police).length === 1, 5000, 'others told of the acknowledgement');
    await allSent();
    for (const who of Object.values(A)) expect(deliveredTo(who, report.code).filter((c) => String(c.payload.text).includes('NHẮC'))).toHaveLength(0);
  });
});

describe('legal clocks', () => {
  it('P0: reminders at 6 h and 10 h to whoever holds the case, the chair at 12 h, nothing after an emergency action', async () => {
    await start(alerts());
    const s = services();
    const t0 = vn('2026-03-10T21:00:00');
    setNow(t0);
    const report = await confirmReport('xa-a', 'P0', 'suicide');
    await until(() => deliveredTo(A.officer, report.code).length === 1, 5000, 'alert');
    const remind = (chat: number, words: string) => deliveredTo(chat, report.code).filter((c) => String(c.payload.text).includes(words));

    // 6 h, nobody took it: everyone alerted is reminded, with the ack button.
    setNow(t0 + 6 * 3_600_000);
    const steps = clockPlan(report, s.config.communes[0]!); // the jobs scheduled at the alert
    expect(steps.map((p) => [p.step, p.runAt - report.createdAt])).toEqual([['r1', 6 * 3_600_000], ['r2', 10 * 3_600_000], ['due', 12 * 3_600_000]]);
    const job = (step: string) => steps.find((p) => p.step === step)!;
    expect(await processClock(s, job('r1'))).toBe('reminded');
    expect(await processClock(s, job('r1'))).toBe('reminded'); // re-run: once
    for (const who of [A.officer, A.chair, A.police]) await until(() => remind(who, 'đã 6 giờ').length === 1, 5000, `6 h reminder to ${who}`);
    expect(buttons(remind(A.chair, 'đã 6 giờ')[0])[0]?.callback_data).toBe(`ack:${report.code}`);
    expectNoPersonalData(remind(A.chair, 'đã 6 giờ')[0]!);

    // The officer takes it: at 10 h only the officer is reminded.
    expect(await say(A.officer, `/nhan ${report.code}`)).toContain('✅');
    setNow(t0 + 10 * 3_600_000);
    expect(await processClock(s, job('r2'))).toBe('reminded');
    await until(() => remind(A.officer, 'đã 10 giờ').length === 1, 5000, '10 h reminder');
    await allSent();
    expect(remind(A.chair, 'đã 10 giờ')).toHaveLength(0);

    // 12 h without an emergency action: the holder and the chair are told it is overdue.
    setNow(t0 + 12 * 3_600_000);
    expect(await processClock(s, job('due'))).toBe('reminded');
    for (const who of [A.officer, A.chair]) await until(() => remind(who, 'QUÁ HẠN 12 GIỜ').length === 1, 5000, `12 h to ${who}`);
    expect(remind(A.police, 'QUÁ HẠN')).toHaveLength(0);
    const kinds = (await s.cases.timeline(report.code)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'reminder')).toHaveLength(2);

    // Another P0 whose emergency action was recorded: the clock is silent.
    const other = await confirmReport('xa-a', 'P0', 'suicide');
    for (const who of [A.officer, A.chair, A.police]) await until(() => deliveredTo(who, other.code).length === 1, 5000, 'alerts');
    await s.cases.recordEmergencyAction(other.code, `telegram:${A.chair}`, 'Đã đưa trẻ đến nơi an toàn', s.now());
    const before = fake.delivered().length;
    expect(await processClock(s, { code: other.code, clock: 'emergency', step: 'due', runAt: 0, deadline: 0 })).toBe('stopped');
    await allSent();
    expect(fake.delivered().slice(before).filter((c) => String(c.payload.text).includes(other.code))).toHaveLength(0);
  });

  it('P0 clock steps fire for real when their time comes (tiny hours)', async () => {
    const s = services();
    const commune = s.config.communes.find((c) => c.id === 'xa-c')!;
    const saved = commune.clocks;
    commune.clocks = { ...saved, emergencyHours: 0.0005, emergencyRemindAtHours: [0.0002] }; // 1.8 s, 0.72 s
    try {
      await start(alerts(), createClocksModule());
      const report = await confirmReport('xa-c', 'P0', 'sexual', 'Thôn Hạ');
      const got = (chat: number, words: string) => deliveredTo(chat, report.code).filter((c) => String(c.payload.text).includes(words));
      await until(() => got(C.officer, 'chưa ghi nhận biện pháp khẩn cấp').length === 1, 8000, 'reminder');
      await until(() => got(C.chair, 'QUÁ HẠN').length === 1, 8000, 'overdue to the chair');
    } finally {
      commune.clocks = saved;
    }
  });

  it('P1: the 5-working-day plan deadline skips the weekend and holidays; reminders on days 3 and 4; overdue to holder and chair', async () => {
    await start(alerts());
    const s = services();
    const commune = s.config.communes.find((c) => c.id === 'xa-a')!;
    const t0 = vn('2026-04-23T10:00:00'); // Thursday; 30/4 and 1/5 are holidays
    setNow(t0);
    const report = await confirmReport('xa-a', 'P1', 'violence');
    const plan = clockPlan(report, commune);
    expect(plan.map((p) => [p.step, new Date(p.runAt).toISOString()])).toEqual([
      ['r1', new Date(vn('2026-04-28T07:30:00')).toISOString()],
      ['r2', new Date(vn('2026-04-29T07:30:00')).toISOString()],
      ['due', new Date(vn('2026-05-04T17:00:00')).toISOString()],
    ]);
    await until(async () => Boolean(await queueFor(s, CLOCKS_QUEUE).getJob(clockJobId(report.code, 'plan', 'due'))), 5000, 'plan clock scheduled');
    const due = await queueFor(s, CLOCKS_QUEUE).getJob(clockJobId(report.code, 'plan', 'due'));
    expect(due?.opts.delay).toBeGreaterThan(vn('2026-05-04T17:00:00') - t0 - 10_000);

    expect(await say(A.officer, `/nhan ${report.code}`)).toContain('✅');
    setNow(vn('2026-04-28T07:30:00'));
    expect(await processClock(s, plan[0]!)).toBe('reminded');
    await until(() => deliveredTo(A.officer, report.code).some((c) => String(c.payload.text).includes('hạn lập kế hoạch')), 5000, 'day-3 reminder');
    expect(String(deliveredTo(A.officer, report.code).find((c) => String(c.payload.text).includes('hạn lập kế hoạch'))!.payload.text)).toContain('17:00 04/05/2026');
    setNow(vn('2026-05-04T17:00:00'));
    expect(await processClock(s, plan[2]!)).toBe('reminded');
    for (const who of [A.officer, A.chair]) {
      await until(() => deliveredTo(who, report.code).some((c) => String(c.payload.text).includes('QUÁ HẠN')), 5000, `overdue to ${who}`);
    }
    // Once the chair approved the plan (and it is carried out), the clock stops.
    await s.cases.setStatus(report.code, 'assessing', `telegram:${A.officer}`, s.now());
    expect(await processClock(s, plan[1]!)).toBe('reminded');
    await s.cases.setStatus(report.code, 'plan_approved', `telegram:${A.chair}`, s.now());
    await s.cases.setStatus(report.code, 'intervening', `telegram:${A.officer}`, s.now());
    expect(await processClock(s, plan[1]!)).toBe('stopped');
  });
});

describe('delivery under failures', () => {
  it('a worker killed in the middle of an alert job still leads to exactly one alert per recipient', async () => {
    const s = services();
    const report = await confirmReport('xa-a', 'P0', 'sexual'); // queued; no alerts worker in this process yet
    let child: ChildProcess | undefined;
    try {
      child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/alert-worker-child.ts'], {
        env: { ...process.env, REDIS_URL: svc.redis.url, DATA_KEY: svc.dataKey, CONFIG_FILE: join(dir, 'communes.yaml') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
      await until(() => out.includes('STUCK'), 20_000, `the child to freeze mid-job (${out})`);
      // Half done: one alert handed to the outbox, the others not.
      const job = await queueFor(s, ALERTS_QUEUE).getJob(alertJobId(report.code));
      expect(await job?.getState()).toBe('active');
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    // Another worker takes the stalled job over once its lock expires (and the case lock the dead
    // process held, after at most 5 s).
    await start(createAlertsModule({ sweepEveryMs: 0, stalledIntervalMs: 300 }));
    for (const who of [A.officer, A.chair, A.police]) await until(() => deliveredTo(who, report.code).length >= 1, 15_000, `alert to ${who}`);
    expect(await alertJobResult(report.code, 15_000)).toBe('alerted');
    await allSent();
    for (const who of [A.officer, A.chair, A.police]) expect(deliveredTo(who, report.code)).toHaveLength(1);
    const job = await queueFor(s, ALERTS_QUEUE).getJob(alertJobId(report.code));
    expect(job?.stalledCounter ?? job?.attemptsStarted).toBeGreaterThanOrEqual(1);
  });

  it('a Bot API answering 429 and 500 still gets every alert delivered, once', async () => {
    await start(alerts());
    fake.failNext(1, { status: 429, retryAfter: 1 });
    fake.failNext(2, { status: 500 });
    const report = await confirmReport('xa-a', 'P0', 'violence');
    for (const who of [A.officer, A.chair, A.police]) await until(() => deliveredTo(who, report.code).length === 1, 15_000, `alert to ${who}`);
    await allSent(report.code);
    for (const who of [A.officer, A.chair, A.police]) expect(deliveredTo(who, report.code)).toHaveLength(1);
    const failed = fake.callsTo('sendMessage').filter((c) => String(c.payload.text).includes(report.code) && c.status !== 200);
    expect(failed.map((c) => c.status).sort()).toEqual([429, 500, 500]);
  });

  it('a P2 digest job that fails for good puts its codes back, and the next digest carries them', async () => {
    await start(alerts());
    const s = services();
    const redis = svc.redis.client;
    const friday = vn('2026-03-06T18:30:00'); // outside working hours: the regular digest waits for Monday
    setNow(friday);
    const report = await confirmReport('xa-a', 'P2', 'at_risk');
    await until(async () => (await redis.zscore(digestKey('xa-a'), report.code)) !== null, 5000, 'the code waiting for a digest');
    // A waiting code whose report key has the wrong type makes every run of the digest job throw after
    // it has claimed the batch.
    const broken = 'TE-ZZZZZZ';
    await redis.set(reportKey(broken), 'not a hash');
    await redis.zadd(digestKey('xa-a'), 0, broken);
    const failing = await queueFor(s, ALERTS_QUEUE).add('digest', { kind: 'digest', communeId: 'xa-a', slot: 1 }, { jobId: digestJobId('xa-a', 1), attempts: 2, backoff: { type: 'fixed', delay: 50 } });
    await until(async () => (await failing.getState()) === 'failed', 10_000, 'the digest job to fail for good');
    await until(async () => (await redis.zscore(digestKey('xa-a'), report.code)) !== null, 5000, 'the code back in the waiting set');
    expect(await restoreDigestBatch(s, 'xa-a', digestBatchId(failing))).toBe(0); // the failed batch was already given back
    expect(deliveredTo(A.officer, report.code)).toHaveLength(0);

    await redis.del(reportKey(broken));
    const monday = vn('2026-03-09T07:30:00');
    const next = await queueFor(s, ALERTS_QUEUE).getJob(digestJobId('xa-a', monday));
    expect(next?.data).toEqual({ kind: 'digest', communeId: 'xa-a', slot: monday }); // still scheduled: the failure re-scheduled the same slot
    setNow(monday);
    expect(await processDigest(s, 'xa-a', digestBatchId(next!))).toBe(1);
    await until(() => deliveredTo(A.officer, report.code).length === 1, 5000, 'the code in the next digest');
    await next!.remove();
    await failing.remove();
  });
});

describe('processors called directly', () => {
  it('the alert processor does nothing for a case already taken', async () => {
    const s = services();
    const report = await s.cases.create(
      { communeId: 'xa-a', category: 'violence', urgency: 'P1', alertRoles: ['officer'], village: 'Thôn Nà Ca', inDanger: 'no', channel: 'telegram', details: { description: DESCRIPTION, child: {}, reporter: { identity: `telegram:${CITIZEN}` }, attachments: [] } },
      s.now(),
    );
    await s.cases.take(report.code, `telegram:${A.officer}`, s.now());
    expect(await processReportAlert(s, report.code)).toBe('skipped');
    await allSent();
    expect(deliveredTo(A.officer, report.code)).toHaveLength(0);
  });
});

describe('nobody left unaware', () => {
  const kinds = async (code: string) => (await services().cases.timeline(code)).map((e) => e.kind);

  it('the only officer blocked the bot: the P1 goes on to the chair at once, the skip in the timeline', async () => {
    await start(alerts(), createEscalationModule());
    fake.blockChat(D.officer);
    try {
      const report = await confirmReport('xa-d', 'P1', 'neglect');
      // The chain's wait is 240 minutes: only the skip can bring the chair in within the test.
      await until(() => deliveredTo(D.chair, report.code).some((c) => String(c.payload.text).includes('CHUYỂN TIẾP')), 8000, 'the chair alerted after the skip');
      const toChair = deliveredTo(D.chair, report.code).find((c) => String(c.payload.text).includes('CHUYỂN TIẾP'))!;
      expect(buttons(toChair)).toEqual([{ text: 'Tiếp nhận', callback_data: `ack:${report.code}` }]);
      expectNoPersonalData(toChair);
      expect(deliveredTo(D.officer, report.code)).toHaveLength(0);
      expect(await kinds(report.code)).toContain('skipped');
      const skip = (await services().cases.timeline(report.code)).find((e) => e.kind === 'skipped')!;
      expect(skip.text).toContain('Cán bộ bảo vệ trẻ em');
      expect(skip.text).not.toContain(String(D.officer));
      // Somebody reachable holds the alert now: nobody further is told.
      await allSent();
      expect(deliveredTo(D.province, report.code)).toHaveLength(0);
      expect(await say(D.chair, `/nhan ${report.code}`)).toContain('✅');
    } finally {
      fake.unblockChat(D.officer);
      await services().outbox.markReachable({ channel: 'telegram', chatId: String(D.officer) });
    }
  });

  it('a P1 nobody acknowledges escalates along its own chain after its own time', async () => {
    await start(alerts());
    const s = services();
    const t0 = vn('2026-03-10T09:00:00');
    setNow(t0);
    const report = await confirmReport('xa-a', 'P1', 'neglect');
    await until(() => deliveredTo(A.officer, report.code).length === 1, 5000, 'first alert');
    setNow(t0 + 240 * 60_000);
    expect(await processEscalation(s, { code: report.code, step: 1 })).toBe('escalated');
    const realert = (chat: number) => deliveredTo(chat, report.code).filter((c) => String(c.payload.text).includes('NHẮC LẦN 1'));
    for (const who of [A.officer, A.chair]) await until(() => realert(who).length === 1, 5000, `P1 step 1 to ${who}`);
    expect(String(realert(A.chair)[0]!.payload.text)).toContain('mức cao chưa có ai tiếp nhận sau 240 phút');
    await allSent();
    expect(realert(A.police)).toHaveLength(0);
    expect(await kinds(report.code)).toContain('escalated');
  });

  it('nobody reachable at all: the province and the admins are told, and the next round tries everyone again', async () => {
    await start(alerts(), createEscalationModule());
    const s = services();
    fake.blockChat(D.officer);
    fake.blockChat(D.chair);
    try {
      const report = await confirmReport('xa-d', 'P1', 'neglect');
      const sos = (chat: number) => deliveredTo(chat, report.code).filter((c) => String(c.payload.text).includes('chưa báo được cho ai'));
      await until(() => sos(D.province).length === 1 && sos(D.admin).length === 1, 10_000, 'province and admin told');
      expect(String(sos(D.admin)[0]!.payload.text)).toContain('0208 3851 111');
      expectNoPersonalData(sos(D.province)[0]!);
      const skips = (await s.cases.timeline(report.code)).filter((e) => e.kind === 'skipped');
      expect(skips.length).toBeGreaterThanOrEqual(2);
      // The next round waits the chain's own time; the chair unblocks the bot meanwhile.
      const round = await queueFor(s, ESCALATION_QUEUE).getJob(escalationJobId(report.code, 2));
      expect(round?.opts.delay).toBeGreaterThan(239 * 60_000);
      await round!.remove();
      fake.unblockChat(D.chair);
      expect(await processEscalation(s, { code: report.code, step: 2 })).toBe('escalated');
      await until(() => deliveredTo(D.chair, report.code).some((c) => String(c.payload.text).includes('THỬ LẠI LẦN 1')), 5000, 'the chair reached again, though marked unreachable');
      await allSent();
      expect(sos(D.admin)).toHaveLength(1); // told once, not every round
      expect(await say(D.chair, `/nhan ${report.code}`)).toContain('✅');
    } finally {
      fake.unblockChat(D.officer);
      fake.unblockChat(D.chair);
      for (const chat of [D.officer, D.chair]) await s.outbox.markReachable({ channel: 'telegram', chatId: String(chat) });
    }
  });

  it('a report confirmed before any officer exists reaches the first officer who registers', async () => {
    await start(alerts(), createEscalationModule());
    const s = services();
    const report = await confirmReport('xa-e', 'P1', 'neglect');
    await until(() => deliveredTo(E.admin, report.code).length >= 1, 5000, 'the admin told nobody holds the role');
    const invite = await s.roles.createInvite({ communeId: 'xa-e', role: 'officer', ttlDays: 1, createdBy: 'test' });
    expect(await say(E.newcomer, `/dangky ${invite.code}`)).toContain('Đăng ký thành công');
    await until(() => deliveredTo(E.newcomer, report.code).length === 1, 5000, 'the new officer alerted');
    const alert = deliveredTo(E.newcomer, report.code)[0]!;
    expect(String(alert.payload.text)).toContain('trước khi bạn đăng ký');
    expect(buttons(alert)).toEqual([{ text: 'Tiếp nhận', callback_data: `ack:${report.code}` }]);
    expect(await press(E.newcomer, `ack:${report.code}`)).toContain('✅');
  });
});

describe('access ends when a role ends', () => {
  const NAMES = 'Cháu tên là Lò Thị Mai, nhà ông Hoàng Văn Báo';

  it('a revoked officer gets no addition with names; the case goes back, another officer takes it, a chair can give it on', async () => {
    await start(alerts());
    const s = services();
    const report = await confirmReport('xa-f', 'P1', 'neglect');
    await until(() => deliveredTo(F.officer, report.code).length === 1, 5000, 'alert');
    expect(await say(F.officer, `/nhan ${report.code}`)).toContain('✅');
    expect(await say(F.officer, `/capnhat ${report.code} đánh giá`)).toContain('✅');
    await s.roles.revoke(`telegram:${F.officer}`, 'test');

    // The attacker's hope: the case still names them as holder, so the reporter's addition is queued for them.
    await say(CITIZEN, `bổ sung ${report.code} ${NAMES}`);
    await allSent();
    const toRevoked = () => fake.delivered().filter((c) => String(c.payload.chat_id) === String(F.officer));
    expect(toRevoked().filter((c) => String(c.payload.text).includes('Lò Thị Mai'))).toHaveLength(0);
    expect((await s.outbox.listDeadLetters('xa-f')).some((d) => d.reason === 'not_staff')).toBe(true);

    // The sweep hands the case back: the chain is told, and /nhan works though it is past "new".
    await sweep(s);
    const back = (chat: number) => deliveredTo(chat, report.code).filter((c) => String(c.payload.text).includes('cần người tiếp nhận lại'));
    await until(() => back(F.officer2).length === 1 && back(F.chair).length === 1, 5000, 'handed back to the chain');
    expect(back(F.officer)).toHaveLength(0);
    expect((await s.cases.get(report.code))?.assignee).toBeUndefined();
    expect(await say(F.officer2, `/nhan ${report.code}`)).toContain('tiếp nhận lại');
    expect((await s.cases.get(report.code))?.status).toBe('assessing');

    // Additions now go to whoever holds it.
    await say(CITIZEN, `bổ sung ${report.code} cháu đã về nhà bà`);
    await until(() => deliveredTo(F.officer2, report.code).some((c) => String(c.payload.text).includes('cháu đã về nhà bà')), 5000, 'addition to the new holder');

    // The chair gives it on: someone without a role is not found; once an officer again, they are.
    expect(await say(F.chair, `/giao ${report.code} an`)).toContain('Không tìm thấy');
    await s.roles.assign({ identity: `telegram:${F.officer}`, communeId: 'xa-f', role: 'officer', name: 'Nguyễn Văn An', since: Date.now() }, 'test');
    expect(await say(F.chair, `/giao ${report.code} an`)).toContain('Đã giao');
    expect((await s.cases.get(report.code))?.assignee).toBe(`telegram:${F.officer}`);
    await until(() => deliveredTo(F.officer, report.code).some((c) => String(c.payload.text).includes('đã giao vụ việc')), 5000, 'the new holder told');
    expect(await say(F.officer2, `/giao ${report.code} an`)).toContain('Chỉ Lãnh đạo UBND xã');
    const k = (await s.cases.timeline(report.code)).map((e) => e.kind);
    expect(k).toEqual(expect.arrayContaining(['handed_back', 'reassigned']));
  });
});
