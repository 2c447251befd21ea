/**
 * The case page: the summary, the details (decrypted through the audit-logged view), the timeline
 * with notes, the attachments (photos shown, files offered) and the forms for the next steps the chat
 * would offer at this status.
 */
import { STATUS_LABEL } from '../../domain/case-status.js';
import { formatLocal, timeAgo } from '../../domain/local-time.js';
import { urgencyText } from '../../domain/urgency.js';
import { categoryLabel, urgencyWhy } from '../../actions/case-wording.js';
import { DANGER_LABEL, KIND_LABEL, childLine, entryText, reporterLine, type CaseStep } from '../../actions/case-wording.js';
import type { TimelineEntry } from '../../store/cases.js';
import type { ReportDetails, ReportSummary } from '../../store/reports.js';
import { TEXT_ACTIONS } from '../case-actions.js';
import { CLOCK_LABEL, clockText, type CaseClock } from '../clocks.js';
import type { Viewer } from '../context.js';
import { html, plain, type Html } from '../html.js';
import { csrfField } from './layout.js';

export interface CaseView {
  report: ReportSummary;
  details?: ReportDetails;
  /** The reporter's contact is for those handling the case only. */
  showReporter: boolean;
  holder: string;
  emergencyActionAt?: number;
  clock?: CaseClock;
  timeline: Array<{ entry: TimelineEntry; who: string }>;
  actions: Array<{ action: CaseStep; label: string }>;
  flash: string[];
}

const MEDIA_LABEL: Record<string, string> = { photo: 'Ảnh', file: 'Tệp', voice: 'Ghi âm', video: 'Video', sticker: 'Nhãn dán', location: 'Vị trí', other: 'Tệp' };
const TEXT_HINT: Partial<Record<CaseStep, string>> = {
  note: 'Nội dung ghi chú',
  emergency: 'Biện pháp khẩn cấp đã làm (ví dụ: đã đưa trẻ đến nhà bà ngoại)',
  refer: 'Chuyển cho cơ quan nào (có thể thêm "; hẹn 20/12" để hẹn ngày theo dõi)',
  close: 'Kết quả xử lý',
  submit: 'Tóm tắt kế hoạch hỗ trợ để trình Lãnh đạo UBND xã duyệt',
  ask: 'Câu hỏi gửi người báo (gửi với tên "Cán bộ xã")',
  reopen: 'Lý do mở lại',
};

function attachments(code: string, d: ReportDetails): Html {
  if (!d.attachments.length) return html`<p>Không có tệp đính kèm.</p>`;
  return html`<ul class="files">${d.attachments.map((m, i) => {
    const href = `/console/vu-viec/${code}/tep/${i + 1}`;
    const label = `${MEDIA_LABEL[m.kind] ?? 'Tệp'} ${i + 1}`;
    if (m.kind === 'location') return html`<li>${label}: ${m.ref ?? 'không rõ'}</li>`;
    if (m.kind === 'photo') return html`<li><a href="${href}"><img src="${href}" alt="${label}" class="photo"></a></li>`;
    return html`<li><a href="${href}?tai=1">Tải ${label.toLowerCase()}</a></li>`;
  })}</ul>`;
}

function actionForm(viewer: Viewer, code: string, a: { action: CaseStep; label: string }): Html {
  const text = TEXT_ACTIONS.has(a.action)
    ? html`<label>${TEXT_HINT[a.action]}<textarea name="noi_dung" rows="2" maxlength="1000" required></textarea></label>`
    : '';
  return html`<form method="post" action="/console/vu-viec/${code}/${a.action}" class="action">${csrfField(viewer)}${text}<button type="submit">${a.label}</button></form>`;
}

export function caseBody(viewer: Viewer, v: CaseView, now: number): Html {
  const r = v.report;
  const d = v.details;
  const tz = viewer.commune.timezone;
  const why = urgencyWhy(r);
  return html`${v.flash.length ? html`<div class="flash" role="status">${v.flash.map((f) => html`<p>${plain(f)}</p>`)}</div>` : ''}
<section class="card">
<h2>${plain(urgencyText(r.urgency))} · ${categoryLabel(r.category)}</h2>
${why ? html`<p class="why">${why}</p>` : ''}
<dl>
<dt>Thôn</dt><dd>${r.village || 'chưa rõ'}</dd>
<dt>Nhận lúc</dt><dd>${formatLocal(r.createdAt, tz)} (${timeAgo(r.createdAt, now)})</dd>
<dt>Trạng thái</dt><dd>${STATUS_LABEL[r.status]}</dd>
<dt>Người giữ</dt><dd>${v.holder}</dd>
<dt>Trẻ đang gặp nguy hiểm</dt><dd>${DANGER_LABEL[r.inDanger]}</dd>
${v.clock ? html`<dt>${CLOCK_LABEL[v.clock.kind]}</dt><dd>${formatLocal(v.clock.deadline, tz)} — ${clockText(v.clock, now)}</dd>` : ''}
${v.emergencyActionAt ? html`<dt>Biện pháp khẩn cấp</dt><dd>${formatLocal(v.emergencyActionAt, tz)}</dd>` : ''}
</dl>
</section>
${d
  ? html`<section class="card"><h2>Chi tiết</h2><dl>
<dt>Trẻ</dt><dd>${childLine(d)}</dd>
<dt>Sự việc</dt><dd class="text">${d.description}</dd>
${d.when ? html`<dt>Thời điểm</dt><dd>${d.when}</dd>` : ''}
${d.extra ? html`<dt>Thông tin thêm</dt><dd class="text">${d.extra}</dd>` : ''}
<dt>Người báo</dt><dd>${v.showReporter ? reporterLine(d, v.actions.some((a) => a.action === 'ask') ? 'hỏi thêm được ở ô "Câu hỏi gửi người báo" bên dưới' : 'người giữ vụ việc hỏi thêm được sau khi tiếp nhận') : '(chỉ cán bộ xử lý vụ việc được xem)'}</dd>
</dl>
<h3>Tệp đính kèm</h3>${attachments(r.code, d)}</section>`
  : html`<p class="note">Không đọc được chi tiết vụ việc. Xin báo quản trị viên.</p>`}
${v.actions.length ? html`<section class="card actions"><h2>Xử lý</h2>${v.actions.map((a) => actionForm(viewer, r.code, a))}</section>` : ''}
<section class="card"><h2>Diễn biến</h2>
${v.timeline.length
  ? html`<ol class="timeline">${v.timeline.map(({ entry: e, who }) => {
      const text = entryText(e);
      return html`<li><time>${formatLocal(e.at, tz)}</time> <strong>${KIND_LABEL[e.kind] ?? e.kind}</strong> (${who})${text ? html`: <span class="text">${text}</span>` : ''}</li>`;
    })}</ol>`
  : html`<p>(chưa có)</p>`}
</section>`;
}
