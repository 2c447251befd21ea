/**
 * `npm run report -- --commune <id> --period 2025-H1|2025 [--out file]`
 *
 * The 6-month or annual report draft in Markdown, following the outline of Phụ lục 01 (docs/domain.md §6):
 * every figure the service holds (village counts, reports received, the same period a year earlier)
 * is filled in; the prose sections stay as headings for the officer to write.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CommuneFigures, Tally } from '../domain/counts/figures.js';
import { communeFigures } from '../store/figures.js';
import { addMonths, parseSpan, shortPeriod, type PeriodSpan } from '../domain/counts/periods.js';
import { CountsStore } from '../store/counts.js';
import { DataCipher, generateDataKey } from '../store/crypto.js';
import { CaseStore } from '../store/cases.js';
import { connectCli, runCli } from './connect.js';

const USAGE = 'usage: npm run report -- --commune <id> --period 2025-H1|2025-H2|2025 [--out file]';
const TO_WRITE = '_(cán bộ viết)_';

function value(f: CommuneFigures, key: string): number {
  return f.total[key] ?? 0;
}

function labelOf(f: CommuneFigures, key: string): string {
  const label = f.fields.find((x) => x.key === key)?.label ?? key;
  const bare = label.replace(/^[\s\-–—]+/, '');
  return bare === label ? label : `Trẻ em ${bare}`;
}

/** A Markdown table row. */
const row = (cells: Array<string | number>): string => `| ${cells.join(' | ')} |`;

function countsTable(f: CommuneFigures, keys: readonly string[], earlier?: CommuneFigures): string[] {
  const head = earlier ? ['Chỉ tiêu', 'Kỳ này', 'Cùng kỳ năm trước', 'Tăng/giảm'] : ['Chỉ tiêu', 'Số trẻ em'];
  const lines = [row(head), row(head.map(() => '---'))];
  for (const key of keys) {
    const now = value(f, key);
    if (!earlier) lines.push(row([labelOf(f, key), now]));
    else {
      const before = value(earlier, key);
      const diff = now - before;
      lines.push(row([labelOf(f, key), now, before, diff > 0 ? `+${diff}` : String(diff)]));
    }
  }
  return lines;
}

function tallyTable(title: string, tallies: readonly Tally[]): string[] {
  return [row([title, 'Số vụ việc']), row(['---', '---']), ...tallies.map((t) => row([t.label, t.count]))];
}

function coverage(f: CommuneFigures): string {
  const short = f.byVillage.filter((v) => v.submitted < f.months.length);
  const lines = `Số liệu tổng hợp từ báo cáo hằng tháng của trưởng thôn: đã nhận ${f.submitted} trong số ${f.expected} báo cáo tháng của các thôn (mỗi thôn một báo cáo mỗi tháng).`;
  if (!short.length) return lines;
  return `${lines} Thôn chưa gửi đủ: ${short.map((v) => `${v.village} (${v.submitted}/${f.months.length} tháng)`).join(', ')}.`;
}

function reportDraft(span: PeriodSpan, f: CommuneFigures, earlier: CommuneFigures): string {
  const keys = f.fields.map((x) => x.key);
  const abuseKeys = f.fields.filter((x) => x.key === 'xamhai' || x.partOf === 'xamhai').map((x) => x.key);
  const situationKeys = ['sinh', 'tuvong', 'hcdb', 'nguyco', 'bohoc', 'taohon'].filter((k) => keys.includes(k));
  const injuryKeys = ['tntt', 'duoinuoc'].filter((k) => keys.includes(k));
  const otherKeys = keys.filter((k) => !abuseKeys.includes(k) && !situationKeys.includes(k) && !injuryKeys.includes(k));
  const c = f.cases;
  const out = [
    `# BÁO CÁO Kết quả thực hiện công tác trẻ em ${span.label}`,
    '',
    `**${f.commune.name}, ${f.commune.province}** · Kỳ báo cáo: ${shortPeriod(f.from)} – ${shortPeriod(f.to)}`,
    '',
    `> Bản nháp do hệ thống lập. ${coverage(f)} Các mục ${TO_WRITE} để cán bộ hoàn thiện.`,
    '',
    '## I. Đặc điểm tình hình',
    '',
    `1. Số trẻ em trên địa bàn (theo giới tính, độ tuổi): ${TO_WRITE}`,
    '2. Trẻ em có hoàn cảnh đặc biệt, trẻ em có nguy cơ rơi vào hoàn cảnh đặc biệt phát sinh trong kỳ:',
    '',
    ...countsTable(f, [...situationKeys, ...otherKeys]),
    '',
    '## II. Kết quả thực hiện',
    '',
    `### 1. Công tác tham mưu, chỉ đạo`,
    '',
    TO_WRITE,
    '',
    '### 2. Công tác bảo vệ trẻ em',
    '',
    `Cấp độ phòng ngừa, hỗ trợ: ${TO_WRITE}`,
    '',
    'Cấp độ can thiệp — trẻ em bị xâm hại (số liệu của các thôn):',
    '',
    ...countsTable(f, abuseKeys),
    '',
    `Vụ việc tiếp nhận qua kênh báo cáo của xã: **${c.total}** vụ việc; đã xử lý xong (đóng hoặc chuyển cơ quan khác): **${c.finished}**.`,
    '',
    ...tallyTable('Hình thức', c.byCategory.filter((t) => t.count > 0 || c.total === 0)),
    '',
    ...tallyTable('Mức độ', c.byUrgency),
    '',
    ...tallyTable('Trạng thái', c.byStatus),
    '',
    `Kế hoạch hỗ trợ, can thiệp được phê duyệt và kết thúc; các trường hợp cách ly khẩn cấp: ${TO_WRITE}`,
    '',
    'Tai nạn, thương tích và đuối nước:',
    '',
    ...countsTable(f, injuryKeys),
    '',
    `### 3. Công tác chăm sóc trẻ em`,
    '',
    TO_WRITE,
    '',
    '### 4. Công tác giáo dục trẻ em',
    '',
    TO_WRITE,
    '',
    '### 5. Văn hóa, vui chơi, giải trí, thể dục, thể thao',
    '',
    TO_WRITE,
    '',
    '### 6. Thực hiện quyền tham gia của trẻ em',
    '',
    TO_WRITE,
    '',
    '### 7. Thực hiện các chương trình, dự án',
    '',
    TO_WRITE,
    '',
    '### 8. Quỹ Bảo trợ trẻ em',
    '',
    TO_WRITE,
    '',
    '### 9. Kinh phí thực hiện',
    '',
    TO_WRITE,
    '',
    '## III. Đánh giá',
    '',
    `### 1. So sánh với cùng kỳ năm trước (${shortPeriod(earlier.from)} – ${shortPeriod(earlier.to)})`,
    '',
    ...countsTable(f, keys, earlier),
    '',
    `Vụ việc tiếp nhận: ${c.total} (cùng kỳ năm trước: ${earlier.cases.total}).`,
    '',
    '### 2. Tồn tại, hạn chế',
    '',
    TO_WRITE,
    '',
    '### 3. Nguyên nhân',
    '',
    TO_WRITE,
    '',
    '## IV. Kế hoạch, nhiệm vụ kỳ tới',
    '',
    TO_WRITE,
    '',
    '## Phụ lục: Số liệu theo thôn',
    '',
    row(['Thôn', 'Số tháng đã gửi', ...f.fields.map((x) => labelOf(f, x.key))]),
    row(['---', '---', ...f.fields.map(() => '---')]),
    ...f.byVillage.map((v) => row([v.village, `${v.submitted}/${f.months.length}`, ...f.fields.map((x) => v.values[x.key] ?? 0)])),
    row(['**Tổng cộng**', `${f.submitted}/${f.expected}`, ...f.fields.map((x) => `**${value(f, x.key)}**`)]),
    '',
  ];
  return out.join('\n');
}

runCli(async () => {
  const { values } = parseArgs({ options: { commune: { type: 'string' }, period: { type: 'string' }, out: { type: 'string' } } });
  const span = values.period ? parseSpan(values.period) : undefined;
  if (!values.commune || !span || span.kind === 'month') {
    console.error(USAGE);
    return 2;
  }
  const { config, redis } = await connectCli();
  try {
    const commune = config.communes.find((c) => c.id === values.commune);
    if (!commune) {
      console.error(`Không có xã "${values.commune}" trong cấu hình (có: ${config.communes.map((c) => c.id).join(', ')}).`);
      return 2;
    }
    // Public fields only; a throwaway key makes that a guarantee.
    const stores = { redis, counts: new CountsStore(redis), reports: new CaseStore(redis, DataCipher.fromString(generateDataKey())) };
    const [figures, earlier] = await Promise.all([
      communeFigures(stores, commune, span.from, span.to),
      communeFigures(stores, commune, addMonths(span.from, -12), addMonths(span.to, -12)),
    ]);
    const text = reportDraft(span, figures, earlier);
    if (values.out) {
      writeFileSync(values.out, text);
      console.error(`Đã ghi ${values.out}`);
    } else {
      await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
    }
    return 0;
  } finally {
    redis.disconnect();
  }
});
