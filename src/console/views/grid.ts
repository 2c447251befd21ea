/**
 * The completeness grid (villages × months): sent on time, late, corrected, missing, locked; each
 * cell opens what was sent and by whom. Then one chart per figure for the commune or one village.
 */
import type { CountFieldConfig } from '../../config/communes.js';
import { shortPeriod } from '../../domain/counts/periods.js';
import type { VillageMonth } from '../../domain/counts/figures.js';
import { html, type Html } from '../html.js';
import { barChart, type ChartPoint } from './chart.js';

export type CellState = 'on_time' | 'late' | 'corrected' | 'missing' | 'not_yet';

export const CELL_LABEL: Record<CellState, string> = {
  on_time: 'Đúng hạn',
  late: 'Gửi muộn',
  corrected: 'Đã sửa',
  missing: 'Chưa gửi',
  not_yet: 'Chưa đến hạn',
};

export interface GridCell extends VillageMonth {
  state: CellState;
  locked: boolean;
}

function cell(c: GridCell): Html {
  const label = `${CELL_LABEL[c.state]}${c.locked ? ', đã khoá sổ' : ''}`;
  const text = c.state === 'missing' || c.state === 'not_yet' ? '—' : CELL_LABEL[c.state];
  const content = html`${text}${c.locked ? html` <span class="lock" title="Đã khoá sổ">khoá</span>` : ''}`;
  const href = `/console/so-lieu/chi-tiet?thon=${encodeURIComponent(c.village)}&thang=${c.period}`;
  return html`<td class="cell ${c.state}${c.locked ? ' locked' : ''}" title="${label}">${c.values ? html`<a href="${href}">${content}</a>` : content}</td>`;
}

export function gridTable(villages: readonly string[], months: readonly string[], cells: ReadonlyMap<string, GridCell>): Html {
  return html`<div class="scroll"><table class="grid">
<thead><tr><th>Thôn</th>${months.map((m) => html`<th>${shortPeriod(m)}</th>`)}</tr></thead>
<tbody>${villages.map((v) => html`<tr><th>${v}</th>${months.map((m) => {
    const c = cells.get(`${v}\u0000${m}`);
    return c ? cell(c) : html`<td>—</td>`;
  })}</tr>`)}</tbody></table></div>
<p class="legend">${(Object.keys(CELL_LABEL) as CellState[]).map((s) => html`<span class="cell ${s}">${CELL_LABEL[s]}</span> `)}<span class="cell locked">khoá: đã khoá sổ</span></p>`;
}

/** Per figure, the month's sum over the villages that sent; a month nobody sent stays missing. */
export function charts(fields: readonly CountFieldConfig[], months: readonly string[], cells: readonly GridCell[], label: (key: string) => string): Html {
  return html`<div class="charts">${fields.map((f) => {
    const points: ChartPoint[] = months.map((m) => {
      // A row a village left without a number ("chưa có số") is missing, not zero.
      const given = cells.flatMap((c) => (c.period === m && c.values?.[f.key] !== undefined ? [c.values[f.key] as number] : []));
      return { label: shortPeriod(m).replace(/\/\d+$/, ''), value: given.length ? given.reduce((s, v) => s + v, 0) : undefined };
    });
    return barChart(label(f.key), points);
  })}</div>`;
}
