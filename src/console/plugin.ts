/**
 * The officers' web console, a Fastify plugin under /console on the service's own HTTP server, built
 * by `registerConsole` only when PUBLIC_URL says where it is reached. Pages are rendered on the server
 * (see the README: no build chain, light pages); every request passes the same checks here: security
 * headers, the session (and the person's current role: access ends when the role ends), and for every
 * post the anti-forgery token and the origin.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasConsole } from './access.js';
import { origin, type ConsoleDeps, type Viewer } from './context.js';
import { QUEUES_PATH, registerAdmin } from './routes/admin.js';
import { registerAudit } from './routes/audit.js';
import { registerCases } from './routes/cases.js';
import { registerCounts } from './routes/counts.js';
import { registerReports } from './routes/reports.js';
import { registerSignIn } from './routes/signin.js';
import { cookieName, readCookie, sameOrigin, setSecurityHeaders, validCsrf } from './security.js';
import { CONSOLE_CSS } from './style.js';
import { messagePage } from './views/layout.js';

/** Posts that need no session: signing in itself. */
const SESSIONLESS_POSTS = new Set(['/console/dang-nhap']);

async function loadViewer(deps: ConsoleDeps, req: FastifyRequest, secure: boolean): Promise<Viewer | undefined> {
  const sid = readCookie(req, cookieName(secure));
  const session = await deps.web.sessions.get(sid, deps.services.now());
  if (!session || !sid) return undefined;
  const member = await deps.services.roles.get(session.identity);
  const commune = deps.services.config.communes.find((c) => c.id === session.communeId);
  // A role revoked (even if given again since) or moved to another commune ends the web session.
  if (!hasConsole(member) || member.communeId !== session.communeId || member.since !== session.memberSince || !commune) {
    await deps.web.sessions.end(sid);
    return undefined;
  }
  return { member, commune, session, sid };
}

export function registerConsole(app: FastifyInstance, deps: ConsoleDeps): void {
  const secure = deps.web.publicUrl.startsWith('https:');
  const ours = origin(deps);
  const log = deps.services.log.child({ module: 'console' });

  void app.register(
    async (scope) => {
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      });
      scope.decorateRequest('viewer', undefined);

      scope.addHook('onRequest', async (req, reply) => {
        setSecurityHeaders(reply);
        req.viewer = await loadViewer(deps, req, secure);
      });
      scope.addHook('preHandler', async (req, reply) => {
        const path = req.url.split('?')[0] ?? '';
        // The queue dashboard's API (JSON, called by its own page) has its own origin check.
        if (req.method !== 'POST' || path.startsWith(`${QUEUES_PATH}/`)) return;
        const token = (req.body as Record<string, unknown> | undefined)?._csrf;
        const tokenOk = SESSIONLESS_POSTS.has(path) || (req.viewer !== undefined && validCsrf(token, req.viewer.session.csrf));
        if (!sameOrigin(req, ours) || !tokenOk) {
          log.warn({ route: req.routeOptions.url, method: req.method }, 'console: form refused (origin or token)');
          return reply.code(403).type('text/html').send(messagePage('Không thực hiện được', 'Trang đã cũ hoặc không phải từ hệ thống. Xin tải lại trang rồi thử lại.', req.viewer));
        }
      });
      // Never the URL or the body in the log: they may carry a sign-in token or case words.
      scope.setErrorHandler(async (err, req, reply) => {
        const status = (err as { statusCode?: number }).statusCode ?? 500;
        if (status >= 500) log.error({ route: req.routeOptions.url, method: req.method, err: (err as Error).message }, 'console: request failed');
        return reply.code(status).type('text/html').send(messagePage(status >= 500 ? 'Có lỗi' : 'Yêu cầu không hợp lệ', status >= 500 ? 'Hệ thống gặp lỗi. Xin thử lại sau ít phút.' : 'Yêu cầu không hợp lệ. Xin quay lại trang trước.', req.viewer));
      });
      scope.setNotFoundHandler(async (req, reply) => reply.code(404).type('text/html').send(messagePage('Không tìm thấy', 'Không có trang này.', req.viewer)));

      scope.get('/static/console.css', async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CONSOLE_CSS));

      registerSignIn(scope, deps, { secure, log });
      registerCases(scope, deps);
      registerCounts(scope, deps);
      registerReports(scope, deps);
      registerAudit(scope, deps);
      await registerAdmin(scope, deps);
    },
    { prefix: '/console' },
  );
}
