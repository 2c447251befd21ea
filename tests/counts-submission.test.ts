/**
 * Village heads' monthly counts on the local chat, against the real redis-server: confirm, correct,
 * partial, late, locked and unlocked periods, versions, the case prompt, guided mode, and the staff
 * commands. The service clock is set per test, so nothing depends on today's date or machine speed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedDemoRoles } from '../src/app/demo.js';
import type { StaffRole } from '../src/config/communes.js';
import { LocalChatUser } from './helpers/local-chat.js';
import { startService, type TestService } from './helpers/service.js';

let svc: TestService;
let clock = 0;
const C = 'bao-linh';
const NA_CA = 'Thôn Nà Ca';
const BAN_PIENG = 'Thôn Bản Piềng';
const KHUOI_TAT = 'Thôn Khuổi Tát';
const DONG_TAM = 'Thôn Đồng Tâm';

/** 10:00 in Vietnam on that day. */
const vnDay = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d, 3);
const user = (id: string) => new LocalChatUser(() => svc.app, id);
const text = (rs: { text: string }[]) => rs.map((r) => r.text).join('\n---\n');
const counts = () => svc.runtime.services.counts;

async function person(id: string, role: StaffRole, village?: string): Promise<LocalChatUser> {
  await svc.runtime.services.roles.assign({ identity: `local:${id}`, communeId: C, role, village, since: clock }, 'test');
  return user(id);
}

beforeAll(async () => {
  svc = await startService({}, { now: () => clock });
  clock = vnDay(2025, 11, 10);
  await seedDemoRoles(svc.runtime.services);
});
afterAll(async () => {
  await svc.stop();
});
beforeEach(() => {
  clock = vnDay(2025, 11, 10);
});

describe('a counts message from a village head', () => {
  it('lists each value with its label, unknown words and missing rows, and saves only after "có"', async () => {
    const head = user('truong-thon'); // the demo village head of Thôn Nà Ca
    const reply = text(await head.say('Báo cáo T10/2025: sinh 3, tử vong 0, tai nạn 1, đuối nước k, ma túy 2'));
    expect(reply).toContain('Kỳ báo cáo: Tháng 10/2025');
    expect(reply).toContain('Trẻ em sinh ra: 3');
    expect(reply).toContain('Trẻ em tử vong: 0');
    expect(reply).toContain('Trẻ em bị tai nạn thương tích: 1');
    expect(reply).toContain('Trẻ em bị đuối nước: 0');
    expect(reply).toContain('Phần này mình chưa hiểu nên chưa tính vào mục nào: "ma túy".');
    expect(reply).toMatch(/Chưa có số: .*Trẻ em bỏ học/);
    expect(reply).toContain('đã đúng chưa');
    expect(await counts().current(C, '2025-10', NA_CA)).toBeUndefined();

    const saved = text(await head.say('có'));
    expect(saved).toContain('Đã lưu số liệu T10/2025 của Thôn Nà Ca');
    expect(saved).toMatch(/Còn thiếu: .*Trẻ em bỏ học/); // a partial submission names what is missing
    expect(saved).not.toContain('muộn');
    const current = await counts().current(C, '2025-10', NA_CA);
    expect(current).toMatchObject({ version: 1, values: { sinh: 3, tuvong: 0, tntt: 1, duoinuoc: 0 }, late: false, by: 'local:truong-thon' });
    expect(await counts().submittedVillages(C, '2025-10')).toEqual([NA_CA]);
    const audit = await svc.runtime.services.audit.forSubject(`${C}/${NA_CA}/2025-10`);
    expect(audit.map((a) => a.action)).toEqual(['counts.submit']);
  });

  it('takes a correction before confirming, and a later correction becomes version 2 keeping version 1', async () => {
    const head = await person('vh-pieng', 'village_head', BAN_PIENG);
    await head.say('T9/2025 sinh 2 tu vong 1 bo hoc 0');
    const no = text(await head.say('không'));
    expect(no).toContain('gửi tin nhắn đã sửa');
    const fixed = text(await head.say('sinh 4'));
    expect(fixed).toContain('Trẻ em sinh ra: 4');
    expect(fixed).toContain('Trẻ em tử vong: 1');
    expect(text(await head.press('counts:save'))).toContain('Đã lưu');
    expect((await counts().current(C, '2025-09', BAN_PIENG))?.values).toEqual({ sinh: 4, tuvong: 1, bohoc: 0 });

    const again = text(await head.say('Tháng 9 năm 2025: tử vong 0'.normalize('NFD')));
    expect(again).toContain('cập nhật bản đã gửi');
    expect(again).toContain('Trẻ em tử vong: 1 → 0');
    expect(again).toContain('Trẻ em sinh ra: 4'); // unchanged rows are kept
    expect(text(await head.say('1'))).toContain('Đã cập nhật số liệu T9/2025 của Thôn Bản Piềng, phiên bản 2');
    const history = await counts().history(C, '2025-09', BAN_PIENG);
    expect(history.map((h) => [h.version, h.values])).toEqual([
      [1, { sinh: 4, tuvong: 1, bohoc: 0 }],
      [2, { sinh: 4, tuvong: 0, bohoc: 0 }],
    ]);
    expect((await counts().current(C, '2025-09', BAN_PIENG))?.version).toBe(2);
  });

  it('asks to confirm a period it inferred, and "huỷ" saves nothing', async () => {
    const head = await person('vh-khuoi', 'village_head', KHUOI_TAT);
    const reply = text(await head.say('sinh 1 chet 0'));
    expect(reply).toContain('Tháng 10/2025 (tin nhắn không ghi tháng, xin xác nhận)');
    expect(reply).toContain('kỳ báo cáo trên đã đúng chưa');
    // spoken to as the rest of a village head's conversation is
    expect(text(await head.say('huỷ'))).toContain('Đã huỷ. Thông tin anh/chị đang nhập chưa được gửi đi.');
    expect(await counts().current(C, '2025-10', KHUOI_TAT)).toBeUndefined();
  });

  it('will not save while the sub-rows exceed the total, and saves once corrected', async () => {
    const head = await person('vh-dongtam', 'village_head', DONG_TAM);
    const reply = await head.say('T9/2025 xam hai 1, bao luc 2');
    expect(text(reply)).toContain('các dòng con cộng lại là 2');
    expect(reply.at(-1)?.choices?.map((c) => c.value)).not.toContain('counts:save');
    expect(text(await head.say('có'))).toContain('chưa đọc được số');
    expect(await counts().current(C, '2025-09', DONG_TAM)).toBeUndefined();
    const fixed = await head.say('xâm hại 2');
    expect(text(fixed)).not.toContain('cộng lại');
    expect(fixed.at(-1)?.choices?.map((c) => c.value)).toContain('counts:save');
    await head.say('có');
    // the sub-rows given add up to the total: the other sub-rows are 0, not numbers still missing
    expect((await counts().current(C, '2025-09', DONG_TAM))?.values).toEqual({ xamhai: 2, baoluc: 2, tinhduc: 0, boclot: 0, muaban: 0, boroi: 0 });
  });

  it('a total of 0 tells its sub-rows: they are 0, not listed as still missing', async () => {
    const head = await person('vh-total-zero', 'village_head', KHUOI_TAT);
    const reply = text(await head.say('T9/2025 sinh 2, tu vong 0, xam hai 0'));
    expect(reply).toContain('Chưa có số');
    expect(reply).not.toMatch(/Chưa có số:[^\n]*(bạo lực|tình dục|bóc lột|mua bán|bỏ rơi)/);
    expect(reply).toContain('bị bạo lực: 0');
    await head.say('có');
    expect((await counts().current(C, '2025-09', KHUOI_TAT))?.values).toMatchObject({ xamhai: 0, baoluc: 0, tinhduc: 0, boclot: 0, muaban: 0, boroi: 0 });
  });
});

describe('deadlines', () => {
  it('marks a submission after the due day as late and says so kindly', async () => {
    const head = await person('vh-late', 'village_head', DONG_TAM);
    clock = vnDay(2025, 11, 28); // due day is the 25th
    await head.say('T10/2025 sinh 2');
    const saved = text(await head.say('có'));
    expect(saved).toContain('gửi muộn');
    expect(saved).toContain('25/11/2025');
    expect((await counts().current(C, '2025-10', DONG_TAM))?.late).toBe(true);
  });

  it('refuses a locked period with who to ask, until an officer unlocks it for that village', async () => {
    const head = await person('vh-lock', 'village_head', KHUOI_TAT);
    const other = await person('vh-lock-2', 'village_head', BAN_PIENG);
    const officer = user('can-bo');
    clock = vnDay(2025, 9, 20); // T7 closes 45 days after 25/08, i.e. after 09/10
    expect(text(await head.say('T7/2025 sinh 1'))).toContain('Trẻ em sinh ra: 1');
    await head.say('huỷ');
    clock = vnDay(2025, 10, 10);
    const refused = text(await head.say('T7/2025 sinh 1'));
    expect(refused).toContain('đã khoá sổ sau ngày 09/10/2025');
    expect(refused).toContain('cán bộ bảo vệ trẻ em');
    expect(await svc.runtime.services.sessions.get('local:vh-lock')).toBeUndefined();

    expect(text(await head.say('/mokhoa khuoi tat T7/2025'))).toContain('chỉ dành cho cán bộ');
    const unlocked = text(await officer.say('/mokhoa Khuổi Tát T7/2025'));
    expect(unlocked).toContain('Đã mở khoá số liệu T7/2025 cho Thôn Khuổi Tát đến hết ngày 17/10/2025');
    await head.say('T7/2025 sinh 1');
    const saved = text(await head.say('có'));
    expect(saved).toContain('Đã lưu');
    expect(saved).toContain('gửi muộn');
    expect(text(await other.say('T7/2025 sinh 1'))).toContain('đã khoá sổ'); // only that village
    clock = vnDay(2025, 10, 18);
    expect(text(await head.say('T7/2025 sinh 2'))).toContain('đã khoá sổ'); // the unlock ran out
    const audit = await svc.runtime.services.audit.forSubject(`${C}/${KHUOI_TAT}/2025-07`);
    expect(audit.map((a) => a.action)).toEqual(['counts.unlock', 'counts.submit']);
  });

  it('refuses a month that has not come yet', async () => {
    const head = await person('vh-future', 'village_head', NA_CA);
    expect(text(await head.say('12/2025 sinh 1'))).toContain('chưa đến');
  });
});

describe('abused children without a report', () => {
  it('asks for a report through /baocao when the counts name more abused children than reports', async () => {
    const head = await person('vh-case', 'village_head', BAN_PIENG);
    clock = vnDay(2025, 7, 10);
    await head.say('T6/2025 xâm hại 1, tình dục 1');
    const saved = await head.say('có');
    expect(text(saved)).toContain('báo từng trường hợp qua /baocao');
    // Sent in July for June: the month is named, not "this month".
    expect(text(saved)).toContain('Số liệu T6/2025 có 1 trẻ bị xâm hại');
    expect(text(saved)).not.toContain('Tháng này');
    expect(saved.at(-1)?.choices?.map((c) => c.value)).toContain('menu:report');
  });

  it('answers a village head the same whether or not the commune holds reports from the village (no report numbers)', async () => {
    const head = await person('vh-case-2', 'village_head', DONG_TAM);
    clock = vnDay(2025, 7, 10);
    await svc.runtime.services.cases.create(
      {
        communeId: C,
        category: 'sexual',
        urgency: 'P0',
        alertRoles: [],
        village: DONG_TAM,
        inDanger: 'no',
        channel: 'local',
        details: { description: 'x', child: {}, reporter: { identity: 'local:someone' }, attachments: [] },
      },
      vnDay(2025, 6, 12),
    );
    await head.say('T6/2025 xâm hại 1, tình dục 1');
    const withReport = text(await head.say('có'));
    expect(withReport).toContain('Đã lưu');
    expect(withReport).toContain('báo từng trường hợp qua /baocao');
    expect(withReport).not.toMatch(/nhận \d+ báo cáo/);
  });
});

describe('guided mode', () => {
  it('asks row by row with skip and back, then confirms and saves', async () => {
    const head = await person('vh-guided', 'village_head', KHUOI_TAT);
    clock = vnDay(2025, 6, 5);
    expect(text(await head.say('/baocaothang'))).toContain('tháng nào');
    expect(text(await head.say('T5/2025'))).toContain('(1/14) Trẻ em sinh ra');
    expect(text(await head.say('3'))).toContain('(2/14) Trẻ em tử vong');
    expect(text(await head.say('-1'))).toContain('từ 0 trở lên');
    expect(text(await head.say('abc'))).toContain('Xin gõ một số');
    expect(text(await head.say('không'))).toContain('(3/14)');
    expect(text(await head.say('quay lại'))).toContain('(2/14)');
    expect(text(await head.say('1'))).toContain('(3/14)');
    expect(text(await head.say('bỏ qua'))).toContain('(4/14) Trẻ em bị đuối nước');
    expect(text(await head.say('0'))).toContain('(5/14) Trẻ em bị xâm hại');
    // A total of 0 answers its five sub-rows.
    expect(text(await head.say('0'))).toContain('(11/14) Trẻ em có nguy cơ');
    await head.say('2');
    await head.say('0');
    await head.say('1');
    const confirm = text(await head.say('0'));
    expect(confirm).toContain('Kỳ báo cáo: Tháng 5/2025');
    expect(confirm).toContain('Trẻ em sinh ra: 3');
    expect(confirm).toContain('Trẻ em tử vong: 1');
    expect(confirm).toContain('Chưa có số: Trẻ em bị tai nạn thương tích');
    await head.say('có');
    expect((await counts().current(C, '2025-05', KHUOI_TAT))?.values).toEqual({
      sinh: 3, tuvong: 1, duoinuoc: 0, xamhai: 0, baoluc: 0, tinhduc: 0, boclot: 0, muaban: 0, boroi: 0, nguyco: 2, hcdb: 0, bohoc: 1, taohon: 0,
    });
  });

  it('starts when a village head says they are about to send a month, the month named is not asked again', async () => {
    const head = await person('vh-announce', 'village_head', DONG_TAM);
    clock = vnDay(2025, 12, 3);
    for (const said of ['chao chi, bao cao so lieu thang 11 nhe', 'chào anh, em gửi báo cáo tháng 11/2025 nhé', 'em xin bao cao so lieu thon thang truoc a']) {
      const asked = text(await head.say(said));
      expect(asked, said).toContain('(1/14) Trẻ em sinh ra');
      expect(asked, said).not.toContain('tháng nào');
      await head.say('huỷ');
    }
    // no month named: the month is asked
    expect(text(await head.say('em gửi số liệu nhé'))).toContain('tháng nào');
    await head.say('huỷ');
    // "em muốn báo cáo" names neither a month nor counts: it may be a child's report
    expect(text(await head.say('em muon bao cao'))).not.toContain('(1/14)');
    await head.say('huỷ');
  });

  it('reads a whole counts message typed at a row and shows it for confirming', async () => {
    const head = await person('vh-rows-at-once', 'village_head', DONG_TAM);
    clock = vnDay(2025, 12, 3);
    await head.say('gui so lieu thang 11');
    // only the row asked: the next row follows
    expect(text(await head.say('sinh 2 chau'))).toContain('(2/14) Trẻ em tử vong');
    const confirm = text(await head.say('ko co chau nao mat, 1 chau bi duoi nuoc nhung cuu duoc'));
    expect(confirm).toContain('Kỳ báo cáo: Tháng 11/2025');
    expect(confirm).toContain('Trẻ em sinh ra: 2');
    expect(confirm).toContain('Trẻ em tử vong: 0');
    expect(confirm).toContain('Trẻ em bị đuối nước: 1');
    await head.say('đúng rồi, lưu');
    expect((await counts().current(C, '2025-11', DONG_TAM))?.values).toMatchObject({ sinh: 2, tuvong: 0, duoinuoc: 1 });
  });

  it('is only for village heads', async () => {
    expect(text(await user('dan-guided').say('/baocaothang'))).toContain('chỉ do trưởng thôn');
    // a citizen's "I'll send this month's report" is not taken for counts
    expect(text(await user('dan-guided-2').say('em gửi báo cáo tháng 11 nhé'))).not.toContain('(1/14)');
  });
});

describe('people who are not village heads', () => {
  it('get a polite note for a counts message, and a concern still reaches the report flow', async () => {
    const citizen = user('dan-counts');
    expect(text(await citizen.say('sinh 3, tử vong 0, tai nạn 1'))).toContain('chỉ do trưởng thôn');
    expect(text(await citizen.say('huỷ'))).toContain('Không có việc gì đang làm dở'); // the counts message started nothing
    const concern = text(await citizen.say('Cháu bé bị bố đánh đập 2 hôm nay'));
    expect(concern).not.toContain('trưởng thôn');
    // The report flow's next question: the village when the classifier is sure enough to pre-select
    // the category, else the likely categories as choices (which one depends on the trained model).
    expect(concern).toMatch(/thôn\/xóm nào|gần nhất với mục nào/);
    await citizen.say('huỷ');
  });
});

describe('staff commands', () => {
  it('/tinhhinh lists who has and has not sent; /tonghop sums a month, a half and a year', async () => {
    const officer = user('can-bo');
    const a = await person('vh-sum-a', 'village_head', NA_CA);
    const b = await person('vh-sum-b', 'village_head', DONG_TAM);
    // 2024 is touched by no other test, so the totals below are known exactly.
    clock = vnDay(2024, 4, 2);
    await a.say('T3/2024 sinh 2 tử vong 1');
    await a.say('có');
    await b.say('T3/2024 sinh 5 bỏ học 2');
    await b.say('có');
    await b.say('T3/2024 sinh 6'); // a correction: only the latest version counts
    await b.say('có');
    clock = vnDay(2024, 5, 2);
    await b.say('T4/2024 sinh 1');
    await b.say('có');
    clock = vnDay(2024, 9, 2);
    await b.say('T8/2024 sinh 7 tử vong 0');
    await b.say('có');

    const situation = text(await officer.say('/tinhhinh T3/2024'));
    expect(situation).toContain('2/4 thôn đã gửi');
    expect(situation).toMatch(/Đã gửi:\n• Thôn Nà Ca\n• Thôn Đồng Tâm \(phiên bản 2\)/);
    expect(situation).toMatch(/Chưa gửi:\n• Thôn Bản Piềng\n• Thôn Khuổi Tát/);

    const month = text(await officer.say('/tonghop T3/2024'));
    expect(month).toContain('2/4 thôn đã gửi');
    expect(month).toContain('Trẻ em sinh ra: 8');
    expect(month).toContain('Trẻ em tử vong: 1');
    expect(month).toContain('Trẻ em bỏ học: 2');
    expect(month).toContain('Trẻ em tảo hôn: —');
    const half = text(await officer.say('/tonghop 6 thang 2024'));
    expect(half).toContain('6 tháng đầu năm 2024');
    expect(half).toContain('3/24 báo cáo tháng đã gửi: 4 thôn × 6 tháng');
    expect(half).not.toContain('lượt');
    expect(half).toContain('Trẻ em sinh ra: 9');
    expect(text(await officer.say('/tonghop 2024-H2'))).toContain('Trẻ em sinh ra: 7');
    const year = text(await officer.say('/tonghop 2024'));
    expect(year).toContain('Trẻ em sinh ra: 16');
    expect(year).toContain('Trẻ em tử vong: 1');
    expect(text(await officer.say('/tonghop tháng mười'))).toContain('Không hiểu kỳ báo cáo');
    expect(text(await a.say('/tonghop 2024'))).toContain('chỉ dành cho cán bộ');

    // The same, as staff write them in chat, the period anywhere in the message.
    expect(text(await officer.say('thôn nào chưa gửi số liệu tháng 3/2024 vậy'))).toMatch(/2\/4 thôn đã gửi[^]*Chưa gửi:\n• Thôn Bản Piềng/);
    expect(text(await officer.say('tinh hinh gui so lieu t3/2024'))).toContain('2/4 thôn đã gửi');
    expect(text(await officer.say('cho xem tổng hợp số liệu 6 tháng đầu năm 2024'))).toContain('Trẻ em sinh ra: 9');
    const exported = text(await officer.say('xuất báo cáo tháng 3/2024 ra excel'));
    expect(exported).toContain('Trẻ em sinh ra: 8');
    expect(exported).toContain('gửi /web');
    expect(await svc.runtime.services.sessions.get('local:can-bo')).toBeUndefined(); // no report started
    // From a village head the words are not the staff's request.
    expect(text(await a.say('thôn nào chưa gửi số liệu tháng 3/2024'))).not.toContain('thôn đã gửi');
  });
});
