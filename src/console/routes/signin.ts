/**
 * Signing in by a one-time link from chat, and signing out. Opening the link shows a button rather
 * than signing in at once: chat apps fetch links to draw previews, and such a fetch must not use up
 * the link. The post redeems it, checks the person still holds a console role in the same commune,
 * starts the session and opens the case the link was for, if any.
 */
import type { FastifyInstance } from 'fastify';
import { tooManyTries, tryGuess } from '../../actions/guesses.js';
import type { Logger } from '../../logger.js';
import { canRead, hasConsole } from '../access.js';
import type { ConsoleDeps } from '../context.js';
import { html } from '../html.js';
import { clearedCookie, sessionCookie } from '../security.js';
import { csrfField, messagePage, page } from '../views/layout.js';

const LINK_REFUSED = 'Đường dẫn đăng nhập này đã được dùng hoặc đã hết hạn. Xin gửi /web trong tin nhắn với kênh để nhận đường dẫn mới.';
const NO_CONSOLE = 'Trang quản lý chỉ dành cho cán bộ xã đã đăng ký (cán bộ bảo vệ trẻ em, lãnh đạo UBND xã, công an xã, cán bộ tỉnh, quản trị).';

export function registerSignIn(app: FastifyInstance, deps: ConsoleDeps, opts: { secure: boolean; log: Logger }): void {
  const { services } = deps;
  const { links, sessions } = deps.web;

  app.get<{ Querystring: { t?: string } }>('/dang-nhap', async (req, reply) => {
    const token = typeof req.query.t === 'string' ? req.query.t : '';
    if (!token) return reply.type('text/html').send(messagePage('Đăng nhập', 'Xin gửi /web trong tin nhắn với kênh bảo vệ trẻ em; kênh sẽ gửi bạn một đường dẫn đăng nhập dùng một lần.'));
    const body = html`<p>Bấm nút dưới đây để vào trang quản lý. Đường dẫn chỉ dùng được một lần và trong vài phút.</p>
<form method="post" action="/console/dang-nhap"><input type="hidden" name="t" value="${token}"><button type="submit" class="primary">Đăng nhập</button></form>`;
    return reply.type('text/html').send(page({ title: 'Đăng nhập', body }));
  });

  app.post<{ Body: { t?: string } }>('/dang-nhap', async (req, reply) => {
    // Before a sign-in there is no person yet: the browser's address is the guesser.
    const tried = await tryGuess(services, { identity: `web:${req.ip}`, channel: 'web' }, 'signin', async () => (await links.redeem(String(req.body?.t ?? ''))) ?? undefined);
    if (tried.result === 'locked') return reply.code(429).type('text/html').send(messagePage('Không đăng nhập được', tooManyTries(tried.retryAfterMinutes)));
    if (tried.result === 'wrong') {
      opts.log.info('console: sign-in link refused (unknown, used or expired)');
      return reply.code(403).type('text/html').send(messagePage('Không đăng nhập được', LINK_REFUSED));
    }
    const grant = tried.value;
    const member = await services.roles.get(grant.identity);
    const now = services.now();
    if (!hasConsole(member) || member.communeId !== grant.communeId) {
      await services.audit.add({ actor: grant.identity, action: 'web.signin_refused', subject: grant.communeId }, now);
      return reply.code(403).type('text/html').send(messagePage('Không đăng nhập được', NO_CONSOLE));
    }
    const { sid } = await sessions.start(member, now);
    await services.audit.add({ actor: member.identity, action: 'web.signin', subject: member.communeId }, now);
    reply.header('set-cookie', sessionCookie(sid, { secure: opts.secure, maxAgeSeconds: sessions.timeouts.absoluteSeconds }));
    let target = '/console/';
    if (grant.caseCode) {
      const report = await services.cases.get(grant.caseCode);
      if (report && canRead(member, report)) target = `/console/vu-viec/${report.code}`;
    }
    return reply.code(303).header('location', target).send();
  });

  app.post('/dang-xuat', async (req, reply) => {
    if (req.viewer) {
      await sessions.end(req.viewer.sid);
      await services.audit.add({ actor: req.viewer.member.identity, action: 'web.signout', subject: req.viewer.member.communeId }, services.now());
    }
    return reply.header('set-cookie', clearedCookie(opts.secure)).type('text/html').send(messagePage('Đã đăng xuất', 'Bạn đã đăng xuất. Gửi /web trong tin nhắn khi cần vào lại.'));
  });

  app.post('/dang-xuat-tat-ca', async (req, reply) => {
    const viewer = req.viewer;
    if (viewer) {
      const ended = await sessions.endAll(viewer.member.identity);
      await services.audit.add({ actor: viewer.member.identity, action: 'web.signout_all', subject: viewer.member.communeId, detail: String(ended) }, services.now());
    }
    return reply.header('set-cookie', clearedCookie(opts.secure)).type('text/html').send(messagePage('Đã đăng xuất khỏi mọi máy', 'Mọi phiên đăng nhập của bạn đã kết thúc.'));
  });
}

/** A form with the "sign out everywhere" button, shown on the worklist. */
export function signOutEverywhere(viewer: Parameters<typeof csrfField>[0]) {
  return html`<form method="post" action="/console/dang-xuat-tat-ca" class="inline">${csrfField(viewer)}<button type="submit">Đăng xuất khỏi mọi máy</button></form>`;
}
