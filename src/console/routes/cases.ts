/**
 * The worklist, the case page (every view audit-logged, as in chat), its actions, and the attachments
 * fetched through the server. A case of another commune is answered exactly like one that does not
 * exist.
 */
import type { FastifyInstance } from 'fastify';
import { CASE_STATUSES, isOpen } from '../../domain/case-status.js';
import { personLabel } from '../../actions/case-wording.js';
import { nextSteps } from '../../actions/case-wording.js';
import { communeIndex, type ReportDetails, type ReportSummary } from '../../store/reports.js';
import { canHandle, canRead } from '../access.js';
import { TEXT_ACTIONS, isWebAction, runCaseAction } from '../case-actions.js';
import { caseClock, isOverdue } from '../clocks.js';
import { allow, type ConsoleDeps, type Viewer } from '../context.js';
import { html, plain } from '../html.js';
import { caseBody } from '../views/case.js';
import { messagePage, page } from '../views/layout.js';
import { worklistBody, type WorklistFilters } from '../views/worklist.js';
import { signOutEverywhere } from './signin.js';

/** The newest cases a worklist looks through; older ones are reached by their code. */
const SCAN_LIMIT = 500;
const CODE = /^TE-[0-9A-Z]{6}$/;

type Query = Record<string, string | undefined>;

function filtersOf(q: Query): WorklistFilters {
  return {
    status: q.trang_thai && ['open', 'all', ...CASE_STATUSES].includes(q.trang_thai) ? q.trang_thai : 'open',
    urgency: q.muc_do ?? '',
    village: q.thon ?? '',
    category: q.loai ?? '',
    overdue: q.qua_han === '1',
    unack: q.chua_nhan === '1',
  };
}

function matches(r: ReportSummary, f: WorklistFilters): boolean {
  if (f.status === 'open' ? !isOpen(r.status) : f.status !== 'all' && r.status !== f.status) return false;
  if (f.urgency && r.urgency !== f.urgency) return false;
  if (f.village && r.village !== f.village) return false;
  if (f.category && r.category !== f.category) return false;
  return !(f.unack && r.status !== 'new');
}

export function registerCases(app: FastifyInstance, deps: ConsoleDeps): void {
  const { services } = deps;

  const notFound = (viewer: Viewer) => messagePage('Không tìm thấy', 'Không tìm thấy vụ việc này trong xã của bạn.', viewer);

  /** The case when the viewer may read it, as chat decides. */
  async function readable(viewer: Viewer, code: string): Promise<ReportSummary | undefined> {
    if (!CODE.test(code)) return undefined;
    const report = await services.cases.get(code);
    return report && canRead(viewer.member, report) ? report : undefined;
  }

  app.get<{ Querystring: Query }>('/', async (req, reply) => {
    const viewer = allow(req, reply, 'cases');
    if (!viewer) return;
    const f = filtersOf(req.query);
    const now = services.now();
    const codes = await services.redis.zrevrange(communeIndex(viewer.member.communeId), 0, SCAN_LIMIT - 1);
    const reports = (await Promise.all(codes.map((c) => services.cases.get(c)))).filter((r): r is ReportSummary => r !== undefined && matches(r, f));
    const rows = await Promise.all(
      reports.map(async (report) => {
        const markers = await services.cases.markers(report.code);
        return { report, clock: caseClock(report, markers, viewer.commune), holder: await personLabel(services, markers.assignee, viewer.member.identity) };
      }),
    );
    const shown = f.overdue ? rows.filter((r) => isOverdue(r.clock, now)) : rows;
    const extra = html`<p class="small">${signOutEverywhere(viewer)}</p>`;
    return reply.type('text/html').send(page({ title: 'Vụ việc', viewer, section: 'cases', body: worklistBody(viewer, f, shown, now, extra) }));
  });

  app.get<{ Params: { code: string } }>('/vu-viec/:code', async (req, reply) => {
    const viewer = allow(req, reply, 'cases');
    if (!viewer) return;
    const report = await readable(viewer, req.params.code);
    if (!report) return reply.code(404).type('text/html').send(notFound(viewer));
    // The same audited read as /xem in chat: the view is recorded once the page has gone out (or the
    // connection ended mid-page: it may have been read).
    const sent = await services.cases.viewDetails(report.code, viewer.member.identity, async (details) => {
      reply.type('text/html').send(await casePage(viewer, report, details));
      await reply.then(
        () => undefined,
        () => undefined,
      );
      return true;
    });
    return sent ? reply : reply.type('text/html').send(await casePage(viewer, report, undefined));
  });

  async function casePage(viewer: Viewer, report: ReportSummary, details: ReportDetails | undefined): Promise<string> {
    const identity = viewer.member.identity;
    const [markers, entries, flash] = await Promise.all([services.cases.markers(report.code), services.cases.timeline(report.code), deps.web.sessions.takeFlash(viewer.sid)]);
    const handles = canHandle(viewer.member, report);
    const actions = handles ? nextSteps(report).map((s) => ({ action: s.step, label: plain(s.label) })) : [];
    const body = caseBody(
      viewer,
      {
        report,
        details,
        showReporter: handles,
        holder: await personLabel(services, markers.assignee, identity),
        emergencyActionAt: markers.emergencyActionAt,
        clock: caseClock(report, markers, viewer.commune),
        timeline: await Promise.all(entries.map(async (entry) => ({ entry, who: await personLabel(services, entry.actor, identity) }))),
        actions,
        flash,
      },
      services.now(),
    );
    return page({ title: `Vụ việc ${report.code}`, viewer, section: 'cases', body });
  }

  app.post<{ Params: { code: string; action: string }; Body: Record<string, string | undefined> }>('/vu-viec/:code/:action', async (req, reply) => {
    const viewer = allow(req, reply, 'cases');
    if (!viewer) return;
    const report = await readable(viewer, req.params.code);
    if (!report || !isWebAction(req.params.action)) return reply.code(404).type('text/html').send(notFound(viewer));
    const action = req.params.action;
    const text = String(req.body?.noi_dung ?? '').trim();
    const answer = TEXT_ACTIONS.has(action) && text.length < 2 ? 'Xin nhập nội dung bằng chữ.' : await runCaseAction(services, viewer.member, report.code, action, text);
    await deps.web.sessions.setFlash(viewer.sid, [answer]);
    return reply.code(303).header('location', `/console/vu-viec/${report.code}`).send();
  });

  app.get<{ Params: { code: string; n: string }; Querystring: Query }>('/vu-viec/:code/tep/:n', async (req, reply) => {
    const viewer = allow(req, reply, 'cases');
    if (!viewer) return;
    const report = await readable(viewer, req.params.code);
    const index = Number(req.params.n) - 1;
    if (!report || !Number.isInteger(index) || index < 0) return reply.code(404).type('text/html').send(notFound(viewer));
    const media = (await services.cases.openDetails(report.code))?.attachments[index];
    if (!media) return reply.code(404).type('text/html').send(notFound(viewer));
    const file = await deps.attachments.fetch(report.channel, media, `${report.code}-${index + 1}`);
    if (!file) return reply.code(502).type('text/html').send(messagePage('Chưa mở được tệp', 'Không tải được tệp này từ nền tảng chat (có thể tệp đã quá cũ). Xin thử lại sau.', viewer));
    const disposition = file.inline && req.query.tai !== '1' ? 'inline' : 'attachment';
    reply
      .type(file.contentType)
      .header('content-disposition', `${disposition}; filename="${file.filename}"`)
      .header('content-security-policy', "default-src 'none'; img-src 'self'; sandbox")
      .send(file.body);
    // Recorded once the file has gone out, as a page view is.
    await reply.then(
      () => undefined,
      () => undefined,
    );
    await services.audit.add({ actor: viewer.member.identity, action: 'report.attachment', subject: report.code, detail: String(index + 1) }, services.now());
    return reply;
  });
}
