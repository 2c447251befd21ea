/**
 * More told after the story, through the real conversation on every channel: "à còn nữa, …", "em quên
 * chưa nói là …" while a report is written is joined to the story whatever the question (it was kept as
 * the child's or the reporter's name, or refused at the contact question); after a report was sent it
 * is offered as an addition to it (it started a second report). A vehicle's plate typed in the story
 * ("36K-679") is no report code, and /baocao while a report is written goes on with that one. Written
 * for this test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARNESSES, reportDraft, type ChannelHarness, type ChatDriver } from './helpers/channels.js';
import { sampleReport } from './helpers/reports.js';

const all = (rs: string[]) => rs.join('\n---\n');


describe.each(['telegram', 'zalo', 'local'] as const)('on %s', (channel) => {
  let h: ChannelHarness;
  let n = 0;
  const person = () => h.user(++n);
  const session = async (u: ChatDriver) => h.svc.runtime.services.sessions.get(u.identity);
  const draft = (u: ChatDriver) => reportDraft(h, u);

  beforeAll(async () => {
    h = await HARNESSES[channel]();
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** A report told and answered up to the child's name. */
  async function atChildName(): Promise<ChatDriver> {
    const u = person();
    await u.say('con bé nhà hàng xóm bị mẹ kế đánh bầm tím cả tay');
    await u.say('na ca');
    await u.say('hôm qua');
    await u.say('9');
    await u.press('Không');
    expect(all(u.replies.slice(-1))).toContain('Tên hoặc tên viết tắt của trẻ');
    return u;
  }

  it('"à còn nữa, …", "em quên chưa nói là …" at the name questions and the contact offer are more of the story, never the name', async () => {
    const u = await atChildName();
    // Harm that makes it urgent, told at a question that is no part of the story, gives the hotlines at once.
    const atName = all(await u.say('à còn nữa, sáng nay nó bị đánh chảy máu đầu'));
    expect(atName).toContain('ghi thêm vào lời kể');
    expect(atName).toContain('Đây có thể là trường hợp khẩn cấp');
    expect(atName).toContain('Tên hoặc tên viết tắt của trẻ');
    expect((await draft(u)).childName).toBeUndefined();
    await u.press('Bỏ qua');
    await u.press('Bỏ qua');
    // At the contact offer it got "Xin chọn …"; at the reporter's name it was kept as the name.
    expect(all(await u.say('với lại hôm qua nó phải ngủ ngoài hiên'))).toContain('ghi thêm vào lời kể');
    await u.press('Để lại liên hệ');
    const atOwnName = all(await u.say('em quên chưa nói là bố nó biết mà không can'));
    expect(atOwnName).toContain('ghi thêm vào lời kể');
    expect(atOwnName).toContain('Tên của bạn là gì');
    const d = await draft(u);
    expect(d.reporterName).toBeUndefined();
    expect(d.description).toBe(
      'con bé nhà hàng xóm bị mẹ kế đánh bầm tím cả tay\nà còn nữa, sáng nay nó bị đánh chảy máu đầu\nvới lại hôm qua nó phải ngủ ngoài hiên\nem quên chưa nói là bố nó biết mà không can',
    );
    expect(u.replies.filter((r) => r.includes('Đây có thể là trường hợp khẩn cấp'))).toHaveLength(1);
    await u.say('huỷ');
  });

  it('after a report was sent, "à còn nữa, …" is offered as an addition to it, or as a report of its own; with none open it starts one', async () => {
    const u = person();
    // With no report sent it is a story like any other.
    expect(all(await u.say('à còn nữa, thằng bé nhà bên bị bố đánh bầm tím'))).toContain('Cảm ơn bạn đã báo');
    expect((await session(u))?.flow).toBe('report');
    await u.say('huỷ');
    const { code } = await h.svc.runtime.services.cases.create(sampleReport({ communeId: 'bao-linh' }, { reporter: { identity: u.identity } }), Date.now());
    const offer = all(await u.say('à còn nữa, nó còn bị bỏ đói mấy hôm nay'));
    expect(offer).toContain(`thêm điều này vào báo cáo ${code} đã gửi`);
    expect(offer).not.toContain('Cảm ơn bạn đã báo');
    expect(all(await u.press(`➕ Thêm vào báo cáo ${code}`))).toContain(`Thông tin bổ sung cho báo cáo ${code} đã được ghi lại`);
    expect((await h.svc.runtime.services.cases.timeline(code)).find((e) => e.kind === 'reporter_addition')?.text).toBe('à còn nữa, nó còn bị bỏ đói mấy hôm nay');
    expect(await session(u)).toBeUndefined();
    // Another matter: the words are that report's story.
    expect(all(await u.say('em quên chưa nói là con bé nhà ông Tư cũng bị đánh'))).toContain(`báo cáo ${code} đã gửi`);
    expect(all(await u.press('📝 Đây là việc khác'))).toContain('ghi lại lời kể');
    expect(await draft(u)).toMatchObject({ description: 'em quên chưa nói là con bé nhà ông Tư cũng bị đánh' });
    await u.say('huỷ');
    // A question after the opening asks; it is no addition.
    expect(all(await u.say('ngoài ra còn gì nữa không ạ'))).not.toContain('thêm điều này vào báo cáo');
  });

  it('a licence plate in the story ("36K-679", "29A-123.45") is no report code: kept as more of the story', async () => {
    const u = person();
    await u.say('có người lạ bắt bé Na lên xe chở đi rồi');
    expect(all(await u.say('na ca'))).toContain('khi nào');
    // The plate was read as a code: "Không tìm thấy báo cáo TE-36K679", and the report interrupted.
    const asked = all(await u.say('xe máy biển 36K-679 chở cháu đi đâu rồi?'));
    expect(asked).not.toContain('TE-36K679');
    expect(asked).toContain('ghi thêm vào lời kể');
    // Five words with no harm named got "Xin chọn một mục".
    expect(all(await u.say('biển số 29A-123.45 màu đen'))).toContain('ghi thêm vào lời kể');
    expect((await draft(u)).description).toContain('biển số 29A-123.45 màu đen');
    await u.say('huỷ');
  });

  it('/baocao while a report is written goes on with it: one report at a time, the person told so', async () => {
    const u = await atChildName();
    const again = all(await u.say('/baocao'));
    expect(again).toContain('Bạn đang làm dở một báo cáo, mình hỏi tiếp báo cáo đó');
    expect(again).toContain('Tên hoặc tên viết tắt của trẻ');
    expect(again).not.toContain('Làm tiếp');
    expect((await draft(u)).description).toBe('con bé nhà hàng xóm bị mẹ kế đánh bầm tím cả tay');
    await u.say('huỷ');
  });
});
