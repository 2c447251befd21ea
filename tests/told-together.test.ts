/**
 * What a person tells together or ahead, kept where it belongs, through the real conversation on every
 * channel: the place named in the first words ("chi oi, e o thon na ca"), who the child is before what
 * happened ("con bé hàng xóm nhà c năm nay 14t": no emergency notice, the age kept, "năm nay" no time),
 * a time that tells more ("tuần sau là cưới rồi": the story, not the time), two answers in one message
 * ("hôm qua, bé 6 tuổi", "ở nà ca, tối qua"), and a time typed without marks shown written in the
 * summary ("tu tuan truoc": "Từ tuần trước"). Written for this test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARNESSES, reportDraft, type ChannelHarness, type ChatDriver } from './helpers/channels.js';

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

  /** Answers the questions left after the child's sex, up to the summary. */
  async function toSummary(u: ChatDriver): Promise<string> {
    for (let i = 0; i < 6 && !u.offered().includes('✅ Gửi báo cáo'); i++) {
      const offered = u.offered();
      if (offered.includes('Báo ẩn danh')) await u.press('Báo ẩn danh');
      else if (offered.includes('Bỏ qua')) await u.press('Bỏ qua');
      else if (offered.includes('Có') && offered.includes('Không')) await u.press('Không');
      else if (offered.includes('Nam')) await u.press('Nữ');
      else throw new Error(`unexpected question: ${u.replies.at(-1)}`);
    }
    return u.replies.at(-1) ?? '';
  }

  it('the place named in the first words is kept, and not asked again', async () => {
    const u = person();
    await u.say('chi oi, e o thon na ca');
    expect((await draft(u)).village).toBe('Thôn Nà Ca');
    await u.say('bé nhà bên bị bố đánh suốt');
    await u.press('Bạo lực, đánh đập');
    // Straight to "when?": the village question is passed over.
    expect(all(u.replies.slice(-1))).toContain('xảy ra khi nào');
    await u.say('hôm qua');
    await u.say('7');
    const summary = await toSummary(u);
    expect(summary).toContain('Thôn/xóm: Thôn Nà Ca');
    expect(summary).toContain('bé nhà bên bị bố đánh suốt');
    await u.say('huỷ');
  });

  it('who the child is, told first, is no emergency: the age is kept, "năm nay" is no time, and the story is asked for', async () => {
    const u = person();
    const first = all(await u.say('con bé hàng xóm nhà c năm nay 14t'));
    expect(first).not.toContain('khẩn cấp');
    expect(first).toContain('Xin kể ngắn gọn');
    await u.say('nó bị bố mẹ ép lấy chồng');
    const d = await draft(u);
    expect(d).toMatchObject({ childAge: '14 tuổi', childSex: 'nu' });
    expect(d.when).toBeUndefined();
    expect(d.description).toBe('con bé hàng xóm nhà c năm nay 14t\nnó bị bố mẹ ép lấy chồng');
    await u.say('huỷ');
  });

  it('a time that tells what happens then ("tuần sau là cưới rồi") is more of the story, at the category question and at the village', async () => {
    const u = person();
    await u.say('con bé nhà bên năm nay mới 15 tuổi, bố mẹ nó bắt nghỉ học');
    expect(all(u.replies)).toContain('gần nhất với mục nào');
    const atCategory = all(await u.say('tuần sau là cưới rồi'));
    expect(atCategory).toContain('ghi thêm vào lời kể');
    expect(atCategory).not.toContain('thời gian');
    let d = await draft(u);
    expect(d.when).toBeUndefined();
    expect(d.description).toContain('tuần sau là cưới rồi');
    expect(u.offered()).toContain('Tảo hôn, ép kết hôn');
    await u.press('Tảo hôn, ép kết hôn');
    expect(all(await u.say('sáng mai nhà trai sang đón rồi'))).toContain('ghi thêm vào lời kể');
    d = await draft(u);
    expect(d.when).toBeUndefined();
    expect(d.village).toBeUndefined();
    expect(d.description).toContain('nhà trai sang đón');
    await u.say('huỷ');
  });

  it('two answers in one message are both kept: the time with the age, the time with the village', async () => {
    const u = person();
    await u.say('con bé hàng xóm bị mẹ kế bỏ đói');
    expect(all(u.replies)).toContain('gần nhất với mục nào');
    expect(all(await u.say('hôm qua, bé 6 tuổi'))).toContain('trẻ 6 tuổi, thời gian hôm qua');
    expect(await draft(u)).toMatchObject({ childAge: '6 tuổi', when: 'Hôm qua' });
    await u.say('huỷ');
    const v = person();
    await v.say('thằng bé nhà bên bị bố đánh bầm tím');
    expect(all(await v.say('ở nà ca, tối qua'))).toContain('Thôn Nà Ca, thời gian tối qua');
    expect(await draft(v)).toMatchObject({ village: 'Thôn Nà Ca', when: 'Tối qua' });
    // Straight to the age: "when?" was answered.
    expect(all(v.replies.slice(-1))).toContain('bao nhiêu tuổi');
    await v.say('8');
    // A change of mind about the age is put right.
    expect(all(await v.say('à không, cháu 9 tuổi chứ không phải 8'))).toContain('Mình đã sửa lại: trẻ 9 tuổi');
    await v.say('huỷ');
  });

  it('the age with the time at "when?", the sex with the age at "how old?", and two lines put right at once', async () => {
    const u = person();
    await u.say('có đứa nhỏ nhà bên bị bố đánh bầm tím');
    await u.press('Thôn Bản Piềng');
    const atWhen = all(await u.say('hôm qua, bé 8 tuổi'));
    expect(atWhen).toContain('trẻ 8 tuổi');
    // Both kept: the next question is the child's sex, not "when?" again.
    expect(atWhen).toContain('bé trai hay bé gái');
    expect(await draft(u)).toMatchObject({ when: 'Hôm qua', childAge: '8 tuổi' });
    await u.say('huỷ');
    const v = person();
    await v.say('có đứa nhỏ nhà bên bị bố đánh bầm tím');
    await v.press('Thôn Bản Piềng');
    await v.say('hôm qua');
    expect(all(await v.say('8 tuổi, bé trai'))).toContain('nguy hiểm');
    expect(await draft(v)).toMatchObject({ childAge: '8 tuổi', childSex: 'nam' });
    const summary = await toSummary(v);
    expect(summary).toContain('Trẻ: 8 tuổi, giới tính nam');
    const fixed = all(await v.say('à nhầm, cháu 9 tuổi, là con gái'));
    expect(fixed).toContain('Mình đã sửa lại: trẻ 9 tuổi, bé gái');
    expect(fixed).toContain('Trẻ: 9 tuổi, giới tính nữ');
    await v.say('huỷ');
  });

  it('coming back to the report after a while ("hôm qua chị đang báo dở", "mình đang hỏi gì ấy nhỉ") is no story and no emergency', async () => {
    const u = person();
    await u.say('có đứa nhỏ nhà bên bị bố đánh bầm tím');
    for (const back of ['chào em, hôm qua chị đang báo dở', 'mình đang hỏi gì ấy nhỉ']) {
      const said = all(await u.say(back));
      expect(said, back).toContain('vẫn được giữ');
      expect(said, back).toContain('thôn/xóm nào');
      expect(said, back).not.toContain('khẩn cấp');
    }
    expect((await draft(u)).description).toBe('có đứa nhỏ nhà bên bị bố đánh bầm tím');
    await u.say('huỷ');
  });

  it('a time typed without marks is written properly in the summary', async () => {
    for (const [typed, shown] of [
      ['tu tuan truoc', 'Từ tuần trước'],
      ['khoang 3 gio chieu qua', 'Khoảng 3 giờ chiều qua'],
    ] as const) {
      const u = person();
      await u.say('thằng bé nhà bên bị bố đánh bầm tím');
      await u.press('Thôn Bản Piềng');
      await u.say(typed);
      await u.say('10');
      const summary = await toSummary(u);
      expect(summary).toContain(`Thời gian: ${shown}`);
      await u.say('huỷ');
    }
  });
});
