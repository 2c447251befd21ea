/**
 * A citizen's whole report on the local chat page, through its HTTP API against a real redis-server:
 * typed answers in any spelling, a story that starts the report, going back and cancelling, a crash or
 * restart mid-report, status questions and code guessing, odd messages, and nothing personal left
 * readable in Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalChatUser } from './helpers/local-chat.js';
import { dumpText } from './helpers/redis-dump.js';
import { startService, type TestService } from './helpers/service.js';
import { DEFAULT_GUESS_BUDGET } from '../src/store/guesses.js';

let svc: TestService;
const user = (id: string) => new LocalChatUser(() => svc.app, id);
const texts = (rs: { text: string }[]) => rs.map((r) => r.text).join('\n---\n');

beforeAll(async () => {
  svc = await startService();
});
afterAll(async () => {
  await svc.stop();
});

/** Walks a whole report by typing only (the way it works on channels without buttons). */
async function typedReport(u: LocalChatUser, opts: { childName?: string; phone?: string } = {}): Promise<string> {
  expect(texts(await u.say('tôi muốn báo cáo'))).toContain('việc gì');
  expect(texts(await u.say('5'))).toContain('thôn'); // 5th category: violence
  expect(texts(await u.say('na ca'))).toContain('kể ngắn gọn');
  expect(texts(await u.say('Cháu bé hàng xóm hay bị bố đánh, có vết bầm trên tay'))).toContain('khi nào');
  expect(texts(await u.say('hom qua'))).toContain('bao nhiêu tuổi');
  expect(texts(await u.say('8 tuổi'))).toContain('bé trai hay bé gái');
  expect(texts(await u.say('nu'))).toContain('nguy hiểm');
  expect(texts(await u.say('khong'))).toContain('Tên hoặc tên viết tắt');
  expect(texts(await u.say(opts.childName ?? 'bỏ qua'))).toContain('biết thêm');
  expect(texts(await u.say('bo qua'))).toContain('để lại tên');
  if (opts.phone) {
    expect(texts(await u.say('để lại liên hệ'))).toContain('Tên của bạn');
    expect(texts(await u.say('Nguyễn Văn Bình'))).toContain('Số điện thoại');
    const summary = texts(await u.say(opts.phone));
    expect(summary).toContain('Nguyễn Văn Bình');
  } else {
    const summary = texts(await u.say('an danh'));
    expect(summary).toContain('Người báo: ẩn danh');
    expect(summary).toContain('Thôn Nà Ca');
    expect(summary).toContain('Bạo lực');
  }
  const done = texts(await u.say('gửi'));
  const code = done.match(/TE-[0-9A-Z]{6}/)?.[0];
  expect(code, done).toBeDefined();
  return code!;
}

describe('citizen report on the local chat', () => {
  it('walks the whole report with typed answers and answers with a reference code', async () => {
    const u = user('dan-typed');
    const code = await typedReport(u);
    expect(code).toMatch(/^TE-[34679ACDEFGHJKMNPQRTUVWXY]{6}$/);
    const report = await svc.runtime.services.cases.get(code);
    expect(report).toMatchObject({ communeId: 'bao-linh', category: 'violence', urgency: 'P1', village: 'Thôn Nà Ca', status: 'new', alertRoles: ['officer'] });
  });

  it('understands the same answers in NFD, without diacritics and with Telex leftovers', async () => {
    const u = user('dan-nfd');
    expect(texts(await u.say('Tôi muốn báo cáo'.normalize('NFD')))).toContain('việc gì');
    expect(texts(await u.say('Bạo lực, đánh đập'.normalize('NFD')))).toContain('thôn');
    expect(texts(await u.say('thon ban pieng'))).toContain('kể ngắn gọn');
    expect(texts(await u.say('chau bi danhs ddau'))).toContain('khi nào');
    expect(texts(await u.say('Hôm nay'.normalize('NFD')))).toContain('tuổi');
    expect(texts(await u.say('khoong roox'))).toContain('bé trai'); // Telex for "không rõ"
    expect(texts(await u.say('Nữ'.normalize('NFD')))).toContain('nguy hiểm');
    await u.say('huỷ');
  });

  it('starts from a message that already describes abuse and raises urgency to P0', async () => {
    const u = user('dan-free');
    const first = texts(await u.say('Có người sàm sỡ một bé gái ở thôn Đồng Tâm'));
    expect(first).toContain('113'); // emergency numbers at once
    expect(first).toContain('111');
    expect(first).toContain('khi nào'); // category, village and description were taken from the message
    await u.say('đang xảy ra');
    await u.say('12');
    await u.say('nữ');
    // "Đang xảy ra" already answered the danger question; "bỏ qua" at the contact question is anonymous.
    await u.say('bỏ qua');
    const summary = texts(await u.say('bỏ qua'));
    expect(summary).toContain('Người báo: ẩn danh');
    expect(summary).toContain('Xâm hại tình dục');
    expect(summary).toContain('Thôn Đồng Tâm');
    expect(summary).toContain('Khẩn cấp');
    const code = texts(await u.say('1')).match(/TE-[0-9A-Z]{6}/)?.[0];
    const report = await svc.runtime.services.cases.get(code!);
    expect(report?.urgency).toBe('P0');
    expect(report?.alertRoles).toEqual(['officer', 'chair', 'police']);
  });

  it('a call for help of a word or two gives the hotlines at once and asks what happened', async () => {
    const u = user('dan-call');
    const first = texts(await u.say('cứu với'));
    expect(first).toContain('113');
    expect(first).toContain('kể ngắn gọn chuyện gì đang xảy ra');
    expect(first).not.toContain('đã ghi lại lời kể');
    expect(texts(await u.say('bố nó đang cầm dao dọa giết 2 đứa con ở nhà bên cạnh'))).toContain('thôn/xóm nào');
    // The story tells of now: "when?" is not asked.
    expect(texts(await u.press('Thôn Nà Ca'))).toContain('bao nhiêu tuổi');
    await u.say('không rõ');
    for (const step of ['khong_ro', 'yes', 'skip', 'skip']) await u.press(step);
    const summary = texts(await u.say('ẩn danh'));
    expect(summary).toContain('Sự việc: bố nó đang cầm dao');
    expect(summary).toContain('Thời gian: Đang xảy ra');
    expect(summary).not.toContain('cứu với');
    expect(summary).toContain('Khẩn cấp');
    await u.say('huỷ');
  });

  it('a yes to "in danger now" forces P0', async () => {
    const u = user('dan-danger');
    await u.say('/baocao');
    await u.say('Bị bỏ mặc, không được chăm sóc');
    await u.say('khong ro');
    await u.say('Hai đứa nhỏ ở nhà một mình mấy ngày nay');
    await u.say('mấy ngày trước');
    await u.say('duoi 6 tuoi');
    await u.say('khong ro');
    expect(texts(await u.say('có'))).toContain('113');
    await u.say('bỏ qua');
    await u.say('bỏ qua');
    await u.say('ẩn danh');
    const code = texts(await u.say('gửi')).match(/TE-[0-9A-Z]{6}/)?.[0];
    expect((await svc.runtime.services.cases.get(code!))?.urgency).toBe('P0');
  });

  it('back returns to the previous question and cancel drops the draft', async () => {
    const u = user('dan-back');
    await u.say('/baocao');
    await u.say('5');
    expect(texts(await u.say('quay lại'))).toContain('việc gì');
    expect(texts(await u.say('6'))).toContain('thôn');
    expect(texts(await u.say('/huy'))).toContain('Đã huỷ. Thông tin bạn đang nhập chưa được gửi đi.');
    expect(await svc.runtime.services.sessions.get('local:dan-back')).toBeUndefined();
    expect(texts(await u.say('huỷ'))).toContain('Không có việc gì');
  });

  it('a wrong answer gets a precise request and keeps the step', async () => {
    const u = user('dan-wrong');
    await u.say('/baocao');
    await u.say('5');
    expect(texts(await u.say('thôn không có thật'))).toContain('không tìm thấy thôn');
    expect(texts(await u.say('na ca'))).toContain('kể ngắn gọn');
    await u.say('Cháu bị đánh bằng roi');
    await u.say('hôm nay');
    expect(texts(await u.say('35'))).toContain('dưới 18 tuổi');
    await u.say('/huy');
  });

  it('a confirmation handled again after a crash (draft not yet cleared) saves one report, same code', async () => {
    const u = user('dan-crash');
    await u.say('/baocao');
    for (const answer of ['5', 'na ca', 'Cháu bị đánh bằng roi', 'hôm nay', '8', 'nam', 'không', 'bỏ qua', 'bỏ qua', 'ẩn danh']) await u.say(answer);
    const draft = await svc.runtime.services.sessions.get('local:dan-crash');
    const first = texts(await u.say('gửi')).match(/TE-[0-9A-Z]{6}/)?.[0];
    // The process died after saving and before clearing the draft: the draft is still there.
    await svc.runtime.services.sessions.save('local:dan-crash', draft!);
    const again = texts(await u.say('gửi')).match(/TE-[0-9A-Z]{6}/)?.[0];
    expect(again).toBe(first);
    expect(await svc.runtime.services.cases.listByReporter('local:dan-crash')).toHaveLength(1);
  });

  it('a half-finished report survives a restart of the service and resumes', async () => {
    const u = user('dan-restart');
    await u.say('/baocao');
    await u.say('5');
    await u.say('na ca');
    // Abandoned drafts expire: the draft carries the configured TTL.
    const ttl = await svc.runtime.services.sessions.expiresIn('local:dan-restart');
    expect(ttl).toBeGreaterThan(svc.config.draftTtlHours * 3600 - 60);
    expect(ttl).toBeLessThanOrEqual(svc.config.draftTtlHours * 3600);
    await svc.restart();
    expect(texts(await u.say('Cháu bị đánh hằng ngày'))).toContain('khi nào');
    await u.say('/huy');
  });

  it('status: the reporter sees the coarse status; another chat gets "not found or not yours"', async () => {
    const owner = user('dan-owner');
    const code = await typedReport(owner);
    expect(texts(await owner.say(`/trangthai ${code}`))).toContain('Đã nhận');
    expect(texts(await owner.say(`tình trạng ${code.toLowerCase()}`))).toContain('Đã nhận');
    expect(texts(await owner.say('báo cáo của tôi'))).toContain(code);
    await svc.runtime.services.cases.take(code, 'test');
    await svc.runtime.services.cases.setStatus(code, 'assessing', 'test');
    expect(texts(await owner.say(`trang thai ${code}`))).toContain('Đang xử lý');
    const other = texts(await user('dan-stranger').say(`/trangthai ${code}`));
    expect(other).toContain('không do bạn gửi');
    expect(other).not.toContain('Đang xử lý');
  });

  it('status: a question that retells the harm reported gets the status; the same harm told again, or by someone who has not reported, starts a report', async () => {
    const owner = user('dan-retell');
    const code = await typedReport(owner);
    for (const q of [
      'hôm trước tôi có báo vụ cháu bé hàng xóm bị bố đánh chảy máu, giờ xử lý tới đâu rồi ạ',
      'em bao vu thang be bi bo nhot trong chuong heo may ngay roi, xa xuong chua a',
    ]) {
      const answer = texts(await owner.say(q));
      expect(answer, q).toContain(code);
      expect(answer, q).toContain('Đã nhận');
      expect(await svc.runtime.services.sessions.get('local:dan-retell'), q).toBeUndefined();
    }
    // News: the harm goes on.
    expect(texts(await owner.say('hôm trước tôi có báo vụ cháu bé hàng xóm, giờ nó lại bị bố đánh chảy máu'))).toContain('113');
    expect((await svc.runtime.services.sessions.get('local:dan-retell'))?.flow).toBe('report');
    await owner.say('huỷ');
    // Nobody who has not reported from here is told "no report": the harm told is a story.
    const other = user('dan-retell-other');
    expect(texts(await other.say('hôm trước tôi có báo vụ cháu bé hàng xóm bị bố đánh chảy máu, giờ xử lý tới đâu rồi ạ'))).toContain('113');
    expect((await svc.runtime.services.sessions.get('local:dan-retell-other'))?.flow).toBe('report');
    await other.say('huỷ');
  });

  it('status: a code typed with a slip, without "TE-" or with a sign too many finds the reporter\'s own report, never another\'s', async () => {
    const owner = user('dan-slip');
    const code = await typedReport(owner);
    const signs = code.slice(3);
    const swapped = `${signs.slice(0, 5)}${signs[5] === 'Q' ? 'R' : 'Q'}`;
    for (const typed of [`/trangthai TE-${swapped}`, signs.toLowerCase(), `TE-${signs}X`, `ma cua em la te ${signs.slice(0, 5)}`]) {
      const answer = texts(await owner.say(typed));
      expect(answer, typed).toContain(`Báo cáo ${code}: Đã nhận`);
    }
    // a code that looks like none: how a code looks
    expect(texts(await owner.say('TE-ABCD'))).toContain('gồm "TE-" và 6 ký tự');
    // someone else typing a code near this one learns nothing of it
    for (const typed of [`/trangthai TE-${swapped}`, signs.toLowerCase(), `TE-${signs}X`]) {
      const answer = texts(await user('dan-slip-other').say(typed));
      expect(answer, typed).not.toContain(`Báo cáo ${code}`);
      expect(answer, typed).not.toContain('Vấn đề');
    }
  });

  it('repeated guessing of codes is slowed down', async () => {
    const guesser = user('dan-guesser');
    for (let i = 0; i < DEFAULT_GUESS_BUDGET.perIdentity; i++) expect(texts(await guesser.say(`/trangthai TE-AAAAA${'CDEFGJKLMN'[i]}`))).toContain('Không tìm thấy');
    expect(texts(await guesser.say('/trangthai TE-AAAAAH'))).toContain('thử lại sau');
  });

  it('a bare number picks from the menu last shown (for channels without buttons)', async () => {
    const u = user('dan-number');
    await u.say('/start');
    expect(texts(await u.say('1'))).toContain('việc gì');
    await u.say('huỷ');
    await u.say('/start');
    expect(texts(await u.say('2'))).toContain('chưa gửi báo cáo nào');
  });

  it('menu, help, unknown text and over-long text get a helpful answer', async () => {
    const u = user('dan-misc');
    expect(texts(await u.say('/start'))).toContain('/baocao');
    expect(texts(await u.say('/help'))).toContain('Hướng dẫn');
    const hello = texts(await u.say('xin chào'));
    expect(hello).toContain('/baocao');
    expect(hello).not.toContain('chưa hiểu');
    expect(texts(await u.say('qwzx vbnm'))).toContain('chưa hiểu');
    expect(texts(await u.say('a'.repeat(5000)))).toContain('quá dài');
    // a call to see whether someone is there is answered as someone would
    for (const call of ['chị ơi', 'co ai ko a', 'ad oi', 'alo', 'anh chị ơi', 'các cô chú cán bộ xã ơi']) {
      const answer = texts(await u.say(call));
      expect(answer, call).toContain('mình đang nghe');
      expect(answer, call).not.toContain('chưa hiểu');
    }
  });

  it('at the summary, what is put right in words changes its line, more of the story is added, and the summary comes again', async () => {
    const u = user('dan-summary-fix');
    await u.say('thang be 10 tuoi nha ben bi bo danh bam tim ca nguoi o na ca, hom qua');
    for (const step of ['unknown', 'skip', 'skip', 'anonymous']) await u.press(step);
    const fixed = async (said: string, line: string) => {
      const answer = texts(await u.say(said));
      expect(answer, said).toContain(line);
      expect(answer, said).toContain('Gửi báo cáo này?');
    };
    await fixed('à nhầm, không phải hôm qua mà là hôm kia', 'Thời gian: Hôm kia');
    await fixed('sửa thôn thành Bản Piềng', 'Thôn/xóm: Thôn Bản Piềng');
    await fixed('à là con gái', 'giới tính nữ');
    await fixed('tối qua em lại nghe tiếng nó khóc thét lên', 'tối qua em lại nghe tiếng nó khóc thét lên');
    // a place in a longer part of the story is no correction of the village
    await fixed('bố nó hay chở nó sang Nà Ca uống rượu cùng rồi đánh nó ở đó', 'Thôn/xóm: Thôn Bản Piềng');
    expect(texts(await u.say('hmm'))).toContain('gõ điều cần sửa');
    const done = texts(await u.say('gửi'));
    const code = done.match(/TE-[0-9A-Z]{6}/)![0];
    const details = await svc.runtime.services.cases.openDetails(code);
    expect(details?.when).toMatch(/^Hôm kia/);
    expect((await svc.runtime.services.cases.get(code))?.village).toBe('Thôn Bản Piềng');
  });

  it('"thôi" alone asks before it drops a story already told; "huỷ" and the button drop it at once', async () => {
    const u = user('dan-bare-stop');
    await u.say('thang be 10 tuoi nha ben bi bo danh bam tim ca nguoi o na ca, hom qua');
    const asked = await u.say('thôi');
    expect(texts(asked)).toContain('Bạn muốn dừng báo cáo này?');
    expect(asked.at(-1)?.choices?.map((c) => c.value)).toEqual(['flow:cancel', 'flow:resume']);
    expect(await svc.runtime.services.sessions.get('local:dan-bare-stop')).toBeDefined();
    expect(texts(await u.press('flow:resume'))).toContain('nguy hiểm');
    expect(texts(await u.say('thoi vay'))).toContain('Bạn muốn dừng báo cáo này?');
    expect(texts(await u.press('flow:cancel'))).toContain('Đã huỷ');
    expect(await svc.runtime.services.sessions.get('local:dan-bare-stop')).toBeUndefined();
    // with nothing told yet, "thôi" stops at once; "huỷ" always does
    const v = user('dan-bare-stop-2');
    await v.say('/baocao');
    expect(texts(await v.say('thôi'))).toContain('Đã huỷ');
    await v.say('thang be 10 tuoi nha ben bi bo danh bam tim ca nguoi o na ca, hom qua');
    expect(texts(await v.say('huỷ'))).toContain('Đã huỷ');
  });

  it('at the category question a few words that go on with the story are kept with it', async () => {
    const u = user('dan-story-at-category');
    // Who the child is, and nothing yet of what happened: the story is asked for (no emergency notice).
    const first = texts(await u.say('nhà bác em có đứa con gái 15 tuổi'));
    expect(first).toContain('Xin kể ngắn gọn');
    expect(first).not.toContain('113');
    expect(texts(await u.say('bác trai hay say rượu'))).toContain('Mình đã ghi thêm vào lời kể của bạn');
    expect(texts(await u.say('tối qua bác ấy vào phòng con bé'))).toContain('113');
    await u.say('huỷ');
  });

  it('takes the reporter\'s name and number the way people give them at the contact question', async () => {
    /** Walks to the contact question with buttons, then types `answers` one by one; returns the last replies. */
    const toContact = async (id: string, answers: string[]) => {
      const u = user(id);
      await u.say('chau be hang xom 8 tuoi bi bo danh bam tim ca nguoi');
      for (const step of ['violence', 'Thôn Nà Ca', 'Hôm nay', 'nam', 'no', 'skip', 'skip']) await u.press(step);
      let last = '';
      for (const a of answers) last = texts(await u.say(a));
      return last;
    };
    // Name and number in one message: both are taken, neither is asked again.
    const both = await toContact('dan-contact-1', ['sđt của em là 0987.654.321, tên Lã Thị Hoa']);
    expect(both).toContain('Người báo: Lã Thị Hoa, 0987654321');
    expect(both).toContain('Gửi báo cáo này?');
    // "để lại sđt" asks for the name, and a number typed with it at the name question is taken too.
    expect(await toContact('dan-contact-2', ['de lai sdt nhe'])).toContain('Tên của bạn');
    expect(await toContact('dan-contact-3', ['de lai sdt nhe', 'chị Mai 0912 345 678'])).toContain('Người báo: chị Mai, 0912345678');
    // A number alone asks for the name, also with the words around it in chat shorthand.
    expect(await toContact('dan-contact-4', ['0912345678'])).toContain('Tên của bạn');
    expect(await toContact('dan-contact-12', ['so e 0912345678'])).toContain('Tên của bạn');
    expect(await toContact('dan-contact-13', ['sdt mk la 0912345678 nha'])).toContain('Tên của bạn');
    // Whose number it is, when it is a relative's ("số của mẹ em"): kept as who to call, not the name "mẹ".
    expect(await toContact('dan-contact-14', ['so cua me e 0987654321'])).toContain('Người báo: me e, 0987654321');
    expect(await toContact('dan-contact-15', ['gọi cho bà ngoại em nhé 0912 111 222'])).toContain('Người báo: bà ngoại em, 0912111222');
    // Saying no in one's own words stays anonymous.
    expect(await toContact('dan-contact-5', ['thôi khỏi, không cần đâu'])).toContain('Người báo: ẩn danh');
    expect(await toContact('dan-contact-6', ['k can'])).toContain('Người báo: ẩn danh');
    // Given before it is asked: kept, and the contact questions are passed over.
    const early = user('dan-contact-7');
    await early.say('chau be hang xom 8 tuoi bi bo danh bam tim ca nguoi');
    for (const step of ['violence', 'Thôn Nà Ca', 'Hôm nay']) await early.press(step);
    const kept = texts(await early.say('chị Lan, gv chủ nhiệm, 0915 222 333'));
    expect(kept).toContain('Mình đã ghi số điện thoại');
    expect(kept).toContain('bé trai hay bé gái'); // the same question again
    for (const step of ['nam', 'no', 'skip']) await early.press(step);
    const summary = texts(await early.press('skip'));
    expect(summary).toContain('Người báo: chị Lan gv chủ nhiệm, 0915222333');
    expect(summary).toContain('Gửi báo cáo này?');
    expect(summary).not.toContain('Sự việc: chau be hang xom 8 tuoi bi bo danh bam tim ca nguoi\nchị Lan');
    // A name given by its marker is the words after it, whatever else the message says.
    for (const [id, said, name] of [
      ['dan-contact-9', 'tôi là hàng xóm, số của tôi 0987 654 321, tên Lan', 'Lan'],
      ['dan-contact-10', 'em ten la Nguyen Thi Hoa, sdt 0912 000 111', 'Nguyen Thi Hoa'],
      // no name, who they are: kept without the pronoun
      ['dan-contact-11', 'tôi là mẹ cháu, sđt 0912 345 000', 'mẹ cháu'],
    ] as const) {
      const u = user(id);
      await u.say('chau be hang xom 8 tuoi bi bo danh bam tim ca nguoi');
      for (const step of ['violence', 'Thôn Nà Ca', 'Hôm nay']) await u.press(step);
      await u.say(said);
      for (const step of ['nam', 'no', 'skip']) await u.press(step);
      expect(texts(await u.press('skip')), said).toMatch(new RegExp(`Người báo: ${name}, 09`));
      await u.say('huỷ');
    }
    // Someone else's number is for the officers in the story, never taken for the reporter's.
    const other = user('dan-contact-8');
    await other.say('chau be hang xom 8 tuoi bi bo danh bam tim ca nguoi');
    for (const step of ['violence', 'Thôn Nà Ca']) await other.press(step);
    const theirs = texts(await other.say('e co so dt cua bo no 0977123456'));
    expect(theirs).toContain('ghi số điện thoại đó vào lời kể');
    expect(theirs).toContain('khi nào');
    for (const step of ['Hôm nay', 'nam', 'no', 'skip', 'skip']) await other.press(step);
    const asked = texts(await other.say('ẩn danh'));
    expect(asked).toContain('Người báo: ẩn danh');
    expect(asked).toContain('so dt cua bo no 0977123456');
  });

  it('answers a question about the report itself and asks the same question again', async () => {
    const u = user('dan-aside');
    await u.say('chau be hang xom 8 tuoi bi bo danh bam tim ca nguoi');
    for (const step of ['violence', 'Thôn Nà Ca', 'Hôm nay', 'nam']) await u.press(step);
    const media = texts(await u.say('gửi ảnh sau dc ko'));
    expect(media).toContain('gửi ảnh, video');
    expect(media).toContain('đang gặp nguy hiểm'); // the same question, nothing answered
    const privacy = texts(await u.say('co ai biet la em bao k?'));
    expect(privacy).toContain('Chỉ cán bộ xử lý vụ việc');
    expect(privacy).toContain('đang gặp nguy hiểm');
    // A question that opens with "có" is no yes to "in danger now?"
    const later = texts(await u.say('có ảnh chụp màn hình tin nhắn, gửi sau đc k'));
    expect(later).toContain('gửi ảnh, video');
    expect(later).toContain('đang gặp nguy hiểm');
    expect(texts(await u.say('bao lâu thì có người đến ạ?'))).toContain('Việc khẩn cấp được báo ngay');
    expect(texts(await u.say('không'))).toContain('Tên hoặc tên viết tắt');
    // A longer text that ends with a question is more of the story, not an aside.
    await u.press('skip');
    const story = 'bố nó hay say rượu về đánh, mẹ nó thì đi làm xa, em chụp được ảnh vết bầm rồi, gửi cho ai được không?';
    expect(texts(await u.say(story))).toContain('để lại tên');
    expect(texts(await u.say('ẩn danh'))).toContain(story);
    await u.say('huỷ');
  });

  it('takes "em không biết" at the village question as not known, and keeps what follows in the story', async () => {
    const u = user('dan-village-unsure');
    if (texts(await u.say('con bé lớp 7 bị người lạ trên facebook dọa tung ảnh nhạy cảm')).includes('mục nào')) await u.press('online');
    expect(texts(await u.say('em ko biết, bé học cùng trường với con em'))).toContain('khi nào');
    // "con bé": a girl; "lớp 7": about 12, so neither is asked
    expect(texts(await u.press('Hôm nay'))).toContain('nguy hiểm');
    for (const step of ['no', 'skip', 'skip']) await u.press(step);
    const summary = texts(await u.say('ẩn danh'));
    expect(summary).toContain('khoảng 12 tuổi (lớp 7)');
    expect(summary).toContain('Thôn/xóm: Không rõ');
    expect(summary).toContain('học cùng trường với con em');
    await u.say('huỷ');
  });

  it('keeps a sex, an age or a time typed ahead at the village question for its own question', async () => {
    const u = user('dan-village-ahead');
    if (texts(await u.say('con bé hàng xóm bị người lạ trên mạng dụ đi gặp mặt')).includes('mục nào')) await u.press('online');
    for (const [typed, kept] of [['con gai', 'bé gái'], ['nữ', 'bé gái'], ['10t', 'trẻ 10 tuổi'], ['toi qua', 'thời gian']] as const) {
      const reply = texts(await u.say(typed));
      expect(reply).toContain(`Mình đã ghi: ${kept}`);
      expect(reply).toContain('thôn/xóm nào');
    }
    // Village given, the questions answered ahead are passed over: the next is "in danger now?".
    expect(texts(await u.say('thon Na Ca'))).toContain('nguy hiểm');
    for (const step of ['no', 'skip', 'skip']) await u.press(step);
    expect(texts(await u.say('ẩn danh'))).toContain('Trẻ: 10 tuổi, giới tính nữ');
    await u.say('huỷ');
  });

  /** Starts a report with `story`, picks `category` if asked, and answers the village with `village`. */
  async function storyThenVillage(id: string, story: string, category: string, village = 'Thôn Nà Ca'): Promise<{ u: LocalChatUser; reply: string }> {
    const u = user(id);
    if (texts(await u.say(story)).includes('mục nào')) await u.press(category);
    const reply = village.startsWith('Thôn ') ? texts(await u.press(village)) : texts(await u.say(village));
    return { u, reply };
  }

  it('takes a story told as happening now for the answer to "when?", and "đáng thương" for no "đang"', async () => {
    for (const [id, story] of [
      ['dan-now-1', 'chú hàng xóm say rượu, nó đang cầm dao đuổi con bé nhà bên'],
      ['dan-now-2', 'bay gio ong ay dang danh con be nha ben, no khoc ghe lam'],
    ] as const) {
      const { u, reply } = await storyThenVillage(id, story, 'violence');
      expect(reply, story).not.toContain('khi nào');
      expect(reply, story).toContain('bao nhiêu tuổi');
      await u.say('huỷ');
    }
    const { u, reply } = await storyThenVillage('dan-now-3', 'con be nha ben dang thuong lam, bo me bo di lam xa khong ai cham soc', 'neglect');
    expect(reply).toContain('khi nào');
    await u.say('huỷ');
  });

  it('keeps a place not in the list as typed, sure or not ("hình như ở thôn 3"), and reads "lên 7" as an age', async () => {
    for (const [id, typed, kept] of [['dan-place-1', 'hình như ở thôn 3', 'Thôn 3'], ['dan-place-2', 'chắc là xóm Mới bên kia suối', 'Xóm Mới']] as const) {
      const { u, reply } = await storyThenVillage(id, 'bé hàng xóm mới lên 3 bị bố mẹ bỏ ở nhà một mình cả ngày hôm qua', 'neglect', typed);
      // The story told the age ("mới lên 3") and the time: the next question is the sex.
      expect(reply, typed).toContain('bé trai hay bé gái');
      for (const answer of ['nam', 'no', 'skip', 'skip']) await u.say(answer);
      const summary = texts(await u.say('ẩn danh'));
      expect(summary, typed).toContain(`Thôn/xóm: ${kept}`);
      expect(summary, typed).toContain('3 tuổi');
      await u.say('huỷ');
    }
    const { u } = await storyThenVillage('dan-place-3', 'thằng bé nhà bên bị bố đánh bầm tím hôm qua', 'violence');
    expect(texts(await u.say('tầm lên 7'))).toContain('nguy hiểm');
    await u.say('huỷ');
  });

  it('takes the child\'s name without the words around it, also typed at another of the child\'s questions', async () => {
    const { u, reply } = await storyThenVillage('dan-name-1', 'bé hàng xóm bị bố đánh bầm tím hôm qua', 'violence');
    expect(reply).toContain('bao nhiêu tuổi');
    // A name typed early is kept, with the sex its word tells, and the question is asked again.
    const early = texts(await u.say('thằng Bin'));
    expect(early).toContain('Mình đã ghi tên trẻ: Bin');
    expect(early).toContain('bao nhiêu tuổi');
    expect(texts(await u.say('6t'))).toContain('nguy hiểm');
    // Not at "in danger now?": "thằng đó" there is no name.
    expect(texts(await u.say('có, thằng đó vẫn ở nhà'))).toContain('biết thêm');
    for (const answer of ['skip']) await u.press(answer);
    const summary = texts(await u.say('ẩn danh'));
    expect(summary).toContain('Trẻ: Bin, 6 tuổi, giới tính nam');
    await u.say('huỷ');
    for (const [id, typed, name] of [['dan-name-2', 'con bé Lan ạ', 'Lan'], ['dan-name-3', 'tên nó là Tí', 'Tí'], ['dan-name-4', 'K.H.', 'K.H.']] as const) {
      const { u: v } = await storyThenVillage(id, 'bé hàng xóm 8 tuổi bị bố đánh bầm tím hôm qua', 'violence');
      await v.say('khong ro');
      await v.press('no');
      expect(texts(await v.say(typed)), typed).toContain('biết thêm');
      await v.press('skip');
      expect(texts(await v.say('ẩn danh')), typed).toContain(`Trẻ: ${name}, 8 tuổi`);
      await v.say('huỷ');
    }
  });

  it('keeps a time, an age or a sex typed at the category question, "để lại số" typed early, and a phone number typed oddly', async () => {
    const u = user('dan-category-ahead');
    expect(texts(await u.say('có chuyện này không biết nên báo không, con bé nhà bên hay bị mắng, hay khóc, suốt ngày ở nhà trông em'))).toContain('mục nào');
    for (const [typed, kept] of [['hôm kia', 'thời gian hôm kia'], ['8 tuổi', 'trẻ 8 tuổi']] as const) {
      const reply = texts(await u.say(typed));
      expect(reply, typed).toContain(`Mình đã ghi: ${kept}`);
      expect(reply, typed).toContain('mục nào');
    }
    expect(texts(await u.press('other'))).toContain('thôn/xóm nào');
    // The time and the age were kept: after the village, the next question is "in danger now?".
    expect(texts(await u.press('Thôn Bản Piềng'))).toContain('nguy hiểm');
    expect(texts(await u.say('de lai so nhe'))).toContain('mình sẽ xin tên và số điện thoại');
    for (const answer of ['no', 'skip', 'skip']) await u.press(answer);
    // The contact question is passed over: the name and the number are asked.
    expect(texts(await u.say('chị Mai'))).toContain('Số điện thoại');
    const summary = texts(await u.say('o9l2 345 678'));
    expect(summary).toContain('Người báo: chị Mai, 0912345678');
    expect(summary).toContain('Thời gian: Hôm kia');
    expect(summary).toContain('Trẻ: 8 tuổi');
    await u.say('huỷ');
  });

  it('puts the sex right with "à nhầm", and takes a change of mind about the contact at the summary', async () => {
    const { u } = await storyThenVillage('dan-mind', 'hàng xóm nhà em có đứa bé 8 tuổi bị bố đánh bầm tím hôm qua', 'violence');
    expect(texts(await u.press('nu'))).toContain('nguy hiểm');
    const fixed = texts(await u.say('à nhầm, cháu là con trai'));
    expect(fixed).toContain('Mình đã sửa lại: bé trai');
    expect(fixed).toContain('nguy hiểm');
    for (const answer of ['no', 'skip', 'skip', 'contact']) await u.press(answer);
    await u.say('chị Mai');
    expect(texts(await u.say('0912 345 678'))).toContain('Người báo: chị Mai, 0912345678');
    const anonymous = texts(await u.say('thôi, em muốn ẩn danh'));
    expect(anonymous).toContain('Mình đã đổi thành báo ẩn danh');
    expect(anonymous).toContain('Người báo: ẩn danh');
    expect(anonymous).toContain('giới tính nam');
    expect(texts(await u.say('à mà thôi, để lại số nhé'))).toContain('Tên của bạn');
    await u.say('Mai');
    expect(texts(await u.say('0987654321'))).toContain('Người báo: Mai, 0987654321');
    await u.say('huỷ');
  });

  it('answers "xong chưa" with how many questions are left, and keeps "ẩn danh" typed before its question', async () => {
    const { u } = await storyThenVillage('dan-progress', 'bé hàng xóm 8 tuổi bị bố đánh bầm tím hôm qua', 'violence');
    for (const asked of ['xong chưa', 'còn mấy câu nữa vậy']) {
      const reply = texts(await u.say(asked));
      expect(reply, asked).toMatch(/Sắp xong rồi ạ, còn \d+ câu ngắn nữa/);
      expect(reply, asked).toContain('bé trai hay bé gái');
    }
    expect(texts(await u.say('em muốn ẩn danh'))).toContain('Mình ghi là bạn báo ẩn danh');
    for (const answer of ['nam', 'no', 'skip']) await u.say(answer);
    // The contact question is passed over: the next is the summary.
    const summary = texts(await u.say('bỏ qua'));
    expect(summary).toContain('Người báo: ẩn danh');
    expect(summary).toContain('Gửi báo cáo này?');
    await u.say('huỷ');
  });

  it('reads the time as people say it, and a "don\'t know" as no name', async () => {
    const start = async (id: string) => {
      const u = user(id);
      // The category is offered or pre-selected, as the model reads it; either way the time is asked next.
      if (texts(await u.say('Anh ơi con bé nhà bên cạnh mới 13 tuổi mà bố mẹ nó bắt lấy chồng người bên kia biên giới')).includes('mục nào')) await u.press('marriage');
      expect(texts(await u.press('Thôn Khuổi Tát'))).toContain('khi nào');
      return u;
    };
    // Not a time: asked again, with an example; a time in any words: taken as typed.
    const a = await start('dan-when-1');
    expect(texts(await a.say('đau quá'))).toContain('gõ lúc nào');
    // "ẩn danh" here answers the contact question ahead, and "when?" is asked again.
    const anonymous = texts(await a.say('ẩn danh'));
    expect(anonymous).toContain('Mình ghi là bạn báo ẩn danh');
    expect(anonymous).toContain('khi nào');
    expect(texts(await a.say('khoảng 3 giờ chiều qua'))).toContain('nguy hiểm');
    // "dạo này" is a time; "Tùng và Mai" (names) at another question is none ("Mai" is no "mai", tomorrow).
    const d = await start('dan-when-4');
    expect(texts(await d.say('dạo này'))).toContain('nguy hiểm');
    const names = texts(await d.say('Tùng và Mai'));
    expect(names).not.toContain('Mình đã ghi: thời gian');
    await d.say('huỷ');
    // More of the story that says when answers the question too: it is kept and not asked again.
    const b = await start('dan-when-2');
    // Told as going on now, it also answers "in danger now?".
    const more = texts(await b.say('đang chuẩn bị đồ, sáng mai nhà trai sang đón đi'));
    expect(more).toContain('ghi thêm vào lời kể');
    expect(more).toContain('Tên hoặc tên viết tắt');
    expect(more).not.toContain('khi nào');
    // "không biết tên" at the child's name is no name; a short answer that gives one is kept.
    expect(texts(await b.say('k bik ten'))).toContain('biết thêm');
    await b.press('skip');
    const summary = texts(await b.say('ẩn danh'));
    expect(summary).toContain('Thời gian: Đang xảy ra');
    expect(summary).toContain('Đang gặp nguy hiểm: Có');
    expect(summary).toContain('Trẻ: 13 tuổi');
    expect(summary).toContain('sáng mai nhà trai sang đón');
    // "Em không nhớ nữa" is "Không rõ".
    const c = await start('dan-when-3');
    expect(texts(await c.say('em không nhớ nữa'))).toContain('nguy hiểm');
    await c.press('no');
    await c.say('bé Hà');
    await c.press('skip');
    // "bé Hà": the name is Hà.
    expect(texts(await c.say('ẩn danh'))).toMatch(/Thời gian: Không rõ[\s\S]*Trẻ: Hà, 13 tuổi/);
    // Harm that goes on, with the worst day named, typed at "when?": kept in the story and, in the
    // person's words, as the time, not asked again.
    const e = await start('dan-when-4');
    const ongoing = texts(await e.say('ngày nào cũng đánh, hôm qua là nặng nhất'));
    expect(ongoing).toContain('ghi thêm vào lời kể');
    expect(ongoing).not.toContain('khi nào');
    const g = await start('dan-when-6');
    expect(texts(await g.say('no di tu tuan truoc, 3 hom nay ko goi dc'))).not.toContain('khi nào');
    // An age range typed at "when?" is the age, and "when?" is asked again.
    const f = await start('dan-when-5');
    const age = texts(await f.say('tam 6 7 tuoi'));
    expect(age).toContain('Mình đã ghi: trẻ khoảng 6–7 tuổi');
    expect(age).toContain('khi nào');
    for (const u of [a, b, c, e, f, g]) await u.say('huỷ');
  });

  it('speaks to a child who tells of harm to themselves, and warns the officers to contact them with care', async () => {
    const u = user('dan-self');
    const first = texts(await u.say('chi oi cuu em, bo em say ruou ve danh em voi me, em so lam'));
    expect(first).toContain('Cảm ơn em');
    expect(first).toContain('Nếu em đang gặp nguy hiểm, hãy gọi ngay 111');
    expect(first).toContain('người lớn em tin');
    if (first.includes('mục nào')) {
      // The place, told at the category question, is kept: the village question is passed over.
      expect(texts(await u.say('em o na ca'))).toContain('Mình đã ghi nơi xảy ra: Thôn Nà Ca');
      await u.press('violence');
    } else {
      expect(first).toContain('Nhà em ở thôn/xóm nào?');
      await u.press('Thôn Nà Ca');
    }
    expect(texts(await u.say('tối qua'))).toContain('Em bao nhiêu tuổi');
    expect(texts(await u.say('12'))).toContain('Em là bạn nam hay bạn nữ');
    expect(texts(await u.press('nam'))).toContain('em có đang gặp nguy hiểm');
    await u.press('no');
    expect(texts(await u.say('Tuấn'))).toContain('Em đang ở với ai');
    await u.say('em o voi ba noi');
    const summary = texts(await u.say('để lại sđt 0987 654 321'));
    expect(summary).toContain('Người báo: Tuấn, 0987654321'); // the name given as the child's, not asked twice
    expect(summary).toContain('Thôn Nà Ca');
    const done = texts(await u.say('gửi'));
    expect(done).toContain('Xã đã nhận tin của em');
    const code = done.match(/TE-[0-9A-Z]{6}/)![0];
    expect((await svc.runtime.services.cases.openDetails(code))?.reporter.self).toBe(true);
    // The officer reading the case is told the reporter may be the child.
    await svc.runtime.services.roles.assign({ identity: 'local:cb-self', communeId: 'bao-linh', role: 'officer', since: Date.now() }, 'test');
    expect(texts(await user('cb-self').say(`/xem ${code}`))).toContain('Có thể chính trẻ tự báo');
    // A grown-up telling of a child is not spoken to as one.
    const adult = texts(await user('dan-not-self').say('chị ơi cứu em với, đứa bé nhà bên đang bị bố nó đánh'));
    expect(adult).not.toContain('Cảm ơn em');
    expect(adult).toContain('Nếu trẻ đang gặp nguy hiểm');
  });

  it('knows a child by a touch on their own body or their class as well as by "… đánh em", and a friend or a neighbour\'s child as another child', async () => {
    const own = [
      'e la hs lop 8, co giao chu nhiem hay goi e o lai sau gio hoc r sờ vào ngực e, e ko dam noi vs ai',
      'chú hàng xóm hay sờ vào người em, em sợ lắm',
      'em học lớp 6, tối nào bố say cũng đánh',
      // "e", "mk" as children type them; "mẹ con e" is the writer and their mother, no other child
      'a ơi cứu e với, ba e say rượu về đang đập phá đồ, ổng cầm dao dọa giết mẹ con e',
      'mk bị anh họ sờ người, mk sợ lắm',
    ];
    const others = ['bạn cùng lớp em bị bố đánh bầm tím cả người', 'bé hàng xóm nhà em bị bố đánh chảy máu', 'con e bị bố nó đánh sưng mặt'];
    for (const [i, said] of [...own, ...others].entries()) {
      const u = user(`dan-self-kind-${i}`);
      const first = texts(await u.say(said));
      if (i < own.length) expect(first, said).toContain('Cảm ơn em');
      else expect(first, said).not.toContain('Cảm ơn em');
      await u.say('huỷ');
    }
  });

  it('a child who gives their class first and tells of their own grown-up in the next messages is spoken to as "em" from then on', async () => {
    const u = user('dan-self-later');
    await u.say('e năm nay lớp 6');
    const told = texts(await u.say('dượng e hay vào phòng e lúc mẹ đi làm ca đêm'));
    expect(told).toContain('Nếu em đang gặp nguy hiểm');
    expect(told).not.toContain('Nếu trẻ đang gặp nguy hiểm');
    expect(texts(await u.say('e ko thích nhưng ko dám nói với mẹ'))).toContain('lời em kể');
    await u.say('huỷ');
    // A grown-up giving a child's class and naming their own kin is not taken for the child.
    const adult = user('dan-self-later-adult');
    await adult.say('con bé nhà bên học lớp 6');
    expect(texts(await adult.say('bố nó hay đánh nó, mẹ em bảo thế'))).not.toContain('lời em kể');
    await adult.say('huỷ');
  });

  it('at the category question a child is spoken to as "em" too: more of the story kept, a word that is no category', async () => {
    const u = user('dan-self-category');
    expect(texts(await u.say('e la hs lop 7, bo e hay danh e bang roi, e so lam'))).toContain('mục nào');
    const more = texts(await u.say('tối nào bố say cũng đánh'));
    expect(more).toContain('Mình đã ghi thêm vào lời em kể');
    expect(more).not.toContain('của bạn');
    const word = texts(await u.say('12'));
    expect(word).toContain('em không cần chọn thật đúng');
    expect(word).not.toContain('bạn');
    await u.say('huỷ');
  });

  it('answers a question about an earlier report in the middle of a new one, and offers to go on', async () => {
    const u = user('dan-midway');
    const code = await typedReport(u);
    await u.say('chau be hang xom 8 tuoi bi bo danh bam tim ca nguoi');
    await u.press('violence');
    const asked = await u.say('báo cáo hôm trước của em đến đâu rồi ạ');
    expect(texts(asked)).toContain(code);
    expect(texts(asked)).toContain('Bạn đang làm dở một việc');
    expect(asked.at(-1)?.choices?.map((c) => c.value)).toEqual(['flow:resume', 'flow:cancel']);
    expect(texts(await u.press('flow:resume'))).toContain('thôn/xóm nào');
    // An answer of a few words is still the step's ("hôm qua" at "when?").
    await u.press('Thôn Nà Ca');
    expect(texts(await u.say('hom qua'))).toContain('bé trai hay bé gái'); // the story gave the age
    expect(texts(await u.say('/trangthai'))).toContain('Bạn đang làm dở một việc');
    await u.say('huỷ');
  });

  it('answers short questions about the service in their own words, outside a report', async () => {
    const u = user('dan-faq');
    expect(texts(await u.say('báo cáo ở đây có mất phí không ạ'))).toContain('Không mất phí');
    expect(texts(await u.say('nếu em báo thì bố mẹ bạn ấy có biết em báo không'))).toContain('không được biết ai đã báo');
    // The family named as who may know, without "em báo" after it, got the advice on bringing up children.
    for (const asked of ['em ơi cho chị hỏi, nếu mình báo thì bố mẹ nó có biết không', 'bao thi nha do co biet ko']) {
      expect(texts(await u.say(asked)), asked).toContain('không được biết ai đã báo');
    }
    expect(texts(await u.say('em muốn hỏi trẻ bị bạo lực thì gọi số nào'))).toContain('Gọi 111');
    expect(texts(await u.say('báo cáo ban đêm có ai đọc không'))).toContain('kể cả ban đêm');
    // Whether anyone is on duty (it got the whole help): the same answer.
    for (const asked of ['có ai trực không vậy', 'giờ này có ai trực ko ạ', 'xã có trực đêm không']) expect(texts(await u.say(asked)), asked).toContain('kể cả ban đêm');
    // the question asked in chat shorthand ("… được ko") is a question too, not a request to report
    expect(texts(await u.say('bao cao an danh duoc ko'))).toContain('không được biết ai đã báo');
    expect(texts(await u.say('báo xong thì xã làm gì'))).toContain('tìm hiểu và hỗ trợ trẻ');
    // A question word before "tiếp", "nữa": still asked (it got the whole help).
    for (const asked of ['e vừa báo xong, giờ e phải làm gì tiếp ạ', 'báo xong rồi thì làm gì nữa']) expect(texts(await u.say(asked)), asked).toContain('tìm hiểu và hỗ trợ trẻ');
    // Where to report: here (it got the advice on bringing up children).
    for (const asked of ['cho e hỏi nếu thấy trẻ bị bạo hành thì báo ở đâu ạ', 'thay tre bi danh thi bao o dau vay']) {
      expect(texts(await u.say(asked)), asked).toContain('báo ngay tại đây');
    }
    // Where to meet an officer in person: the commune's office and hours, also asked as a bare request
    // or with the wish to report there; a question word before its purpose ("gọi số nào để báo") still asks.
    for (const asked of ['mình muốn gặp trực tiếp cán bộ thì đến đâu', 'sdt cua ubnd xa', 'tôi muốn lên xã trình báo thì gặp ai', 'địa chỉ uỷ ban xã ở đâu ạ']) {
      const reply = texts(await u.say(asked));
      expect(reply, asked).toContain('Uỷ ban nhân dân xã Bảo Linh');
      expect(reply, asked).toContain('07:30');
    }
    expect(texts(await u.say('gọi số nào để báo'))).toContain('Gọi 111');
    // Papers and benefits are the commune office's, not the child line's
    for (const asked of ['xin hỏi thủ tục làm giấy khai sinh cho con', 'con tôi học lớp 3, muốn hỏi về chế độ học bổng cho hộ nghèo', 'cho hỏi làm thẻ bhyt cho cháu ở đâu']) {
      const reply = texts(await u.say(asked));
      expect(reply, asked).toContain('bộ phận một cửa');
      expect(reply, asked).not.toContain('gọi 111');
    }
    // a child harmed for want of papers is a story, and starts a report
    expect(texts(await user('dan-faq-papers').say('bố mẹ nó không làm giấy khai sinh cho nó, giờ 7 tuổi mà không được đi học'))).toContain('mục nào');
    // Nothing was started: a question is no report.
    expect(await svc.runtime.services.sessions.get('local:dan-faq')).toBeUndefined();
  });

  it('answers a feeling with a kind word: before a story it invites one, in a report it comforts and asks again', async () => {
    for (const [i, feeling] of ['em sợ quá', 'toi lo qua', 'hu hu', '😢😢😢', '😭'].entries()) {
      const reply = texts(await user(`dan-feel-${i}`).say(feeling));
      expect(reply, feeling).toContain('bạn cứ kể cho mình');
      expect(reply, feeling).not.toContain('chưa hiểu');
    }
    const child = user('dan-feel-child');
    await child.say('e 14t, ba e nhậu xỉn về là đánh e vs mẹ, tối qua đánh e bầm hết lưng');
    for (const feeling of ['e sợ lắm', 'em đang khóc', '😭😭']) {
      const reply = texts(await child.say(feeling));
      expect(reply, feeling).toContain('Em đừng sợ');
      expect(reply, feeling).toContain('thôn/xóm nào');
      expect(reply, feeling).not.toContain('không tìm thấy thôn');
    }
    // More than the feeling is the story's: "em sợ về nhà" is kept, not comforted away.
    expect(texts(await child.say('em sợ về nhà lắm vì bố vẫn ở nhà'))).not.toContain('Em đừng sợ');
    await child.say('huỷ');
  });

  it('answers doubt whether to report with reassurance and an invitation to tell, not "chưa hiểu"; told with a story, the story starts the report', async () => {
    for (const [i, said] of ['e ko biet co nen bao ko nua', 'tôi đang phân vân quá', 'sợ báo nhầm thì sao ạ', 'không chắc có phải bạo hành không'].entries()) {
      const reply = texts(await user(`dan-unsure-${i}`).say(said));
      expect(reply, said).toContain('không cần chắc chắn');
      expect(reply, said).toContain('cứ kể cho mình');
      expect(reply, said).not.toContain('chưa hiểu');
    }
    // In the middle of a report it is answered and the question asked again.
    const u = user('dan-unsure-report');
    await u.say('nha ben hay danh con, toi nao cung nghe thang be khoc thet');
    const mid = texts(await u.say('mà e cũng ko biết có nên báo ko'));
    expect(mid).toContain('không cần chắc chắn');
    expect(mid).toMatch(/mục nào|thôn\/xóm nào/);
    await u.say('huỷ');
    // With the story in the same message, the story starts the report.
    const told = texts(await user('dan-unsure-story').say('ko biết có nên báo ko, thằng bé nhà bên bị bố đánh chảy máu đầu'));
    expect(told).not.toContain('không cần chắc chắn');
    expect(told).toContain('113');
  });

  it('does not ask the child\'s name the story already gave, and "quay lại" still reaches it', async () => {
    const u = user('dan-named');
    const first = texts(await u.say('con tôi tên Minh, 9 tuổi, bé trai, hôm qua bị bạn lớp trên đánh chảy máu mũi ở trường'));
    if (first.includes('mục nào')) await u.press('bullying');
    await u.press('Thôn Nà Ca');
    expect(texts(await u.press('no'))).toContain('biết thêm'); // past the name question
    expect(texts(await u.say('quay lại'))).toContain('Tên hoặc tên viết tắt');
    await u.say('Minh');
    await u.press('skip');
    expect(texts(await u.say('ẩn danh'))).toContain('Trẻ: Minh, 9 tuổi');
    await u.say('huỷ');
  });

  it('takes the ages and sexes of several children as the answers to "how old?" and "a boy or a girl?"', async () => {
    const u = user('dan-two-ages');
    const first = texts(await u.say('nha hang xom co 2 dua nho bo me di lam an xa de o voi ba noi gia yeu, may hom nay ba om nam mot cho, 2 dua nho khong ai cho an'));
    if (first.includes('mục nào')) await u.press('neglect');
    expect(texts(await u.press('Thôn Nà Ca'))).toContain('bao nhiêu tuổi'); // "mấy hôm nay" answered "when?"
    expect(texts(await u.say('1 đứa 5 tuổi, 1 đứa 3 tuổi'))).toContain('bé trai hay bé gái');
    expect(texts(await u.say('1 trai 1 gai'))).toContain('nguy hiểm');
    for (const step of ['no', 'skip', 'skip']) await u.press(step);
    const summary = texts(await u.say('ẩn danh'));
    expect(summary).toContain('5 tuổi, 3 tuổi, giới tính cả nam và nữ');
    expect(summary).toContain('Thời gian: Mấy hôm nay');
    await u.say('huỷ');
    // ages listed before one "tuổi" are each kept: "6 và 9 tuổi", "5, 7 và 10 tuổi"
    for (const [said, kept] of [['2 dua, 6 va 9 tuoi', '6 tuổi, 9 tuổi'], ['ba đứa 5, 7 và 10 tuổi', '5 tuổi, 7 tuổi, 10 tuổi']] as const) {
      const p = user(`dan-listed-ages-${kept.length}`);
      if (texts(await p.say('hai đứa nhỏ nhà ông Ba bố mẹ đi làm ăn xa để ở nhà một mình, mấy hôm nay ăn mì tôm sống')).includes('mục nào')) await p.press('neglect');
      await p.press('Thôn Nà Ca');
      await p.say(said);
      for (const step of ['khong_ro', 'no', 'skip', 'skip']) await p.press(step);
      expect(texts(await p.say('ẩn danh')), said).toContain(`Trẻ: ${kept}, giới tính`);
      await p.say('huỷ');
    }
    /** A story that tells when but not the child's age or sex, its category and village given: at "how old?". */
    const atAge = async (id: string, story: string, category: string) => {
      const p = user(id);
      if (texts(await p.say(story)).includes('mục nào')) await p.press(category);
      await p.press('Thôn Nà Ca');
      return p;
    };
    // "năm tuổi" is an age, not a boy; a bare "không" is "I don't know"
    const v = await atAge('dan-two-sexes', 'cháu bé hàng xóm sáng nay bị bố đánh sưng mặt', 'violence');
    expect(texts(await v.say('5'))).toContain('bé trai hay bé gái');
    expect(texts(await v.say('gái, năm tuổi'))).toContain('nguy hiểm');
    for (const step of ['no', 'skip', 'skip']) await v.press(step);
    expect(texts(await v.say('ẩn danh'))).toContain('5 tuổi, giới tính nữ');
    const alone = 'có đứa bé ngồi khóc một mình ngoài chợ từ sáng tới giờ';
    const w = await atAge('dan-sex-unknown', alone, 'other');
    // the sex typed at "how old?" is kept for its own question, which is then passed over
    const early = texts(await w.say('2 đứa con trai'));
    expect(early).toContain('Mình đã ghi: bé trai');
    expect(early).toContain('bao nhiêu tuổi');
    expect(texts(await w.say('6'))).toContain('nguy hiểm');
    await w.say('huỷ');
    const x = await atAge('dan-sex-unknown-2', alone, 'other');
    expect(texts(await x.say('6'))).toContain('bé trai hay bé gái');
    expect(texts(await x.say('ko'))).toContain('nguy hiểm');
    await x.say('huỷ');
  });

  it('stickers and other non-text messages get a polite answer', async () => {
    const { replies } = await svc.runtime.dispatcher.handle({ channel: 'local', userId: 'dan-sticker', chatId: 'dan-sticker', media: [{ kind: 'sticker' }], platformId: 'st-1', receivedAt: Date.now() }, { offered: [] });
    expect(texts(replies)).toContain('nhãn dán');
  });

  it('keeps no child name or phone number in the clear anywhere in Redis', async () => {
    const u = user('dan-private');
    const code = await typedReport(u, { childName: 'Hoàng Thị Mỹ Duyên', phone: '0912 345 678' });
    const details = await svc.runtime.services.cases.openDetails(code);
    expect(details?.child.name).toBe('Hoàng Thị Mỹ Duyên');
    expect(details?.reporter.phone).toBe('0912345678');
    const dump = await dumpText(svc.redis.client);
    for (const secret of ['Mỹ Duyên', 'My Duyen', '0912345678', '912345678', 'Nguyễn Văn Bình', 'vết bầm']) {
      expect(dump).not.toContain(secret);
    }
    // The local chat's own transcript is the only place text is shown back; it is not report storage.
  });
});
