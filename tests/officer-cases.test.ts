/**
 * Case handling by chat on the local channel, against the real runtime, a real redis-server and the
 * real outbox workers: officers list, view, note, move, refer and close cases of their own commune only;
 * reporters hear the coarse status once per change and can add information; undelivered messages are
 * listed and announced. One file (about 350 lines) because every test shares one runtime with two
 * communes, started once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '../src/config/communes.js';
import type { OutgoingMessage } from '../src/messaging/message.js';
import { announceDeadLetter } from '../src/actions/dead-letter-notices.js';
import { outboxQueueName } from '../src/actions/outbox/contract.js';
import { startWorkers, type RunningWorkers } from '../src/app/workers.js';
import type { ReportDetails, ReportSummary } from '../src/store/reports.js';
import { Inbox, LocalChatUser } from './helpers/local-chat.js';
import { startService, type TestService } from './helpers/service.js';
import { twoCommunesConfig } from './helpers/communes.js';
import { until } from './helpers/wait.js';
import { keysHoldingAll } from './helpers/redis-dump.js';


let svc: TestService;
let workers: RunningWorkers;
let localQueue: Queue;
let dir: string;

const user = (id: string) => new LocalChatUser(() => svc.app, id);
const joined = (rs: OutgoingMessage[]) => rs.map((r) => r.text).join('\n---\n');
const services = () => svc.runtime.services;

async function giveRole(id: string, communeId: string, role: StaffRole): Promise<LocalChatUser> {
  await services().roles.assign({ identity: `local:${id}`, communeId, role, since: Date.now() }, 'test');
  return user(id);
}

async function newReport(opts: { communeId?: string; reporter: string; childName?: string; description?: string; ageMs?: number; self?: boolean; village?: string }): Promise<ReportSummary> {
  const details: ReportDetails = {
    description: opts.description ?? 'Cháu bé hàng xóm hay bị bố đánh, có vết bầm trên tay',
    when: 'Hôm qua',
    child: { name: opts.childName ?? 'Lò Thị Mai', age: '8', sex: 'nu' },
    reporter: { identity: `local:${opts.reporter}`, name: 'Nguyễn Văn Bình', phone: '0912345678', ...(opts.self && { self: true }) },
    attachments: [{ kind: 'photo', ref: 'photo-1' }],
  };
  const communeId = opts.communeId ?? 'bao-linh';
  return services().cases.create(
    { communeId, category: 'violence', urgency: 'P1', alertRoles: ['officer'], village: opts.village ?? (communeId === 'bao-linh' ? 'Thôn Nà Ca' : 'Thôn Hà Liệt'), inDanger: 'no', channel: 'local', details },
    Date.now() - (opts.ageMs ?? 0),
  );
}

/** Nothing waiting, delayed or running in the local outbox: every delivery (and its hooks) is done. */
async function outboxIdle(): Promise<void> {
  await until(async () => {
    const c = await localQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused');
    return Object.values(c).every((n) => n === 0);
  }, 20_000, 'the local outbox to be idle');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'officer-cases-'));
  const config = twoCommunesConfig(dir);
  svc = await startService({ CONFIG_FILE: config });
  // The outbox only: alert and clock jobs are tested on their own and would add messages here.
  workers = await startWorkers(svc.runtime, []);
  localQueue = new Queue(outboxQueueName('local'), { connection: svc.redis.client.duplicate() });
});

afterAll(async () => {
  await workers?.close();
  await localQueue?.close();
  await svc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('who may use officer commands', () => {
  it('a citizen or village head gets a polite refusal, and typed look-alikes reveal nothing', async () => {
    const r = await newReport({ reporter: 'dan-who', childName: 'Hà Văn Tú' });
    const dan = user('dan-outsider');
    for (const cmd of ['/vuviec', `/xem ${r.code}`, `/ghichu ${r.code} abc`, `/dong ${r.code} xong`, '/loigui']) {
      expect(joined(await dan.say(cmd)), cmd).toContain('chỉ dành cho cán bộ');
    }
    const typed = joined(await dan.say(`xem ${r.code}`));
    expect(typed).not.toContain('Hà Văn Tú');
    expect(typed).not.toContain('bị bố đánh');
    const head = await giveRole('th-who', 'bao-linh', 'village_head');
    expect(joined(await head.say('/vuviec'))).toContain('chỉ dành cho cán bộ');
    // /help stays the citizen menu for them
    const help = joined(await dan.say('/help'));
    expect(help).toContain('/baocao');
    expect(help).not.toContain('/vuviec');
    expect((await services().audit.forSubject(r.code)).some((e) => e.action === 'report.view')).toBe(false);
  });

  it('/help and /huongdan show staff their commands', async () => {
    const cb = await giveRole('cb-help', 'bao-linh', 'officer');
    for (const cmd of ['/help', '/huongdan', 'hướng dẫn']) {
      const text = joined(await cb.say(cmd));
      expect(text, cmd).toContain('/vuviec');
      expect(text, cmd).toContain('/dong MÃ kết quả');
      expect(text, cmd).toContain('/loigui');
    }
    const tinh = await giveRole('tinh-help', 'bao-linh', 'province');
    const provinceHelp = joined(await tinh.say('/huongdan'));
    expect(provinceHelp).toContain('/xem MÃ');
    expect(provinceHelp).not.toContain('/dong');
  });
});

describe('listing and viewing', () => {
  it('/vuviec lists open cases of the commune without personal data', async () => {
    const cb = await giveRole('cb-list', 'bao-linh', 'officer');
    const a = await newReport({ reporter: 'dan-list', childName: 'Đinh Thị Lan', ageMs: 2 * 3600_000 + 60_000 });
    const b = await newReport({ communeId: 'minh-long', reporter: 'dan-list-b' });
    const closed = await newReport({ reporter: 'dan-list' });
    await services().cases.take(closed.code, 'local:cb-list');
    await services().cases.setStatus(closed.code, 'closed', 'local:cb-list', Date.now(), 'xong');

    const list = joined(await cb.say('/vuviec'));
    const line = list.split('\n').findIndex((l) => l.includes(a.code));
    expect(line, list).toBeGreaterThanOrEqual(0);
    const entry = list.split('\n').slice(line, line + 2).join('\n');
    for (const part of ['Cao', 'Bạo lực, đánh đập', 'Thôn Nà Ca', '2 giờ 1 phút trước', 'Mới', 'chưa có ai nhận']) expect(entry).toContain(part);
    expect(list).not.toContain(b.code);
    expect(list).not.toContain(closed.code);
    for (const secret of ['Đinh Thị Lan', 'bị bố đánh', '0912345678', 'Nguyễn Văn Bình']) expect(list).not.toContain(secret);
    // typed without slash or diacritics, or asked in words
    expect(joined(await cb.say('vu viec'))).toContain(a.code);
    expect(joined(await cb.say('hôm nay có vụ nào mới không'))).toContain(a.code);
    expect(joined(await user('dan-list-c').say('hôm nay có vụ nào mới không'))).not.toContain(a.code);
  });

  it('/xem shows the full case to staff of the commune, audit-logged, with next steps as buttons', async () => {
    const cb = await giveRole('cb-view', 'bao-linh', 'officer');
    const r = await newReport({ reporter: 'dan-view', childName: 'Vi Thị Hoa' });
    const [reply] = await cb.say(`/xem ${r.code}`);
    for (const part of ['Vi Thị Hoa', '8', 'nữ', 'bị bố đánh', 'Hôm qua', 'Nguyễn Văn Bình, 0912345678', 'Tệp đính kèm: 1', 'Diễn biến']) {
      expect(reply!.text).toContain(part);
    }
    expect(reply!.choices?.map((c) => c.value)).toContain(`ack:${r.code}`);
    const views = (await services().audit.forSubject(r.code)).filter((e) => e.action === 'report.view');
    expect(views).toEqual([expect.objectContaining({ actor: 'local:cb-view' })]);

    // typed, lower case, without the dash
    expect(joined(await cb.say(`xem ${r.code.toLowerCase().replace('-', ' ')}`))).toContain('Vi Thị Hoa');
    // the chair and police handle cases too; the province reads but does not act
    const chair = await giveRole('ct-view', 'bao-linh', 'chair');
    expect(joined(await chair.say(`/xem ${r.code}`))).toContain('Vi Thị Hoa');
    const tinh = await giveRole('tinh-view', 'bao-linh', 'province');
    const [provinceView] = await tinh.say(`/xem ${r.code}`);
    expect(provinceView!.text).toContain('Vi Thị Hoa');
    expect(provinceView!.text).not.toContain('0912345678'); // the reporter's contact is for handlers only
    expect(provinceView!.choices ?? []).toEqual([]);
    expect(joined(await tinh.say(`/ghichu ${r.code} đã xem`))).toContain('chỉ được xem');
    // ...unless the province took the case itself (an escalated emergency it acknowledged)
    const own = await newReport({ reporter: 'dan-tinh-own' });
    expect((await services().cases.take(own.code, 'local:tinh-view')).result).toBe('taken');
    expect(joined(await tinh.say(`/ghichu ${own.code} đã gọi cho xã`))).toContain('Đã ghi chú');
    expect((await services().audit.forSubject(r.code)).filter((e) => e.action === 'report.view')).toHaveLength(4);
  });

  it('takes a code typed without "TE-", as read off another screen, right after the command\'s words', async () => {
    const cb = await giveRole('cb-bare', 'bao-linh', 'officer');
    const r = await newReport({ reporter: 'dan-bare', childName: 'Lò Thị Mai' });
    const bare = r.code.slice(3);
    expect(joined(await cb.say(`xem vụ ${bare.toLowerCase()}`))).toContain('Lò Thị Mai');
    expect(joined(await cb.say(`/xem ${bare}`))).toContain('Lò Thị Mai');
    expect(joined(await cb.say(`nhận ${bare}`))).toContain('Bạn đã tiếp nhận');
    expect(joined(await cb.say(`/ghichu ${bare} đã gọi cho mẹ cháu`))).toContain('Đã ghi chú');
    // a word that looks like a code is looked up as one, and not found; it is never another case
    expect(joined(await cb.say('xem NGUYEN'))).toContain('Không tìm thấy');
  });

  it('takes the code first and the command\'s words after it; a record of work after a code stays a record, never a step', async () => {
    const cb = await giveRole('cb-code-first', 'bao-linh', 'officer');
    const r = await newReport({ reporter: 'dan-code-first' });
    await services().cases.take(r.code, 'local:cb-code-first');
    expect(joined(await cb.say(`vụ ${r.code.slice(3)} chuyển sang xác minh`))).toContain('Đang xác minh, đánh giá');
    expect((await services().cases.get(r.code))?.status).toBe('assessing');
    expect(joined(await cb.say(`${r.code} đã quyết định biện pháp khẩn cấp: báo công an xã, gặp gia đình`))).toContain('Đã ghi biện pháp khẩn cấp');
    expect((await services().cases.markers(r.code)).emergencyActionAt).toBeGreaterThan(0);
    // "đã xem xét", "hỗ trợ gia đình làm giấy tờ" tell work done: no step is taken
    for (const record of [`${r.code} đã xem xét, ngày mai gặp nhà trường`, `${r.code} hỗ trợ gia đình làm giấy tờ`]) {
      expect(joined(await cb.say(record)), record).not.toContain('✅ Vụ việc');
      expect((await services().cases.get(r.code))?.status, record).toBe('assessing');
    }
  });

  it('a command without its code offers the cases it may mean as buttons, and does nothing until one is pressed', async () => {
    const cb = await giveRole('cb-pick', 'bao-linh', 'officer');
    const older = await newReport({ reporter: 'dan-pick', ageMs: 60_000 });
    const r = await newReport({ reporter: 'dan-pick-2', childName: 'Lý Thị Nga' });
    const [offer] = await cb.say('dạ em nhận vụ này nhé');
    expect(offer!.text).toContain('tiếp nhận vụ nào');
    // the example of the command is a case of the list, never a made-up code
    expect(offer!.text).toContain(`/nhan ${r.code}`);
    const values = offer!.choices?.map((c) => c.value) ?? [];
    // newest first; the label tells the case apart without personal data
    expect(values.indexOf(`ack:${r.code}`)).toBeLessThan(values.indexOf(`ack:${older.code}`));
    expect(offer!.choices?.find((c) => c.value === `ack:${r.code}`)?.label).toContain('Thôn Nà Ca');
    expect(joined([offer!])).not.toContain('Lý Thị Nga');
    expect((await services().cases.get(r.code))?.status).toBe('new');
    expect(joined(await cb.press(`ack:${r.code}`))).toContain('Bạn đã tiếp nhận');
    // a case taken is no longer offered to take; to view, every open case is
    expect((await cb.say('nhận'))[0]!.choices?.map((c) => c.value)).not.toContain(`ack:${r.code}`);
    // as officers type it in chat: "để e nhận vụ này" asks which case; with the code it takes it
    expect((await cb.say('để e nhận vụ này'))[0]!.choices?.map((c) => c.value)).toContain(`ack:${older.code}`);
    // the ack first and the officer's news after it: still the ack
    expect((await cb.say('ok a nhận, a đang qua nhà cháu'))[0]!.choices?.map((c) => c.value)).toContain(`ack:${older.code}`);
    // taking it on in other words ("xử lý", "lo"), with news after it: the cases to take, not a citizen's report
    for (const said of ['ok để a xử lý, a đang đi xuống khuổi tát', 'để em lo vụ này nhé']) {
      const [taking] = await cb.say(said);
      expect(taking!.text, said).toContain('tiếp nhận vụ nào');
      expect(taking!.choices?.map((c) => c.value), said).toContain(`ack:${older.code}`);
    }
    expect(joined(await cb.say(`ok để a nhận ${older.code.slice(3).toLowerCase()} nhé`))).toContain('Bạn đã tiếp nhận');
    expect((await services().cases.get(older.code))?.status).not.toBe('new');
    const [view] = await cb.say('xem vụ này');
    expect(view!.choices?.map((c) => c.value)).toContain(`case:view:${r.code}`);
    expect((await cb.say('để e xem vụ này'))[0]!.choices?.map((c) => c.value)).toContain(`case:view:${r.code}`);
    expect(joined(await cb.say(`cho e xem vụ ${r.code}`))).toContain('Lý Thị Nga');
    expect(joined(await cb.press(`case:view:${r.code}`))).toContain('Lý Thị Nga');
    expect((await cb.say('/ghichu'))[0]!.choices?.map((c) => c.value)).toContain(`case:note:${r.code}`);
    // the slash word typed without its slash; the list's newest cases are a press away
    const [list] = await cb.say('vuviec');
    expect(list!.text).toContain(r.code);
    expect(list!.choices?.map((c) => c.value)).toContain(`case:view:${r.code}`);
    // a citizen's "nhận" or "xem" is theirs: not refused as a staff command
    const dan = user('dan-pick-3');
    for (const t of ['nhận', 'xem']) expect(joined(await dan.say(t)), t).not.toContain('chỉ');
  });

  it('a question or a note with its words but no code ("hỏi người báo xem …", "/hoi …", "ghi chú: …") keeps the words for the case pressed', async () => {
    const cb = await giveRole('cb-ask', 'bao-linh', 'officer');
    const r = await newReport({ reporter: 'dan-ask' });
    expect(joined(await cb.say(`/nhan ${r.code}`))).toContain('Bạn đã tiếp nhận');
    // It got "Anh/chị muốn xem vụ nào?" and the question was lost.
    const [offer] = await cb.say('hỏi người báo xem cháu ở nhà số mấy');
    expect(offer!.text).toContain('Hỏi người báo của vụ nào?');
    expect(offer!.choices?.map((c) => c.value)).toContain(r.code);
    expect(joined(await cb.press(r.code))).toContain(`Đã gửi câu hỏi tới người báo vụ việc ${r.code}`);
    const asked = (await services().cases.timeline(r.code)).filter((e) => e.kind === 'reporter_question').map((e) => e.text);
    expect(asked).toEqual(['cháu ở nhà số mấy']);
    // "/hoi" with the question: pressing a case asked for it again.
    await cb.say('/hoi bố cháu có nhà không ạ');
    expect(joined(await cb.press(r.code))).not.toContain('Nhập câu hỏi');
    expect((await services().cases.timeline(r.code)).filter((e) => e.kind === 'reporter_question')).toHaveLength(2);
    await cb.say('ghi chú: đã gọi cho mẹ cháu, chiều nay đến nhà');
    expect(joined(await cb.press(r.code))).not.toContain('Nhập nội dung');
    expect(JSON.stringify(await services().cases.timeline(r.code))).toContain('đã gọi cho mẹ cháu, chiều nay đến nhà');
    // Nothing is sent until a case is pressed: another message passes the offer by.
    await cb.say('hỏi người báo là cháu học lớp mấy');
    await cb.say('vuviec');
    expect((await services().cases.timeline(r.code)).filter((e) => e.kind === 'reporter_question')).toHaveLength(2);
  });

  it('a case named by staff without a command gets its state and next steps, never a citizen\'s answer', async () => {
    const cb = await giveRole('cb-named', 'bao-linh', 'officer');
    const r = await newReport({ reporter: 'dan-named', childName: 'Hà Thị Mơ' });
    for (const t of [`${r.code} sao rồi`, `${r.code.slice(3)} gia đình đã ổn định`]) {
      const [reply] = await cb.say(t);
      expect(reply!.text, t).toContain(`Vụ việc ${r.code} (Bạo lực, đánh đập, Thôn Nà Ca): Mới`);
      expect(reply!.text, t).not.toContain('Hà Thị Mơ');
      expect(reply!.choices?.map((c) => c.value), t).toEqual(expect.arrayContaining([`case:view:${r.code}`, `ack:${r.code}`]));
    }
    expect((await services().cases.get(r.code))?.status).toBe('new');
    // the steps typed as the help names them, with the code
    await cb.press(`ack:${r.code}`);
    expect(joined(await cb.say(`bắt đầu xác minh vụ ${r.code.slice(3)}`))).toContain('Đang xác minh, đánh giá');
    expect((await services().cases.get(r.code))?.status).toBe('assessing');
    // "vụ" or "vụ việc" between the command's words and the code
    expect(joined(await cb.say(`ghi chú vụ việc ${r.code}: đã gặp cô giáo chủ nhiệm`))).toContain('Đã ghi chú');
    expect((await services().cases.timeline(r.code)).find((e) => e.kind === 'note')?.text).toBe('đã gặp cô giáo chủ nhiệm');
    // a case of another commune, or a word that looks like a code, is not theirs: the usual answers
    const other = await newReport({ communeId: 'minh-long', reporter: 'dan-named-2' });
    expect(joined(await cb.say(`${other.code} sao rồi`))).not.toContain(`Vụ việc ${other.code}`);
    expect(joined(await cb.say('nguyen van a'))).not.toContain('Vụ việc');
    // a citizen naming a code gets the reporter's answer
    expect(joined(await user('dan-named-3').say(`${r.code} sao rồi`))).not.toContain('Anh/chị muốn làm gì');
  });

  it('staff words naming no case: a record of work is offered to the cases it may belong to, a question about details offers their views', async () => {
    const cb = await giveRole('cb-unnamed', 'bao-linh', 'officer');
    const r = await newReport({ reporter: 'dan-unnamed' });
    expect((await services().cases.take(r.code, 'local:cb-unnamed')).result).toBe('taken');
    const record = 'ok toi da goi cho chi Hanh, chieu nay se den nha chau';
    const [offer] = await cb.say(record);
    expect(offer!.text).toContain('ghi nội dung này vào diễn biến vụ nào');
    // the case they hold comes first, labelled without personal data
    expect(offer!.choices?.[0]?.value).toBe(r.code);
    expect(offer!.choices?.[0]?.label).not.toContain('Lò Thị Mai');
    expect(await services().cases.timeline(r.code)).not.toContainEqual(expect.objectContaining({ kind: 'note' }));
    expect(joined(await cb.press(r.code))).toContain(`Đã ghi chú vào vụ việc ${r.code}`);
    expect((await services().cases.timeline(r.code)).filter((e) => e.kind === 'note').map((e) => e.text)).toEqual([record]);
    // "Không ghi" writes nothing
    await cb.say('Đã đến nhà cháu, mẹ cháu hứa sẽ đưa cháu đi khám');
    expect(joined(await cb.press('none'))).toContain('không ghi');
    // an offer left unanswered ends with the next message, which is read as it would be without it
    await cb.say('Đã đến nhà cháu lần hai, gia đình hợp tác hơn');
    const next = joined(await cb.say('/vuviec'));
    expect(next).toContain(r.code);
    expect(next).not.toContain('làm dở');
    expect(await services().sessions.get('local:cb-unnamed')).toBeUndefined();
    expect((await services().cases.timeline(r.code)).filter((e) => e.kind === 'note')).toHaveLength(1);
    // a story of another child is a new case: the report starts from the words already sent
    const story = 'vừa thấy bé nhà bên cạnh bị bố đánh chảy máu đầu';
    await cb.say(story);
    const started = joined(await cb.press('new'));
    expect(started).toContain('ghi lại lời kể');
    expect(started).toContain('113');
    await cb.say('huỷ');
    // a question about the case's people offers the views, not the whole help
    for (const q of ['người báo sđt bao nhiêu', 'dia chi nha chau o dau', 'thằng bé tên gì']) {
      const [views] = await cb.say(q);
      expect(views!.text, q).toContain('xem vụ nào');
      expect(views!.choices?.map((c) => c.value), q).toContain(`case:view:${r.code}`);
    }
    // a case nobody has taken yet is offered too, and the note on it offers to take it
    const untaken = await newReport({ reporter: 'dan-unnamed-3' });
    const visit = 'da den nha xac minh, chau co vet bam tim o tay, bo duong thua nhan co danh';
    const [again] = await cb.say(visit);
    expect(again!.choices?.map((c) => c.value)).toContain(untaken.code);
    const [noted] = await cb.press(untaken.code);
    expect(noted!.text).toContain(`Đã ghi chú vào vụ việc ${untaken.code}`);
    expect(noted!.choices?.map((c) => c.value)).toContain(`ack:${untaken.code}`);
    expect((await services().cases.timeline(untaken.code)).filter((e) => e.kind === 'note').map((e) => e.text)).toEqual([visit]);
    expect((await services().cases.get(untaken.code))?.status).toBe('new');
    // a question about a case by its village ("thế nào rồi" ends in "rồi", read as work told): that village's case to view
    const far = await newReport({ reporter: 'dan-unnamed-4', village: 'Thôn Khuổi Tát' });
    const [which] = await cb.say('vụ ở khuổi tát thế nào rồi');
    expect(which!.text).toContain('xem vụ nào');
    expect(which!.choices?.map((c) => c.value)).toEqual([`case:view:${far.code}`]);
    // what the officer is doing now is work told too, not a citizen's report ("đang" read as harm going on)
    const [going] = await cb.say('a đang đi xuống khuổi tát với công an xã');
    expect(going!.text).toContain('ghi nội dung này vào diễn biến vụ nào');
    await cb.press('none');
    // thanks, a question and a citizen's words keep their own answers
    expect(joined(await cb.say('cảm ơn nhé'))).not.toContain('vụ nào');
    expect(joined(await cb.say('hôm nay có họp không?'))).not.toContain('vụ nào');
    expect(joined(await user('dan-unnamed-2').say('toi da goi cho chi Hanh, chieu nay se den nha'))).not.toContain('diễn biến');
  });

  it('an officer of another commune cannot see or touch the case: answered as for an unknown code', async () => {
    const cbB = await giveRole('cb-other', 'minh-long', 'officer');
    const r = await newReport({ reporter: 'dan-iso', childName: 'Sầm Văn Nam' });
    const missing = 'TE-QQQQQQ';
    const notFound = (await cbB.say(`/xem ${missing}`))[0]!.text.replace(missing, 'CODE');
    expect((await cbB.say(`/xem ${r.code}`))[0]!.text.replace(r.code, 'CODE')).toBe(notFound);
    for (const cmd of [`/ghichu ${r.code} ghi thử`, `/capnhat ${r.code} đánh giá`, `/khancap ${r.code} đã làm`, `/chuyen ${r.code} công an`, `/dong ${r.code} xong`]) {
      expect((await cbB.say(cmd))[0]!.text.replace(r.code, 'CODE'), cmd).toBe(notFound);
    }
    expect(await services().cases.timeline(r.code)).toEqual([]);
    expect((await services().cases.get(r.code))?.status).toBe('new');
    expect((await services().audit.forSubject(r.code)).some((e) => e.actor === 'local:cb-other')).toBe(false);
  });
});

describe('handling a case until it is closed', () => {
  it('notes, lifecycle, emergency action and closing land in the timeline; the reporter hears each coarse change once', async () => {
    const cb = await giveRole('cb-life', 'bao-linh', 'officer');
    const reporter = new Inbox(user('dan-life'));
    const r = await newReport({ reporter: 'dan-life' });
    const c = r.code;

    // Acknowledgement (the other feature's /nhan uses this store call) tells the reporter "Đang xử lý".
    expect((await services().cases.take(c, 'local:cb-life')).result).toBe('taken');
    await reporter.waitFor('đang được xử lý', 'in-progress notice');

    expect(joined(await cb.say(`/capnhat ${c} hỗ trợ`))).toContain('Bước tiếp theo là "Đang xác minh, đánh giá"');
    expect(joined(await cb.say(`cap nhat ${c} danh gia`))).toContain('Đang xác minh, đánh giá');
    // a note that happens to contain status words is still a note
    expect(joined(await cb.say(`/ghichu ${c} đã kiểm tra tình trạng của cháu tại nhà`))).toContain('Đã ghi chú');
    // the support plan is approved by the chair before the intervention starts
    expect(joined(await cb.press(`case:intervene:${c}`))).toContain('Lãnh đạo UBND xã duyệt');
    const chair = await giveRole('chair-life', 'bao-linh', 'chair');
    expect(joined(await chair.say(`/duyet ${c}`))).toContain('Đã duyệt kế hoạch');
    // The chair's approval notice reaches the holder through the outbox and may land among the answers.
    expect(joined(await cb.press(`case:intervene:${c}`))).toContain('✅ Vụ việc ' + c + ': Đang hỗ trợ, can thiệp.');
    expect(joined(await cb.say(`/capnhat ${c} đánh giá`))).toContain('Không chuyển được');
    expect((await services().cases.get(c))?.status).toBe('intervening');

    // a note by button: the service asks for the words
    expect(joined(await cb.press(`case:note:${c}`))).toContain('Nhập nội dung ghi chú');
    expect(joined(await cb.say('Đã gặp mẹ của cháu, gia đình hợp tác'))).toContain('Đã ghi chú');

    expect(joined(await cb.say(`khẩn cấp ${c}: đã đưa cháu về nhà bà ngoại`))).toContain('biện pháp khẩn cấp');
    expect((await services().cases.markers(c)).emergencyActionAt).toBeGreaterThan(0);

    expect(joined(await cb.say(`/dong ${c}`))).toContain('Kết quả xử lý');
    expect(joined(await cb.say('Cháu đã an toàn, gia đình cam kết không đánh con'))).toContain('Đã đóng vụ việc');
    expect((await services().cases.get(c))?.status).toBe('closed');
    expect(joined(await cb.say(`/capnhat ${c} hỗ trợ`))).toContain('đã kết thúc');

    const timeline = await services().cases.timeline(c);
    const kinds = timeline.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['acknowledged', 'status', 'note', 'emergency_action', 'closed', 'reporter_notified']));
    expect(timeline.filter((e) => e.kind === 'status').map((e) => e.text)).toEqual(['assessing', 'intervening']);
    expect(timeline.filter((e) => e.kind === 'plan_approved').map((e) => e.actor)).toEqual(['local:chair-life']);
    expect(timeline.find((e) => e.kind === 'closed')?.text).toBe('Cháu đã an toàn, gia đình cam kết không đánh con');
    expect(timeline.filter((e) => e.kind === 'note').map((e) => e.text)).toEqual(['đã kiểm tra tình trạng của cháu tại nhà', 'Đã gặp mẹ của cháu, gia đình hợp tác']);

    await reporter.waitFor('đã được xử lý xong', 'done notice');
    await outboxIdle();
    await reporter.read();
    expect(reporter.count('đang được xử lý')).toBe(1);
    expect(reporter.count('đã được xử lý xong')).toBe(1);
    expect(reporter.all).toHaveLength(2);
    const seen = reporter.all.map((m) => m.text).join('\n');
    for (const secret of ['bà ngoại', 'kiểm tra tình trạng', 'gia đình hợp tác', 'an toàn']) expect(seen).not.toContain(secret);

    // the view shows the whole story
    const view = joined(await cb.say(`/xem ${c}`));
    for (const part of ['Biện pháp khẩn cấp', 'Ghi chú', 'Đóng vụ việc', 'Gửi thông báo cho người báo']) expect(view).toContain(part);
  });

  it('a child who told of their own harm hears each change as "em", in plain words, and no "báo cáo"', async () => {
    const reporter = new Inbox(user('dan-life-self'));
    const r = await newReport({ reporter: 'dan-life-self', self: true });
    expect((await services().cases.take(r.code, 'local:cb-life')).result).toBe('taken');
    await reporter.waitFor('nhận tin của em', 'in-progress notice to the child');
    expect(await services().cases.setStatus(r.code, 'closed', 'local:cb-life', Date.now(), 'Cháu đã an toàn')).toBeDefined();
    await reporter.waitFor('làm xong phần việc giúp em', 'done notice to the child');
    const seen = reporter.all.map((m) => m.text).join('\n');
    expect(seen).toContain('111');
    expect(seen).not.toMatch(/[Bb]áo cáo|của bạn/);
  });

  it('an alert button pressed in the middle of another conversation still acknowledges the case', async () => {
    const cb = await giveRole('cb-busy', 'bao-linh', 'officer');
    const first = await newReport({ reporter: 'dan-busy-1' });
    const second = await newReport({ reporter: 'dan-busy-2' });
    expect((await services().cases.take(first.code, 'local:cb-busy')).result).toBe('taken');
    expect(joined(await cb.press(`case:note:${first.code}`))).toContain('Nhập nội dung ghi chú');
    const reply = joined(await cb.press(`ack:${second.code}`));
    expect(reply).toContain(second.code);
    expect((await services().cases.markers(second.code)).assignee).toBe('local:cb-busy');
  });

  it('refers a case to another agency and tells the reporter it went to the authorities, not that it is done', async () => {
    const cb = await giveRole('cb-ref', 'bao-linh', 'police');
    const reporter = new Inbox(user('dan-ref'));
    const r = await newReport({ reporter: 'dan-ref' });
    expect(joined(await cb.say(`/chuyen ${r.code} Công an huyện`))).toContain('chưa được tiếp nhận');
    await services().cases.take(r.code, 'local:cb-ref');
    // "chuyện" (a story) folds like "chuyển" (refer): with diacritics, only the real word refers
    expect(joined(await cb.say(`chuyện ${r.code} thế nào rồi?`))).not.toContain('Đã chuyển');
    expect((await services().cases.get(r.code))?.status).toBe('acknowledged');
    expect(joined(await cb.say(`Chuyển ${r.code}: Công an huyện`.normalize('NFD')))).toContain('Đã chuyển vụ việc');
    expect((await services().cases.get(r.code))?.status).toBe('referred');
    expect((await services().cases.timeline(r.code)).find((e) => e.kind === 'referred')?.text).toBe('Công an huyện');
    await reporter.waitFor('chuyển tới cơ quan chức năng');
    await outboxIdle();
    await reporter.read();
    expect(reporter.count('xử lý')).toBe(2);
    expect(reporter.count('xử lý xong')).toBe(0);
  });
});

describe('reporter additions', () => {
  it('reach the holder of the case only, sealed in the timeline; nobody else can add', async () => {
    const holder = new Inbox(await giveRole('cb-hold', 'bao-linh', 'officer'));
    const other = new Inbox(await giveRole('cb-nothold', 'bao-linh', 'officer'));
    const r = await newReport({ reporter: 'dan-add' });
    await services().cases.take(r.code, 'local:cb-hold');
    const dan = user('dan-add');

    expect(joined(await dan.say(`bo sung ${r.code}: chau da duoc dua ve nha ba noi, da kiem tra vet thuong`))).toContain('Cảm ơn bạn');
    const fwd = await holder.waitFor('chau da duoc dua ve nha ba noi', 'forwarded addition');
    expect(fwd.choices?.map((c) => c.value)).toEqual([`case:view:${r.code}`]);
    const entry = (await services().cases.timeline(r.code)).find((e) => e.kind === 'reporter_addition');
    expect(entry).toMatchObject({ actor: 'reporter', text: 'chau da duoc dua ve nha ba noi, da kiem tra vet thuong' });
    expect(await keysHoldingAll(svc.redis.client, 'ba noi')).toEqual([]); // sealed wherever it is kept

    // the code typed with a slip: the reporter's own report it is nearest to, said so
    const slip = `TE-${r.code.slice(3, 8)}${r.code[8] === 'Q' ? 'R' : 'Q'}`;
    const slipped = joined(await dan.say(`bổ sung ${slip}: bố dượng lại về nhà tối qua`));
    expect(slipped).toContain(`có lẽ bạn muốn nói báo cáo ${r.code}`);
    expect(slipped).toContain(`Thông tin bổ sung cho báo cáo ${r.code} đã được ghi lại`);
    await holder.waitFor('bố dượng lại về nhà tối qua', 'forwarded addition with a slip in its code');

    // someone else, or a code that is not theirs: the status feature's answer
    const stranger = joined(await user('dan-stranger').say(`/bosung ${r.code} thông tin sai`));
    expect(stranger).toContain('không do bạn gửi');
    await outboxIdle();
    await other.read();
    expect(other.count('bổ sung')).toBe(0);
    expect((await services().cases.timeline(r.code)).filter((e) => e.kind === 'reporter_addition')).toHaveLength(2);
    // a stranger's slip near this code finds nothing of it
    expect(joined(await user('dan-stranger').say(`bổ sung ${slip} thông tin sai`))).not.toContain(r.code);
  });

  it('typed without the code go to the reporter\'s one report, or to the one they pick, never start a second report', async () => {
    const dan = user('dan-add-nocode');
    const r = await newReport({ reporter: 'dan-add-nocode' });
    const added = joined(await dan.say('e muon bo sung: hom qua thay bo duong no lai danh luc 11h dem'));
    expect(added).toContain(`Thông tin bổ sung cho báo cáo ${r.code} đã được ghi lại`);
    expect(await dan.say('Em muốn bổ sung thêm là mẹ cháu đi làm xa'.normalize('NFD'))).toHaveLength(1);
    const texts = (await services().cases.timeline(r.code)).filter((e) => e.kind === 'reporter_addition').map((e) => e.text);
    expect(texts).toEqual(['hom qua thay bo duong no lai danh luc 11h dem', 'mẹ cháu đi làm xa']);
    expect(joined(await dan.say('bổ sung'))).toContain(`bổ sung ${r.code}`);
    // with two reports the person picks; nothing is added until then
    const second = await newReport({ reporter: 'dan-add-nocode', description: 'Bé trai nhà bên phải đi phụ hồ cả ngày' });
    const [pick] = await dan.say('xin thêm thông tin: cháu mới 12 tuổi');
    expect(pick!.text).toContain('báo cáo nào');
    expect(pick!.choices?.map((c) => c.value)).toEqual(expect.arrayContaining([r.code, second.code]));
    expect((await services().cases.timeline(second.code)).filter((e) => e.kind === 'reporter_addition')).toHaveLength(0);
    expect(joined(await dan.press(second.code))).toContain(`báo cáo ${second.code} đã được ghi lại`);
    expect((await services().cases.timeline(second.code)).find((e) => e.kind === 'reporter_addition')?.text).toBe('cháu mới 12 tuổi');
    // "bao giờ có người đến" from a reporter: their reports' status, not the service's hours
    expect(joined(await dan.say('bao giờ thì có người đến nhà cháu?'))).toContain(`Báo cáo ${second.code}:`);
    // someone who has reported nothing: "bổ sung: …" is a story like any other, and the hours are answered
    expect(joined(await user('dan-add-none').say('bổ sung: bé nhà bên bị bố đánh chảy máu đầu'))).toContain('113');
    expect(joined(await user('dan-add-none-2').say('bao giờ thì có người đến nhà cháu?'))).toContain('giờ làm việc');
  });

  it('go to the commune officers while nobody holds the case', async () => {
    const a = new Inbox(await giveRole('cb-free-1', 'bao-linh', 'officer'));
    const b = new Inbox(await giveRole('cb-free-2', 'bao-linh', 'officer'));
    const elsewhere = new Inbox(await giveRole('cb-free-b', 'minh-long', 'officer'));
    const r = await newReport({ reporter: 'dan-add2' });
    await user('dan-add2').say(`Bổ sung ${r.code} người đánh cháu là bố dượng`.normalize('NFD'));
    await a.waitFor('bố dượng');
    await b.waitFor('bố dượng');
    await outboxIdle();
    await elsewhere.read();
    expect(elsewhere.count('bố dượng')).toBe(0);
  });
});

describe('undelivered messages', () => {
  it('are announced at once to the commune officers and admins, once, and listed by /loigui', async () => {
    const cb = await giveRole('cb-dead', 'bao-linh', 'officer');
    const officer = new Inbox(cb);
    const admin = new Inbox(await giveRole('qt-dead', 'bao-linh', 'admin'));
    const elsewhere = new Inbox(await giveRole('qt-dead-b', 'minh-long', 'admin'));
    // The admin cannot be reached either: their announcement fails and must not be announced in turn.
    const blockedAdmin = await giveRole('qt-blocked', 'bao-linh', 'admin');
    await services().outbox.markUnreachable({ channel: 'local', chatId: blockedAdmin.userId }, 'test: blocked');
    await services().outbox.markUnreachable({ channel: 'local', chatId: 'dan-dead' }, 'test: blocked');

    const r = await newReport({ reporter: 'dan-dead' });
    await services().cases.take(r.code, 'local:cb-dead');
    const notice = await officer.waitFor('Không gửi được tin nhắn cho', 'dead-letter announcement');
    expect(notice.text).toContain('một người dân');
    expect(notice.text).not.toContain('dan-dead'); // no citizen id
    await admin.waitFor('Không gửi được tin nhắn cho');
    await outboxIdle();

    const letters = await services().outbox.listDeadLetters('bao-linh');
    const forReporter = letters.filter((d) => d.to.chatId === 'dan-dead');
    const forBlockedAdmin = letters.filter((d) => d.to.chatId === blockedAdmin.userId);
    expect(forReporter).toHaveLength(1);
    expect(forReporter[0]!.preview).toContain(r.code); // officers see which case's reporter was not told...
    // ...but nothing readable in Redis puts the reporter's chat next to the case code.
    expect(await keysHoldingAll(svc.redis.client, 'dan-dead', r.code)).toEqual([]);
    // the reporter's failure was announced to the blocked admin too, and that failed: one letter, no more
    expect(forBlockedAdmin).toHaveLength(1);
    expect(forBlockedAdmin[0]!.key.startsWith('deadletter:')).toBe(true);

    // Announcing the same failure again (a second hook call) queues nothing: deduplicated.
    await announceDeadLetter(services(), forReporter[0]!);
    await announceDeadLetter(services(), forBlockedAdmin[0]!);
    await outboxIdle();
    await officer.read();
    await admin.read();
    await elsewhere.read();
    expect(officer.count('Không gửi được tin nhắn cho')).toBe(1);
    expect(admin.count('Không gửi được tin nhắn cho')).toBe(1);
    expect(elsewhere.count('Không gửi được')).toBe(0);
    expect((await services().outbox.listDeadLetters('bao-linh')).length).toBe(letters.length);

    const listed = joined(await cb.say('/loigui'));
    expect(listed).toContain('không gửi được cho một người dân');
    expect(listed).toContain('người nhận đã chặn');
    expect(listed).toContain(r.code); // the preview names the case, not the person
    expect(joined(await admin.u.say('loi gui'))).toContain('không gửi được cho');
    const chair = await giveRole('ct-dead', 'bao-linh', 'chair');
    expect(joined(await chair.say('/loigui'))).toContain('dành cho cán bộ bảo vệ trẻ em và quản trị viên');
  });
});
