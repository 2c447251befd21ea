/**
 * Documents to send upward: the 6-month or annual report (Phụ lục 01) as a printable page and an XLSX
 * file, and the counts export (CSV, XLSX). A province user gets the totals of every commune of the
 * province. Every download is audit-logged.
 */
import type { FastifyInstance } from 'fastify';
import type { CommuneFigures } from '../../domain/counts/figures.js';
import { communeFigures } from '../../store/figures.js';
import { addMonths, halfSpan, parseSpan, yearSpan, type PeriodSpan } from '../../domain/counts/periods.js';
import { dayFields, localDay } from '../../domain/local-time.js';
import { countsCsv, countsXlsx } from '../../reports/counts-export.js';
import { phuLuc01, signingDate, type ReportDocument } from '../../reports/phu-luc-01.js';
import { phuLuc01Xlsx } from '../../reports/phu-luc-01-xlsx.js';
import { combineFigures } from '../../reports/province.js';
import { allow, figureStores, type ConsoleDeps, type Viewer } from '../context.js';
import { html } from '../html.js';
import { page } from '../views/layout.js';
import { reportDocument } from '../views/report.js';

type Query = Record<string, string | undefined>;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function spanOf(q: Query, today: { year: number; month: number }, day: string): PeriodSpan {
  const asked = q.ky ? parseSpan(q.ky, day) : undefined;
  if (asked && asked.kind !== 'month') return asked;
  // The last half-year that has ended, or the current one while it runs.
  return today.month > 6 ? halfSpan(today.year, 1) : halfSpan(today.year - 1, 2);
}

export function registerReports(app: FastifyInstance, deps: ConsoleDeps): void {
  const { services } = deps;

  /** The figures the viewer may see for the span: their commune's, or their province's totals. */
  async function build(viewer: Viewer, span: PeriodSpan): Promise<{ doc: ReportDocument; figures: CommuneFigures; communes?: CommuneFigures[] }> {
    const province = viewer.member.role === 'province';
    const communes = province ? services.config.communes.filter((c) => c.province === viewer.commune.province) : [viewer.commune];
    const figuresFor = (from: string, to: string) => Promise.all(communes.map((c) => communeFigures(figureStores(services), c, from, to)));
    const [now, before] = await Promise.all([figuresFor(span.from, span.to), figuresFor(addMonths(span.from, -12), addMonths(span.to, -12))]);
    const figures = province ? combineFigures(now, viewer.commune.province) : (now[0] as CommuneFigures);
    const earlier = province ? combineFigures(before, viewer.commune.province) : (before[0] as CommuneFigures);
    const scope = province ? { authority: `UBND ${viewer.commune.province}`, place: viewer.commune.province } : { authority: `UBND ${viewer.commune.name}`, place: viewer.commune.name.replace(/^Xã\s+/i, '') };
    const doc = phuLuc01({ span, figures, earlier, scope, communes: province ? now : undefined });
    return { doc, figures, communes: province ? now : undefined };
  }

  app.get<{ Querystring: Query }>('/bao-cao', async (req, reply) => {
    const viewer = allow(req, reply, 'reports');
    if (!viewer) return;
    const today = dayFields(localDay(services.now(), viewer.commune.timezone));
    const span = spanOf(req.query, today, localDay(services.now(), viewer.commune.timezone));
    const { doc } = await build(viewer, span);
    const choices = [0, 1, 2].flatMap((i) => [yearSpan(today.year - i), halfSpan(today.year - i, 2), halfSpan(today.year - i, 1)]);
    const key = (s: PeriodSpan) => (s.kind === 'year' ? s.from.slice(0, 4) : `${s.from.slice(0, 4)}-H${s.from.endsWith('-01') ? 1 : 2}`);
    const q = `ky=${key(span)}`;
    const body = html`<form method="get" action="/console/bao-cao" class="filters no-print">
<label>Kỳ báo cáo <select name="ky">${choices.map((s) => html`<option value="${key(s)}"${key(s) === key(span) ? html` selected` : ''}>${s.label}</option>`)}</select></label>
<button type="submit">Xem</button></form>
<p class="no-print downloads"><a class="button" href="/console/bao-cao/tai-ve?${q}&amp;loai=bao-cao">Tải báo cáo (XLSX)</a>
<a class="button" href="/console/bao-cao/tai-ve?${q}&amp;loai=so-lieu-xlsx">Tải số liệu (XLSX)</a>
<a class="button" href="/console/bao-cao/tai-ve?${q}&amp;loai=so-lieu-csv">Tải số liệu (CSV)</a>
<br><span class="small">Để in: dùng lệnh In của trình duyệt (Ctrl+P); trang đã dàn sẵn cho khổ A4.</span></p>
${reportDocument(doc, signingDate(services.now(), viewer.commune.timezone))}`;
    return reply.type('text/html').send(page({ title: `Báo cáo ${span.label}`, viewer, section: 'reports', body }));
  });

  app.get<{ Querystring: Query }>('/bao-cao/tai-ve', async (req, reply) => {
    const viewer = allow(req, reply, 'reports');
    if (!viewer) return;
    const today = dayFields(localDay(services.now(), viewer.commune.timezone));
    const span = spanOf(req.query, today, localDay(services.now(), viewer.commune.timezone));
    const kind = req.query.loai === 'so-lieu-csv' || req.query.loai === 'so-lieu-xlsx' ? req.query.loai : 'bao-cao';
    const { doc, figures, communes } = await build(viewer, span);
    await services.audit.add({ actor: viewer.member.identity, action: 'web.export', subject: communes ? `province:${viewer.commune.province}` : viewer.commune.id, detail: `${kind} ${span.from}..${span.to}` }, services.now());
    const name = `${kind}-${communes ? 'tinh' : viewer.commune.id}-${span.from}-${span.to}`;
    // A province's counts export lists every commune's villages one after another.
    const counts = communes ?? [figures];
    if (kind === 'so-lieu-csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(counts.map(countsCsv).join('\r\n'));
    const body = kind === 'so-lieu-xlsx' ? await countsXlsx(counts) : await phuLuc01Xlsx(doc, signingDate(services.now(), viewer.commune.timezone));
    return reply.type(XLSX).header('content-disposition', `attachment; filename="${name}.xlsx"`).send(body);
  });
}
