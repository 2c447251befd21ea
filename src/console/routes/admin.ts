/**
 * Operations: dead letters (what could not be delivered, to whom by role, why) with a retry button for
 * officers and admins, and the queue dashboard (bull-board) for admins, mounted behind the same
 * sign-in. bull-board is a small React app of its own: its scripts are files, but it sets inline
 * styles, so its pages get their own, slightly wider policy; its API calls must come from our origin.
 * The dashboard is built on its first request, in a Fastify instance of its own that our routes pass
 * requests to (after our checks): bull-board is weight a process carries for nothing until an admin looks.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type InjectOptions } from 'fastify';
import { describeDeadLetter } from '../../actions/dead-letter-notices.js';
import { queueFor } from '../../actions/queues.js';
import { mayOpen } from '../access.js';
import { allow, origin, type ConsoleDeps } from '../context.js';
import { html, plain } from '../html.js';
import { sameOrigin, setSecurityHeaders } from '../security.js';
import { csrfField, messagePage, page } from '../views/layout.js';

const LIST_LIMIT = 50;
export const QUEUES_PATH = '/console/hang-doi';
const BOARD_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'";

export async function registerAdmin(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { services } = deps;

  app.get('/tin-loi', async (req, reply) => {
    const viewer = allow(req, reply, 'deadletters');
    if (!viewer) return;
    const letters = await services.outbox.listDeadLetters(viewer.commune.id, LIST_LIMIT);
    const flash = await deps.web.sessions.takeFlash(viewer.sid);
    const rows = await Promise.all(
      letters.map(async (dl) => {
        const d = await describeDeadLetter(services, dl);
        return html`<tr><td>${d.time}</td><td>${d.who}</td><td>${d.why}</td><td><form method="post" action="/console/tin-loi/gui-lai">${csrfField(viewer)}<input type="hidden" name="key" value="${dl.key}"><button type="submit">Gửi lại</button></form></td></tr>`;
      }),
    );
    const body = html`${flash.length ? html`<div class="flash" role="status">${flash.map((f) => html`<p>${plain(f)}</p>`)}</div>` : ''}
${rows.length ? html`<div class="scroll"><table class="list"><thead><tr><th>Lúc</th><th>Người nhận</th><th>Lý do</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>` : html`<p class="note">Không có tin nhắn nào bị lỗi gửi.</p>`}`;
    return reply.type('text/html').send(page({ title: 'Tin nhắn không gửi được', viewer, section: 'deadletters', body }));
  });

  app.post<{ Body: { key?: string } }>('/tin-loi/gui-lai', async (req, reply) => {
    const viewer = allow(req, reply, 'deadletters');
    if (!viewer) return;
    const key = String(req.body?.key ?? '');
    const result = await services.outbox.retryDeadLetter(viewer.commune.id, key);
    if (result !== 'gone') await services.audit.add({ actor: viewer.member.identity, action: 'web.retry', subject: viewer.commune.id }, services.now());
    const text = { queued: 'Đã gửi lại tin nhắn. Nếu vẫn lỗi, tin sẽ hiện lại trong danh sách.', already_sent: 'Tin nhắn này đã được gửi rồi.', gone: 'Không tìm thấy tin nhắn này nữa.' }[result];
    await deps.web.sessions.setFlash(viewer.sid, [text]);
    return reply.code(303).header('location', '/console/tin-loi').send();
  });

  const board = lazyInstance(() => buildBoard(deps));
  // The dashboard's own onClose hooks run when the console does; a board still being built is closed once built.
  app.addHook('onClose', board.close);
  const ours = origin(deps);
  await app.register(
    async (scope) => {
      scope.addHook('onRequest', async (req, reply) => {
        setSecurityHeaders(reply, BOARD_CSP);
        if (!req.viewer) return reply.code(401).type('text/html').send(messagePage('Chưa đăng nhập', 'Xin gửi /web trong tin nhắn với kênh để nhận đường dẫn đăng nhập.'));
        if (!mayOpen(req.viewer.member, 'queues')) return reply.code(403).type('text/html').send(messagePage('Không có quyền', 'Phần này chỉ dành cho quản trị viên.', req.viewer));
        // The dashboard's own buttons call its API with fetch: the Origin must be ours (and SameSite=Strict already keeps other sites' requests cookie-less).
        if (req.method !== 'GET' && req.method !== 'HEAD' && (!req.headers.origin || !sameOrigin(req, ours))) return reply.code(403).send({ error: 'forbidden' });
      });
      // The dashboard reads the body itself: passed on as it came.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));
      const forward = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
        const res = await (await board.get()).inject({ method: req.method as InjectOptions['method'], url: req.url, headers: req.headers, payload: req.body as Buffer | undefined });
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) void reply.header(name, value);
        return reply.code(res.statusCode).send(res.rawPayload);
      };
      scope.all('/', forward);
      scope.all('/*', forward);
    },
    { prefix: '/hang-doi' },
  );
}

/** Headers of the dashboard's own answer that describe that connection, not ours. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

export interface LazyInstance {
  get(): Promise<FastifyInstance>;
  /** Closes the instance if it was built (or is being built); never builds one. */
  close(): Promise<void>;
}

/** A Fastify instance made once, on first use (a failed attempt is retried next time). */
export function lazyInstance(build: () => Promise<FastifyInstance>): LazyInstance {
  let instance: Promise<FastifyInstance> | undefined;
  return {
    get() {
      instance ??= build().catch((err: unknown) => {
        instance = undefined;
        throw err;
      });
      return instance;
    },
    async close() {
      const built = await instance?.catch(() => undefined);
      instance = undefined;
      await built?.close();
    },
  };
}

async function buildBoard(deps: ConsoleDeps): Promise<FastifyInstance> {
  const [{ createBullBoard }, { BullMQAdapter }, { FastifyAdapter }] = await Promise.all([import('@bull-board/api'), import('@bull-board/api/bullMQAdapter'), import('@bull-board/fastify')]);
  const adapter = new FastifyAdapter();
  adapter.setBasePath(QUEUES_PATH);
  createBullBoard({
    queues: deps.queueNames.map((name) => new BullMQAdapter(queueFor(deps.services, name), { readOnlyMode: false })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Hàng đợi' } },
  });
  const app = Fastify({ logger: false });
  await app.register(adapter.registerPlugin(), { prefix: QUEUES_PATH });
  await app.ready();
  return app;
}
