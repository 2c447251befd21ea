/**
 * A bar chart of one figure over months as inline SVG: no script, no library, scales to a phone
 * screen through its viewBox, prints. A month nobody sent is drawn as "—", never as a zero bar.
 */
import { escapeHtml, raw, type Html } from '../html.js';

export interface ChartPoint {
  label: string;
  value?: number;
}

const W = 360;
const H = 150;
const PAD = { top: 16, bottom: 22, left: 6, right: 6 };

export function barChart(title: string, points: readonly ChartPoint[]): Html {
  const max = Math.max(1, ...points.map((p) => p.value ?? 0));
  const slot = (W - PAD.left - PAD.right) / Math.max(1, points.length);
  const plot = H - PAD.top - PAD.bottom;
  const parts: string[] = [];
  points.forEach((p, i) => {
    const x = PAD.left + i * slot;
    const cx = (x + slot / 2).toFixed(1);
    parts.push(`<text x="${cx}" y="${H - 6}" class="axis">${escapeHtml(p.label)}</text>`);
    if (p.value === undefined) {
      parts.push(`<text x="${cx}" y="${H - PAD.bottom - 4}" class="missing">—</text>`);
      return;
    }
    const h = (p.value / max) * plot;
    const y = H - PAD.bottom - h;
    parts.push(`<rect x="${(x + slot * 0.15).toFixed(1)}" y="${y.toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${h.toFixed(1)}"><title>${escapeHtml(`${p.label}: ${p.value}`)}</title></rect>`);
    parts.push(`<text x="${cx}" y="${(y - 3).toFixed(1)}" class="value">${p.value}</text>`);
  });
  const label = escapeHtml(title);
  return raw(
    `<figure class="chart"><figcaption>${label}</figcaption><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${label}" xmlns="http://www.w3.org/2000/svg">` +
      `<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" class="base"/>${parts.join('')}</svg></figure>`,
  );
}
