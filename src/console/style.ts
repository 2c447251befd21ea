/**
 * The console's only stylesheet, served as /console/static/console.css. A TypeScript string, not a
 * .css file, so `npm run build` needs no copy step. System fonts, no images, readable on a phone and
 * an old desktop browser (plain CSS 2.1 plus media queries), and a print layout for the A4 report.
 */
export const CONSOLE_CSS = `* { box-sizing: border-box; }
html { font-size: 100%; }
body { margin: 0; font-family: "Segoe UI", Roboto, Arial, "Helvetica Neue", sans-serif; color: #1d2733; background: #f4f6f8; line-height: 1.45; }
main { max-width: 72rem; margin: 0 auto; padding: 0.75rem 1rem 3rem; }
h1 { font-size: 1.4rem; margin: 0.5rem 0 0.75rem; }
h2 { font-size: 1.15rem; margin: 0.25rem 0 0.5rem; }
h3 { font-size: 1rem; }
a { color: #0b5cad; }
.top { background: #0b3d6e; color: #fff; padding: 0.4rem 1rem; overflow: hidden; }
.top a { color: #fff; text-decoration: none; padding: 0.35rem 0.55rem; display: inline-block; border-radius: 3px; }
.top a[aria-current="page"], .top a:hover { background: #1d5e9e; }
.top .who { float: left; padding: 0.35rem 0.5rem 0.35rem 0; }
.top nav { float: left; }
.top .signout { float: right; margin: 0.15rem 0; }
.top .signout button { background: transparent; color: #fff; border-color: #8fb3d9; }
button, .button { font: inherit; padding: 0.4rem 0.8rem; border: 1px solid #8a99a8; border-radius: 3px; background: #fff; color: #1d2733; cursor: pointer; text-decoration: none; display: inline-block; }
button.primary, .action button { background: #0b5cad; color: #fff; border-color: #0b5cad; }
input, select, textarea { font: inherit; padding: 0.3rem; border: 1px solid #8a99a8; border-radius: 3px; max-width: 100%; }
textarea { width: 100%; }
.filters { background: #fff; border: 1px solid #d5dce3; padding: 0.5rem; margin-bottom: 0.75rem; }
.filters label { display: inline-block; margin: 0.2rem 0.6rem 0.2rem 0; }
.small, .count { font-size: 0.9rem; color: #4a5968; }
.note { background: #fff; border-left: 4px solid #0b5cad; padding: 0.6rem 0.8rem; }
.why { margin: 0 0 0.6rem; font-weight: 600; color: #b71c1c; }
.flash { background: #e8f5e9; border-left: 4px solid #2e7d32; padding: 0.2rem 0.8rem; margin-bottom: 0.75rem; }
.flash p { white-space: pre-line; }
.inline { display: inline; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; background: #fff; }
table.list { width: 100%; }
th, td { border: 1px solid #d5dce3; padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
thead th { background: #e9eef3; }
tr.overdue td { background: #fdecea; }
.badge { display: inline-block; min-width: 2rem; text-align: center; font-weight: bold; border-radius: 3px; padding: 0 0.3rem; color: #fff; }
.badge.P0 { background: #c62828; } .badge.P1 { background: #ef6c00; } .badge.P2 { background: #f9a825; color: #1d2733; } .badge.P3 { background: #78909c; }
.card { background: #fff; border: 1px solid #d5dce3; padding: 0.6rem 0.9rem; margin-bottom: 0.75rem; }
dl { margin: 0; overflow: hidden; }
dt { float: left; clear: left; width: 14rem; font-weight: bold; padding: 0.15rem 0; }
dd { margin: 0 0 0 14.5rem; padding: 0.15rem 0; min-height: 1.6em; }
.text { white-space: pre-line; }
.files { list-style: none; padding: 0; }
.files li { display: inline-block; margin: 0 0.5rem 0.5rem 0; vertical-align: top; }
img.photo { max-width: 16rem; max-height: 16rem; border: 1px solid #d5dce3; }
.action { margin: 0 0 0.6rem; }
.timeline { padding-left: 1.2rem; }
.timeline li { margin-bottom: 0.3rem; }
table.grid td, table.grid th { text-align: center; font-size: 0.9rem; white-space: nowrap; }
table.grid tbody th { text-align: left; }
.cell.on_time { background: #c8e6c9; } .cell.late { background: #ffe0b2; } .cell.corrected { background: #bbdefb; }
.cell.missing { background: #ffcdd2; } .cell.not_yet { background: #f4f6f8; color: #6b7a89; }
.cell.locked { outline: 2px solid #607d8b; outline-offset: -2px; }
.legend .cell { display: inline-block; padding: 0.1rem 0.4rem; margin: 0.1rem; border: 1px solid #d5dce3; }
.lock { font-size: 0.75rem; color: #37474f; }
.charts { overflow: hidden; }
.chart { float: left; width: 23rem; max-width: 100%; margin: 0 0.75rem 0.75rem 0; background: #fff; border: 1px solid #d5dce3; padding: 0.3rem; }
.chart figcaption { font-weight: bold; font-size: 0.9rem; }
.chart svg { width: 100%; height: auto; display: block; }
.chart rect { fill: #0b5cad; }
.chart text { font-size: 10px; text-anchor: middle; fill: #1d2733; }
.chart .missing { fill: #c62828; font-size: 12px; }
.chart .base { stroke: #8a99a8; }
.downloads .button { margin: 0 0.4rem 0.4rem 0; }
.document { background: #fff; border: 1px solid #d5dce3; padding: 1.5rem 2rem; font-family: "Times New Roman", Times, serif; font-size: 13pt; }
.doc-head { overflow: hidden; text-align: center; }
.doc-head div { float: left; width: 40%; } .doc-head div + div { width: 60%; }
.doc-title { text-align: center; font-size: 14pt; margin-top: 1.2rem; }
.doc-title span { font-size: 13pt; }
.center { text-align: center; }
table.doc { width: 100%; margin: 0.4rem 0 0.8rem; }
table.doc th, table.doc td { border-color: #000; text-align: center; }
table.doc td:nth-child(2) { text-align: left; }
.doc-sign { margin: 1.5rem 0 3rem 55%; text-align: center; }
@media (max-width: 40rem) {
  dt { float: none; width: auto; } dd { margin-left: 0; }
  .top .who, .top nav, .top .signout { float: none; }
  .document { padding: 0.8rem; }
}
@media print {
  @page { size: A4 portrait; margin: 20mm 15mm 20mm 30mm; }
  body { background: #fff; }
  .top, .no-print, h1 { display: none; }
  main { max-width: none; padding: 0; }
  .document { border: 0; padding: 0; font-size: 13pt; }
  table.doc { page-break-inside: auto; } table.doc tr { page-break-inside: avoid; }
  .annex { page-break-before: always; }
  a { color: #000; text-decoration: none; }
}
`;
