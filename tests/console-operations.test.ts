/**
 * The console's operations and audit pages through the real HTTP server, a real redis-server and the
 * outbox workers: a dead letter is listed by role (no chat id), retried from its button once the
 * person can be reached again, and the retry is audited; the audit page's filters (case, person, dates)
 * show exactly the matching entries of the viewer's commune.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '../src/config/communes.js';
import { startWorkers, type RunningWorkers } from '../src/app/workers.js';
import { SignInLinks } from '../src/store/web-links.js';
import { twoCommunesConfig } from './helpers/communes.js';
import { LocalChatUser } from './helpers/local-chat.js';
import { deadLetterFor, outboxIdle } from './helpers/outbox-wait.js';
import { startService, type TestService } from './helpers/service.js';
import { until } from './helpers/wait.js';

const BASE = 'https://console.example.vn';
let svc: TestService;
let workers: RunningWorkers;
let dir: string;
const services = () => svc.runtime.services;

async function staff(id: string, role: StaffRole, name?: string, communeId = 'bao-linh'): Promise<string> {
  const identity = `local:${id}`;
  await services().roles.assign({ identity, communeId, role, since: Date.now(), ...(name ? { name } : {}) }, 'test');
  return identity;
}

/** Signs in by a one-time link; returns the session cookie and the page's form token. */
async function signIn(identity: string, communeId = 'bao-linh'): Promise<{ cookie: string; csrf: string }> {
  const token = await new SignInLinks(services().redis, services().cipher, 300).issue({ identity, communeId });
  const res = await svc.app.inject({ method: 'POST', url: '/console/dang-nhap', headers: { origin: BASE, 'content-type': 'application/x-www-form-urlencoded' }, payload: `t=${token}` });
  const cookie = String(res.headers['set-cookie'] ?? '').split(';')[0] ?? '';
  const home = await get('/console/tin-loi', cookie);
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(home.body)?.[1] ?? '' };
}

const get = (url: string, cookie: string) => svc.app.inject({ method: 'GET', url, headers: { cookie } });
const postForm = (url: string, cookie: string, form: Record<string, string>) =>
  svc.app.inject({ method: 'POST', url, headers: { cookie, origin: BASE, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() });

/** The rows of the page's list table, as plain text cells. */
function rows(body: string): string[][] {
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(body)?.[1] ?? '';
  return [...tbody.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '').trim()));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'console-ops-'));
  svc = await startService({ PUBLIC_URL: BASE, CONFIG_FILE: twoCommunesConfig(dir) });
  workers = await startWorkers(svc.runtime, []); // the outbox only
});
afterAll(async () => {
  await workers?.close();
  await svc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('dead letters in the console', () => {
  it('are listed by role without chat ids, retried by the button once the person is reachable, and the retry is audited', async () => {
    await staff('op-officer', 'officer', 'Lò Thị Mai');
    const admin = await staff('op-admin', 'admin');
    const to = { channel: 'local' as const, chatId: 'op-officer' };
    await services().outbox.markUnreachable(to, 'test: blocked the bot');
    await services().outbox.enqueue({ to, message: { text: 'Nhắc việc: vụ việc cần cập nhật.' }, key: 'test:op-retry', communeId: 'bao-linh', preview: 'nhắc việc' });
    await deadLetterFor(svc, 'bao-linh', 'test:op-retry');

    const { cookie, csrf } = await signIn(admin);
    const list = await get('/console/tin-loi', cookie);
    expect(list.statusCode).toBe(200);
    const row = rows(list.body).find((r) => r.join(' ').includes('Lò Thị Mai'));
    expect(row, list.body).toBeDefined();
    expect(list.body).not.toContain('op-officer'); // named as a person, never by chat id (the form's key aside)
    expect(list.body.replace(/value="[^"]*"/g, '')).not.toContain('local:');

    // Without the form token: refused, nothing sent.
    expect((await postForm('/console/tin-loi/gui-lai', cookie, { key: 'test:op-retry' })).statusCode).toBe(403);

    await services().outbox.markReachable(to);
    const retried = await postForm('/console/tin-loi/gui-lai', cookie, { key: 'test:op-retry', _csrf: csrf });
    expect(retried.statusCode).toBe(303);
    expect((await get('/console/tin-loi', cookie)).body).toContain('Đã gửi lại tin nhắn');
    const mai = new LocalChatUser(() => svc.app, 'op-officer');
    await until(async () => (await mai.inbox()).some((m) => m.text.includes('vụ việc cần cập nhật')), 15_000, 'the retried message');
    await outboxIdle(svc, ['local']);
    expect(rows((await get('/console/tin-loi', cookie)).body).some((r) => r.join(' ').includes('Lò Thị Mai'))).toBe(false);
    expect((await services().audit.forSubject('bao-linh')).some((e) => e.action === 'web.retry' && e.actor === admin)).toBe(true);

    // Again (a double click, a stale page): nothing is sent twice.
    const again = await postForm('/console/tin-loi/gui-lai', cookie, { key: 'test:op-retry', _csrf: csrf });
    expect(again.statusCode).toBe(303);
    expect((await get('/console/tin-loi', cookie)).body).toMatch(/Không tìm thấy tin nhắn này nữa|đã được gửi rồi/);
    await outboxIdle(svc, ['local']);
    expect((await mai.inbox()).filter((m) => m.text.includes('vụ việc cần cập nhật'))).toEqual([]);
  });

  it('of another commune cannot be seen or retried', async () => {
    const to = { channel: 'local' as const, chatId: 'op-other' };
    await staff('op-other', 'officer', undefined, 'minh-long');
    await services().outbox.markUnreachable(to, 'test: blocked');
    await services().outbox.enqueue({ to, message: { text: 'Tin của xã khác' }, key: 'test:op-foreign', communeId: 'minh-long', preview: 'tin xã khác' });
    await deadLetterFor(svc, 'minh-long', 'test:op-foreign');
    const { cookie, csrf } = await signIn(await staff('op-admin-2', 'admin'));
    expect((await get('/console/tin-loi', cookie)).body).not.toContain('tin xã khác');
    await postForm('/console/tin-loi/gui-lai', cookie, { key: 'test:op-foreign', _csrf: csrf });
    expect((await get('/console/tin-loi', cookie)).body).toContain('Không tìm thấy tin nhắn này nữa');
    expect((await services().outbox.listDeadLetters('minh-long')).some((d) => d.key === 'test:op-foreign')).toBe(true);
  });
});

describe('the audit page', () => {
  it('filters by case, by person and by dates, and shows only the commune\'s own entries', async () => {
    const chair = await staff('op-chair', 'chair', 'Hoàng Văn Nam');
    const officer = await staff('op-officer-2', 'officer', 'Đinh Thị Hoa');
    const audit = services().audit;
    // The stream orders entries by when they were written: the dates filtered on are around today.
    const dayOf = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(ms);
    const today = dayOf(Date.now());
    const yesterday = dayOf(Date.now() - 86_400_000);
    const tomorrow = dayOf(Date.now() + 86_400_000);
    await audit.add({ actor: officer, action: 'report.view', subject: 'bao-linh' });
    await audit.add({ actor: chair, action: 'web.export', subject: 'bao-linh' });
    await audit.add({ actor: officer, action: 'web.export', subject: 'bao-linh' });
    await audit.add({ actor: 'local:someone-else', action: 'web.export', subject: 'minh-long' });
    const { cookie } = await signIn(chair);

    const byPerson = rows((await get(`/console/nhat-ky?nguoi=${encodeURIComponent(officer)}&tu=${today}&den=${today}`, cookie)).body);
    expect(byPerson.map((r) => r[2])).toEqual(['Tải tài liệu', 'Xem chi tiết vụ việc']); // newest first
    expect(byPerson.every((r) => r[1]!.includes('Đinh Thị Hoa'))).toBe(true);

    const exports = rows((await get(`/console/nhat-ky?tu=${today}`, cookie)).body).filter((r) => r[2] === 'Tải tài liệu');
    expect(exports.map((r) => r[1])).toEqual([expect.stringContaining('Đinh Thị Hoa'), expect.stringContaining('Hoàng Văn Nam')]); // not the other commune's
    expect(rows((await get(`/console/nhat-ky?tu=${tomorrow}`, cookie)).body)).toEqual([]);
    expect(rows((await get(`/console/nhat-ky?den=${yesterday}`, cookie)).body)).toEqual([]);

    // By case (typed in lower case): the views of that case only; another commune's case shows nothing.
    const report = (commune: string) =>
      services().cases.create(
        { communeId: commune, category: 'neglect', urgency: 'P2', alertRoles: ['officer'], village: commune === 'bao-linh' ? 'Thôn Nà Ca' : 'Thôn Hà Liệt', inDanger: 'no', channel: 'local', details: { description: 'Cháu bị bỏ đói', when: 'Hôm nay', child: {}, reporter: { identity: 'local:op-dan' }, attachments: [] } },
        Date.now(),
      );
    const ours = await report('bao-linh');
    const theirs = await report('minh-long');
    await audit.add({ actor: officer, action: 'report.view', subject: ours.code });
    await audit.add({ actor: 'local:someone-else', action: 'report.view', subject: theirs.code });
    const byCase = rows((await get(`/console/nhat-ky?vu_viec=${ours.code.toLowerCase()}`, cookie)).body);
    expect(byCase.map((r) => [r[2], r[3]])).toEqual([['Xem chi tiết vụ việc', ours.code], ['Gửi báo cáo', ours.code]]);
    expect(rows((await get(`/console/nhat-ky?vu_viec=${theirs.code}`, cookie)).body)).toEqual([]);
    const page = (await get('/console/nhat-ky', cookie)).body;
    expect(page).not.toContain('>local:'); // people are named, not listed by id
  });
});
