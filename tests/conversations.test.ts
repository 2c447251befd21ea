/**
 * One behaviour on every channel: the same conversations, word for word, on Telegram (webhook and
 * buttons), Zalo (signed webhooks, numbered choices typed as numbers) and the local chat. Each channel
 * runs the real service against its own redis-server; only the platforms are fakes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '../src/config/communes.js';
import { HARNESSES, type ChannelHarness, type ChatDriver } from './helpers/channels.js';

const COMMUNE = 'bao-linh';
const all = (rs: string[]) => rs.join('\n---\n');

/** Last month as the counts message names it ("T10/2025"), in Vietnam time, with its period key. */
function lastMonth(): { label: string; period: string } {
  const vn = new Date(Date.now() + 7 * 3_600_000);
  const y = vn.getUTCMonth() === 0 ? vn.getUTCFullYear() - 1 : vn.getUTCFullYear();
  const m = vn.getUTCMonth() === 0 ? 12 : vn.getUTCMonth();
  return { label: `T${m}/${y}`, period: `${y}-${String(m).padStart(2, '0')}` };
}

describe.each(['telegram', 'zalo', 'zalobot', 'local'] as const)('on %s', (channel) => {
  let h: ChannelHarness;
  let reporter: ChatDriver;
  let code: string;

  beforeAll(async () => {
    h = await HARNESSES[channel]();
    reporter = h.user(1);
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function invite(role: StaffRole, village?: string): Promise<string> {
    const inv = await h.svc.runtime.services.roles.createInvite({ communeId: COMMUNE, role, village, ttlDays: 1, createdBy: 'test' });
    return inv.code;
  }

  it('a citizen reports by typing answers (and picking two choices) and gets a reference code', async () => {
    expect(all(await reporter.say('tôi muốn báo cáo'))).toContain('việc gì');
    expect(all(await reporter.press('Bạo lực, đánh đập'))).toContain('thôn');
    expect(all(await reporter.say('na ca'))).toContain('kể ngắn gọn');
    expect(all(await reporter.say('Cháu bé hàng xóm hay bị bố đánh, có vết bầm trên tay'))).toContain('khi nào');
    expect(all(await reporter.say('hom qua'))).toContain('bao nhiêu tuổi');
    expect(all(await reporter.say('8 tuổi'))).toContain('bé trai hay bé gái');
    expect(all(await reporter.press('Nữ'))).toContain('nguy hiểm');
    expect(all(await reporter.say('khong'))).toContain('Tên hoặc tên viết tắt');
    expect(all(await reporter.say('bỏ qua'))).toContain('biết thêm');
    expect(all(await reporter.say('bo qua'))).toContain('để lại tên');
    const summary = all(await reporter.say('an danh'));
    for (const part of ['Người báo: ẩn danh', 'Thôn Nà Ca', 'Bạo lực']) expect(summary).toContain(part);
    const done = all(await reporter.say('gửi'));
    code = done.match(/TE-[0-9A-Z]{6}/)?.[0] ?? '';
    expect(code, done).not.toBe('');
    const report = await h.svc.runtime.services.cases.get(code);
    expect(report).toMatchObject({ communeId: COMMUNE, category: 'violence', village: 'Thôn Nà Ca', status: 'new' });
  });

  it('the reporter can ask for the status; another person on the same channel cannot read it', async () => {
    expect(all(await reporter.say(`/trangthai ${code}`))).toContain('Đã nhận');
    const other = all(await h.user(2).say(`trang thai ${code.toLowerCase()}`));
    expect(other).toContain('không do bạn gửi');
    expect(other).not.toContain('Đã nhận');
    // Asked in the person's own words, without the code: their reports' status, not "chưa hiểu".
    for (const asked of ['cho hỏi vụ cháu bé bị đánh xã xử lý chưa ạ', 'em bao tu hom qua ma chua thay ai lien he']) {
      const answer = all(await reporter.say(asked));
      expect(answer, asked).toContain(`Báo cáo ${code}: Đã nhận`);
      expect(answer, asked).not.toContain('chưa hiểu');
    }
  });

  it('a staff member registers with an invite code, which works once', async () => {
    const officer = h.user(3);
    const inviteCode = await invite('officer');
    const reply = all(await officer.say(`/dangky ${inviteCode}`));
    expect(reply).toContain('Đăng ký thành công: Cán bộ bảo vệ trẻ em');
    expect(await h.svc.runtime.services.roles.get(officer.identity)).toMatchObject({ communeId: COMMUNE, role: 'officer' });
    expect(all(await h.user(4).say(`/dangky ${inviteCode}`))).toContain('Mã mời không đúng');
    expect(await h.svc.runtime.services.roles.get(h.user(4).identity)).toBeUndefined();
  });

  it('the officer lists open cases with /vuviec, without personal data', async () => {
    const list = all(await h.user(3).say('/vuviec'));
    expect(list).toContain(code);
    expect(list).toContain('Thôn Nà Ca');
    expect(list).not.toContain('vết bầm');
  });

  it("a village head sends last month's counts in one message and confirms", async () => {
    const head = h.user(5);
    expect(all(await head.say(`/dangky ${await invite('village_head', 'Thôn Bản Piềng')}`))).toContain('Trưởng thôn Thôn Bản Piềng');
    const { label, period } = lastMonth();
    const check = all(await head.say(`Báo cáo ${label}: sinh 3, tử vong 0, tai nạn 1`));
    expect(check).toContain('Trẻ em sinh ra: 3');
    expect(check).toContain('Trẻ em bị tai nạn thương tích: 1');
    expect(check).toContain('đã đúng chưa');
    expect(all(await head.say('có'))).toContain('Đã lưu số liệu');
    const saved = await h.svc.runtime.services.counts.current(COMMUNE, period, 'Thôn Bản Piềng');
    expect(saved).toMatchObject({ version: 1, values: { sinh: 3, tuvong: 0, tntt: 1 }, by: head.identity });
  });
});
