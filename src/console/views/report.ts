/** The Phụ lục 01 document as a page that prints cleanly on A4 (the print rules are in console.css). */
import type { ReportDocument } from '../../reports/phu-luc-01.js';
import { html, type Html } from '../html.js';

export function reportDocument(doc: ReportDocument, dateText: string): Html {
  return html`<article class="document">
<div class="doc-head">
<div><strong>${doc.authority.toUpperCase()}</strong><br>Số: &nbsp;&nbsp;&nbsp;&nbsp;/BC-UBND</div>
<div><strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</strong><br><u><strong>Độc lập - Tự do - Hạnh phúc</strong></u><br><em>${doc.place}, ${dateText}</em></div>
</div>
<h2 class="doc-title">${doc.title}<br><span>${doc.subtitle}</span></h2>
<p class="center"><em>${doc.periodText}</em></p>
<p class="small">${doc.note}</p>
${doc.blocks.map((b) => {
  if (b.kind === 'heading') return b.level === 1 ? html`<h3>${b.text.toUpperCase()}</h3>` : html`<h4>${b.text}</h4>`;
  if (b.kind === 'text') return html`<p>${b.text}</p>`;
  return html`<table class="doc"><thead><tr>${b.columns.map((c) => html`<th>${c}</th>`)}</tr></thead><tbody>${b.rows.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody></table>`;
})}
<div class="doc-sign"><strong>TM. ỦY BAN NHÂN DÂN</strong><br><em>(Ký, ghi rõ họ tên, đóng dấu)</em></div>
<section class="annex">
<h3>Phụ lục: ${doc.appendix.title}</h3>
<table class="doc"><thead><tr>${doc.appendix.columns.map((c) => html`<th>${c}</th>`)}</tr></thead><tbody>${doc.appendix.rows.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody></table>
</section>
</article>`;
}
