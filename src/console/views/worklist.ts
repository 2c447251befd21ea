/** The worklist: the commune's cases with filters and the time left on each legal clock. */
import { CASE_STATUSES, STATUS_LABEL } from '../../domain/case-status.js';
import { CATEGORIES } from '../../domain/categories.js';
import { formatLocal } from '../../domain/local-time.js';
import { URGENCY_LABEL } from '../../domain/urgency.js';
import { URGENCIES } from '../../config/communes.js';
import type { ReportSummary } from '../../store/reports.js';
import { CLOCK_LABEL, clockText, isOverdue, type CaseClock } from '../clocks.js';
import type { Viewer } from '../context.js';
import { html, type Html } from '../html.js';
import { categoryLabel } from '../../actions/case-wording.js';

export interface WorklistFilters {
  status: string;
  urgency: string;
  village: string;
  category: string;
  overdue: boolean;
  unack: boolean;
}

export interface WorklistRow {
  report: ReportSummary;
  clock?: CaseClock;
  holder: string;
}

function options(values: ReadonlyArray<{ value: string; label: string }>, current: string): Html[] {
  return values.map((o) => html`<option value="${o.value}"${o.value === current ? html` selected` : ''}>${o.label}</option>`);
}

function filterForm(viewer: Viewer, f: WorklistFilters): Html {
  const statuses = [{ value: 'open', label: 'Đang mở' }, { value: 'all', label: 'Tất cả' }, ...CASE_STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] }))];
  return html`<form method="get" action="/console/" class="filters">
<label>Trạng thái <select name="trang_thai">${options(statuses, f.status)}</select></label>
<label>Mức độ <select name="muc_do">${options([{ value: '', label: 'Mọi mức' }, ...URGENCIES.map((u) => ({ value: u, label: `${u} ${URGENCY_LABEL[u]}` }))], f.urgency)}</select></label>
<label>Thôn <select name="thon">${options([{ value: '', label: 'Mọi thôn' }, ...viewer.commune.villages.map((v) => ({ value: v.name, label: v.name }))], f.village)}</select></label>
<label>Loại <select name="loai">${options([{ value: '', label: 'Mọi loại' }, ...CATEGORIES.map((c) => ({ value: c.key, label: c.label }))], f.category)}</select></label>
<label class="check"><input type="checkbox" name="qua_han" value="1"${f.overdue ? html` checked` : ''}> Quá hạn</label>
<label class="check"><input type="checkbox" name="chua_nhan" value="1"${f.unack ? html` checked` : ''}> Chưa tiếp nhận</label>
<button type="submit">Lọc</button>
</form>`;
}

export function worklistBody(viewer: Viewer, f: WorklistFilters, rows: WorklistRow[], now: number, extra: Html): Html {
  const tz = viewer.commune.timezone;
  const table = rows.length
    ? html`<div class="scroll"><table class="list">
<thead><tr><th>Mã</th><th>Mức độ</th><th>Loại</th><th>Thôn</th><th>Nhận lúc</th><th>Trạng thái</th><th>Người giữ</th><th>Thời hạn</th></tr></thead>
<tbody>${rows.map(
        ({ report: r, clock, holder }) => html`<tr class="${isOverdue(clock, now) ? 'overdue' : ''}">
<td><a href="/console/vu-viec/${r.code}">${r.code}</a></td>
<td><span class="badge ${r.urgency}">${r.urgency}</span> ${URGENCY_LABEL[r.urgency]}</td>
<td>${categoryLabel(r.category)}</td><td>${r.village || 'chưa rõ'}</td><td>${formatLocal(r.createdAt, tz)}</td>
<td>${STATUS_LABEL[r.status]}</td><td>${holder}</td>
<td>${clock ? html`${CLOCK_LABEL[clock.kind]}: <strong>${clockText(clock, now)}</strong>` : '—'}</td>
</tr>`,
      )}</tbody></table></div>`
    : html`<p class="note">Không có vụ việc nào khớp bộ lọc.</p>`;
  return html`${filterForm(viewer, f)}<p class="count">${rows.length} vụ việc</p>${table}${extra}`;
}
