/**
 * The counts conversation's wording: a reading (src/domain/counts/reading.ts) said back to the village
 * head as short Vietnamese lines to confirm — the period, the counts in form order, words not
 * understood, what to fix and which rows have no number yet.
 */
import type { CommuneConfig, CountFieldConfig } from '../../config/communes.js';
import { shortPeriod, type CountsPeriod } from '../../domain/counts/periods.js';
import { labelAlone, ROWS_OF_CATEGORY } from '../../domain/counts/fields.js';
import type { CategoryKey } from '../../domain/categories.js';
import type { CountsProblem, CountsReading, ReadPeriod } from '../../domain/counts/reading.js';

/**
 * The reading as plain Vietnamese lines for the sender to confirm: period, counts in form order,
 * unknown words, problems and missing rows.
 */
export function describeCounts(reading: CountsReading, fields: readonly CountFieldConfig[]): string[] {
  const labels = new Labels(fields);
  return [
    periodLine(reading.period),
    ...countLines(reading.counts, fields, labels),
    ...unknownLines(reading.unknown),
    ...reading.problems.map((p) => describeProblem(p, labels)),
    ...missingLines(reading.missing, labels),
  ];
}

/** "Tháng 10/2025". */
function formatPeriod(period: CountsPeriod): string {
  return `Tháng ${period.month}/${period.year}`;
}

class Labels {
  private readonly byKey: Map<string, CountFieldConfig>;

  constructor(fields: readonly CountFieldConfig[]) {
    this.byKey = new Map(fields.map((f) => [f.key, f]));
  }

  /** The form's label, sub-rows indented with their dash as on paper. */
  row(key: string): string {
    return this.byKey.get(key)?.label ?? key;
  }

  /** A label that stands alone in a sentence: "– bị bạo lực" becomes "Trẻ em bị bạo lực". */
  alone(key: string): string {
    return labelAlone(this.row(key));
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  isSubRowOf(key: string): string | undefined {
    return this.byKey.get(key)?.partOf;
  }
}

function periodLine(period: ReadPeriod | null): string {
  if (!period) return 'Kỳ báo cáo: chưa xác định, xin ghi rõ tháng (ví dụ: T10/2025).';
  const text = `Kỳ báo cáo: ${formatPeriod(period)}`;
  return period.source === 'inferred' ? `${text} (tin nhắn không ghi tháng, xin xác nhận)` : text;
}

function countLines(counts: Record<string, number>, fields: readonly CountFieldConfig[], labels: Labels): string[] {
  const known = fields.filter((f) => counts[f.key] !== undefined);
  if (known.length === 0) return ['Chưa đọc được số liệu nào.'];
  return known.map((f) => {
    const total = labels.isSubRowOf(f.key);
    // A dash row only reads right under its total; alone it needs the full wording.
    const label = total !== undefined && counts[total] !== undefined ? labels.row(f.key) : labels.alone(f.key);
    return `${label}: ${counts[f.key]}`;
  });
}

/** The sender's own words, quoted as written, and what to do if they were meant as a row. */
function unknownLines(unknown: readonly string[]): string[] {
  if (unknown.length === 0) return [];
  return [
    `Phần này mình chưa hiểu nên chưa tính vào mục nào: ${unknown.map((u) => `"${u}"`).join(', ')}. ` +
      'Nếu đó là số liệu của một mục, anh/chị ghi giúp tên mục và số (ví dụ: "bỏ học 1").',
  ];
}

function missingLines(missing: readonly string[], labels: Labels): string[] {
  if (missing.length === 0) return [];
  return [`Chưa có số: ${missing.map((key) => labels.alone(key)).join(', ')}.`];
}

/** A short question naming the rows and the numbers, with the unambiguous way to write them. */
function unsureLine(rows: readonly string[], raws: readonly string[]): string {
  const example = `ví dụ: "${rows[0]}: ${raws[0] ?? 0}"`;
  if (raws.length === 1 && rows.length === 2) {
    return `Số ${raws[0]} là của mục "${rows[0]}" hay "${rows[1]}"? Xin ghi số ngay sau tên mục, ${example}.`;
  }
  if (rows.length === 1 && raws.length === 2) {
    return `${rows[0]} là ${raws[0]} hay ${raws[1]}? Xin ghi số ngay sau tên mục, ${example}.`;
  }
  const numbers = raws.length === 1 ? `số ${raws[0]}` : `các số ${raws.join(', ')}`;
  return `Chưa rõ ${numbers} thuộc mục nào (${rows.join(', ')}). Xin ghi số ngay sau tên mục, ${example}.`;
}

/** Why a death or accident of a grown-up is not counted, and how to write it if it was a child's. */
function notAChildLine(text: string, raw: string | undefined, labels: Labels): string {
  const number = raw === undefined ? '' : ` số ${raw}`;
  const orphan = labels.has('hcdb') ? `; cháu mới mồ côi cả cha lẫn mẹ thì ghi "${labels.alone('hcdb')}: 1"` : '';
  return (
    `"${text}": chuyện của người lớn (bố mẹ, ông bà, người từ 16 tuổi) không tính vào số liệu trẻ em, nên mình chưa ghi${number}. ` +
    `Nếu là trẻ em, xin ghi số ngay sau tên mục${orphan}.`
  );
}

function describeProblem(problem: CountsProblem, labels: Labels): string {
  switch (problem.kind) {
    case 'negative':
      return `${labels.alone(problem.key)}: "${problem.raw}" là số âm, xin ghi lại (ghi 0 nếu không có).`;
    case 'not_whole':
      return `${labels.alone(problem.key)}: "${problem.raw}" không phải số nguyên, xin ghi bằng chữ số (ví dụ: 3).`;
    case 'too_large':
      return `${labels.alone(problem.key)}: "${problem.raw}" quá lớn, xin kiểm tra lại.`;
    case 'no_number':
      return `${labels.alone(problem.key)}: chưa ghi số.`;
    case 'duplicate':
      if (problem.names) {
        const written = problem.names.map((name, i) => `${name} ${problem.values[i]}`).join(', ');
        return `${labels.alone(problem.key)}: ghi ở nhiều chỗ (${written}), xin ghi một số chung cho mục này (cộng lại nếu là các cháu khác nhau).`;
      }
      return `${labels.alone(problem.key)}: ghi nhiều lần với số khác nhau (${problem.values.join(', ')}), xin cho biết số đúng.`;
    case 'parts_exceed_total': {
      const parts = problem.parts.map((p) => `${labels.alone(p.key)} ${p.value}`).join(' + ');
      return `${labels.alone(problem.key)} là ${problem.total}, nhưng các dòng con cộng lại là ${problem.sum} (${parts}), xin kiểm tra lại.`;
    }
    case 'breakdown_mismatch':
      return `${labels.alone(problem.key)} ghi ${problem.total}, nhưng "${problem.raw}" cộng lại là ${problem.sum}. Xin cho biết số đúng (ví dụ: "${labels.alone(problem.key).toLowerCase()} ${problem.sum}").`;
    case 'unsure':
      return unsureLine(problem.keys.map((key) => labels.alone(key)), problem.raws);
    case 'stray_number':
      return `Số "${problem.raw}" không rõ thuộc mục nào. Xin ghi số ngay sau tên mục (ví dụ: "bạo lực ${problem.raw}"), hoặc gửi lại các mục không kèm số đó.`;
    case 'not_a_child':
      return notAChildLine(problem.text, problem.raw, labels);
    case 'bad_period':
      return `Không hiểu kỳ báo cáo "${problem.raw}", xin ghi rõ tháng (ví dụ: T10/2025).`;
    case 'period_conflict':
      return `Tin nhắn ghi nhiều kỳ khác nhau (${problem.periods.map(formatPeriod).join(', ')}), xin cho biết kỳ đúng.`;
    case 'unreadable':
      return 'Không đọc được tin nhắn, xin gửi lại.';
  }
}

/** For a village head's words that sound urgent, whatever else the answer says. */
function dangerLine(hotlines: CommuneConfig['hotlines']): string {
  return `Nếu cháu đang gặp nguy hiểm ngay lúc này, xin gọi ngay ${hotlines.police} (Công an), ${hotlines.ambulance} (Cấp cứu) hoặc ${hotlines.child} (Tổng đài bảo vệ trẻ em, miễn phí).`;
}

/**
 * For a message that names rows but gives none a number: which rows, and how to write them; with the
 * hotlines when its words sound urgent (a month's counts may still tell of a child in danger now).
 */
export function noNumberText(keys: readonly string[], fields: readonly CountFieldConfig[], hotlines?: CommuneConfig['hotlines']): string {
  const labels = new Labels(fields);
  const rows = [...new Set(keys)].map((key) => labels.alone(key));
  const text =
    `Mình chưa thấy số cho mục: ${rows.join(', ')}. Xin ghi số cụ thể cho từng mục, ví dụ "${rows[0] ?? 'sinh'}: 2" ` +
    '(không có thì ghi 0). Nếu anh/chị muốn báo một sự việc về trẻ em, xin bấm nút dưới đây hoặc gửi /baocao.';
  return hotlines ? `${text}\n${dangerLine(hotlines)}` : text;
}

/**
 * A village head's news about grown-ups only ("ông nội cháu qua đời"): not counted, not a child's report,
 * but never left unanswered. With a sign of danger, the hotlines come too: a child may be alone now.
 */
export function grownUpText(
  problems: ReadonlyArray<Extract<CountsProblem, { kind: 'not_a_child' }>>,
  fields: readonly CountFieldConfig[],
  hotlines: CommuneConfig['hotlines'] | undefined,
): string {
  const labels = new Labels(fields);
  const lines = ['Cảm ơn anh/chị đã cho biết.', ...problems.map((p) => notAChildLine(p.text, p.raw, labels))];
  lines.push('Nếu có cháu cần được giúp đỡ (ví dụ cháu không còn ai chăm sóc), xin bấm nút dưới đây hoặc gửi /baocao.');
  if (hotlines) lines.push(dangerLine(hotlines));
  return lines.join('\n');
}

/**
 * Said before the report conversation starts for a village head's news about a child (`urgent`: in
 * danger now): the report comes first, and the month's count is a separate message, shown the way the
 * parser reads it, or the guided /baocaothang.
 */
export function reportFirstText(
  keys: readonly string[],
  fields: readonly CountFieldConfig[],
  month: string,
  urgent: boolean,
  read: Record<string, number> = {},
  category?: CategoryKey,
): string {
  const labels = new Labels(fields);
  // The row the news belongs to: the one it named, unless the story reads as another harm ("bị bố đánh
  // gãy tay" names the injury row, but the child is counted as beaten).
  const rows = category ? (ROWS_OF_CATEGORY[category] ?? []).filter((k) => fields.some((f) => f.key === k)) : [];
  const key = keys[0] !== undefined && (!rows.length || rows.includes(keys[0])) ? keys[0] : rows[0];
  const row = key === undefined ? undefined : labels.alone(key);
  const example = row ? `, ví dụ "tháng ${shortPeriod(month).slice(1)}: ${row} 1"` : '';
  const opening = urgent
    ? 'Anh/chị báo tin một cháu đang gặp nguy hiểm, nên mình mở báo cáo sự việc ngay để cán bộ xã kịp hỗ trợ cháu.'
    : 'Mình ghi tin anh/chị kể thành báo cáo sự việc để cán bộ xã xem và hỗ trợ cháu.';
  // Numbers of the same message are not saved by guess while the report goes on: said back, to send again.
  const given = fields.filter((f) => read[f.key] !== undefined).map((f) => `${labels.alone(f.key)} ${read[f.key]}`);
  const unsaved = given.length ? ` Các số trong tin này (${given.join(', ')}) chưa được lưu.` : '';
  return `${opening}${unsaved} Số liệu tháng của thôn thì anh/chị gửi riêng một tin khác${example}, hoặc gõ /baocaothang để mình hỏi từng mục.`;
}
