/**
 * `npm run export -- --commune <id> --from 2025-01 --to 2025-06 --format csv|xlsx [--out file]`
 *
 * One row per village and month (a month a village did not send is marked "chưa gửi"), a total per
 * village and for the commune, then the statistics of the reports received in the same months (by
 * form, urgency and status; public fields only). CSV goes to stdout unless --out is given; xlsx needs
 * a file and puts the two tables on two sheets.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import type { CommuneFigures } from '../domain/counts/figures.js';
import { communeFigures } from '../store/figures.js';
import { parsePeriodKey, shortPeriod } from '../domain/counts/periods.js';
import { CountsStore } from '../store/counts.js';
import { DataCipher, generateDataKey } from '../store/crypto.js';
import { CaseStore } from '../store/cases.js';
import { connectCli, runCli } from './connect.js';

type Cell = string | number;

const USAGE = 'usage: npm run export -- --commune <id> --from YYYY-MM --to YYYY-MM --format csv|xlsx [--out file]';

/** The counts table: header, a row per village and month, a total per village, the commune total. */
function countsTable(f: CommuneFigures): Cell[][] {
  const labels = f.fields.map((x) => x.label);
  const rows: Cell[][] = [['Thôn', 'Tháng', 'Tình trạng', 'Phiên bản', ...labels]];
  const valuesOf = (values: Record<string, number> | undefined): Cell[] => f.fields.map((x) => values?.[x.key] ?? '');
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

function casesTable(f: CommuneFigures): Cell[][] {
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
function toCsv(f: CommuneFigures): string {
  const title = [[`Số liệu trẻ em theo thôn, ${f.commune.name}, ${shortPeriod(f.from)}–${shortPeriod(f.to)}`]];
  const lines = [...title, ...countsTable(f), [], [`Thống kê vụ việc tiếp nhận, ${shortPeriod(f.from)}–${shortPeriod(f.to)}`], ...casesTable(f)];
  return `\uFEFF${lines.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

async function writeXlsx(f: CommuneFigures, file: string): Promise<void> {
  const book = new ExcelJS.Workbook();
  book.creator = 'treem-bot';
  const counts = book.addWorksheet('Số liệu thôn');
  counts.addRows(countsTable(f));
  counts.getRow(1).font = { bold: true };
  counts.views = [{ state: 'frozen', xSplit: 2, ySplit: 1 }];
  const cases = book.addWorksheet('Vụ việc');
  cases.addRows(casesTable(f));
  cases.getRow(1).font = { bold: true };
  await book.xlsx.writeFile(file);
}

runCli(async () => {
  const { values } = parseArgs({
    options: { commune: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string', default: 'csv' }, out: { type: 'string' } },
  });
  const { commune: id, from, to, format, out } = values;
  if (!id || !from || !to || !parsePeriodKey(from) || !parsePeriodKey(to) || from > to || (format !== 'csv' && format !== 'xlsx')) {
    console.error(USAGE);
    return 2;
  }
  const { config, redis } = await connectCli();
  try {
    const commune = config.communes.find((c) => c.id === id);
    if (!commune) {
      console.error(`Không có xã "${id}" trong cấu hình (có: ${config.communes.map((c) => c.id).join(', ')}).`);
      return 2;
    }
    // The export reads public fields only; a throwaway key makes that a guarantee, not a habit.
    const reports = new CaseStore(redis, DataCipher.fromString(generateDataKey()));
    const figures = await communeFigures({ redis, counts: new CountsStore(redis), reports }, commune, from, to);
    if (format === 'xlsx') {
      const file = out ?? `so-lieu-${id}-${from}-${to}.xlsx`;
      await writeXlsx(figures, file);
      console.error(`Đã ghi ${file}`);
    } else if (out) {
      writeFileSync(out, toCsv(figures));
      console.error(`Đã ghi ${out}`);
    } else {
      // Waits for the write: runCli exits right after, which would cut a piped file short.
      await new Promise<void>((resolve) => process.stdout.write(toCsv(figures), () => resolve()));
    }
    return 0;
  } finally {
    redis.disconnect();
  }
});
