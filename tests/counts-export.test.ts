/**
 * `npm run export` and `npm run report` as an officer runs them: the real CLI processes against a real
 * redis-server holding confirmed submissions (some corrected) and reports. The expected figures are
 * summed here from what was seeded, independently of the service's own totals.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServiceConfig } from '../src/config/communes.js';
import { countFieldsFor } from '../src/domain/counts/fields.js';
import { CountsStore } from '../src/store/counts.js';
import { DataCipher, generateDataKey } from '../src/store/crypto.js';
import { CaseStore } from '../src/store/cases.js';
import type { NewReport } from '../src/store/reports.js';
import { startTestRedis, type TestRedis } from './helpers/redis.js';
import { AuditLog } from '../src/store/audit.js';

const run = promisify(execFile);
const CLI_KEY = generateDataKey();
const CONFIG = 'config/communes.example.yaml';
const commune = loadServiceConfig(CONFIG).communes[0]!;
const fields = countFieldsFor(commune);
const C = commune.id;
const villages = commune.villages.map((v) => v.name);

let redis: TestRedis;
/** village → month → values of the latest confirmed version, as seeded. */
const latest = new Map<string, Map<string, Record<string, number>>>();
const ROW_LABEL = new Map(fields.map((f) => [f.label, f.key]));

/** Small deterministic numbers (no Math.random: a failure must be reproducible). */
function valuesFor(seed: number): Record<string, number> {
  const out: Record<string, number> = {};
  fields.forEach((f, i) => {
    if ((seed + i) % 5 === 0) return; // some rows left out: partial submissions
    out[f.key] = (seed * 7 + i * 3) % 6;
  });
  // Keep the total at least the sum of its rows, as confirmed submissions are.
  const parts = fields.filter((f) => f.partOf === 'xamhai').reduce((s, f) => s + (out[f.key] ?? 0), 0);
  out.xamhai = parts + (seed % 2);
  return out;
}

async function cli(script: string, args: string[]): Promise<string> {
  const { stdout } = await run(join('node_modules', '.bin', 'tsx'), [script, ...args], {
    env: { ...process.env, REDIS_URL: redis.url, CONFIG_FILE: CONFIG, LOG_LEVEL: 'silent', DATA_KEY: CLI_KEY },
    maxBuffer: 10 * 1024 * 1024,
  });
  return stdout;
}

/** RFC 4180 reading, enough for what the export writes (quoted cells with commas and quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      rows.push([...row, cell.replace(/\r$/, '')]);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

function expectedTotals(months: string[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const v of villages) {
    for (const m of months) {
      for (const [k, n] of Object.entries(latest.get(v)?.get(m) ?? {})) sum[k] = (sum[k] ?? 0) + n;
    }
  }
  return sum;
}

const H1 = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];

beforeAll(async () => {
  redis = await startTestRedis();
  const cipher = DataCipher.fromString(CLI_KEY);
  const counts = new CountsStore(redis.client, new AuditLog(redis.client, cipher));
  const reports = new CaseStore(redis.client, cipher);
  let seed = 1;
  for (const [vi, village] of villages.entries()) {
    latest.set(village, new Map());
    for (const month of [...H1, '2025-07', '2024-03']) {
      if ((vi + Number(month.slice(5))) % 4 === 0) continue; // this village skipped this month
      const first = valuesFor(seed++);
      await counts.submit({ communeId: C, period: month, village, values: first, by: `local:vh-${vi}`, late: false });
      let current = first;
      if (seed % 3 === 0) {
        current = valuesFor(seed++); // a correction: only this version may count
        await counts.submit({ communeId: C, period: month, village, values: current, by: `local:vh-${vi}`, late: true });
      }
      latest.get(village)!.set(month, current);
    }
  }
  const report = (category: NewReport['category'], urgency: NewReport['urgency'], at: number) =>
    reports.create(
      {
        communeId: C, category, urgency, alertRoles: [], village: villages[0]!, inDanger: 'no', channel: 'local',
        details: { description: 'Nguyễn Thị Bí Mật bị đánh', child: { name: 'Bé Bí Mật' }, reporter: { identity: 'local:x', phone: '0912345678' }, attachments: [] },
      },
      at,
    );
  await report('violence', 'P1', Date.UTC(2025, 1, 10));
  await report('violence', 'P1', Date.UTC(2025, 4, 3));
  const closed = await report('sexual', 'P0', Date.UTC(2025, 2, 1));
  await reports.take(closed.code, 'local:can-bo');
  await reports.setStatus(closed.code, 'closed', 'local:can-bo');
  await report('sexual', 'P0', Date.UTC(2025, 7, 1)); // August: outside the first half
});
afterAll(async () => {
  await redis.stop();
});

describe('npm run export', () => {
  it('writes CSV whose village rows are the latest confirmed versions and whose totals are their sums', async () => {
    const rows = parseCsv(await cli('src/cli/export.ts', ['--commune', C, '--from', '2025-01', '--to', '2025-06', '--format', 'csv']));
    const header = rows[1]!;
    expect(header.slice(0, 4)).toEqual(['Thôn', 'Tháng', 'Tình trạng', 'Phiên bản']);
    const keyAt = header.map((h) => ROW_LABEL.get(h));
    const valuesOf = (row: string[]) => Object.fromEntries(row.flatMap((cell, i) => (keyAt[i] && cell !== '' && cell !== '—' ? [[keyAt[i]!, Number(cell)]] : [])));

    for (const village of villages) {
      for (const month of H1) {
        const row = rows.find((r) => r[0] === village && r[1] === `T${Number(month.slice(5))}/2025`);
        expect(row, `${village} ${month}`).toBeDefined();
        const seeded = latest.get(village)!.get(month);
        expect(row![2]).toEqual(seeded ? expect.stringMatching(/đã gửi|gửi muộn/) : 'chưa gửi');
        expect(valuesOf(row!)).toEqual(seeded ?? {});
        // Missing is shown as missing, never as 0.
        if (!seeded) expect(new Set(row!.slice(4))).toEqual(new Set(['—']));
      }
    }
    const total = rows.find((r) => r[0]?.startsWith('Tổng cộng'))!;
    const expected = expectedTotals(H1);
    for (const f of fields) expect(valuesOf(total)[f.key] ?? 0, f.key).toBe(expected[f.key] ?? 0);
    const perVillage = rows.find((r) => r[0] === villages[1] && r[1] === 'Tổng')!;
    const oneVillage: Record<string, number> = {};
    for (const m of H1) for (const [k, n] of Object.entries(latest.get(villages[1]!)!.get(m) ?? {})) oneVillage[k] = (oneVillage[k] ?? 0) + n;
    for (const f of fields) expect(valuesOf(perVillage)[f.key] ?? 0).toBe(oneVillage[f.key] ?? 0);

    // Case statistics of the same months, public fields only.
    const stat = (group: string, label: string) => Number(rows.find((r) => r[0] === group && r[1] === label)?.[2]);
    expect(stat('Tổng', 'Vụ việc tiếp nhận')).toBe(3);
    expect(stat('Hình thức', 'Bạo lực, đánh đập')).toBe(2);
    expect(stat('Hình thức', 'Xâm hại tình dục')).toBe(1);
    expect(stat('Mức độ', 'P0 Khẩn cấp')).toBe(1);
    expect(stat('Trạng thái', 'Đã đóng')).toBe(1);
    expect(stat('Trạng thái', 'Mới')).toBe(2);
    const text = rows.flat().join(' ');
    expect(text).not.toContain('Bí Mật');
    expect(text).not.toContain('0912345678');
  });

  it('writes xlsx with the same figures on two sheets', async () => {
    const file = join(redis.dir, 'export.xlsx');
    await cli('src/cli/export.ts', ['--commune', C, '--from', '2025-01', '--to', '2025-06', '--format', 'xlsx', '--out', file]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.getWorksheet('Số liệu thôn')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const totalRow = sheet.getRows(1, sheet.rowCount)!.find((r) => String(r.getCell(1).value).startsWith('Tổng cộng'))!;
    const expected = expectedTotals(H1);
    for (const f of fields) {
      const col = header.indexOf(f.label) + 1;
      expect(col).toBeGreaterThan(0);
      expect(Number(totalRow.getCell(col).value), f.key).toBe(expected[f.key] ?? 0);
    }
    const cases = book.getWorksheet('Vụ việc')!;
    expect(cases.getRow(2).values).toEqual([undefined, 'Tổng', 'Vụ việc tiếp nhận', 3]);
  });

  it('refuses bad arguments with the usage line', async () => {
    await expect(cli('src/cli/export.ts', ['--commune', C, '--from', '2025-13', '--to', '2025-06'])).rejects.toMatchObject({ code: 2 });
  });
});

describe('npm run report', () => {
  it('fills the 6-month draft with the totals, the cases and last year, and leaves prose as headings', async () => {
    const out = join(redis.dir, 'h1.md');
    await cli('src/cli/report.ts', ['--commune', C, '--period', '2025-H1', '--out', out]);
    const md = readFileSync(out, 'utf8');
    expect(md).toContain('# BÁO CÁO Kết quả thực hiện công tác trẻ em 6 tháng đầu năm 2025');
    for (const heading of ['## I. Đặc điểm tình hình', '## II. Kết quả thực hiện', '### 2. Công tác bảo vệ trẻ em', '### 8. Quỹ Bảo trợ trẻ em', '## III. Đánh giá', '## IV. Kế hoạch, nhiệm vụ kỳ tới']) {
      expect(md).toContain(heading);
    }
    const expected = expectedTotals(H1);
    const lastYear = expectedTotals(['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06']);
    expect(md).toContain(`| Trẻ em sinh ra | ${expected.sinh ?? 0} |`);
    expect(md).toContain(`| Trẻ em bị xâm hại (tổng) | ${expected.xamhai ?? 0} |`);
    const diff = (expected.sinh ?? 0) - (lastYear.sinh ?? 0);
    expect(md).toContain(`| Trẻ em sinh ra | ${expected.sinh ?? 0} | ${lastYear.sinh ?? 0} | ${diff > 0 ? `+${diff}` : diff} |`);
    expect(md).toContain('Vụ việc tiếp nhận qua kênh báo cáo của xã: 3 vụ việc; đã xử lý xong (đóng hoặc chuyển cơ quan khác): 1');
    expect(md).toMatch(/\| \*\*Tổng cộng\*\* \| \*\*\d+\/24\*\* \| \*\*\d+\*\* /);
    expect(md).not.toContain('Bí Mật');
  });

  it('writes the same report as an XLSX laid out like the official form', async () => {
    const file = join(redis.dir, 'h1.xlsx');
    await cli('src/cli/report.ts', ['--commune', C, '--period', '2025-H1', '--format', 'xlsx', '--out', file]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.getWorksheet('Báo cáo')!;
    expect(sheet.getCell('A1').value).toBe('UBND XÃ BẢO LINH');
    expect(sheet.getCell('A5').value).toBe('BÁO CÁO');
    expect(sheet.getCell('A6').value).toBe('Kết quả thực hiện công tác trẻ em 6 tháng đầu năm 2025');
    const births = sheet.getRows(1, sheet.rowCount)!.find((r) => r.getCell(2).value === 'Trẻ em sinh ra')!;
    expect(births.getCell(3).value).toBe(expectedTotals(H1).sinh ?? 0);
  });

  it('writes the annual draft to stdout', async () => {
    const md = await cli('src/cli/report.ts', ['--commune', C, '--period', '2025']);
    expect(md).toContain('trẻ em năm 2025');
    const year = expectedTotals([...H1, '2025-07']);
    expect(md).toContain(`| Trẻ em sinh ra | ${year.sinh ?? 0} |`);
    expect(md).toContain('Vụ việc tiếp nhận qua kênh báo cáo của xã: 4 vụ việc');
  });
});
