/**
 * The lifecycle after acknowledgement, by chat on the local channel against the real runtime, a real
 * redis-server, the real outbox workers and the follow-up job module: a referral is followed up until the
 * case is closed, a closed case can be reopened with a reason, the chair approves the support plan, the
 * holder asks the anonymous reporter a question and gets the answer, the reporter corrects a detail.
 */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '../src/config/communes.js';
import type { OutgoingMessage } from '../src/messaging/message.js';
import { FOLLOW_UP_QUEUE, followUpJobId } from '../src/actions/follow-up.js';
import { startWorkers, type RunningWorkers } from '../src/app/workers.js';
import { clockStopped } from '../src/jobs/clocks.js';
import { createFollowUpModule, processFollowUp } from '../src/jobs/follow-up.js';
import type { ReportDetails, ReportSummary } from '../src/store/reports.js';
import { Inbox, LocalChatUser } from './helpers/local-chat.js';
import { startService, type TestService } from './helpers/service.js';
import { until } from './helpers/wait.js';

let svc: TestService;
let workers: RunningWorkers;
let followUps: Queue;

const user = (id: string) => new LocalChatUser(() => svc.app, id);
const joined = (rs: OutgoingMessage[]) => rs.map((r) => r.text).join('\n---\n');
const services = () => svc.runtime.services;

async function giveRole(id: string, role: StaffRole, name?: string): Promise<LocalChatUser> {
  await services().roles.assign({ identity: `local:${id}`, communeId: 'bao-linh', role, name, since: Date.now() }, 'test');
  return user(id);
}

async function newReport(reporter: string, contact = false): Promise<ReportSummary> {
  const details: ReportDetails = {
    description: 'Cháu bé hàng xóm hay bị bố đánh',
    child: { age: '8', sex: 'nu' },
    reporter: { identity: `local:${reporter}`, ...(contact ? { name: 'Nguyễn Văn Bình', phone: '0912345678' } : {}) },
    attachments: [],
  };
  return services().cases.create({ communeId: 'bao-linh', category: 'violence', urgency: 'P1', alertRoles: ['officer'], village: 'Thôn Nà Ca', inDanger: 'no', channel: 'local', details });
}

beforeAll(async () => {
  svc = await startService();
  workers = await startWorkers(svc.runtime, [createFollowUpModule()]);
  followUps = new Queue(FOLLOW_UP_QUEUE, { connection: svc.redis.client.duplicate() });
});
afterAll(async () => {
  await workers?.close();
  await followUps?.close();
  await svc?.stop();
});

describe('referral', () => {
  it('referral → follow-up reminder to the holder → close with the outcome; the reporter hears "chuyển cơ quan chức năng", then "xử lý xong"; reopening needs a reason', async () => {
    const cb = await giveRole('ref-cb', 'officer', 'Lò Văn An');
    const holder = new Inbox(user('ref-cb'));
    const reporter = new Inbox(user('ref-dan'));
    const r = await newReport('ref-dan');
    await services().cases.take(r.code, 'local:ref-cb');

    const referred = joined(await cb.say(`/chuyen ${r.code} Công an huyện; hẹn 20/12`));
    expect(referred).toContain('Đã chuyển vụ việc');
    expect(referred).toContain('07:30 20/12');
    const markers = await services().cases.markers(r.code);
    const after = await services().cases.get(r.code);
    expect(after?.status).toBe('referred');
    expect(markers.followUpAt).toBeGreaterThan(Date.now());
    await reporter.waitFor('chuyển tới cơ quan chức năng');
    expect(reporter.count('xử lý xong')).toBe(0);

    // The reminder is a real delayed job at the follow-up date; promoted, the real worker runs it.
    const job = await followUps.getJob(followUpJobId({ code: r.code, referredAt: markers.referredAt!, n: 1 }));
    expect(job?.opts.delay).toBeGreaterThan(markers.followUpAt! - Date.now() - 60_000);
    await job!.promote();
    const reminder = await holder.waitFor('Đến hẹn theo dõi', 'follow-up reminder');
    expect(reminder.text).toContain('Công an huyện');
    expect(reminder.text).toContain(`/dong ${r.code}`);
    await until(async () => Boolean(await followUps.getJob(followUpJobId({ code: r.code, referredAt: markers.referredAt!, n: 2 }))), 10_000, 'next follow-up scheduled');
    expect((await services().cases.timeline(r.code)).filter((e) => e.kind === 'follow_up')).toHaveLength(1);

    expect(joined(await cb.say(`/dong ${r.code} Công an huyện đã xử lý, cháu an toàn`))).toContain('Đã đóng vụ việc');
    expect((await services().cases.get(r.code))?.status).toBe('closed');
    await reporter.waitFor('đã được xử lý xong');
    // A later reminder of that referral does nothing once the case is closed.
    expect(await processFollowUp(services(), { code: r.code, referredAt: markers.referredAt!, n: 2 })).toBe('stopped');

    expect(joined(await cb.say(`/capnhat ${r.code} đánh giá`))).toContain('/molai');
    expect(joined(await cb.press(`case:reopen:${r.code}`))).toContain('Vì sao mở lại');
    expect(joined(await cb.say('Cháu lại bị đánh tuần này'))).toContain('Đã mở lại vụ việc');
    const reopened = await services().cases.get(r.code);
    expect(reopened?.status).toBe('assessing');
    expect(reopened?.assignee).toBe('local:ref-cb');
    expect((await services().cases.markers(r.code)).closedAt).toBeUndefined();
    expect((await services().cases.timeline(r.code)).find((e) => e.kind === 'reopened')?.text).toBe('Cháu lại bị đánh tuần này');
    // The reporter, told it was over, hears it was reopened; closed again, they hear it again.
    await reporter.waitFor('mở lại');
    expect(joined(await cb.say(`/dong ${r.code} Đã làm việc với gia đình`))).toContain('Đã đóng vụ việc');
    await until(async () => (await reporter.read()).filter((m) => m.text.includes('đã được xử lý xong')).length === 2, 10_000, 'the second closing notice');
    expect(reporter.count('mở lại')).toBe(1);
  });
});

describe('support plan', () => {
  it('the officer submits the plan, the chair approves it by chat, the plan clock stops; only the chair can approve', async () => {
    const cb = await giveRole('plan-cb', 'officer', 'Hà Thị Lan');
    const chair = await giveRole('plan-chair', 'chair', 'Vàng Văn Sáng');
    const chairInbox = new Inbox(user('plan-chair'));
    const cbInbox = new Inbox(user('plan-cb'));
    const r = await newReport('plan-dan');
    await services().cases.take(r.code, 'local:plan-cb');
    await cb.say(`/capnhat ${r.code} đánh giá`);
    expect(joined(await cb.say(`/duyet ${r.code}`))).toContain('Lãnh đạo UBND xã duyệt');

    // typed as people say it: "trình kế hoạch <code>: …" is /trinhduyet
    expect(joined(await cb.say(`trinh ke hoach ${r.code.slice(3).toLowerCase()}: thăm gia đình hằng tuần, tư vấn cho bố mẹ`))).toContain('Đã trình kế hoạch');
    const asked = await chairInbox.waitFor('trình duyệt kế hoạch', 'plan to the chair');
    expect(asked.text).toContain('Cán bộ bảo vệ trẻ em Hà Thị Lan');
    expect(asked.text).not.toContain('local:');
    expect(asked.choices?.map((c) => c.value)).toEqual([`case:approve:${r.code}`]);

    expect(joined(await chair.press(`case:approve:${r.code}`))).toContain('Đã duyệt kế hoạch');
    const state = { report: (await services().cases.get(r.code))!, markers: await services().cases.markers(r.code) };
    expect(state.report.status).toBe('plan_approved');
    expect(clockStopped(state, 'plan')).toBe('plan approved');
    const told = await cbInbox.waitFor('đã duyệt kế hoạch', 'approval to the holder');
    expect(told.text).toContain('Lãnh đạo UBND xã Vàng Văn Sáng');
    expect(joined(await cb.say(`/capnhat ${r.code} hỗ trợ`))).toContain('Đang hỗ trợ, can thiệp');
  });
});

describe('talking to the reporter', () => {
  it('the holder asks the anonymous reporter as "Cán bộ xã"; the answer reaches the timeline and the holder; nobody else may ask', async () => {
    const cb = await giveRole('ask-cb', 'officer', 'Lò Văn Khánh');
    const other = await giveRole('ask-other', 'officer');
    const cbInbox = new Inbox(user('ask-cb'));
    const dan = user('ask-dan');
    const danInbox = new Inbox(dan);
    const r = await newReport('ask-dan');
    await services().cases.take(r.code, 'local:ask-cb');
    expect(joined(await cb.say(`/xem ${r.code}`))).toContain('ẩn danh');
    expect(joined(await other.say(`/hoi ${r.code} nhà cháu ở đâu?`))).toContain('Chỉ người đang giữ vụ việc');

    expect(joined(await cb.say(`/hoi ${r.code} Cháu học lớp mấy, trường nào?`))).toContain('Đã gửi câu hỏi');
    const q = await danInbox.waitFor('Cán bộ xã hỏi thêm', 'question to the reporter');
    expect(q.text).toContain('Cháu học lớp mấy, trường nào?');
    for (const hidden of ['Khánh', 'local:', 'ask-cb', 'Cán bộ bảo vệ trẻ em']) expect(q.text).not.toContain(hidden);

    expect(joined(await dan.say(`tra loi ${r.code} chau hoc lop 3 truong Na Ca`))).toContain('Câu trả lời');
    const a = await cbInbox.waitFor('Người báo trả lời', 'answer to the holder');
    expect(a.text).toContain('chau hoc lop 3 truong Na Ca');
    const timeline = await services().cases.timeline(r.code);
    expect(timeline.find((e) => e.kind === 'reporter_question')).toMatchObject({ actor: 'local:ask-cb', text: 'Cháu học lớp mấy, trường nào?' });
    expect(timeline.find((e) => e.kind === 'reporter_answer')).toMatchObject({ actor: 'reporter', text: 'chau hoc lop 3 truong Na Ca' });
    // still anonymous to the officer
    expect(joined(await cb.say(`/xem ${r.code}`))).toContain('ẩn danh');
  });

  it('the reporter corrects a field of the confirmed report; the old value stays in the timeline', async () => {
    await giveRole('fix-cb', 'officer');
    const cbInbox = new Inbox(user('fix-cb'));
    const dan = user('fix-dan');
    const r = await newReport('fix-dan', true);
    await services().cases.take(r.code, 'local:fix-cb');
    expect(joined(await dan.say(`sửa ${r.code} tuổi: 9`))).toContain('Đã sửa');
    expect((await services().cases.openDetails(r.code))?.child.age).toBe('9');
    expect((await services().cases.timeline(r.code)).find((e) => e.kind === 'reporter_correction')?.text).toBe('Tuổi của trẻ: "8" → "9"');
    await cbInbox.waitFor('Người báo sửa thông tin', 'correction to the holder');

    expect(joined(await dan.say(`sua ${r.code} thon: ban pieng`))).toContain('Đã sửa');
    expect((await services().cases.get(r.code))?.village).toBe('Thôn Bản Piềng');
    expect(joined(await dan.say(`sửa ${r.code} thôn: Hà Nội`))).toContain('Không tìm thấy thôn');
    expect(joined(await dan.say(`sửa ${r.code} màu áo: đỏ`))).toContain('Bạn muốn sửa mục nào');
    // someone else's report: the "not found or not yours" answer
    expect(joined(await user('fix-stranger').say(`sửa ${r.code} tuổi: 3`))).not.toContain('Đã sửa');
    expect((await services().cases.openDetails(r.code))?.child.age).toBe('9');
  });
});
