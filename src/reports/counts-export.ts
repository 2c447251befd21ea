/**
 * The counts export, as CSV and XLSX: one row per village and month (a month a village did not send is
 * marked "chưa gửi" and its figures "—"), a total per village and for the commune, then the statistics
 * of the reports received in the same months (public fields only). Used by `npm run export` and the
 * web console's download.
 */
import type { CommuneFigures } from '../domain/counts/figures.js';
import { shortPeriod } from '../domain/counts/periods.js';

/** What a figure nobody sent looks like in every export. */
export const MISSING = '—';

type Cell = string | number;

/** The counts table: header, a row per village and month, a total per village, the commune total. */
export function countsTable(f: CommuneFigures): Cell[][] {
  const labels = f.fields.map((x) => x.label);
  const rows: Cell[][] = [['Thôn', 'Tháng', 'Tình trạng', 'Phiên bản', ...labels]];
  // A month a village did not send shows '—' in every figure, never a 0 or a blank that sums as 0.
  const valuesOf = (values: Record<string, number> | undefined): Cell[] => f.fields.map((x) => (values ? (values[x.key] ?? '') : MISSING));
  for (const cell of f.grid) {
    const state = cell.values ? (cell.late ? 'gửi muộn' : 'đã gửi') : 'chưa gửi';
    rows.push([cell.village, shortPeriod(cell.period), state, cell.version ?? '', ...valuesOf(cell.values)]);
  }
  for (const v of f.byVillage) {
    rows.push([v.village, 'Tổng', `${v.submitted}/${f.months.length} tháng`, '', ...f.fields.map((x) => v.values[x.key] ?? 0)]);
  }
  rows.push([`Tổng cộng ${f.commune.name}`, `${shortPeriod(f.from)}–${shortPeriod(f.to)}`, `${f.submitted}/${f.expected} báo cáo tháng`, '', ...f.fields.map((x) => f.total[x.key] ?? 0)]);
  return rows;
}

export function casesTable(f: CommuneFigures): Cell[][] {
  const c = f.cases;
  return [
    ['Nhóm', 'Mục', 'Số vụ việc'],
    ['Tổng', 'Vụ việc tiếp nhận', c.total],
    ...c.byCategory.map((t) => ['Hình thức', t.label, t.count]),
    ...c.byUrgency.map((t) => ['Mức độ', t.label, t.count]),
    ...c.byStatus.map((t) => ['Trạng thái', t.label, t.count]),
  ];
}

function csvCell(cell: Cell): string {
  const s = String(cell);
  return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** UTF-8 with a byte-order mark, so spreadsheet programs show the diacritics right. */
export function countsCsv(f: CommuneFigures): string {
  const title = [[`Số liệu trẻ em theo thôn, ${f.commune.name}, ${shortPeriod(f.from)}–${shortPeriod(f.to)}`]];
  const lines = [...title, ...countsTable(f), [], [`Thống kê vụ việc tiếp nhận, ${shortPeriod(f.from)}–${shortPeriod(f.to)}`], ...casesTable(f)];
  return `\uFEFF${lines.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** One workbook; several communes (a province) follow one another under one header. */
export async function countsXlsx(list: readonly CommuneFigures[]): Promise<Buffer> {
  // Loaded when a workbook is made: exceljs is ~25 MB resident, and most processes never make one.
  const { Workbook } = (await import('exceljs')).default;
  const book = new Workbook();
  book.creator = 'treem-bot';
  const counts = book.addWorksheet('Số liệu thôn');
  counts.addRows(list.flatMap((f, i) => countsTable(f).slice(i ? 1 : 0)));
  counts.getRow(1).font = { bold: true };
  counts.views = [{ state: 'frozen', xSplit: 2, ySplit: 1 }];
  const cases = book.addWorksheet('Vụ việc');
  cases.addRows(list.flatMap((f, i) => [...(list.length > 1 ? [[f.commune.name]] : []), ...casesTable(f).slice(i && list.length > 1 ? 1 : 0)]));
  cases.getRow(1).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}
