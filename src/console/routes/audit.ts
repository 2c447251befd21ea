/**
 * The audit page (the commune's chair and administrators): who viewed, changed, exported or signed in,
 * filtered by case, person and dates. Only entries about the viewer's commune are shown: its cases,
 * its villages' counts, its members' actions.
 */
import type { FastifyInstance } from 'fastify';
import { formatLocal, zonedInstant } from '../../domain/local-time.js';
import { KIND_LABEL, personLabel } from '../../actions/case-wording.js';
import { memberName } from '../../actions/people.js';
import type { AuditRecord } from '../../store/audit.js';
import { allow, type ConsoleDeps, type Viewer } from '../context.js';
import { html } from '../html.js';
import { page } from '../views/layout.js';

type Query = Record<string, string | undefined>;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const SHOWN = 300;
/** How far back the page reads before filtering by commune. */
const SCAN = 5000;

const ACTION_LABEL: Record<string, string> = {
  'report.create': 'Gửi báo cáo',
  'report.view': 'Xem chi tiết vụ việc',
  'report.attachment': 'Mở tệp đính kèm',
  'report.status': 'Đổi trạng thái',
  'counts.submit': 'Gửi số liệu tháng',
  'counts.unlock': 'Mở khoá số liệu',
  'role.assign': 'Nhận vai trò',
  'role.revoke': 'Thu hồi vai trò',
  'invite.create': 'Tạo mã mời',
  'web.signin': 'Đăng nhập trang quản lý',
  'web.signin_refused': 'Đăng nhập bị từ chối',
  'web.signout': 'Đăng xuất',
  'web.signout_all': 'Đăng xuất khỏi mọi máy',
  'web.export': 'Tải tài liệu',
  'web.retry': 'Gửi lại tin lỗi',
  'cli.export': 'Xuất số liệu (dòng lệnh)',
  'cli.report': 'Lập báo cáo (dòng lệnh)',
};

function actionLabel(action: string): string {
  if (action.startsWith('case.')) return KIND_LABEL[action.slice(5)] ?? action;
  return ACTION_LABEL[action] ?? action;
}

export function registerAudit(app: FastifyInstance, deps: ConsoleDeps): void {
  const { services } = deps;

  /** Whether an entry concerns the viewer's commune (lookups cached for one page). */
  function belongsTo(viewer: Viewer): (e: AuditRecord) => Promise<boolean> {
    const id = viewer.commune.id;
    const cache = new Map<string, Promise<string | undefined>>();
    const communeOf = (key: string, load: () => Promise<string | undefined>) => {
      if (!cache.has(key)) cache.set(key, load());
      return cache.get(key) as Promise<string | undefined>;
    };
    return async (e) => {
      if (e.subject === id || e.subject.startsWith(`${id}/`)) return true;
      if (/^TE-[0-9A-Z]{6}$/.test(e.subject)) return (await communeOf(e.subject, async () => (await services.cases.get(e.subject))?.communeId)) === id;
      return (await communeOf(e.actor, async () => (await services.roles.get(e.actor))?.communeId)) === id;
    };
  }

  app.get<{ Querystring: Query }>('/nhat-ky', async (req, reply) => {
    const viewer = allow(req, reply, 'audit');
    if (!viewer) return;
    const tz = viewer.commune.timezone;
    const q = req.query;
    const from = q.tu && DAY.test(q.tu) ? zonedInstant(q.tu, '00:00', tz) : 0;
    const to = q.den && DAY.test(q.den) ? zonedInstant(q.den, '23:59', tz) + 60_000 : services.now() + 60_000;
    const code = (q.vu_viec ?? '').trim().toUpperCase();
    const person = q.nguoi ?? '';
    const mine = belongsTo(viewer);
    const entries: AuditRecord[] = [];
    for (const e of await services.audit.list({ from, to, subject: code || undefined, actor: person || undefined }, SCAN)) {
      if (await mine(e)) entries.push(e);
      if (entries.length >= SHOWN) break;
    }
    const members = await services.roles.list(viewer.commune.id);
    const rows = await Promise.all(
      entries.map(async (e) => html`<tr><td>${formatLocal(e.at, tz)}</td><td>${await personLabel(services, e.actor)}</td><td>${actionLabel(e.action)}</td><td>${/^TE-/.test(e.subject) ? html`<a href="/console/vu-viec/${e.subject}">${e.subject}</a>` : e.subject}</td></tr>`),
    );
    const body = html`<form method="get" action="/console/nhat-ky" class="filters">
<label>Mã vụ việc <input name="vu_viec" value="${code}" placeholder="TE-…" size="10"></label>
<label>Người <select name="nguoi"><option value="">Mọi người</option>${members.map((m) => html`<option value="${m.identity}"${m.identity === person ? html` selected` : ''}>${memberName(m)}</option>`)}</select></label>
<label>Từ ngày <input type="date" name="tu" value="${q.tu && DAY.test(q.tu) ? q.tu : ''}"></label>
<label>Đến ngày <input type="date" name="den" value="${q.den && DAY.test(q.den) ? q.den : ''}"></label>
<button type="submit">Lọc</button></form>
<p class="count">${entries.length} mục${entries.length >= SHOWN ? ` (chỉ hiện ${SHOWN} mục mới nhất)` : ''}</p>
<div class="scroll"><table class="list"><thead><tr><th>Lúc</th><th>Ai</th><th>Việc</th><th>Đối tượng</th></tr></thead><tbody>${rows}</tbody></table></div>`;
    return reply.type('text/html').send(page({ title: 'Nhật ký truy cập', viewer, section: 'audit', body }));
  });
}
