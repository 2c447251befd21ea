/**
 * The 6-month and annual report (Phụ lục 01 layout, docs/reports.md) as one document model: the
 * official heading, the title, sections I–IV with the figures the service holds (village counts this
 * period and the same period a year earlier, the reports received) and the prose parts left for the
 * officer. The XLSX file, the printable page and the CLI's Markdown are renderings of this model, so
 * they agree.
 * A figure no village sent is missing ('—'), never 0.
 */
import type { CommuneFigures, Tally } from '../domain/counts/figures.js';
import { shortPeriod, type PeriodSpan } from '../domain/counts/periods.js';
import { dayFields, localDay } from '../domain/local-time.js';
import { labelAlone } from '../domain/counts/fields.js';
import { MISSING } from './counts-export.js';

export type Cell = string | number;

export type Block =
  /** Level 1: the Roman-numbered parts, written in capitals on the official form. */
  | { kind: 'heading'; text: string; level: 1 | 2 }
  | { kind: 'text'; text: string }
  | { kind: 'table'; columns: string[]; rows: Cell[][] };

export interface ReportDocument {
  /** "UBND XÃ BẢO LINH" (or the province for province totals). */
  authority: string;
  place: string;
  title: string;
  subtitle: string;
  periodText: string;
  note: string;
  blocks: Block[];
  /** The appendix: figures per village (or per commune for province totals). */
  appendix: { title: string; columns: string[]; rows: Cell[][] };
}

export const TO_WRITE = '(cán bộ viết)';

/** "ngày 2 tháng 12 năm 2026", as the place-and-date line of the form writes it. */
export function signingDate(now: number, timezone: string): string {
  const d = dayFields(localDay(now, timezone));
  return `ngày ${d.day} tháng ${d.month} năm ${d.year}`;
}

function total(f: CommuneFigures, key: string): Cell {
  return f.submitted === 0 ? MISSING : (f.total[key] ?? 0);
}

export function labelOf(f: CommuneFigures, key: string): string {
  return labelAlone(f.fields.find((x) => x.key === key)?.label ?? key);
}

function diff(now: Cell, before: Cell): Cell {
  if (typeof now !== 'number' || typeof before !== 'number') return MISSING;
  const d = now - before;
  return d > 0 ? `+${d}` : String(d);
}

function countsTable(f: CommuneFigures, earlier: CommuneFigures, keys: readonly string[]): Block {
  return {
    kind: 'table',
    columns: ['STT', 'Chỉ tiêu', 'Kỳ này', 'Cùng kỳ năm trước', 'Tăng/giảm'],
    rows: keys.map((key, i) => [i + 1, labelOf(f, key), total(f, key), total(earlier, key), diff(total(f, key), total(earlier, key))]),
  };
}

function tallyTable(title: string, tallies: readonly Tally[]): Block {
  return { kind: 'table', columns: ['STT', title, 'Số vụ việc'], rows: tallies.map((t, i) => [i + 1, t.label, t.count]) };
}

function coverage(f: CommuneFigures): string {
  const short = f.byVillage.filter((v) => v.submitted < f.months.length);
  const base = `Số liệu tổng hợp từ báo cáo hằng tháng của trưởng thôn: đã nhận ${f.submitted} trong số ${f.expected} báo cáo tháng của các thôn (mỗi thôn một báo cáo mỗi tháng).`;
  return short.length ? `${base} Chưa gửi đủ: ${short.map((v) => `${v.village} (${v.submitted}/${f.months.length} tháng)`).join(', ')}.` : base;
}

const prose = (heading: string): Block[] => [
  { kind: 'heading', text: heading, level: 2 },
  { kind: 'text', text: TO_WRITE },
];

export interface DocumentInput {
  span: PeriodSpan;
  figures: CommuneFigures;
  earlier: CommuneFigures;
  scope: { authority: string; place: string };
  /** For a province's totals: the communes, one appendix row each (instead of villages). */
  communes?: CommuneFigures[];
}

function appendix(f: CommuneFigures, communes?: CommuneFigures[]): ReportDocument['appendix'] {
  const head = f.fields.map((x) => labelOf(f, x.key));
  const totalRow: Cell[] = ['Tổng cộng', `${f.submitted}/${f.expected}`, ...f.fields.map((x) => total(f, x.key))];
  if (communes) {
    return {
      title: 'Số liệu theo xã',
      columns: ['Xã', 'Báo cáo tháng đã nhận', ...head],
      rows: [...communes.map((c) => [c.commune.name, `${c.submitted}/${c.expected}`, ...f.fields.map((x) => total(c, x.key))]), totalRow],
    };
  }
  return {
    title: 'Số liệu theo thôn',
    columns: ['Thôn', 'Số tháng đã gửi', ...head],
    rows: [...f.byVillage.map((v) => [v.village, `${v.submitted}/${f.months.length}`, ...f.fields.map((x): Cell => (v.submitted ? (v.values[x.key] ?? 0) : MISSING))]), totalRow],
  };
}

export function phuLuc01(input: DocumentInput): ReportDocument {
  const { span, figures: f, earlier } = input;
  const keys = f.fields.map((x) => x.key);
  const abuse = f.fields.filter((x) => x.key === 'xamhai' || x.partOf === 'xamhai').map((x) => x.key);
  const situation = ['sinh', 'tuvong', 'hcdb', 'nguyco', 'bohoc', 'taohon'].filter((k) => keys.includes(k));
  const injury = ['tntt', 'duoinuoc'].filter((k) => keys.includes(k));
  const other = keys.filter((k) => !abuse.includes(k) && !situation.includes(k) && !injury.includes(k));
  const c = f.cases;
  const blocks: Block[] = [
    { kind: 'heading', text: 'I. Đặc điểm tình hình', level: 1 },
    { kind: 'text', text: `1. Số trẻ em trên địa bàn (theo giới tính, độ tuổi): ${TO_WRITE}` },
    { kind: 'text', text: '2. Trẻ em có hoàn cảnh đặc biệt, có nguy cơ và các số liệu khác phát sinh trong kỳ:' },
    countsTable(f, earlier, [...situation, ...other]),
    { kind: 'heading', text: 'II. Kết quả thực hiện', level: 1 },
    ...prose('1. Công tác tham mưu, chỉ đạo'),
    { kind: 'heading', text: '2. Công tác bảo vệ trẻ em', level: 2 },
    { kind: 'text', text: `Cấp độ phòng ngừa, hỗ trợ: ${TO_WRITE}` },
    { kind: 'text', text: 'Cấp độ can thiệp — trẻ em bị xâm hại (số liệu của các thôn):' },
    countsTable(f, earlier, abuse),
    { kind: 'text', text: `Vụ việc tiếp nhận qua kênh báo cáo của xã: ${c.total} vụ việc; đã xử lý xong (đóng hoặc chuyển cơ quan khác): ${c.finished} (cùng kỳ năm trước: ${earlier.cases.total} vụ việc).` },
    tallyTable('Hình thức', c.byCategory.filter((t) => t.count > 0 || c.total === 0)),
    tallyTable('Mức độ', c.byUrgency),
    tallyTable('Trạng thái', c.byStatus),
    { kind: 'text', text: `Kế hoạch hỗ trợ, can thiệp được phê duyệt và kết thúc; các trường hợp cách ly khẩn cấp: ${TO_WRITE}` },
    { kind: 'text', text: 'Tai nạn, thương tích và đuối nước:' },
    countsTable(f, earlier, injury),
    ...prose('3. Công tác chăm sóc trẻ em'),
    ...prose('4. Công tác giáo dục trẻ em'),
    ...prose('5. Văn hóa, vui chơi, giải trí, thể dục, thể thao'),
    ...prose('6. Thực hiện quyền tham gia của trẻ em'),
    ...prose('7. Thực hiện các chương trình, dự án'),
    ...prose('8. Quỹ Bảo trợ trẻ em'),
    ...prose('9. Kinh phí thực hiện'),
    { kind: 'heading', text: 'III. Đánh giá', level: 1 },
    { kind: 'text', text: `1. So sánh với cùng kỳ năm trước (${shortPeriod(earlier.from)} – ${shortPeriod(earlier.to)}): xem các cột "Cùng kỳ năm trước" ở trên.` },
    ...prose('2. Tồn tại, hạn chế'),
    ...prose('3. Nguyên nhân'),
    { kind: 'heading', text: 'IV. Kế hoạch, nhiệm vụ kỳ tới', level: 1 },
    { kind: 'text', text: TO_WRITE },
  ];
  return {
    authority: input.scope.authority,
    place: input.scope.place,
    title: 'BÁO CÁO',
    subtitle: `Kết quả thực hiện công tác trẻ em ${span.label}`,
    periodText: `Kỳ báo cáo: ${shortPeriod(f.from)} – ${shortPeriod(f.to)}`,
    note: `Bản nháp do hệ thống lập. ${coverage(f)} Các mục "${TO_WRITE}" để cán bộ hoàn thiện.`,
    blocks,
    appendix: appendix(f, input.communes),
  };
}
