/**
 * The web console's protections, through the real HTTP server and a real redis-server: it is off
 * without PUBLIC_URL; sign-in links work once and only for staff of the same commune; the session
 * cookie is httpOnly and SameSite=Strict; every page carries a strict CSP; a form without the session's
 * token or from another origin is refused; a revoked role or "sign out everywhere" ends sessions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '../src/config/communes.js';
import { queueFor } from '../src/actions/queues.js';
import { SignInLinks } from '../src/store/web-links.js';
import { startService, type TestService } from './helpers/service.js';

const BASE = 'https://console.example.vn';
let svc: TestService;
const services = () => svc.runtime.services;
const links = () => new SignInLinks(services().redis, services().cipher, 300);

async function staff(id: string, role: StaffRole, communeId = 'bao-linh'): Promise<string> {
  const identity = `telegram:${id}`;
  await services().roles.assign({ identity, communeId, role, since: Date.now() }, 'test');
  return identity;
}

async function signIn(identity: string, communeId = 'bao-linh'): Promise<{ cookie: string; location?: string; status: number }> {
  const token = await links().issue({ identity, communeId });
  const res = await svc.app.inject({ method: 'POST', url: '/console/dang-nhap', headers: { origin: BASE, 'content-type': 'application/x-www-form-urlencoded' }, payload: `t=${token}` });
  const set = String(res.headers['set-cookie'] ?? '');
  return { cookie: set.split(';')[0] ?? '', location: res.headers.location as string | undefined, status: res.statusCode };
}

const get = (url: string, cookie?: string) => svc.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

beforeAll(async () => {
  svc = await startService({ PUBLIC_URL: BASE });
});
afterAll(async () => {
  await svc.stop();
});

describe('the web console', () => {
  it('is not served without PUBLIC_URL', async () => {
    const off = await startService({}, { redis: svc.redis, dataKey: svc.dataKey });
    try {
      expect((await off.app.inject({ method: 'GET', url: '/console/' })).statusCode).toBe(404);
    } finally {
      await off.app.close();
      await off.runtime.close();
    }
  });

  it('signs in once per link, with a Secure httpOnly SameSite=Strict cookie, and sends strict headers', async () => {
    const officer = await staff('5001', 'officer');
    const token = await links().issue({ identity: officer, communeId: 'bao-linh' });
    // Opening the link (what a chat app's preview fetch does) does not use it up.
    const landing = await get(`/console/dang-nhap?t=${token}`);
    expect(landing.statusCode).toBe(200);
    expect(landing.headers['content-security-policy']).toBe("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    expect(landing.body).not.toMatch(/<script/i);
    const post = () => svc.app.inject({ method: 'POST', url: '/console/dang-nhap', headers: { origin: BASE, 'content-type': 'application/x-www-form-urlencoded' }, payload: `t=${token}` });
    const first = await post();
    expect(first.statusCode).toBe(303);
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/^__Host-treem=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=36000; HttpOnly; SameSite=Strict; Secure$/);
    expect((await post()).statusCode).toBe(403); // used
    const page = await get('/console/', cookie.split(';')[0]);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.body).toContain('Xã Bảo Linh');
    // Signing in is audited.
    const audit = await services().audit.between(0, Date.now() + 1000, 50);
    expect(audit.some((e) => e.action === 'web.signin' && e.actor === officer)).toBe(true);
  });

  it('refuses links for people without a console role, of another commune, or made up', async () => {
    const citizen = 'telegram:5002';
    expect((await signIn(citizen)).status).toBe(403);
    const head = await staff('5003', 'village_head');
    expect((await signIn(head)).status).toBe(403);
    const officer = await staff('5004', 'officer');
    expect((await signIn(officer, 'minh-long')).status).toBe(403);
    const forged = await svc.app.inject({ method: 'POST', url: '/console/dang-nhap', headers: { origin: BASE, 'content-type': 'application/x-www-form-urlencoded' }, payload: `t=${'A'.repeat(43)}` });
    expect(forged.statusCode).toBe(403);
    expect((await get('/console/')).statusCode).toBe(401);
  });

  it('refuses a form without the session token or from another origin', async () => {
    const officer = await staff('5005', 'officer');
    const { cookie } = await signIn(officer);
    const page = await get('/console/', cookie);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    expect(csrf).toBeTruthy();
    const signOut = (headers: Record<string, string>, body: string) =>
      svc.app.inject({ method: 'POST', url: '/console/dang-xuat', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: body });
    expect((await signOut({ origin: BASE }, '')).statusCode).toBe(403);
    expect((await signOut({ origin: 'https://evil.example' }, `_csrf=${csrf}`)).statusCode).toBe(403);
    expect((await get('/console/', cookie)).statusCode).toBe(200); // still signed in
    expect((await signOut({ origin: BASE }, `_csrf=${csrf}`)).statusCode).toBe(200);
    expect((await get('/console/', cookie)).statusCode).toBe(401);
  });

  it('ends sessions when the role is revoked, and everywhere on request', async () => {
    const officer = await staff('5006', 'officer');
    const a = await signIn(officer);
    const b = await signIn(officer);
    await services().roles.revoke(officer, 'test');
    expect((await get('/console/', a.cookie)).statusCode).toBe(401);
    await staff('5006', 'officer');
    expect((await get('/console/', b.cookie)).statusCode).toBe(401); // ended with the role, not revived

    const c = await signIn(officer);
    const d = await signIn(officer);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await get('/console/', c.cookie)).body)?.[1] ?? '';
    const all = await svc.app.inject({ method: 'POST', url: '/console/dang-xuat-tat-ca', headers: { cookie: c.cookie, origin: BASE, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${csrf}` });
    expect(all.statusCode).toBe(200);
    expect((await get('/console/', d.cookie)).statusCode).toBe(401);
  });

  it('keeps sections to their roles', async () => {
    const police = await staff('5007', 'police');
    const { cookie } = await signIn(police);
    expect((await get('/console/', cookie)).statusCode).toBe(200);
    expect((await get('/console/nhat-ky', cookie)).statusCode).toBe(403);
    expect((await get('/console/hang-doi', cookie)).statusCode).toBe(403);
    const admin = await staff('5008', 'admin');
    const adminCookie = (await signIn(admin)).cookie;
    expect((await get('/console/', adminCookie)).statusCode).toBe(403); // admins do not read cases
    expect((await get('/console/nhat-ky', adminCookie)).statusCode).toBe(200);
    const board = await get('/console/hang-doi', adminCookie);
    expect(board.statusCode).toBe(200);
    expect(board.body).toContain('static/js/');
  });

  it("serves the queue dashboard's scripts and API to admins, its changes only from our origin", async () => {
    const admin = await staff('5009', 'admin');
    const { cookie } = await signIn(admin);
    const page = await get('/console/hang-doi', cookie);
    const script = /src="([^"]*static\/js\/[^"]+\.js)"/.exec(page.body)?.[1] ?? '';
    expect(script).not.toBe('');
    const js = await get(new URL(script, `${BASE}/console/hang-doi/`).pathname, cookie);
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['content-security-policy']).toContain("script-src 'self'");

    const list = await get('/console/hang-doi/api/queues', cookie);
    expect(list.statusCode).toBe(200);
    expect((JSON.parse(list.body) as { queues: Array<{ name: string }> }).queues.map((q) => q.name)).toContain('reminders');
    expect((await get('/console/hang-doi/api/queues')).statusCode).toBe(401);

    // A change with a JSON body: refused without our Origin, done with it.
    const add = (headers: Record<string, string>) =>
      svc.app.inject({ method: 'POST', url: '/console/hang-doi/api/queues/reminders/add', headers: { cookie, 'content-type': 'application/json', ...headers }, payload: JSON.stringify({ name: 'board-test', data: {}, options: { delay: 3_600_000 } }) });
    expect((await add({})).statusCode).toBe(403);
    expect((await add({ origin: 'https://evil.example' })).statusCode).toBe(403);
    const added = await add({ origin: BASE });
    expect(added.statusCode).toBe(200);
    const job = (JSON.parse(added.body) as { job: { id: string; name: string } }).job;
    expect(job.name).toBe('board-test');
    const queue = queueFor(services(), 'reminders');
    expect((await queue.getJob(job.id))?.opts.delay).toBe(3_600_000);
    await queue.remove(job.id);
  });
});
