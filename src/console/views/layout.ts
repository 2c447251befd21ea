/** The page shell: head, the navigation the viewer's role allows, the sign-out form, the content. */
import { ROLE_LABEL } from '../../store/roles.js';
import { mayOpen, type Section } from '../access.js';
import type { Viewer } from '../context.js';
import { html, type Html } from '../html.js';

const NAV: Array<{ section: Section; href: string; label: string }> = [
  { section: 'cases', href: '/console/', label: 'Vụ việc' },
  { section: 'counts', href: '/console/so-lieu', label: 'Số liệu thôn' },
  { section: 'reports', href: '/console/bao-cao', label: 'Báo cáo' },
  { section: 'audit', href: '/console/nhat-ky', label: 'Nhật ký' },
  { section: 'deadletters', href: '/console/tin-loi', label: 'Tin lỗi' },
  { section: 'queues', href: '/console/hang-doi', label: 'Hàng đợi' },
];

export interface PageOptions {
  title: string;
  viewer?: Viewer;
  /** Which navigation entry is current. */
  section?: Section;
  body: Html;
}

/** A hidden field with the session's anti-forgery token: every form carries it. */
export function csrfField(viewer: Viewer): Html {
  return html`<input type="hidden" name="_csrf" value="${viewer.session.csrf}">`;
}

function header(viewer: Viewer, current?: Section): Html {
  const items = NAV.filter((n) => mayOpen(viewer.member, n.section));
  return html`<header class="top">
  <div class="who"><strong>${viewer.commune.name}</strong> · ${ROLE_LABEL[viewer.member.role]}</div>
  <nav>${items.map((n) => html`<a href="${n.href}"${n.section === current ? html` aria-current="page"` : ''}>${n.label}</a>`)}</nav>
  <form method="post" action="/console/dang-xuat" class="signout">${csrfField(viewer)}<button type="submit">Đăng xuất</button></form>
</header>`;
}

export function page(opts: PageOptions): string {
  return html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${opts.title} · Bảo vệ trẻ em</title>
<link rel="stylesheet" href="/console/static/console.css">
</head>
<body>
${opts.viewer ? header(opts.viewer, opts.section) : ''}
<main>
<h1>${opts.title}</h1>
${opts.body}
</main>
</body>
</html>
`.value;
}

/** A short page for refusals and errors: what happened and what to do. */
export function messagePage(title: string, text: string, viewer?: Viewer): string {
  return page({ title, viewer, body: html`<p class="note">${text}</p>${viewer ? html`<p><a href="/console/">Về danh sách vụ việc</a></p>` : ''}` });
}
