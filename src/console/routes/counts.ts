/**
 * Monthly counts: the completeness grid of the year (villages × months) with charts for the commune
 * or one village, and what one village sent for one month, version by version and by whom.
 */
import type { FastifyInstance } from 'fastify';
import type { CommuneConfig } from '../../config/communes.js';
import { communeFigures } from '../../store/figures.js';
import { isLate, isPastLock, parsePeriodKey, periodKey, shortPeriod } from '../../domain/counts/periods.js';
import { dayFields, localDay, type LocalDay } from '../../domain/local-time.js';
import { formatLocal } from '../../domain/local-time.js';
import { personLabel } from '../../actions/case-wording.js';
import { labelOf } from '../../reports/phu-luc-01.js';
import { allow, figureStores, type ConsoleDeps } from '../context.js';
import { figure, html } from '../html.js';
import { charts, gridTable, type CellState, type GridCell } from '../views/grid.js';
import { messagePage, page } from '../views/layout.js';

type Query = Record<string, string | undefined>;

function yearOf(q: Query, today: { year: number }): number {
  const y = Number(q.nam);
  return Number.isInteger(y) && y >= 2000 && y <= today.year ? y : today.year;
}

function stateOf(c: { values?: unknown; version?: number; late?: boolean }, period: string, today: LocalDay, commune: CommuneConfig): CellState {
  if (c.values) return (c.version ?? 1) > 1 ? 'corrected' : c.late ? 'late' : 'on_time';
  return isLate(period, today, commune.counts.dueDay) ? 'missing' : 'not_yet';
}

export function registerCounts(app: FastifyInstance, deps: ConsoleDeps): void {
  const { services } = deps;

  app.get<{ Querystring: Query }>('/so-lieu', async (req, reply) => {
    const viewer = allow(req, reply, 'counts');
    if (!viewer) return;
    const commune = viewer.commune;
    const today = localDay(services.now(), commune.timezone);
    const now = dayFields(today);
    const year = yearOf(req.query, now);
    const lastMonth = year === now.year ? now.month : 12;
    const to = periodKey({ year, month: lastMonth });
    const f = await communeFigures(figureStores(services), commune, `${year}-01`, to);
    const cells = f.grid.map((c): GridCell => ({
      ...c,
      state: stateOf(c, c.period, today, commune),
      locked: isPastLock(c.period, today, commune.counts.dueDay, commune.counts.lockAfterDays),
    }));
    const byKey = new Map(cells.map((c) => [`${c.village}\u0000${c.period}`, c]));
    const villages = [...new Set(cells.map((c) => c.village))];
    const village = req.query.thon && villages.includes(req.query.thon) ? req.query.thon : '';
    const years = Array.from({ length: 4 }, (_, i) => now.year - i);
    const body = html`<form method="get" action="/console/so-lieu" class="filters">
<label>Năm <select name="nam">${years.map((y) => html`<option${y === year ? html` selected` : ''}>${y}</option>`)}</select></label>
<label>Biểu đồ cho <select name="thon"><option value="">Cả xã</option>${villages.map((v) => html`<option${v === village ? html` selected` : ''}>${v}</option>`)}</select></label>
<button type="submit">Xem</button></form>
<h2>Tình hình gửi số liệu năm ${year}</h2>
<p class="small">Đã nhận ${f.submitted} trong số ${f.expected} báo cáo tháng của các thôn. Bấm vào ô đã gửi để xem nội dung và người gửi.</p>
${gridTable(villages, f.months, byKey)}
<h2>Biểu đồ theo tháng — ${village || commune.name}</h2>
<p class="small">Tháng không có thôn nào gửi được ghi "—" (thiếu số liệu), không phải 0.</p>
${charts(f.fields, f.months, village ? cells.filter((c) => c.village === village) : cells, (key) => labelOf(f, key))}`;
    return reply.type('text/html').send(page({ title: 'Số liệu thôn', viewer, section: 'counts', body }));
  });

  app.get<{ Querystring: Query }>('/so-lieu/chi-tiet', async (req, reply) => {
    const viewer = allow(req, reply, 'counts');
    if (!viewer) return;
    const commune = viewer.commune;
    const village = commune.villages.find((v) => v.name === req.query.thon)?.name;
    const period = req.query.thang && parsePeriodKey(req.query.thang) ? req.query.thang : undefined;
    if (!village || !period) return reply.code(404).type('text/html').send(messagePage('Không tìm thấy', 'Không có số liệu này.', viewer));
    const versions = await services.counts.history(commune.id, period, village);
    const fields = (await communeFigures(figureStores(services), commune, period, period)).fields;
    const tz = commune.timezone;
    const rows = await Promise.all(
      versions.reverse().map(async (v) => html`<section class="card"><h2>Lần ${v.version}${v.version === versions.length ? ' (đang dùng)' : ''}</h2>
<p>Gửi lúc ${formatLocal(v.at, tz)} bởi ${await personLabel(services, v.by, viewer.member.identity)}${v.late ? ' — gửi muộn' : ''}</p>
<table class="list"><tbody>${fields.map((x) => html`<tr><th>${x.label}</th><td>${figure(v.values[x.key])}</td></tr>`)}</tbody></table></section>`),
    );
    const body = html`<p><a href="/console/so-lieu?nam=${period.slice(0, 4)}">← Về bảng số liệu</a></p>
${rows.length ? rows : html`<p class="note">Thôn chưa gửi số liệu tháng này.</p>`}`;
    return reply.type('text/html').send(page({ title: `${village} — ${shortPeriod(period)}`, viewer, section: 'counts', body }));
  });
}
