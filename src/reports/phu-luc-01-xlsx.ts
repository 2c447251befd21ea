/**
 * The Phụ lục 01 document as an XLSX workbook laid out like the official form, ready to finish, sign
 * and send: the authority and the national motto side by side in merged cells, the place and date,
 * the title centred across the page, sections with bordered tables (merged header row), column widths
 * for A4 portrait, print settings (A4, fit to width), and the appendix on a second sheet.
 */
// Loaded when a workbook is made: exceljs is ~25 MB resident, and most processes never make one.
import type ExcelJS from 'exceljs';
import type { Cell, ReportDocument } from './phu-luc-01.js';

const WIDTHS = [6, 52, 12, 16, 11];
const LAST = WIDTHS.length;
const FONT = 'Times New Roman';
const thin = { style: 'thin' as const };
const BORDER = { top: thin, left: thin, bottom: thin, right: thin };

function merged(sheet: ExcelJS.Worksheet, row: number, from: number, to: number, value: string, style: Partial<ExcelJS.Style>): void {
  sheet.mergeCells(row, from, row, to);
  const cell = sheet.getCell(row, from);
  cell.value = value;
  cell.font = { name: FONT, size: 12, ...style.font };
  cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true, ...style.alignment };
}

function tableRows(sheet: ExcelJS.Worksheet, start: number, columns: string[], rows: Cell[][]): number {
  // A table narrower than the page: its label column (the second) stretches over the spare columns.
  const extra = LAST - columns.length;
  const put = (r: number, cells: Cell[], header: boolean) => {
    cells.forEach((value, i) => {
      const [a, b] = i === 0 ? [1, 1] : i === 1 ? [2, 2 + extra] : [i + 1 + extra, i + 1 + extra];
      if (b > a) sheet.mergeCells(r, a, r, b);
      const cell = sheet.getCell(r, a);
      cell.value = value;
      cell.font = { name: FONT, size: 12, bold: header };
      cell.alignment = { horizontal: i === 1 && !header ? 'left' : 'center', vertical: 'middle', wrapText: true };
      for (let c = a; c <= b; c++) sheet.getCell(r, c).border = BORDER;
    });
  };
  put(start, columns, true);
  rows.forEach((row, i) => put(start + 1 + i, row, false));
  return start + 1 + rows.length;
}

export async function phuLuc01Xlsx(doc: ReportDocument, dateText: string): Promise<Buffer> {
  const { Workbook } = (await import('exceljs')).default;
  const book = new Workbook();
  book.creator = 'treem-bot';
  const sheet = book.addWorksheet('Báo cáo', {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, margins: { left: 0.8, right: 0.6, top: 0.8, bottom: 0.8, header: 0.3, footer: 0.3 } },
  });
  sheet.columns = WIDTHS.map((width) => ({ width }));
  merged(sheet, 1, 1, 2, doc.authority.toUpperCase(), { font: { bold: true } });
  merged(sheet, 1, 3, LAST, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { font: { bold: true } });
  merged(sheet, 2, 1, 2, 'Số:      /BC-UBND', {});
  merged(sheet, 2, 3, LAST, 'Độc lập - Tự do - Hạnh phúc', { font: { bold: true, underline: true } });
  merged(sheet, 3, 3, LAST, `${doc.place}, ${dateText}`, { font: { italic: true } });
  merged(sheet, 5, 1, LAST, doc.title, { font: { bold: true, size: 14 } });
  merged(sheet, 6, 1, LAST, doc.subtitle, { font: { bold: true } });
  merged(sheet, 7, 1, LAST, doc.periodText, { font: { italic: true } });
  merged(sheet, 8, 1, LAST, doc.note, { font: { italic: true, size: 10 }, alignment: { horizontal: 'left' } });
  sheet.getRow(8).height = 45;

  let r = 10;
  for (const block of doc.blocks) {
    if (block.kind === 'table') {
      r = tableRows(sheet, r, block.columns, block.rows) + 1;
      continue;
    }
    const text = block.kind === 'heading' && block.level === 1 ? block.text.toUpperCase() : block.text;
    merged(sheet, r, 1, LAST, text, { font: { bold: block.kind === 'heading' }, alignment: { horizontal: 'left' } });
    r += 1;
  }
  r += 1;
  merged(sheet, r, 3, LAST, 'TM. ỦY BAN NHÂN DÂN', { font: { bold: true } });
  merged(sheet, r + 1, 3, LAST, '(Ký, ghi rõ họ tên, đóng dấu)', { font: { italic: true } });

  const annex = book.addWorksheet(doc.appendix.title, { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  annex.columns = doc.appendix.columns.map((_, i) => ({ width: i === 0 ? 24 : i === 1 ? 14 : 12 }));
  annex.mergeCells(1, 1, 1, doc.appendix.columns.length);
  annex.getCell(1, 1).value = `Phụ lục: ${doc.appendix.title} — ${doc.periodText}`;
  annex.getCell(1, 1).font = { name: FONT, size: 12, bold: true };
  [doc.appendix.columns, ...doc.appendix.rows].forEach((row, i) => {
    row.forEach((value, j) => {
      const cell = annex.getCell(i + 3, j + 1);
      cell.value = value;
      cell.font = { name: FONT, size: 11, bold: i === 0 || i === doc.appendix.rows.length };
      cell.alignment = { horizontal: j === 0 ? 'left' : 'center', vertical: 'middle', wrapText: true };
      cell.border = BORDER;
    });
  });
  annex.views = [{ state: 'frozen', xSplit: 1, ySplit: 3 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}
