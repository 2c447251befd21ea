/**
 * The report's questions answered the way people type on a phone, through the real conversation on
 * every channel: an answer that belongs to another of the child's questions ("8 tuổi" at "when?"), an
 * age as a range or with "không", and "không biết tên" at an optional question. Written for this test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARNESSES, reportDraft, type ChannelHarness, type ChatDriver } from './helpers/channels.js';
import { sampleReport } from './helpers/reports.js';

const all = (rs: string[]) => rs.join('\n---\n');


describe.each(['telegram', 'zalo', 'local'] as const)('on %s', (channel) => {
  let h: ChannelHarness;
  let n = 0;
  const person = () => h.user(++n);
  const draft = (u: ChatDriver) => reportDraft(h, u);

  beforeAll(async () => {
    h = await HARNESSES[channel]();
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** A report that has reached "when?" with nothing of the child told. */
  async function atWhen(): Promise<ChatDriver> {
    const u = person();
    await u.say('/baocao');
    await u.press('Bị bỏ mặc, không được chăm sóc');
    await u.say('na ca');
    expect(all(await u.say('nhà bên để đứa nhỏ ở nhà một mình suốt, không ai cho ăn'))).toContain('khi nào');
    return u;
  }

  it('at "which village?", the village and where in it ("ở khuổi tát, gần nhà văn hoá") are both kept; "dạ thôn nà ca ạ" is the village alone; "chợ xã ạ" is the place as said', async () => {
    const story = 'có thằng bé nhà bên bị bố đánh bầm tím cả người';
    const u = person();
    expect(all(await u.say(story))).toContain('thôn/xóm nào');
    const said = all(await u.say('ở khuổi tát, gần nhà văn hoá'));
    expect(said).toContain('ghi thêm vào lời kể');
    expect(said).toContain('khi nào');
    expect(await draft(u)).toMatchObject({ village: 'Thôn Khuổi Tát', description: `${story}\nở khuổi tát, gần nhà văn hoá` });
    await u.say('huỷ');
    const plain = person();
    await plain.say(story);
    const only = all(await plain.say('dạ thôn nà ca ạ'));
    expect(only).not.toContain('ghi thêm');
    expect(only).toContain('khi nào');
    expect(await draft(plain)).toMatchObject({ village: 'Thôn Nà Ca', description: story });
    await plain.say('huỷ');
    // A place instead of a village ("chợ xã ạ"): kept as said; it got "Mình không tìm thấy thôn này".
    const market = person();
    await market.say(story);
    const there = all(await market.say('dạ ở chợ xã ạ'));
    expect(there).not.toContain('không tìm thấy');
    expect(there).toContain('khi nào');
    expect(await draft(market)).toMatchObject({ village: 'Chợ xã' });
    await market.say('huỷ');
  });

  it('where the child is now ("e đang ở nhà bạn") typed at another question is kept with the story, not saved as the time', async () => {
    const story = 'e 13t, bố e uống rượu về là đánh e vs mẹ, hnay e sợ k dám về nhà';
    const u = person();
    await u.say(story);
    expect(all(await u.say('e ở bản piềng'))).toContain('bạn nam hay bạn nữ');
    const when = (await draft(u)).when;
    const said = all(await u.say('e đang ở nhà bạn'));
    expect(said).toContain('ghi thêm vào lời em kể');
    expect(said).toContain('bạn nam hay bạn nữ');
    expect(said).not.toContain('thời gian');
    expect(await draft(u)).toMatchObject({ when, description: `${story}\ne đang ở nhà bạn` });
    await u.say('huỷ');
  });

  it('an age typed at "when?" is the age: kept, said back, and "when?" asked again; the age is not asked', async () => {
    const u = await atWhen();
    const said = all(await u.say('8 tuoi'));
    expect(said).toContain('trẻ 8 tuổi');
    expect(said).toContain('khi nào');
    expect(await draft(u)).toMatchObject({ childAge: '8 tuổi' });
    expect((await draft(u)).when).toBeUndefined();
    const next = all(await u.say('hôm qua'));
    expect(next).not.toContain('bao nhiêu tuổi');
    expect(next).toContain('bé trai hay bé gái');
    await u.say('huỷ');
  });

  it('"con trai hay con gái e k rõ" at "when?" is the sex not known, and "when?" is asked again; "từ sáng", "từ tối qua", "từ chiều" answer "when?"', async () => {
    const u = await atWhen();
    const said = all(await u.say('con trai hay con gái e k rõ'));
    expect(said).toContain('không rõ trai hay gái');
    expect(said).toContain('khi nào');
    expect(await draft(u)).toMatchObject({ childSex: 'khong_ro' });
    expect((await draft(u)).when).toBeUndefined();
    expect(all(await u.say('từ sáng'))).toContain('bao nhiêu tuổi');
    expect((await draft(u)).when).toMatch(/sáng/i);
    // The sex is not asked again: after the age comes "in danger now?".
    expect(all(await u.say('7'))).toContain('nguy hiểm');
    await u.say('huỷ');
    for (const time of ['từ tối qua', 'từ chiều', 'tu sang nay']) {
      const v = await atWhen();
      expect(all(await v.say(time)), time).toContain('bao nhiêu tuổi');
      expect((await draft(v)).when, time).toBeDefined();
      await v.say('huỷ');
    }
  });

  it('the class the child is in, typed at "how old?" ("no hoc lop 3", "bé đang học lớp ba"), gives about the age; it was asked again', async () => {
    for (const [said, age] of [['no hoc lop 3', 'khoảng 8 tuổi (lớp 3)'], ['bé đang học lớp ba', 'khoảng 8 tuổi (lớp 3)'], ['lop 9 roi', 'khoảng 14 tuổi (lớp 9)']] as const) {
      const u = await atWhen();
      await u.say('hôm nay');
      expect(all(await u.say(said)), said).toContain('bé trai hay bé gái');
      expect((await draft(u)).childAge, said).toBe(age);
      await u.say('huỷ');
    }
  });

  it('the class told in the story ("lớp e có 1 bé lớp 2 …") gives about the age, which is then not asked; two classes give none', async () => {
    const u = person();
    await u.say('lớp e có 1 bé lớp 2 dạo này hay đến lớp với vết bầm ở tay và cổ, bé bảo bị mẹ kế nhéo');
    expect((await draft(u)).childAge).toBe('khoảng 7 tuổi (lớp 2)');
    await u.say('huỷ');
    const v = person();
    await v.say('con tôi học lớp 2, hôm qua bị mấy bạn lớp 5 chặn đường đánh');
    expect((await draft(v)).childAge).toBeUndefined();
    await v.say('huỷ');
  });

  it('a boy or a girl typed at "how old?" is kept, and the sex question is then not asked', async () => {
    const u = await atWhen();
    await u.say('hôm nay');
    const said = all(await u.say('bé gái'));
    expect(said).toContain('bé gái');
    expect(said).toContain('bao nhiêu tuổi');
    expect(all(await u.say('7'))).toContain('nguy hiểm');
    expect(await draft(u)).toMatchObject({ childAge: '7 tuổi', childSex: 'nu' });
    await u.say('huỷ');
  });

  it('a time typed at "how old?" (the story had told one) puts the time right and asks the age again', async () => {
    const u = await atWhen();
    await u.say('hôm nay');
    const said = all(await u.say('à tối qua'));
    expect(said).toContain('thời gian tối qua');
    expect(said).toContain('bao nhiêu tuổi');
    expect((await draft(u)).when).toBe('Tối qua');
    expect(all(await u.say('9'))).toContain('bé trai hay bé gái');
    await u.say('huỷ');
  });

  it('"tầm 5 6 tuổi gì đó" is an age range, and a bare "không" to "how old?" is not known, never 0', async () => {
    const u = await atWhen();
    await u.say('hôm nay');
    expect(all(await u.say('tam 5 6 tuoi gi do'))).toContain('bé trai hay bé gái');
    expect((await draft(u)).childAge).toBe('khoảng 5–6 tuổi');
    await u.say('quay lại');
    expect(all(await u.say('không'))).toContain('bé trai hay bé gái');
    expect((await draft(u)).childAge).toBe('không rõ tuổi');
    await u.say('huỷ');
  });

  it('"k bik tên" at the child\'s name and "ko biết" at "anything more?" leave them empty, not stored as the answer', async () => {
    const u = await atWhen();
    await u.say('hôm nay');
    await u.say('6 tuổi');
    await u.say('trai');
    expect(all(await u.say('không'))).toContain('Tên hoặc tên viết tắt');
    expect(all(await u.say('k bik tên'))).toContain('biết thêm');
    expect(all(await u.say('ko biết'))).toContain('để lại tên');
    const d = await draft(u);
    expect(d.childName).toBeUndefined();
    expect(d.extra).toBeUndefined();
    await u.say('quay lại');
    await u.say('quay lại');
    // A name told with an unsure opening is still kept.
    await u.say('không chắc, hình như tên là Lan');
    expect((await draft(u)).childName).toBe('không chắc, hình như tên là Lan');
    await u.say('huỷ');
  });

  it('"à nhầm, thôn Bản Piềng chứ không phải Nà Ca" at a later question puts the village right; an age too', async () => {
    const u = person();
    const story = 'thằng cu 7 tuổi nhà ông Hùng thôn Nà Ca bị ông ta lấy roi vụt tối qua';
    await u.say(story);
    expect(await draft(u)).toMatchObject({ village: 'Thôn Nà Ca', childAge: '7 tuổi' });
    const fixed = all(await u.say('à nhầm, thôn Bản Piềng chứ không phải Nà Ca'));
    expect(fixed).toContain('sửa lại: Thôn Bản Piềng');
    expect(await draft(u)).toMatchObject({ village: 'Thôn Bản Piềng', description: story });
    expect(all(await u.say('không phải Bản Piềng, Khuổi Tát cơ'))).toContain('Thôn Khuổi Tát');
    expect(all(await u.say('xin lỗi, cháu 9 tuổi'))).toContain('sửa lại: trẻ 9 tuổi');
    // A correction that tells more keeps that in the story as well.
    const more = 'nhầm, ở Nà Ca, mà ông ta còn đánh cả đứa em gái nó nữa';
    expect(all(await u.say(more))).toContain('ghi thêm');
    expect(await draft(u)).toMatchObject({ village: 'Thôn Nà Ca', childAge: '9 tuổi', description: `${story}\n${more}` });
    await u.say('huỷ');
  });

  it('words that pick no category ("em ko dám nói với ai") get a reassurance, not an order, and the choices again', async () => {
    const u = person();
    await u.say('/baocao');
    const said = all(await u.say('em ko dam noi voi ai'));
    expect(said).toContain('không cần chọn thật đúng');
    expect(said).toContain('Việc khác');
    expect(u.offered()).toContain('Việc khác');
    await u.say('huỷ');
  });

  it('a status asked in everyday words says what the status means and what the person can do next', async () => {
    const u = person();
    const none = all(await u.say('toi muon hoi ve bao cao hom truoc'));
    expect(none).toContain('chưa gửi báo cáo nào');
    expect(none).toContain('mã báo cáo');
    const { code } = await h.svc.runtime.services.cases.create(sampleReport({ communeId: 'bao-linh' }, { reporter: { identity: u.identity } }), Date.now());
    for (const ask of ['chi oi vu chau bi danh e bao hom trc sao roi', `${code} có ai xuống chưa ạ`]) {
      const answer = all(await u.say(ask));
      expect(answer, ask).toContain(`Báo cáo ${code}: Đã nhận`);
      expect(answer, ask).toContain('đã nhận báo cáo và sẽ xem xét');
      expect(answer, ask).toContain(`bổ sung ${code}`);
      expect(answer, ask).toContain('113');
      expect(answer, ask).toContain('Vấn đề: ');
    }
    // With two reports sent, each says what it was about.
    const other = await h.svc.runtime.services.cases.create(sampleReport({ communeId: 'bao-linh', category: 'dropout' }, { reporter: { identity: u.identity } }), Date.now());
    const both = all(await u.say('báo cáo của tôi'));
    expect(both).toContain(`Báo cáo ${other.code}: Đã nhận`);
    expect(both).toContain('Vấn đề: Bỏ học');
  });

  it('a code typed in two halves ("te-7k3 m9q") or with the Vietnamese keyboard on (W typed as "Ư") gets its status', async () => {
    const u = person();
    // A code with a W, so the keyboard can turn it into "Ư" (codes are random: made until one has a W not first).
    let code = '';
    while (!/^TE-\w+W/.test(code)) code = (await h.svc.runtime.services.cases.create(sampleReport({ communeId: 'bao-linh' }, { reporter: { identity: u.identity } }), Date.now())).code;
    const signs = code.slice(3).toLowerCase();
    // Each got "chưa hiểu" and the menu.
    for (const ask of [`te-${signs.slice(0, 3)} ${signs.slice(3)}`, `TE ${signs.slice(0, 3).toUpperCase()}-${signs.slice(3).toUpperCase()} sao rồi`, `${code.replace('W', 'Ư')}`, `te ${signs.replace('w', 'ư')} xử lý chưa ạ`]) {
      const answer = all(await u.say(ask));
      expect(answer, ask).toContain(`Báo cáo ${code}:`);
      expect(answer, ask).not.toContain('chưa hiểu');
    }
  });

  it('"cho e bổ sung thêm chút" with nothing added asks for the addition, never sends the filler to the officers as one', async () => {
    const u = person();
    // Without a report sent, it is leave to tell, invited to go on.
    expect(all(await u.say('cho e bo sung them chut'))).toContain('bạn cứ nhắn, mình đang nghe');
    const { code } = await h.svc.runtime.services.cases.create(sampleReport({ communeId: 'bao-linh' }, { reporter: { identity: u.identity } }), Date.now());
    for (const ask of ['cho e bo sung them chut', 'em muốn bổ sung thêm ạ', 'cho tôi bổ sung thông tin nhé']) {
      const answer = all(await u.say(ask));
      expect(answer, ask).toContain(`bổ sung ${code} nội dung`);
      expect(answer, ask).not.toContain('đã được ghi lại');
    }
    const timeline = JSON.stringify(await h.svc.runtime.services.cases.get(code));
    expect(timeline).not.toContain('chut');
    expect(all(await u.say('bổ sung: mẹ cháu đi làm xa'))).toContain(`Thông tin bổ sung cho báo cáo ${code} đã được ghi lại`);
  });

  it('a code as people copy it, with "mã" for "TE-", without the prefix, other dashes, or a look-alike sign, gets its status', async () => {
    const u = person();
    // A code with a digit, as most are: typed bare it is no word (codes are random: made until one has).
    let code = '';
    while (!/\d/.test(code)) code = (await h.svc.runtime.services.cases.create(sampleReport({ communeId: 'bao-linh' }, { reporter: { identity: u.identity } }), Date.now())).code;
    const s = code.slice(3);
    const lower = s.toLowerCase();
    const halves = `${lower.slice(0, 3)} ${lower.slice(3)}`;
    // Each got "chưa hiểu" and the menu; the last one started a report.
    for (const ask of [
      `mã ${s}`, `mã ${s.slice(0, 3)}-${s.slice(3)}`, `ma so ${lower} a`, halves, `tình trạng ${lower}`, `${s} sao roi`,
      `TE–${s}`, `TE_${s}`, `te. ${lower}`, `ma bao cao cua em la ${s}`, `mã báo cáo của em là ${halves}`,
    ]) {
      const answer = all(await u.say(ask));
      expect(answer, ask).toContain(`Báo cáo ${code}:`);
      expect(answer, ask).not.toContain('chưa hiểu');
      expect(await draft(u), ask).toBeUndefined();
    }
    // An O for a 0 or a 1 for an I (no code has either): the nearest of the person's own codes, said so.
    const slip = `${s.slice(0, 5)}${/\d/.test(s[5]!) ? 'O' : '1'}`;
    for (const ask of [`mã ${slip}`, `TE-${slip.toLowerCase()}`]) {
      const answer = all(await u.say(ask));
      expect(answer, ask).toContain(`có lẽ bạn muốn nói báo cáo ${code}`);
    }
    // A code far from theirs (another's, or mixed up): not found, and their own codes listed to pick from.
    const far = all(await u.say(`/trangthai TE-${[...s].map((c) => (c === 'Z' ? 'Y' : 'Z')).join('')}`));
    expect(far).toContain('Không tìm thấy báo cáo');
    // Their codes (several made within the same millisecond come in any order, the newest three shown).
    const listed = far.match(/TE-[0-9A-Z]{6}(?=: )/g) ?? [];
    expect(far).toContain('Báo cáo bạn đã gửi từ tài khoản này:');
    expect(listed.length).toBeGreaterThan(0);
    const theirs = new Set((await h.svc.runtime.services.cases.listByReporter(u.identity)).map((r) => r.code));
    for (const c of listed) expect(theirs.has(c), c).toBe(true);
    // One who has sent nothing is only asked to check the code.
    expect(all(await person().say('/trangthai TE-ZZZZZZ'))).toContain('Xin kiểm tra lại mã.');
    // "mà" typed without its marks names no code: the story stays a story.
    expect(all(await person().say('chau be nha ben bi bo danh, ma thuong xuyen lam'))).toContain('lời kể');
  });

  it('a message that only asks leave to ask or tell is invited to go on, not told "chưa hiểu"; the story then starts a report', async () => {
    const u = person();
    // "cho toi bao" reads as a status question to the classifier: it got "Bạn chưa gửi báo cáo nào".
    // Who or where one is, said first ("chào chị, tôi là người ở xóm trên ạ"), got "chưa hiểu" and the menu too.
    for (const ask of ['cho toi hoi chut', 'chị ơi cho em hỏi', 'e muon bao chuyen nay', 'ad oi cho e nho chut dc ko', 'cho toi bao', 'cho em báo cái', 'chào chị, tôi là người ở xóm trên ạ', 'em ở bản piềng ạ']) {
      const answer = all(await u.say(ask));
      expect(answer, ask).toContain('bạn cứ nhắn, mình đang nghe');
      expect(answer, ask).not.toContain('chưa hiểu');
    }
    expect(await h.svc.runtime.services.sessions.get(u.identity)).toBeUndefined();
    await u.say('thằng bé nhà bên bị bố nó đánh thâm tím cả lưng, tối nào cũng nghe tiếng khóc');
    expect((await h.svc.runtime.services.sessions.get(u.identity))?.flow).toBe('report');
    await u.say('huỷ');
  });

  it('a question about a report\'s code or about what happens once one is sent, and a month\'s report, start no report; "tôi muốn báo cáo" still does', async () => {
    const u = person();
    // Each was taken as a request to report ("Cảm ơn bạn đã lên tiếng…") for its "báo cáo".
    for (const ask of ['cho hỏi mã báo cáo là gì vậy', 'báo cáo xong thì ai là người đọc', 'thon em bao cao thang 11 khong co truong hop nao']) {
      const answer = all(await u.say(ask));
      expect(answer, ask).not.toContain('Cảm ơn bạn đã lên tiếng');
      expect((await h.svc.runtime.services.sessions.get(u.identity))?.flow, ask).not.toBe('report');
    }
    expect(all(await u.say('tôi muốn báo cáo'))).toContain('Cảm ơn bạn đã lên tiếng');
    expect((await h.svc.runtime.services.sessions.get(u.identity))?.flow).toBe('report');
    await u.say('huỷ');
  });

  it('"thôi không báo nữa", "thôi huỷ đi" stop the report, never taken for a story; "thôi chết, …" still tells one', async () => {
    for (const stop of ['thôi không báo nữa', 'thoi huy di', 'thôi em không báo nữa đâu', 'e ko gui nua']) {
      const u = person();
      await u.say('/baocao');
      const said = all(await u.say(stop));
      expect(said, stop).toContain('Đã huỷ');
      expect(said, stop).not.toContain('khẩn cấp');
      expect(await h.svc.runtime.services.sessions.get(u.identity), stop).toBeUndefined();
    }
    const u = person();
    await u.say('/baocao');
    await u.say('thôi chết, con bé nhà bên bị ngã xuống ao');
    expect((await h.svc.runtime.services.sessions.get(u.identity))?.flow).toBe('report');
    await u.say('huỷ');
  });

  it('"thôi khỏi", "bỏ qua", "ko biết", "không muốn nói đâu" at any question pass it over as not known, never an error or an answer kept', async () => {
    const u = person();
    await u.say('/baocao');
    // Not the menu's order again: "ko biết" at the category is "Việc khác".
    await u.say('hàng xóm nhà tôi hay quát mắng đứa nhỏ, nhiều hôm không cho nó vào nhà');
    if ((await draft(u)).category === undefined) expect(all(await u.say('ko biết'))).toContain('Việc khác');
    for (const [said, next] of [['thôi khỏi', 'khi nào'], ['bỏ qua', 'bao nhiêu tuổi'], ['thôi khỏi', 'bé trai hay bé gái'], ['khỏi', 'nguy hiểm'], ['em không muốn nói đâu', 'Tên hoặc tên viết tắt'], ['khỏi', 'biết thêm'], ['thôi khỏi', 'để lại tên']] as const) {
      const reply = all(await u.say(said));
      expect(reply, said).toContain(next);
      expect(reply, said).not.toMatch(/Xin (chọn|gõ|trả lời)|không tìm thấy/);
    }
    expect(await draft(u)).toMatchObject({ village: 'Không rõ', when: 'Không rõ', childAge: 'không rõ tuổi', childSex: 'khong_ro', inDanger: 'unknown' });
    expect((await draft(u)).childName).toBeUndefined();
    expect((await draft(u)).extra).toBeUndefined();
    // Undecided about the contact is anonymous, as the report starts.
    expect(all(await u.say('ko biết'))).toContain('Người báo: ẩn danh');
    // Asked to be called, then no name and no number: anonymous again, said so.
    await u.say('quay lại');
    expect(all(await u.say('để lại liên hệ'))).toContain('Tên của bạn');
    expect(all(await u.say('thôi khỏi'))).toContain('Số điện thoại');
    const anonymous = all(await u.say('khỏi'));
    expect(anonymous).toContain('báo ẩn danh');
    expect(anonymous).toContain('Người báo: ẩn danh');
    expect(await draft(u)).toMatchObject({ wantsContact: false });
    expect((await draft(u)).category).toBeDefined();
    await u.say('huỷ');
  });

  it('at the summary, "gửi đi ạ", "ok gửi nhé" and "uk gửi đi" send the report; "chưa gửi vội" and "khoan, sửa đã" do not', async () => {
    const toSummary = async () => {
      const u = await atWhen();
      for (const said of ['hôm nay', '6 tuổi', 'trai', 'không', 'bỏ qua', 'bỏ qua']) await u.say(said);
      expect(all(await u.say('ẩn danh'))).toContain('Gửi báo cáo này?');
      return u;
    };
    for (const said of ['gửi đi ạ', 'ok gửi nhé', 'dạ gửi báo cáo giúp em', 'uk gửi đi']) {
      const u = await toSummary();
      expect(all(await u.say(said)), said).toContain('Đã nhận báo cáo');
    }
    for (const said of ['chưa gửi vội', 'khoan, sửa đã']) {
      const u = await toSummary();
      expect(all(await u.say(said)), said).not.toContain('Đã nhận báo cáo');
      expect(await draft(u), said).toBeDefined();
      await u.say('huỷ');
    }
  });

  it('a story told as going on now answers "when?" and "in danger now?"; a child safe now does not', async () => {
    const u = person();
    await u.say('bé nhà bên đang bị bố nhốt trong nhà kho, khóc mãi');
    expect(await draft(u)).toMatchObject({ when: 'Đang xảy ra', inDanger: 'yes' });
    await u.say('huỷ');
    // Most words typed without marks, one with: the unmarked "dang" is still read.
    const mixed = person();
    await mixed.say('thay 1 dua be tam 3 tuoi dang lang thang ngoai cho mot minh, khoc quá');
    expect(await draft(mixed)).toMatchObject({ when: 'Đang xảy ra', inDanger: 'yes' });
    await mixed.say('huỷ');
    const safe = person();
    await safe.say('hôm qua bố nó đánh thằng bé, bây giờ cháu về nhà bà an toàn rồi');
    expect((await draft(safe)).inDanger).toBeUndefined();
    expect((await draft(safe)).when).not.toBe('Đang xảy ra');
    await safe.say('huỷ');
  });

  it('a time typed with the keyboard left on, or without marks, is written properly; a span until now ("cả tháng nay", "từ đầu năm") is a time', async () => {
    for (const [typed, kept] of [['tuaan nay', 'Tuần này'], ['hom qua', 'Hôm qua'], ['dạ tháng này ạ', 'Tháng này'], ['từ đầu năm', 'Từ đầu năm'], ['tuần này, tối thứ 3', 'tuần này, tối thứ 3']] as const) {
      const u = await atWhen();
      expect(all(await u.say(typed)), typed).toContain('bao nhiêu tuổi');
      expect((await draft(u)).when, typed).toBe(kept);
      await u.say('huỷ');
    }
    const u = person();
    await u.say('nhà bên bỏ đói 2 đứa nhỏ cả tháng nay rồi, tối nào cũng khóc');
    expect((await draft(u)).when).toBe('Cả tháng nay');
    await u.say('huỷ');
  });

  it('a place not in the list typed in lower case at "which village?" ("xom tren") is kept as the place', async () => {
    const u = person();
    await u.say('/baocao');
    await u.press('Bị bỏ mặc, không được chăm sóc');
    expect(all(await u.say('xom tren'))).toContain('kể ngắn gọn');
    expect((await draft(u)).village).toBe('Xom Tren');
    await u.say('huỷ');
  });

  it('"e ko bít thôn nào, …" ("e" for "em", as people type it) is a village not known, and "when?" comes next', async () => {
    const u = person();
    await u.say('/baocao');
    await u.press('Bị bỏ mặc, không được chăm sóc');
    await u.say('nhà bên để đứa nhỏ ở nhà một mình suốt, không ai cho ăn');
    expect(all(await u.say('e ko bít thôn nào, trường thcs bảo linh'))).toContain('khi nào');
    expect((await draft(u)).village).toBe('Không rõ');
    await u.say('huỷ');
  });

  it('"thôi để e xem lại", "đợi chút" mid-report keep the draft and the question waits; "cho hỏi …" is no pause', async () => {
    const u = person();
    await u.say('/baocao');
    await u.press('Bị bỏ mặc, không được chăm sóc');
    // Whom they will ask first named ('… hỏi lại mẹ e đã') was taken for more of the story.
    // A time to come back, and "rồi báo tiếp", were kept as more of the story ('thôi để tối e hỏi lại mẹ nó rồi báo tiếp nhé').
    for (const pause of ['thoi de e xem lai', 'đợi chút nhé', 'để mình hỏi người nhà đã', 'thoi de e hoi lai me e da', 'để em hỏi mẹ nó xem', 'thôi để tối e hỏi lại mẹ nó rồi báo tiếp nhé', 'mai e báo tiếp nhé', 'chiều nay em bận quá', 'thôi để lúc khác']) {
      const reply = all(await u.say(pause));
      expect(reply, pause).toContain('cứ từ từ');
      expect(reply, pause).toContain('thôn/xóm nào');
      expect(reply, pause).not.toContain('không tìm thấy');
      expect((await draft(u)).village, pause).toBeUndefined();
    }
    // "tôi …" folds as "tối …": without its later word it is no pause.
    for (const said of ['tôi kể', 'tôi gửi nhé']) expect(all(await u.say(said)), said).not.toContain('cứ từ từ');
    // Thanks mid-report got "Mình không tìm thấy thôn này".
    for (const thanks of ['cảm ơn chị nhiều', 'dạ cám ơn ạ', 'tks ad']) {
      const reply = all(await u.say(thanks));
      expect(reply, thanks).toContain('Không có gì ạ');
      expect(reply, thanks).toContain('thôn/xóm nào');
      expect(reply, thanks).not.toContain('không tìm thấy');
    }
    expect(all(await u.say('na ca'))).toContain('kể ngắn gọn');
    expect((await draft(u)).description).toBeUndefined();
    await u.say('huỷ');
    // An urgent draft reaches nobody until sent: the pause is answered with that, and the emergency numbers.
    const urgent = person();
    await urgent.say('ông hàng xóm hay gọi con bé nhà bên sang nhà cho kẹo rồi sờ soạng nó');
    const waiting = all(await urgent.say('thôi để tối e hỏi lại mẹ nó rồi báo tiếp nhé'));
    expect(waiting).toContain('cứ từ từ');
    expect(waiting).toContain('chỉ nhận được khi báo cáo được gửi');
    expect(waiting).toContain('113');
    expect((await draft(urgent)).description).toBe('ông hàng xóm hay gọi con bé nhà bên sang nhà cho kẹo rồi sờ soạng nó');
    await urgent.say('huỷ');
  });
  it('an age range after words of its own ("no chi tam 7 8 tuoi thoi") is kept at any question; "tối nào cũng …" answers "when?"', async () => {
    const u = person();
    await u.say('/baocao');
    await u.press('Bạo lực, đánh đập');
    const early = all(await u.say('no chi tam 7 8 tuoi thoi'));
    expect(early).toContain('trẻ khoảng 7–8 tuổi');
    expect(early).toContain('thôn/xóm nào');
    await u.say('na ca');
    await u.say('bố nó đánh nó suốt');
    expect(all(await u.say('toi nao cung nghe tieng khoc'))).not.toContain('gõ lúc nào');
    expect(await draft(u)).toMatchObject({ childAge: 'khoảng 7–8 tuổi', when: 'toi nao cung nghe tieng khoc' });
    await u.say('huỷ');
    const v = await atWhen();
    await v.say('hôm nay');
    expect(all(await v.say('thằng bé chỉ tầm 5 tuổi thôi'))).toContain('nguy hiểm');
    expect((await draft(v)).childAge).toBe('5 tuổi');
    await v.say('quay lại');
    await v.say('quay lại');
    expect(all(await v.say('tầm 10 11 tuổi mấy đứa'))).not.toContain('Xin gõ số tuổi');
    expect((await draft(v)).childAge).toBe('khoảng 10–11 tuổi');
    await v.say('huỷ');
    const w = await atWhen();
    await w.say('hôm nay');
    expect(all(await w.say('ko biết, chắc ko'))).toContain('bé trai hay bé gái');
    expect((await draft(w)).childAge).toBe('không rõ tuổi');
    await v.say('huỷ');
  });

  it('"chắc là có …" to "in danger now?" is a yes (the hotline at once); "chắc chắn là không" a no, "chắc là không" not known', async () => {
    for (const [said, danger] of [['chắc là có vì tối qua nó kêu to lắm', 'yes'], ['em nghĩ là có', 'yes'], ['chac chan la khong', 'no'], ['chắc là không', 'unknown']] as const) {
      const u = await atWhen();
      await u.say('hôm nay');
      await u.say('6 tuổi');
      expect(all(await u.say('trai'))).toContain('nguy hiểm');
      const reply = all(await u.say(said));
      expect((await draft(u)).inDanger, said).toBe(danger);
      if (danger === 'yes') expect(reply, said).toContain('113');
      else expect(reply, said).not.toContain('113');
      await u.say('huỷ');
    }
  });

  it('what the moment is like, typed at "in danger now?" ("bố nó đang ngủ"), is kept with the story and the question asked again; a question back is not kept', async () => {
    const u = await atWhen();
    await u.say('hôm nay');
    await u.say('6 tuổi');
    await u.say('trai');
    const reply = all(await u.say('bố nó đang ngủ'));
    expect(reply).toContain('ghi thêm');
    expect(reply).toContain('nguy hiểm');
    expect((await draft(u)).description).toContain('bố nó đang ngủ');
    expect((await draft(u)).inDanger).toBeUndefined();
    const asked = all(await u.say('nguy hiểm là sao'));
    expect(asked).not.toContain('ghi thêm');
    expect((await draft(u)).description).not.toContain('nguy hiểm là sao');
    await u.say('không rõ');
    expect((await draft(u)).inDanger).toBe('unknown');
    await u.say('huỷ');
  });

  it('"không biết tên, chỉ biết là con ông Tuấn …" at the child\'s name keeps what the child is known by, not the words around it', async () => {
    const u = await atWhen();
    await u.say('hôm nay');
    await u.say('6 tuổi');
    await u.say('trai');
    await u.say('không');
    expect(all(await u.say('ko biet ten, chi biet la con ong Tuan ban thit cho'))).toContain('biết thêm');
    expect((await draft(u)).childName).toBe('con ong Tuan ban thit cho');
    await u.say('quay lại');
    await u.say('không biết tên nó, nhưng nó là con bà Hoa ở cuối xóm');
    expect((await draft(u)).childName).toBe('con bà Hoa ở cuối xóm');
    await u.say('huỷ');
  });

  it('a number typed at the child\'s name ("12") is the age, never the name: kept when none was known, and the name asked again', async () => {
    const u = await atWhen();
    await u.say('hôm nay');
    await u.say('không rõ');
    await u.say('gái');
    await u.say('không');
    const said = all(await u.say('12'));
    expect(said).toContain('Mình đã ghi tuổi của trẻ: 12 tuổi.');
    expect(said).toContain('Tên hoặc tên viết tắt');
    expect(await draft(u)).toMatchObject({ childAge: '12 tuổi' });
    expect((await draft(u)).childName).toBeUndefined();
    // An age already known stays as it was.
    await u.say('10 tuoi');
    expect(await draft(u)).toMatchObject({ childAge: '12 tuổi' });
    expect(all(await u.say('bé Na'))).toContain('biết thêm');
    expect((await draft(u)).childName).toBe('Na');
    await u.say('huỷ');
  });

  it('a lone "thôi" answers an optional question ("Bỏ qua") and the contact offer (anonymous), not a stop; at the summary it still asks before dropping the story', async () => {
    const u = await atWhen();
    for (const answer of ['hôm nay', '6 tuổi', 'trai', 'không']) await u.say(answer);
    expect(all(await u.say('thôi'))).toContain('biết thêm');
    expect(all(await u.say('thôi'))).toContain('để lại tên');
    const summary = all(await u.say('thôi'));
    expect(summary).toContain('Người báo: ẩn danh');
    expect(summary).toContain('Gửi báo cáo này?');
    expect(await draft(u)).toMatchObject({ wantsContact: false });
    expect((await draft(u)).childName).toBeUndefined();
    expect(all(await u.say('thôi'))).toContain('Bạn muốn dừng báo cáo này?');
    expect((await h.svc.runtime.services.sessions.get(u.identity))?.flow).toBe('report');
    await u.say('huỷ');
  });

  it('a wish to stay unnamed as a first message ("cho em giấu tên", "e muon giau ten") is answered, not taken as a story; its button starts a report that asks no name', async () => {
    const u = person();
    // The classifier read these as "other" and they started a report with the wish as the story.
    for (const wish of ['cho em giấu tên', 'e muon giau ten', 'em ko muốn ai biết em báo', 'giau ten dc ko']) {
      const answer = all(await u.say(wish));
      expect(answer, wish).toContain('bạn có thể báo ẩn danh');
      expect(answer, wish).not.toContain('ghi lại lời kể');
      expect(await h.svc.runtime.services.sessions.get(u.identity), wish).toBeUndefined();
    }
    expect(u.offered().join(' ')).toContain('Báo cáo ẩn danh');
    expect(all(await u.press('📝 Báo cáo ẩn danh'))).toContain('không hỏi tên');
    expect(await draft(u)).toMatchObject({ wantsContact: false });
    expect((await draft(u)).description).toBeUndefined();
    await u.say('huỷ');
    // Told with the story, the wish is the contact answer: the report goes anonymous without asking.
    const v = person();
    expect(all(await v.say('e muon giau ten, nha ben canh hay danh thang be 7t, hom qua thay no bi bam tim'))).toContain('ghi lại lời kể');
    expect(await draft(v)).toMatchObject({ wantsContact: false });
    expect((await draft(v)).description).toContain('bam tim');
    await v.say('huỷ');
  });

  it('the story typed after the answer to a wish to stay unnamed, instead of the button, is that anonymous report: no contact question', async () => {
    for (const [wish, story] of [
      ['cho em giấu tên được không', 'nhà bên cạnh có thằng bé hay bị bố say rượu đánh, người nó đầy vết bầm'],
      ['e muon giau ten dc ko', 'nha ben canh co thang be hay bi bo say ruou danh, nguoi no day vet bam'],
    ] as const) {
      const u = person();
      expect(all(await u.say(wish))).toContain('bạn có thể báo ẩn danh');
      const started = all(await u.say(story));
      expect(started, story).toContain('bạn báo ẩn danh');
      expect(started, story).toContain('ghi lại lời kể');
      expect(await draft(u)).toMatchObject({ wantsContact: false });
      let reply = '';
      for (const answer of ['na ca', 'hôm qua', '7', 'không', 'bỏ qua', 'bỏ qua']) {
        reply = all(await u.say(answer));
        expect(reply, answer).not.toContain('để lại tên');
      }
      expect(reply).toContain('Người báo: ẩn danh');
      expect(reply).toContain('Gửi báo cáo này');
      await u.say('huỷ');
    }
    // Asked to report in words after the answer: anonymous too.
    const w = person();
    await w.say('giau ten duoc khong');
    expect(all(await w.say('tôi muốn báo cáo'))).toContain('bạn báo ẩn danh');
    expect(await draft(w)).toMatchObject({ wantsContact: false });
    await w.say('huỷ');
    // Nobody asked: the same story leaves the choice to the contact question.
    const x = person();
    await x.say('/start');
    await x.say('nhà bên cạnh có thằng bé hay bị bố say rượu đánh, người nó đầy vết bầm');
    expect((await draft(x)).wantsContact).toBeUndefined();
    await x.say('huỷ');
  });
});
