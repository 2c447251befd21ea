/**
 * Why a report is urgent, as the officers read it: a citizen tells the story on the local chat (with and
 * without diacritics), and the officer's alert, the case view in chat and the console's case page say
 * what made it so ("Khẩn cấp vì: trẻ bị thương nặng, vẫn ở cùng người gây hại"), never the story's words.
 * Real runtime, real redis-server, the real alert and outbox workers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type RunningWorkers } from '../src/app/workers.js';
import { SignInLinks } from '../src/store/web-links.js';
import { Inbox, LocalChatUser } from './helpers/local-chat.js';
import { startService, type TestService } from './helpers/service.js';

const BASE = 'https://console.example.vn';
let svc: TestService;
let workers: RunningWorkers;
let officer: Inbox;
const services = () => svc.runtime.services;
const user = (id: string) => new LocalChatUser(() => svc.app, id);
const joined = (rs: { text: string }[]) => rs.map((r) => r.text).join('\n---\n');

beforeAll(async () => {
  svc = await startService({ PUBLIC_URL: BASE });
  workers = await startWorkers(svc.runtime);
  await services().roles.assign({ identity: 'local:why-officer', communeId: 'bao-linh', role: 'officer', since: Date.now() }, 'test');
  officer = new Inbox(user('why-officer'));
});
afterAll(async () => {
  await workers?.close();
  await svc?.stop();
});

/**
 * Tells `story` and answers each question as it comes (the story may answer some), `danger` at "in danger
 * now?"; returns the code the service gave.
 */
async function report(id: string, story: string, danger = 'không'): Promise<string> {
  const u = user(id);
  let reply = joined(await u.say(story));
  for (let turn = 0; turn < 15; turn++) {
    const code = /TE-[0-9A-Z]{6}/.exec(reply)?.[0];
    if (code) return code;
    const answer =
      /Gửi báo cáo này/.test(reply) ? 'gửi'
      : /chọn|việc gì/i.test(reply) && /Việc khác/.test(reply) ? 'Việc khác'
      : /thôn\/xóm nào/.test(reply) ? 'na ca'
      : /khi nào/.test(reply) ? 'hôm qua'
      : /bao nhiêu tuổi/.test(reply) ? '8'
      : /bé trai hay bé gái/.test(reply) ? 'nam'
      : /nguy hiểm không/.test(reply) ? danger
      : /để lại tên/.test(reply) ? 'ẩn danh'
      : 'bỏ qua';
    reply = joined(await u.say(answer));
  }
  throw new Error(`no code after the report's questions: ${reply}`);
}

const alertOf = (code: string) => officer.waitFor(code, `the alert of ${code}`);

describe('the officers are told why a report is urgent', () => {
  it('an injury and a child still with the one who hurt them, with or without diacritics: the alert, the case view and the console say so', async () => {
    for (const [id, story] of [
      ['why-1', 'thằng bé nhà bên bị bố đánh gãy tay, giờ nó vẫn ở với bố nó'],
      ['why-2', 'thang be nha ben bi bo danh gay tay, gio no van o voi bo no'],
    ] as const) {
      const code = await report(id, story);
      expect((await services().cases.get(code))?.urgency).toBe('P0');
      const alert = (await alertOf(code)).text;
      expect(alert).toContain('• Khẩn cấp vì: trẻ bị thương nặng, vẫn ở cùng người gây hại');
      expect(alert).not.toContain('gãy tay');
      expect(alert).not.toContain('gay tay');

      const view = joined(await officer.u.say(`xem vụ ${code.slice(3)}`));
      expect(view).toContain(`Vụ việc ${code}`);
      expect(view).toContain('Khẩn cấp vì: trẻ bị thương nặng, vẫn ở cùng người gây hại');
    }
  });

  it('a "yes" to "in danger now", harm going on as told, a sexual act: each is the reason said', async () => {
    const yes = await report('why-3', 'con bé nhà bên hay bị mẹ kế mắng chửi, không cho đi học', 'có');
    expect((await alertOf(yes)).text).toContain('Khẩn cấp vì: trẻ đang gặp nguy hiểm');
    const now = await report('why-4', 'ong ay dang danh con be ngoai san, em nghe no khoc');
    expect((await alertOf(now)).text).toMatch(/Khẩn cấp vì: .*đang xảy ra/);
    const sexual = await report('why-5', 'Ông hàng xóm sàm sỡ cháu gái sau nhà kho');
    const text = (await alertOf(sexual)).text;
    expect(text).toContain('Khẩn cấp vì: có hành vi tình dục với trẻ');
    expect(text).not.toContain('nhà kho');
  });

  it('a case only raised because the reporter did not know whether the child is safe says so at its own level', async () => {
    const code = await report('why-6', 'thằng bé nhà bên bỏ học mấy tháng nay rồi, suốt ngày ngoài quán net', 'không rõ');
    expect((await services().cases.get(code))?.urgency).toBe('P1');
    expect((await alertOf(code)).text).toContain('• Mức cao vì: chưa rõ trẻ có an toàn không');
  });

  it('the console case page says why, as the chat does', async () => {
    const code = await report('why-7', 'con bé bị bố dượng đánh chảy máu đầu, giờ vẫn ở chung nhà với ông ta');
    const token = await new SignInLinks(services().redis, services().cipher, 300).issue({ identity: 'local:why-officer', communeId: 'bao-linh' });
    const signIn = await svc.app.inject({ method: 'POST', url: '/console/dang-nhap', headers: { origin: BASE, 'content-type': 'application/x-www-form-urlencoded' }, payload: `t=${token}` });
    const cookie = String(signIn.headers['set-cookie'] ?? '').split(';')[0] ?? '';
    const page = await svc.app.inject({ method: 'GET', url: `/console/vu-viec/${code}`, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<p class="why">Khẩn cấp vì: trẻ bị chảy máu, vẫn ở cùng người gây hại</p>');
  });
});
