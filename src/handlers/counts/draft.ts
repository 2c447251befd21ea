/**
 * A village head's counts waiting for confirmation, and the text that asks for it. A correction is
 * read like the first message and laid over the draft, so "sinh 4" alone fixes one row; a later
 * month's draft starts from the values already confirmed, so a new version only changes what was sent.
 */
import type { CountFieldConfig } from '../../config/communes.js';
import type { CountsProblem, CountsReading } from '../../domain/counts/reading.js';
import { partsImplied, zeroTheRest } from '../../domain/counts/parser.js';
import { parsePeriodKey, periodKey, shortPeriod } from '../../domain/counts/periods.js';
import { labelAlone, type CountValues } from '../../domain/counts/fields.js';
import { describeCounts } from './texts.js';

export interface CountsDraft {
  communeId: string;
  village: string;
  /** 'YYYY-MM' */
  period: string;
  /** The message named no month: the confirmation asks to check it. */
  periodInferred: boolean;
  /** Every count the sender gave in this conversation (messages or guided answers). */
  sent: CountValues;
  /** The values that will be saved: the confirmed ones (if any) with `sent` on top. */
  values: CountValues;
  /** The current confirmed version, if the period already has one. */
  previous?: { version: number; values: CountValues };
  /** From the latest message: words not understood and problems to fix. */
  unknown: string[];
  problems: CountsProblem[];
  /** Started with /baocaothang: the rows are asked one by one. */
  guided: boolean;
  /** The request to send named the month ("em gửi số liệu tháng 11"): it is not asked. */
  monthNamed?: true;
  /**
   * The message told of a child who may need help beyond the numbers ("sinh 2, 1 cháu bị bố đánh"):
   * the confirmation says so, and after saving the village head is offered the report.
   */
  concern?: boolean;
  /** The words of that message that told of the child, for the report offered after saving. */
  story?: string;
  /** A report being written was kept for after the counts: it is asked on, and no second one is offered. */
  reportKept?: true;
}

/**
 * Problems that make the values unsafe to save until the sender answers them: a value that cannot be a
 * count (negative, not whole, too large), a number whose row is unsure, and contradictions.
 */
const BLOCKING: ReadonlySet<CountsProblem['kind']> = new Set([
  'negative', 'not_whole', 'too_large', 'unsure', 'stray_number', 'breakdown_mismatch', 'parts_exceed_total', 'duplicate', 'period_conflict', 'unreadable',
]);

export function blockingProblems(draft: CountsDraft): CountsProblem[] {
  return draft.problems.filter((p) => BLOCKING.has(p.kind));
}

/**
 * A total below the sum of its rows, checked on the merged values: a correction of one sub-row can
 * break a total sent earlier. Replaces the parser's own check, which saw one message only.
 */
export function checkTotals(fields: readonly CountFieldConfig[], values: CountValues, problems: CountsProblem[]): CountsProblem[] {
  const out: CountsProblem[] = problems.filter((p) => p.kind !== 'parts_exceed_total');
  for (const total of fields) {
    const totalValue = values[total.key];
    if (totalValue === undefined) continue;
    const parts = fields.filter((f) => f.partOf === total.key && values[f.key] !== undefined).map((f) => ({ key: f.key, value: values[f.key] as number }));
    const sum = parts.reduce((acc, p) => acc + p.value, 0);
    if (sum > totalValue) out.push({ kind: 'parts_exceed_total', key: total.key, total: totalValue, parts, sum });
  }
  return out;
}

/** Sets the confirmed version the draft builds on (when it starts, or when the period changes). */
export function setPrevious(draft: CountsDraft, previous: CountsDraft['previous'], fields: readonly CountFieldConfig[]): void {
  draft.previous = previous;
  recompute(draft, fields);
}

/** Records one value (a guided answer). */
export function setValue(draft: CountsDraft, key: string, value: number, fields: readonly CountFieldConfig[]): void {
  draft.sent[key] = value;
  recompute(draft, fields);
}

/**
 * Lays a message's reading over the draft: its written counts win, its unknown words and problems replace the
 * old ones. Returns true when it named another period (the caller then loads that period's version).
 */
export function applyReading(draft: CountsDraft, reading: CountsReading, fields: readonly CountFieldConfig[]): boolean {
  const before = draft.period;
  if (reading.period?.source === 'explicit') {
    // Another month named after one was ("tháng 9: sinh 1" after "tháng 10: …"): a month of its own,
    // which takes nothing of the other's numbers. A month named only now puts the one guessed right, and
    // so does one named with no number of its own ("à nhầm, tháng 11 chứ"): the numbers sent go with it.
    if (periodKey(reading.period) !== before && !draft.periodInferred && givesNumbers(reading)) draft.sent = {};
    draft.period = periodKey(reading.period);
    draft.periodInferred = false;
  }
  const zeroed = new Set(reading.zeroed);
  const added = new Set(reading.added);
  for (const [key, value] of Object.entries(reading.counts)) {
    if (zeroed.has(key)) continue;
    // "à quên, có thêm 1 cháu bị chó cắn": one more than the number given before, in this conversation or saved.
    const before = added.has(key) ? (draft.sent[key] ?? draft.previous?.values[key] ?? 0) : 0;
    draft.sent[key] = before + value;
  }
  // "còn lại không có" in a correction: the rest are the rows neither a message of this conversation nor
  // the version saved before gave ("còn lại đều 0" after "sinh 2" was saved keeps the 2).
  if (zeroed.size) {
    const known = { ...draft.previous?.values, ...draft.sent };
    for (const key of zeroTheRest(fields, known, reading.problems)) draft.sent[key] = 0;
  }
  draft.unknown = reading.unknown;
  draft.problems = reading.problems;
  recompute(draft, fields);
  return draft.period !== before;
}

/** Whether a reading gives numbers of its own (a count, or a row with a problem), not only a month. */
export function givesNumbers(reading: CountsReading): boolean {
  return Object.keys(reading.counts).length > 0 || reading.problems.some((p) => 'key' in p || p.kind === 'unsure' || p.kind === 'stray_number');
}

function recompute(draft: CountsDraft, fields: readonly CountFieldConfig[]): void {
  draft.values = { ...draft.previous?.values, ...draft.sent };
  for (const key of partsImplied(fields, draft.values)) draft.values[key] = 0;
  draft.problems = checkTotals(fields, draft.values, draft.problems);
}

/** The rows with no value yet, in form order. */
export function missingRows(draft: CountsDraft, fields: readonly CountFieldConfig[]): string[] {
  const mentioned = new Set(draft.problems.flatMap((p) => ('key' in p ? [p.key] : [])));
  return fields.map((f) => f.key).filter((key) => draft.values[key] === undefined && !mentioned.has(key));
}

/** The draft in the parser's shape, so the confirmation reads exactly like the parser describes it. */
function asReading(draft: CountsDraft, fields: readonly CountFieldConfig[]): CountsReading {
  const p = parsePeriodKey(draft.period);
  return {
    period: p ? { ...p, source: draft.periodInferred ? 'inferred' : 'explicit', yearGiven: true } : null,
    counts: draft.values,
    unknown: draft.unknown,
    problems: draft.problems,
    missing: missingRows(draft, fields),
  };
}

function labelOf(fields: readonly CountFieldConfig[], key: string): string {
  return labelAlone(fields.find((f) => f.key === key)?.label ?? key);
}

/** "Trẻ em sinh ra: 3 → 4" for every row the new version changes. */
function changeLines(draft: CountsDraft, fields: readonly CountFieldConfig[]): string[] {
  const before = draft.previous?.values;
  if (!before) return [];
  const changed = fields.filter((f) => draft.values[f.key] !== before[f.key] && draft.values[f.key] !== undefined);
  if (changed.length === 0) return ['Không có số nào khác so với bản đã gửi.'];
  return [`Thay đổi so với phiên bản ${draft.previous?.version}:`, ...changed.map((f) => `• ${labelOf(fields, f.key)}: ${before[f.key] ?? '—'} → ${draft.values[f.key]}`)];
}

const CONCERN_LINE = 'Tin nhắn có kể về một cháu có thể cần được giúp đỡ: sau khi lưu số liệu, mình sẽ mời anh/chị báo sự việc đó cho cán bộ xã.';
const CONCERN_KEPT_LINE = 'Tin nhắn có kể về một cháu có thể cần được giúp đỡ: sau khi lưu số liệu, mình hỏi tiếp báo cáo anh/chị đang làm dở.';

export function confirmationText(draft: CountsDraft, fields: readonly CountFieldConfig[]): string {
  const head = draft.previous
    ? `📋 Số liệu ${draft.village}, ${shortPeriod(draft.period)} (cập nhật bản đã gửi):`
    : `📋 Số liệu ${draft.village}, ${shortPeriod(draft.period)}:`;
  const lines = [head, ...describeCounts(asReading(draft, fields), fields).map((l) => `• ${l}`), ...changeLines(draft, fields)];
  if (draft.concern) lines.push(`• ${draft.reportKept ? CONCERN_KEPT_LINE : CONCERN_LINE}`);
  if (blockingProblems(draft).length) {
    lines.push('', 'Xin gửi lại tin nhắn đã sửa (chỉ cần các mục cần sửa), hoặc bấm "Huỷ".');
  } else {
    lines.push('', draft.periodInferred ? 'Số liệu và kỳ báo cáo trên đã đúng chưa?' : 'Số liệu trên đã đúng chưa?');
  }
  return lines.join('\n');
}
